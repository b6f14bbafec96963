/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * units: numbers with unit suffixes, parsed and printed by one table per
 * unit family (counts, byte sizes, times), as wrk's units.c does.
 */
#ifndef WB_UNITS_H
#define WB_UNITS_H

#include <stddef.h>
#include <stdint.h>

enum unit_kind {
	UNIT_COUNT,	/* 20k, 1.5M: metric, k = 1000 */
	UNIT_SIZE,	/* 64k, 4KiB, 1M: binary, k = K = KiB = 1024 */
	UNIT_TIME	/* 500us, 2s, 1.5ms; a bare number is seconds; in ns */
};

/*
 * units_parse reads s as a non-negative decimal number, optionally with a
 * fraction, followed by an optional suffix of its family, and stores the
 * value (a time in nanoseconds) in *out.  The value must come out whole:
 * "1.5k" is 1500, "1.0005k" is refused.  Returns 0, EINVAL when s is not
 * such a number (empty, sign, spaces, unknown suffix, fraction left over),
 * or ERANGE when the value does not fit in 64 bits.  *out is set only on
 * success.
 */
int units_parse(enum unit_kind kind, const char *s, uint64_t *out);

/*
 * units_format writes v in the largest unit of its family that keeps at
 * least one whole digit, with up to three significant digits ("4.52us",
 * "20k", "64KiB", "950ns"), and returns buf.  len of 16 is always enough.
 */
char *units_format(enum unit_kind kind, uint64_t v, char *buf, size_t len);

/* The suffixes accepted for kind, for messages: "ns, us, ms, s". */
const char *units_accepted(enum unit_kind kind);

#endif
