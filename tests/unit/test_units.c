/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* units: every suffix, every refusal, and the printed forms. */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "units.h"

static void
accept(enum unit_kind k, const char *s, uint64_t want)
{
	uint64_t v = 0;
	int e = units_parse(k, s, &v);

	ok(e == 0 && v == want, "parse %s = %llu (got %llu, e %d)", s,
	    (unsigned long long)want, (unsigned long long)v, e);
}

static void
refuse(enum unit_kind k, const char *s, int want)
{
	uint64_t v = 12345;
	int e = units_parse(k, s, &v);

	ok(e == want && v == 12345, "refuse \"%s\" with %s", s,
	    want == EINVAL ? "EINVAL" : "ERANGE");
}

static void
shows(enum unit_kind k, uint64_t v, const char *want)
{
	char buf[32];

	units_format(k, v, buf, sizeof(buf));
	ok(strcmp(buf, want) == 0, "format %llu as %s (got %s)",
	    (unsigned long long)v, want, buf);
}

int
main(void)
{
	accept(UNIT_COUNT, "0", 0);
	accept(UNIT_COUNT, "20k", 20000);
	accept(UNIT_COUNT, "1.5k", 1500);
	accept(UNIT_COUNT, "2M", 2000000);
	accept(UNIT_COUNT, "3G", 3000000000ULL);
	accept(UNIT_COUNT, "18446744073709551615", UINT64_MAX);
	accept(UNIT_SIZE, "64k", 65536);
	accept(UNIT_SIZE, "4KiB", 4096);
	accept(UNIT_SIZE, "1M", 1048576);
	accept(UNIT_SIZE, "1MiB", 1048576);
	accept(UNIT_SIZE, "512B", 512);
	accept(UNIT_SIZE, "4096", 4096);
	accept(UNIT_TIME, "1", 1000000000);
	accept(UNIT_TIME, "1.5", 1500000000);
	accept(UNIT_TIME, "500ms", 500000000);
	accept(UNIT_TIME, "20us", 20000);
	accept(UNIT_TIME, "20\xc2\xb5s", 20000);
	accept(UNIT_TIME, "7ns", 7);
	accept(UNIT_COUNT, "20K", 20000);		/* any case, as sizes */
	accept(UNIT_COUNT, "20k", 20000);
	accept(UNIT_COUNT, "1.5m", 1500000);
	accept(UNIT_COUNT, "2M", 2000000);
	accept(UNIT_COUNT, "1g", 1000000000);
	accept(UNIT_TIME, "2s", 2000000000);
	accept(UNIT_TIME, "0.5ms", 500000);

	refuse(UNIT_COUNT, "", EINVAL);
	refuse(UNIT_COUNT, "-1", EINVAL);
	refuse(UNIT_COUNT, "+1", EINVAL);
	refuse(UNIT_COUNT, " 1", EINVAL);
	refuse(UNIT_COUNT, "1 ", EINVAL);
	refuse(UNIT_COUNT, "0x10", EINVAL);
	refuse(UNIT_COUNT, "1e3", EINVAL);
	refuse(UNIT_COUNT, "k", EINVAL);
	refuse(UNIT_COUNT, ".", EINVAL);
	refuse(UNIT_COUNT, "1.5", EINVAL);		/* not whole */
	refuse(UNIT_COUNT, "1.0001k", EINVAL);		/* not whole */
	refuse(UNIT_COUNT, "1kk", EINVAL);
	refuse(UNIT_COUNT, "1KiB", EINVAL);		/* counts are metric */
	refuse(UNIT_COUNT, "1Kk", EINVAL);
	refuse(UNIT_COUNT, "10ms", EINVAL);
	refuse(UNIT_COUNT, "18446744073709551616", ERANGE);
	refuse(UNIT_COUNT, "99999999999999999999999", ERANGE);
	refuse(UNIT_COUNT, "20000000000G", ERANGE);
	refuse(UNIT_SIZE, "1x", EINVAL);
	refuse(UNIT_SIZE, "17179869184G", ERANGE);
	refuse(UNIT_TIME, "5m", EINVAL);		/* no minutes: m is ambiguous */
	refuse(UNIT_TIME, "1.5ns", EINVAL);
	refuse(UNIT_TIME, "ms", EINVAL);
	refuse(UNIT_TIME, "1.0000000000001s", EINVAL);
	refuse(UNIT_TIME, "18446744074s", ERANGE);

	shows(UNIT_TIME, 950, "950ns");
	shows(UNIT_TIME, 4520, "4.52us");
	shows(UNIT_TIME, 12300000, "12.3ms");
	shows(UNIT_TIME, 1000000000, "1s");
	shows(UNIT_TIME, 999600, "1ms");
	shows(UNIT_TIME, 0, "0ns");
	shows(UNIT_COUNT, 20000, "20k");
	shows(UNIT_COUNT, 1500, "1.5k");
	shows(UNIT_COUNT, 999, "999");
	shows(UNIT_COUNT, 0, "0");
	shows(UNIT_COUNT, 2000000, "2M");
	shows(UNIT_SIZE, 65536, "64KiB");
	shows(UNIT_SIZE, 64, "64B");
	shows(UNIT_SIZE, 1 << 20, "1MiB");
	ok(strstr(units_accepted(UNIT_TIME), "ms") != NULL, "accepted times named");
	return tap_done();
}
