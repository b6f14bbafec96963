/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * hist: a constant-memory log-linear histogram of nanosecond values, in the
 * manner of HdrHistogram.  Values below 256 are exact; above, each power of
 * two is cut into 128 linear sub-buckets, so a bucket is never wider than
 * 1/128 (0.78 %) of its lower bound.  Values up to 2^44 ns (4.9 hours) are
 * resolved; larger ones land in the last bucket and are counted in
 * `clamped` (min and max stay exact).  One histogram is about 38 KiB and
 * never grows: each thread records into its own and they are merged after
 * the threads are joined.
 */
#ifndef WB_HIST_H
#define WB_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS	7
#define HIST_SUB	(1u << HIST_SUB_BITS)	/* sub-buckets per power of two */
#define HIST_TOP_MSB	43			/* highest resolved bit: 2^44 ns */
#define HIST_BUCKETS	(2 * HIST_SUB + (HIST_TOP_MSB - HIST_SUB_BITS) * HIST_SUB)

struct hist {
	uint64_t count;
	uint64_t min;		/* UINT64_MAX when empty */
	uint64_t max;
	uint64_t clamped;	/* values beyond the last bucket */
	uint64_t counts[HIST_BUCKETS];
};

/* hist_reset empties h. */
void hist_reset(struct hist *h);

/* hist_index returns the bucket of v. */
static inline unsigned
hist_index(uint64_t v)
{
	if (v < 2 * HIST_SUB)
		return (unsigned)v;
	unsigned msb = 63u - (unsigned)__builtin_clzll(v);
	if (msb > HIST_TOP_MSB)
		return HIST_BUCKETS - 1;
	unsigned shift = msb - HIST_SUB_BITS;
	return 2 * HIST_SUB + (msb - HIST_SUB_BITS - 1) * HIST_SUB +
	    (unsigned)(v >> shift) - HIST_SUB;
}

/* hist_record adds one value: a few instructions, no branches taken in the
 * common case, safe to call on the hot path. */
static inline void
hist_record(struct hist *h, uint64_t v)
{
	h->counts[hist_index(v)]++;
	h->count++;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	if (v >> (HIST_TOP_MSB + 1))
		h->clamped++;
}

/* hist_merge adds every value of src to dst. */
void hist_merge(struct hist *dst, const struct hist *src);

/*
 * hist_value_at returns the value at quantile q (0 <= q <= 1): the highest
 * value of the bucket that holds the ceil(q * count)-th smallest value,
 * clamped to [min, max].  It rounds up: it never understates that value,
 * overstates it by less than one bucket's width (under 1/128, 0.78 %, of
 * the value; exact below 256 ns), and never exceeds the true maximum.
 * q <= 0 gives min, q >= 1 gives max.  Returns 0 for an empty histogram.
 */
uint64_t hist_value_at(const struct hist *h, double q);

/* hist_count_le returns how many recorded values are in buckets up to and
 * including the bucket of v. */
uint64_t hist_count_le(const struct hist *h, uint64_t v);

/* The lowest and highest values that share bucket i. */
uint64_t hist_bucket_low(unsigned i);
uint64_t hist_bucket_high(unsigned i);

#endif
