# Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause
# wakebench: one flat GNU Makefile.
#
#   make            build ./wakebench (objects under build/)
#   make check      build with -Werror, lint the man page, run the C unit
#                   tests and the bats suite, then both again under
#                   ASan+UBSan and TSan: the command CI runs (tests/run)
#   make check-quick the same on the normal build only
#   make asan/tsan  sanitizer builds under build/asan and build/tsan
#   make bench      wakebench against tests/bench/minimal.c, with ratios
#   make plots      a bounded sweep and every plot, in plots/out/
#   make mutants    apply each mutant in tests/mutants/ to a copy of the
#                   tree and run the tests that must kill it
#   make install    PREFIX=/usr/local DESTDIR=
#
# Project flags live in WB_* variables so that a user's CFLAGS (say
# CFLAGS=-O0) changes optimisation but can never drop -Werror or -std=c11.
# No .POSIX line: it makes GNU make use c99, which rejects -std=c11.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g

WB_CFLAGS  = -std=c11 -Wall -Wextra -Werror -pthread -D_GNU_SOURCE -Ilib -MMD -MP
WB_LDFLAGS = -pthread
WB_LDLIBS  = -lm

LIB_SRC  = $(sort $(wildcard lib/*.c))
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))

# $(call objs,DIR,SOURCES): the object files of SOURCES under DIR.
objs = $(patsubst %.c,$(1)/%.o,$(2))

B = build
LIB_OBJ  = $(call objs,$(B),$(LIB_SRC))
UNIT_BIN = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))

all: wakebench

wakebench: $(B)/wakebench.o $(LIB_OBJ)
	$(CC) $(CFLAGS) $(WB_CFLAGS) $(LDFLAGS) $(WB_LDFLAGS) -o $@ $^ $(LDLIBS) $(WB_LDLIBS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WB_CFLAGS) -c -o $@ $<

$(B)/tests/%: $(B)/tests/unit/%.o $(LIB_OBJ)
	$(CC) $(CFLAGS) $(WB_CFLAGS) $(LDFLAGS) $(WB_LDFLAGS) -o $@ $^ $(LDLIBS) $(WB_LDLIBS)

# The fault library the detector tests preload (tests/faultlib/faultlib.c):
# built with the unit tests, so that `make check` has it.
FAULTLIB = $(B)/tests/faultlib.so
$(FAULTLIB): tests/faultlib/faultlib.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WB_CFLAGS) -fPIC -shared $(LDFLAGS) -o $@ $< -ldl

unit: $(UNIT_BIN) $(FAULTLIB)

# Sanitizer builds: the same sources, objects and binaries under
# build/<name>/, so they never mix with the normal build.
SAN_asan = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_tsan = -fsanitize=thread -fno-sanitize-recover=all

define sanitizer
$(B)/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS) -O1 -g $$(WB_CFLAGS) $$(SAN_$(1)) -c -o $$@ $$<

$(B)/$(1)/wakebench: $(B)/$(1)/wakebench.o $(call objs,$(B)/$(1),$(LIB_SRC))
	$$(CC) -O1 -g $$(WB_CFLAGS) $$(SAN_$(1)) $$(LDFLAGS) $$(WB_LDFLAGS) -o $$@ $$^ $$(LDLIBS) $$(WB_LDLIBS)

$(B)/$(1)/tests/%: $(B)/$(1)/tests/unit/%.o $(call objs,$(B)/$(1),$(LIB_SRC))
	$$(CC) -O1 -g $$(WB_CFLAGS) $$(SAN_$(1)) $$(LDFLAGS) $$(WB_LDFLAGS) -o $$@ $$^ $$(LDLIBS) $$(WB_LDLIBS)

$(1): $(B)/$(1)/wakebench $(patsubst tests/unit/%.c,$(B)/$(1)/tests/%,$(UNIT_SRC))
endef
$(eval $(call sanitizer,asan))
$(eval $(call sanitizer,tsan))

# check: what CI runs.  The normal build, then the same unit tests and
# bats suite under ASan+UBSan and TSan, side by side (tests/run --all):
# 15 minutes on 2 cores at a load average of 20-170, 13-14 quiet before
# the sanitizer passes ran side by side; check-quick is the normal build
# alone.
check: all unit
	tests/run --all

check-quick: all unit
	tests/run

# make bench: wakebench against tests/bench/minimal.c, the smallest correct
# program of the same shape.  About two minutes; prints both medians, the
# ratio and PASS/MISS per target, and exits non-zero only if a program
# failed (timing targets are reported, never enforced).
$(B)/bench/minimal: tests/bench/minimal.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WB_CFLAGS) $(LDFLAGS) $(WB_LDFLAGS) -o $@ $< $(LDLIBS)

bench: wakebench $(B)/bench/minimal
	tests/bench/run ./wakebench $(B)/bench/minimal

# make plots: a bounded sweep (under two minutes on 2 cores), its CSVs and
# every plot, in plots/out/.
plots: wakebench
	plots/make-plots

# make mutants: each mutant of tests/mutants/ (format in its README) on a
# scratch copy of the working tree; every one must be killed by its tests.
mutants:
	tests/mutants/run

lint-man:
	mandoc -Tlint -W warning man/wakebench.1

install: wakebench
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 wakebench $(DESTDIR)$(BINDIR)/wakebench
	install -m 644 man/wakebench.1 $(DESTDIR)$(MANDIR)/man1/wakebench.1

clean:
	rm -rf $(B) wakebench

.PHONY: all unit asan tsan check check-quick bench plots mutants lint-man install clean
.PRECIOUS: $(B)/%.o $(B)/asan/%.o $(B)/tsan/%.o

-include $(shell find $(B) -name '*.d' 2>/dev/null)
