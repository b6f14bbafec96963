/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "result.h"

#include <math.h>

const double result_quantiles[PCT_N] = {
	0.0, 0.50, 0.90, 0.99, 0.999, 0.9999, 1.0
};
const char *const result_pct_names[PCT_N] = {
	"min", "p50", "p90", "p99", "p999", "p9999", "max"
};

double
result_items_per_s(const struct trial_result *r)
{
	return r->duration_ns ? (double)r->taken * 1e9 / (double)r->duration_ns : 0;
}

double
result_main_cpu_pct(const struct trial_result *r)
{
	return r->main_wall_ns ? 100.0 * (double)r->main_cpu_ns /
	    (double)r->main_wall_ns : 0;
}

double
result_idle_cpu_pct(const struct trial_result *r)
{
	return r->idle_ns ? 100.0 * (double)r->idle_cpu_ns / (double)r->idle_ns : 0;
}

double
result_per_item(const struct trial_result *r, uint64_t v)
{
	return r->items ? (double)v / (double)r->items : 0;
}

double
result_prod_syscalls_per_item(const struct trial_result *r)
{
	return result_per_item(r, r->writes);
}

double
result_main_syscalls_per_item(const struct trial_result *r)
{
	return result_per_item(r, r->waits + r->reads + r->net_syscalls);
}

static void
summarise(uint64_t out[PCT_N], uint64_t *count, const struct hist *h)
{
	*count = h ? h->count : 0;
	for (int i = 0; i < PCT_N; i++)
		out[i] = h ? hist_value_at(h, result_quantiles[i]) : 0;
}

void
result_summarise(struct trial_result *r, const struct hist *item,
    const struct hist *wake, const struct hist *rtt)
{
	summarise(r->lat, &r->lat_count, item);
	summarise(r->wake, &r->wake_count, wake);
	summarise(r->rtt, &r->rtt_count, rtt);
}

void
result_summarise_rtt(struct trial_result *r, const struct hist *rtt)
{
	summarise(r->rtt, &r->rtt_count, rtt);
}

static double
wake_p50(const struct trial_result *r)
{
	return r->wake_count ? (double)r->wake[PCT_P50] : NAN;
}

static double
wake_p99(const struct trial_result *r)
{
	return r->wake_count ? (double)r->wake[PCT_P99] : NAN;
}

static double
item_p50(const struct trial_result *r)
{
	return r->lat_count ? (double)r->lat[PCT_P50] : NAN;
}

static double
item_p99(const struct trial_result *r)
{
	return r->lat_count ? (double)r->lat[PCT_P99] : NAN;
}

static double
rtt_p50(const struct trial_result *r)
{
	return r->rtt_count ? (double)r->rtt[PCT_P50] : NAN;
}

static double
rtt_p99(const struct trial_result *r)
{
	return r->rtt_count ? (double)r->rtt[PCT_P99] : NAN;
}

static double
writes_per_item(const struct trial_result *r)
{
	return result_per_item(r, r->writes);
}

static double
spurious_pct(const struct trial_result *r)
{
	return r->wakeups ? 100.0 * (double)r->spurious_wakeups /
	    (double)r->wakeups : 0;
}

const struct result_headline result_headlines[HL_N] = {
	{ "items/s", "items_per_s", NULL, UNIT_COUNT, true, false, result_items_per_s },
	{ "wake p50", "wake_p50", NULL, UNIT_TIME, false, false, wake_p50 },
	{ "wake p99", "wake_p99", NULL, UNIT_TIME, false, false, wake_p99 },
	{ "item p50", "item_p50", NULL, UNIT_TIME, false, false, item_p50 },
	{ "item p99", "item_p99", NULL, UNIT_TIME, false, false, item_p99 },
	{ "writes/item", "writes_per_item", "%.2f", UNIT_COUNT, false, false, writes_per_item },
	{ "spurious", "spurious_pct", "%.0f%%", UNIT_COUNT, false, false, spurious_pct },
	{ "main cpu", "main_cpu_pct", "%.0f%%", UNIT_COUNT, false, false, result_main_cpu_pct },
	{ "rtt p50", "rtt_p50", NULL, UNIT_TIME, false, true, rtt_p50 },
	{ "rtt p99", "rtt_p99", NULL, UNIT_TIME, false, true, rtt_p99 },
};
