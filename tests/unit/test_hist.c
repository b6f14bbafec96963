/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* hist: accuracy against exact percentiles of known distributions. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "tap.h"

#define N 200000

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* xorshift64*: deterministic, so a failure can be replayed. */
static uint64_t rng = 88172645463325252ULL;
static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}
static double
unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* The exact value at quantile q with the same rank rule as hist. */
static uint64_t
exact(const uint64_t *sorted, size_t n, double q)
{
	if (q <= 0)
		return sorted[0];
	if (q >= 1)
		return sorted[n - 1];
	size_t rank = (size_t)ceil(q * (double)n);
	return sorted[(rank ? rank : 1) - 1];
}

static void
check(const char *name, uint64_t *v, size_t n)
{
	static const double qs[] = { 0, 0.5, 0.9, 0.99, 0.999, 0.9999, 1 };
	struct hist *h = malloc(sizeof(*h));
	double worst = 0;

	hist_reset(h);
	for (size_t i = 0; i < n; i++)
		hist_record(h, v[i]);
	qsort(v, n, sizeof(*v), cmp_u64);
	ok(h->count == n, "%s: count %llu", name, (unsigned long long)h->count);
	ok(h->min == v[0] && h->max == v[n - 1], "%s: min and max exact", name);
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		uint64_t e = exact(v, n, qs[i]), got = hist_value_at(h, qs[i]);
		double rel = e ? fabs((double)got - (double)e) / (double)e : (double)got;
		if (rel > worst)
			worst = rel;
		/* never below the truth by more than a bucket, never above
		 * it by more than one either: 1/128 */
		ok(rel <= 1.0 / 128 + 1e-12 && got >= e,
		    "%s: q=%g exact %llu hist %llu (rel %.4f%%)", name, qs[i],
		    (unsigned long long)e, (unsigned long long)got, rel * 100);
	}
	ok(worst <= 0.01, "%s: worst relative error %.3f%% <= 1%%", name, worst * 100);
	free(h);
}

int
main(void)
{
	uint64_t *v = malloc(N * sizeof(*v));
	struct hist *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b)),
	    *c = malloc(sizeof(*c));

	for (size_t i = 0; i < N; i++)
		v[i] = 1000 + rnd() % 99000;		/* uniform 1-100 us */
	check("uniform", v, N);
	for (size_t i = 0; i < N; i++)
		v[i] = (uint64_t)(-log(1 - unit()) * 20000.0) + 1;	/* exponential */
	check("exponential", v, N);
	for (size_t i = 0; i < N; i++)		/* log-uniform, 1 ns to 1 hour */
		v[i] = (uint64_t)exp(unit() * log(3.6e12)) ;
	check("log-uniform 1ns-1h", v, N);
	for (size_t i = 0; i < N; i++)		/* bimodal: 5 us, and 50 ms timeouts */
		v[i] = i % 100 ? 5000 + rnd() % 500 : 50000000 + rnd() % 100000;
	check("bimodal", v, N);
	for (size_t i = 0; i < 1000; i++)
		v[i] = i;				/* exact below 256 */
	check("small exact", v, 1000);

	/* The bucket layout: contiguous, each at most 1/128 wide. */
	int layout = 1;
	for (unsigned i = 1; i < HIST_BUCKETS; i++) {
		if (hist_bucket_low(i) != hist_bucket_high(i - 1) + 1)
			layout = 0;
		if (hist_index(hist_bucket_low(i)) != i ||
		    (i + 1 < HIST_BUCKETS && hist_index(hist_bucket_high(i)) != i))
			layout = 0;
		if (i >= 256 && i + 1 < HIST_BUCKETS &&
		    (double)(hist_bucket_high(i) - hist_bucket_low(i) + 1) /
		    (double)hist_bucket_low(i) > 1.0 / 128)
			layout = 0;
	}
	ok(layout, "buckets are contiguous and at most 1/128 wide");
	ok(hist_bucket_high(HIST_BUCKETS - 2) >= 3600ULL * 1000000000ULL,
	    "resolved range reaches past 1 hour (%llu ns)",
	    (unsigned long long)hist_bucket_high(HIST_BUCKETS - 2));
	ok(sizeof(struct hist) < 48 * 1024, "constant size: %zu bytes",
	    sizeof(struct hist));

	/* merge = recording everything in one */
	hist_reset(a);
	hist_reset(b);
	hist_reset(c);
	for (size_t i = 0; i < N; i++) {
		uint64_t x = rnd() % 10000000;
		hist_record(i % 3 ? a : b, x);
		hist_record(c, x);
	}
	hist_merge(a, b);
	ok(memcmp(a->counts, c->counts, sizeof(a->counts)) == 0 &&
	    a->count == c->count && a->min == c->min && a->max == c->max,
	    "merge of two equals one histogram of all");

	hist_reset(a);
	ok(hist_value_at(a, 0.5) == 0 && a->count == 0, "empty histogram reads 0");
	hist_record(a, UINT64_MAX);
	ok(a->clamped == 1 && hist_value_at(a, 0.5) == UINT64_MAX,
	    "a value past the range is clamped and counted, max stays exact");
	hist_reset(a);
	hist_record(a, 7);
	ok(hist_count_le(a, 7) == 1 && hist_count_le(a, 6) == 0, "count_le");

	free(v);
	free(a);
	free(b);
	free(c);
	return tap_done();
}
