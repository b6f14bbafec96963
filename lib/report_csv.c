/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * CSV: "# key: value" preamble lines (gnuplot and most readers skip them),
 * one header row, LF line ends, integers in ns, '.' decimals (the C locale
 * is never changed), units in column names.
 */
#include "report.h"

#include <math.h>
#include <string.h>

#include "drain.h"
#include "poke.h"
#include "preset.h"
#include "rt.h"
#include "units.h"
#include "wait.h"
#include "waker.h"

static void
preamble(FILE *f, const struct run *r, const char *kind)
{
	const struct config *c = r->cfg;
	const struct sysinfo *s = r->sys;
	char q[128], fl[128];

	fprintf(f, "# wakebench-%s: %d\n", kind, REPORT_CSV_VERSION);
	fprintf(f, "# version: %s\n", r->version);
	fprintf(f, "# date: %s\n", s->date);
	fprintf(f, "# command: %s\n", r->command);
	fprintf(f, "# kernel: %s\n", s->kernel);
	fprintf(f, "# cpu: %s\n", s->cpu_model);
	fprintf(f, "# cpus: %d online, %s allowed\n", s->cpus_online, s->cpus_list);
	fprintf(f, "# clocksource: %s (resolution %llu ns)\n", s->clocksource,
	    (unsigned long long)s->clock_res_ns);
	fprintf(f, "# cpuidle: driver %s, governor %s\n", s->cpuidle_driver,
	    s->cpuidle_governor);
	fprintf(f, "# pm_qos: %s\n", sysinfo_pm_qos(s, q, sizeof(q)));
	fprintf(f, "# loadavg: %s\n", s->loadavg);
	fprintf(f, "# cpufreq_governor: %s\n", s->cpufreq_governor);
	fprintf(f, "# boot_knobs: %s\n", s->boot_knobs);
	fprintf(f, "# mitigations: %s\n", s->mitigations);
	if (s->counters_missing[0] != '\0')
		fprintf(f, "# counters_missing: %s (empty cells)\n",
		    s->counters_missing);
	fprintf(f, "# placement: %s%s%s\n", c->pin ? "pinned round-robin" :
	    "unpinned", c->cpus.n ? ", cpus " : "",
	    config_cpus(&c->cpus, 0, q, sizeof(q)));
	fprintf(f, "# sched: %s\n", rt_format(c->sched_policy, c->sched_prio,
	    fl, sizeof(fl)));
	fprintf(f, "# rt_throttling: %s\n", sysinfo_rt_throttling(s, q, sizeof(q)));
	fprintf(f, "# counters: %s\n", c->no_counters ? "off (--no-counters)" :
	    "read");
	fprintf(f, "# trace_sched: %s\n", c->trace_sched ? "on" : "off");
	fprintf(f, "# producers:");
	for (unsigned i = 0; i < c->producers.n; i++)
		fprintf(f, "%s%llu", i ? "," : " ", (unsigned long long)c->producers.v[i]);
	fprintf(f, "\n");
	fprintf(f, "# config: rate=%llu burst=%llu connections=%llu net_rate=%llu "
	    "msg_size=%llu duration_ns=%llu trials=%llu warmup_ns=%llu "
	    "timeout_ns=%llu pipe_size=%llu stall_ns=%llu stall_period_ns=%llu "
	    "fault=%s spawn=%llu baseline=%u alpha=%g precision_pct=%g "
	    "max_time_ns=%llu\n",
	    (unsigned long long)c->rate, (unsigned long long)c->burst,
	    (unsigned long long)c->connections, (unsigned long long)c->net_rate,
	    (unsigned long long)c->msg_size, (unsigned long long)c->duration_ns,
	    (unsigned long long)c->trials, (unsigned long long)c->warmup_ns,
	    (unsigned long long)c->timeout_ns, (unsigned long long)c->pipe_size,
	    (unsigned long long)c->stall_ns, (unsigned long long)c->stall_period_ns,
	    report_fault_names(c->faults, fl, sizeof(fl)),
	    (unsigned long long)c->spawn, r->res[r->baseline].setup.index,
	    c->alpha, c->precision_pct, (unsigned long long)c->max_time_ns);
	if (r->precision != PRECISION_OFF)
		fprintf(f, "# precision: %s\n", r->precision == PRECISION_REACHED ?
		    "reached" : r->precision == PRECISION_BUDGET ? "max-time spent" :
		    "1000 trials run");
	if (r->signal) {
		bool partial = false;
		for (size_t i = 0; i < r->n; i++)
			for (unsigned k = 0; k < r->res[i].done; k++)
				partial |= r->res[i].trials[k].partial;
		fprintf(f, "# interrupted: signal %d; %s\n", r->signal, partial ?
		    "the last trial is partial" : "between trials, none is partial");
	}
	if (r->error != NULL)
		fprintf(f, "# error: %s\n", r->error);
}

static void
print_real(FILE *f, double v)
{
	if (!isfinite(v))
		v = 0;
	fprintf(f, "%.3f", v);
}

