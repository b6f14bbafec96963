/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* hist: the rank rule on exact values.  Below 256 every value has its own
 * bucket, so the percentile of 1..100 must be the nearest-rank value
 * itself, with no bucket tolerance to hide an off-by-one. */
#include "hist.h"
#include "tap.h"

static struct hist h;

int
main(void)
{
	hist_reset(&h);
	for (uint64_t v = 1; v <= 100; v++)
		hist_record(&h, v);
	/* nearest rank: ceil(q * n)-th smallest */
	static const struct { double q; uint64_t want; } c[] = {
		{ 0.0, 1 }, { 0.01, 1 }, { 0.5, 50 }, { 0.505, 51 },
		{ 0.9, 90 }, { 0.99, 99 }, { 0.999, 100 }, { 1.0, 100 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t got = hist_value_at(&h, c[i].q);
		ok(got == c[i].want, "q=%g of 1..100 is %llu (got %llu)", c[i].q,
		    (unsigned long long)c[i].want, (unsigned long long)got);
	}

	hist_reset(&h);
	hist_record(&h, 7);
	ok(hist_value_at(&h, 0.5) == 7 && hist_value_at(&h, 0.99) == 7,
	    "one sample is every percentile");
	hist_record(&h, 9);
	ok(hist_value_at(&h, 0.5) == 7 && hist_value_at(&h, 0.51) == 9,
	    "two samples: p50 is the lower, anything above it the upper");
	return tap_done();
}
