/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct unit {
	const char *suffix;
	uint64_t scale;
};

/* One table per family; units_format walks each from the largest down. */
static const struct unit count_units[] = {
	{ "G", 1000000000ULL }, { "M", 1000000ULL }, { "k", 1000ULL },
	{ "", 1 },
	/* Aliases, never printed: K as sizes accept it, m and g for M, G. */
	{ "K", 1000ULL }, { "m", 1000000ULL }, { "g", 1000000000ULL },
	{ NULL, 0 }
};
static const struct unit size_units[] = {
	{ "GiB", 1ULL << 30 }, { "MiB", 1ULL << 20 }, { "KiB", 1ULL << 10 },
	{ "G", 1ULL << 30 }, { "M", 1ULL << 20 }, { "K", 1ULL << 10 },
	{ "k", 1ULL << 10 }, { "B", 1 }, { "", 1 }, { NULL, 0 }
};
static const struct unit time_units[] = {
	{ "s", 1000000000ULL }, { "ms", 1000000ULL }, { "us", 1000ULL },
	{ "\xc2\xb5s", 1000ULL }, { "ns", 1 }, { "", 1000000000ULL },
	{ NULL, 0 }
};

static const struct unit *
table(enum unit_kind kind)
{
	switch (kind) {
	case UNIT_COUNT:
		return count_units;
	case UNIT_SIZE:
		return size_units;
	case UNIT_TIME:
		return time_units;
	}
	return count_units;
}

const char *
units_accepted(enum unit_kind kind)
{
	switch (kind) {
	case UNIT_COUNT:
		return "a whole number, optionally with k, M or G (x1000; any case)";
	case UNIT_SIZE:
		return "a byte count, optionally with k, K, KiB, M, MiB, G or GiB (x1024)";
	case UNIT_TIME:
		return "a time such as 500us, 20ms, 1.5s (ns, us, ms, s; bare number = seconds)";
	}
	return "";
}

int
units_parse(enum unit_kind kind, const char *s, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, frac_div = 1;
	const char *p = s;
	int digits = 0;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		uint64_t d = (uint64_t)(*p - '0');
		if (whole > UINT64_MAX / 10 ||
		    (whole == UINT64_MAX / 10 && d > UINT64_MAX % 10))
			return ERANGE;
		whole = whole * 10 + d;
	}
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9'; p++, digits++) {
			if (frac_div >= 1000000000000ULL)
				return EINVAL;	/* more precision than any unit needs */
			frac = frac * 10 + (uint64_t)(*p - '0');
			frac_div *= 10;
		}
	}
	if (digits == 0)
		return EINVAL;

	for (const struct unit *u = table(kind); u->suffix != NULL; u++) {
		if (strcmp(p, u->suffix) != 0)
			continue;
		if (whole != 0 && u->scale > UINT64_MAX / whole)
			return ERANGE;
		uint64_t v = whole * u->scale;
		/* frac < frac_div <= 1e12 and scale <= 2^30: no overflow. */
		if (frac != 0) {
			unsigned __int128 f = (unsigned __int128)frac * u->scale;
			if (f % frac_div != 0)
				return EINVAL;
			if (v + (uint64_t)(f / frac_div) < v)
				return ERANGE;
			v += (uint64_t)(f / frac_div);
		}
		*out = v;
		return 0;
	}
	return EINVAL;
}

char *
units_format(enum unit_kind kind, uint64_t v, char *buf, size_t len)
{
	const struct unit *best = NULL;

	for (const struct unit *u = table(kind); u->suffix != NULL; u++) {
		/* Print only canonical suffixes: skip aliases and bare times. */
		if ((kind == UNIT_SIZE && strlen(u->suffix) == 1 && u->scale != 1) ||
		    (kind == UNIT_SIZE && u->suffix[0] == '\0') ||
		    (kind == UNIT_TIME && (u->suffix[0] == '\0' || u->suffix[0] == '\xc2')))
			continue;
		best = u;
		/* Take the unit once v rounds to at least 1.00 of it; a bare
		 * count ends the canonical rows (the aliases follow). */
		if (v >= u->scale - u->scale / 2000 || u->suffix[0] == '\0')
			break;
	}
	if (best->scale == 1) {
		snprintf(buf, len, "%llu%s", (unsigned long long)v, best->suffix);
		return buf;
	}
	double x = (double)v / (double)best->scale;
	const char *fmt = x >= 100 ? "%.0f%s" : x >= 10 ? "%.1f%s" : "%.2f%s";
	snprintf(buf, len, fmt, x, best->suffix);
	/* Trim "20.0k" to "20k" and "1.50ms" to "1.5ms": less noise in tables. */
	char *dot = strchr(buf, '.');
	if (dot != NULL) {
		char *end = dot + strspn(dot + 1, "0123456789") + 1;
		char *z = end;
		while (z > dot + 1 && z[-1] == '0')
			z--;
		if (z == dot + 1)
			z = dot;
		memmove(z, end, strlen(end) + 1);
	}
	return buf;
}
