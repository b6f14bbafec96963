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
#   make fidelity   each preset against the real library it names (minutes;
#                   not part of check; installs the libraries as root)
#   make mutants    apply each mutant in tests/mutants/ to a copy of the
#                   tree and run the tests that must kill it
#   make install    PREFIX=/usr/local DESTDIR= (also BINDIR, MANDIR):
#                   the binary, the man page, the bash and zsh completions,
#                   the plot scripts (PLOTDIR), the JSON schema
#   make uninstall  removes what make install put down (same variables)
#
# Project flags live in WB_* variables so that a user's CFLAGS (say
# CFLAGS=-O0) changes optimisation but can never drop -Werror or -std=c11.
# No .POSIX line: it makes GNU make use c99, which rejects -std=c11.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
# The gnuplot scripts --plot runs; the binary looks here too.
PLOTDIR ?= $(DATADIR)/wakebench/plots
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

# The commit `wakebench -V` names, from a git checkout only (a tarball
# builds without git).  build/commit holds it, rewritten only when it
# changes, so that wakebench.o is rebuilt for a new commit and only then.
WB_COMMIT := $(shell test -e .git && git describe --always --dirty 2>/dev/null)
$(B)/commit: FORCE
	@mkdir -p $(@D)
	@[ "$$(cat $@ 2>/dev/null)" = "$(WB_COMMIT)" ] || echo "$(WB_COMMIT)" >$@
$(B)/wakebench.o $(B)/asan/wakebench.o $(B)/tsan/wakebench.o: $(B)/commit
$(B)/wakebench.o $(B)/asan/wakebench.o $(B)/tsan/wakebench.o: \
    WB_CFLAGS += $(if $(WB_COMMIT),-DWB_COMMIT='"$(WB_COMMIT)"') \
    -DWB_PLOTDIR='"$(PLOTDIR)"' -DWB_SRCPLOTDIR='"$(CURDIR)/plots"'

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
# 14-16.5 minutes on 2 quiet cores from a fresh clone, 15 at a load average
# of 20-170; check-quick is the normal build alone.
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

# make fidelity: tests/fidelity/: small programs on libuv, libevent, libev
# and GLib, and wakebench with each preset, on the same schedule under one
# LD_PRELOAD counter; a table and a verdict per preset.  The libraries come
# from tests/fidelity/deps (apt-get as root, else the command to run).
# FIDELITY_PRESETS=libevent,libev runs only those presets.
FID = $(B)/fidelity
FID_CFLAGS = -O2 -g -Wall -Wextra -pthread
FIDELITY_REPS ?= 3
FIDELITY_MS ?= 1000

fidelity: wakebench
	tests/fidelity/deps
	@mkdir -p $(FID)
	$(CC) $(FID_CFLAGS) -shared -fPIC -o $(FID)/count.so tests/fidelity/count.c -ldl
	$(CC) $(FID_CFLAGS) -o $(FID)/real_libuv tests/fidelity/real_libuv.c $$(pkg-config --cflags --libs libuv)
	$(CC) $(FID_CFLAGS) -o $(FID)/real_libevent tests/fidelity/real_libevent.c $$(pkg-config --cflags --libs libevent libevent_pthreads)
	$(CC) $(FID_CFLAGS) -o $(FID)/real_libev tests/fidelity/real_libev.c -lev
	$(CC) $(FID_CFLAGS) -o $(FID)/real_glib tests/fidelity/real_glib.c $$(pkg-config --cflags --libs glib-2.0)
	tests/fidelity/run $(FID) $(FIDELITY_REPS) $(FIDELITY_MS)

# make mutants: each mutant of tests/mutants/ (format in its README) on a
# scratch copy of the working tree; every one must be killed by its tests.
mutants:
	tests/mutants/run

lint-man:
	mandoc -Tlint -W warning man/wakebench.1

# The scripts --plot runs (percentiles.gp loads common.gp, aggregate.awk);
# the other plot scripts come along for plotting CSV files by hand.
PLOT_FILES = $(wildcard plots/*.gp) plots/aggregate.awk

# install: the binary, the man page, both completion scripts (the built
# binary writes them from its own tables), the plot scripts and the
# JSON schema.
# uninstall removes exactly what install put down, and the folders that
# are wakebench's own; shared ones (bin, man1, ...) stay.
install: wakebench
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 wakebench $(DESTDIR)$(BINDIR)/wakebench
	install -m 644 man/wakebench.1 $(DESTDIR)$(MANDIR)/man1/wakebench.1
	./wakebench completion bash >$(B)/wakebench.bash
	./wakebench completion zsh >$(B)/_wakebench
	install -m 644 $(B)/wakebench.bash $(DESTDIR)$(BASHCOMPDIR)/wakebench
	install -m 644 $(B)/_wakebench $(DESTDIR)$(ZSHCOMPDIR)/_wakebench
	install -d $(DESTDIR)$(PLOTDIR)
	install -m 644 $(PLOT_FILES) $(DESTDIR)$(PLOTDIR)
	install -m 644 docs/wakebench.schema.json $(DESTDIR)$(DATADIR)/wakebench/wakebench.schema.json

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wakebench \
	    $(DESTDIR)$(MANDIR)/man1/wakebench.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/wakebench \
	    $(DESTDIR)$(ZSHCOMPDIR)/_wakebench \
	    $(addprefix $(DESTDIR)$(PLOTDIR)/,$(notdir $(PLOT_FILES))) \
	    $(DESTDIR)$(DATADIR)/wakebench/wakebench.schema.json
	rmdir $(DESTDIR)$(PLOTDIR) $(DESTDIR)$(DATADIR)/wakebench 2>/dev/null || true

clean:
	rm -rf $(B) wakebench

.PHONY: all unit asan tsan check check-quick bench plots fidelity mutants lint-man install uninstall clean FORCE
.PRECIOUS: $(B)/%.o $(B)/asan/%.o $(B)/tsan/%.o

-include $(shell find $(B) -name '*.d' 2>/dev/null)
