/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "hist.h"

#include <math.h>
#include <string.h>

void
hist_reset(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void
hist_merge(struct hist *dst, const struct hist *src)
{
	if (src->count == 0)
		return;
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
	dst->count += src->count;
	dst->clamped += src->clamped;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t
hist_bucket_low(unsigned i)
{
	if (i < 2 * HIST_SUB)
		return i;
	unsigned j = i - 2 * HIST_SUB;
	unsigned msb = j / HIST_SUB + HIST_SUB_BITS + 1;
	uint64_t sub = j % HIST_SUB + HIST_SUB;
	return sub << (msb - HIST_SUB_BITS);
}

uint64_t
hist_bucket_high(unsigned i)
{
	if (i < 2 * HIST_SUB)
		return i;
	if (i == HIST_BUCKETS - 1)
		return UINT64_MAX;
	return hist_bucket_low(i + 1) - 1;
}

uint64_t
hist_value_at(const struct hist *h, double q)
{
	if (h->count == 0)
		return 0;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;

	uint64_t rank = (uint64_t)ceil(q * (double)h->count);
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen >= rank) {
			uint64_t v = hist_bucket_high(i);
			if (v > h->max)
				v = h->max;
			if (v < h->min)
				v = h->min;
			return v;
		}
	}
	return h->max;
}

uint64_t
hist_count_le(const struct hist *h, uint64_t v)
{
	unsigned last = hist_index(v);
	uint64_t n = 0;
	for (unsigned i = 0; i <= last; i++)
		n += h->counts[i];
	return n;
}
