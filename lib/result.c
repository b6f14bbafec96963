/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "result.h"

const double result_quantiles[PCT_N] = {
	0.0, 0.50, 0.90, 0.99, 0.999, 0.9999, 1.0
};
const char *const result_pct_names[PCT_N] = {
	"min", "p50", "p90", "p99", "p999", "p9999", "max"
};

double
result_items_per_s(const struct trial_result *r)
{
	return r->duration_ns ? (double)r->items * 1e9 / (double)r->duration_ns : 0;
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