int
report_csv(FILE *f, const struct run *r)
{
	const struct config *c = r->cfg;
	char fl[128], label[160], fnd[256];

	preamble(f, r, "csv");
	fprintf(f, "config,mechanism,wait,poke,drain,preset,fault,producers,"
	    "rate,connections,trial");
	for (const struct report_field *fd = report_fields; fd->name; fd++)
		fprintf(f, ",%s", fd->name);
	fprintf(f, ",flags,findings,label,outlier\n");

	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		const struct setup *s = &sr->setup;
		for (unsigned k = 0; k < sr->done; k++) {
			const struct trial_result *t = &sr->trials[k];
			fprintf(f, "%u,%s,%s,%s,%s,%s,%s,%u,", s->index,
			    s->waker->name, s->wait->name, s->poke->name,
			    s->drain->name, s->preset ? s->preset->name : "none",
			    report_fault_names(s->faults, fl, sizeof(fl)),
			    s->producers);
			if (c->rate)
				fprintf(f, "%llu", (unsigned long long)c->rate);
			else
				fprintf(f, "max");
			fprintf(f, ",%llu,%u", (unsigned long long)c->connections, k + 1);
			for (const struct report_field *fd = report_fields; fd->name; fd++) {
				fputc(',', f);
				if (fd->kind == FIELD_REAL)
					print_real(f, fd->real(t));
				else if (fd->kind == FIELD_I64 &&
				    (int64_t)report_field_u64(fd, t) != RESULT_FD_UNKNOWN)
					fprintf(f, "%lld", (long long)(int64_t)report_field_u64(fd, t));
				else if (report_field_u64(fd, t) != RESULT_UNKNOWN)
					fprintf(f, "%llu", (unsigned long long)report_field_u64(fd, t));
			}
			fprintf(f, ",%s", report_fault_names(s->flags, fl, sizeof(fl)));
			fprintf(f, ",%s,%s", verdict_trial_findings(t, fnd, sizeof(fnd)),
			    setup_label(s, label, sizeof(label)));
			fprintf(f, ",%s\n", report_outlier_names(report_outliers(sr, k),
			    fnd, sizeof(fnd)));
		}
	}
	return ferror(f) ? -1 : 0;
}

/* The levels people look for, each given an exact row. */
static const double exact_levels[] = { 0.99, 0.999 };
#define N_EXACT	(sizeof(exact_levels) / sizeof(exact_levels[0]))

static void
level(FILE *f, const char *prefix, const struct setup *s, const char *label,
    const struct hist *h, double p)
{
	uint64_t v = hist_value_at(h, p);

	fprintf(f, "%s,%.9g,%llu,%llu,%.6g,%s,%s\n", prefix, p,
	    (unsigned long long)v, (unsigned long long)hist_count_le(h, v),
	    1.0 / (1.0 - p), s->preset ? s->preset->name : "none", label);
}

/*
 * The percentile levels of HdrHistogram's output: 5 ticks per halving of
 * the tail (0, 10, ... 50, 55, ... 75, 77.5, ...), until the tail holds
 * fewer than one value; 0.99 and 0.999 exactly, in order, wherever the
 * ticks miss them (and before the maximum if the ticks stop short); then
 * the maximum at 100 % with an empty inv_tail.
 */
static void
levels(FILE *f, const struct setup *s, const char *metric, const struct hist *h)
{
	char prefix[256], label[160];
	size_t x = 0;

	if (h->count == 0)
		return;
	setup_label(s, label, sizeof(label));
	snprintf(prefix, sizeof(prefix), "%u,%s,%s,%s,%s,%u,%s", s->index,
	    s->waker->name, s->wait->name, s->poke->name, s->drain->name,
	    s->producers, metric);
	for (double p = 0;;) {
		double inv = 1.0 / (1.0 - p);
		for (; x < N_EXACT && exact_levels[x] < p - 1e-12; x++)
			level(f, prefix, s, label, h, exact_levels[x]);
		if (x < N_EXACT && fabs(exact_levels[x] - p) <= 1e-12) {
			p = exact_levels[x++];	/* the tick, printed exactly */
			inv = 1.0 / (1.0 - p);
		}
		level(f, prefix, s, label, h, p);
		if (inv * 2 > (double)h->count)
			break;
		double ticks = 5.0 * pow(2.0, floor(log2(inv)) + 1);
		p += 1.0 / ticks;
	}
	for (; x < N_EXACT; x++)
		level(f, prefix, s, label, h, exact_levels[x]);
	fprintf(f, "%s,1,%llu,%llu,,%s,%s\n", prefix, (unsigned long long)h->max,
	    (unsigned long long)h->count, s->preset ? s->preset->name : "none",
	    label);
}

int
report_percentiles(FILE *f, const struct run *r)
{
	preamble(f, r, "percentiles");
	fprintf(f, "config,mechanism,wait,poke,drain,producers,metric,"
	    "percentile,value_ns,count,inv_tail,preset,label\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		levels(f, &sr->setup, "item", &sr->hists->item);
		levels(f, &sr->setup, "wake", &sr->hists->wake);
		levels(f, &sr->setup, "wake_kernel", &sr->hists->wake_kernel);
		levels(f, &sr->setup, "wake_sched", &sr->hists->wake_sched);
		levels(f, &sr->setup, "wake_return", &sr->hists->wake_return);
		levels(f, &sr->setup, "net_rtt", &sr->hists->rtt);
	}
	return ferror(f) ? -1 : 0;
}
