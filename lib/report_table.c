/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * The human output: a run header naming everything that moves wakeup
 * latency, one aligned row per configuration (the median of its trials, in
 * auto-scaled units), and one verdict line per configuration.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "drain.h"
#include "fault.h"
#include "poke.h"
#include "preset.h"
#include "rt.h"
#include "trial.h"
#include "units.h"
#include "wait.h"
#include "waker.h"

/*
 * unsafe_lines: in the header, what this run holds that is unsafe by
 * design, before any finding says so: each unsafe drain combination
 * (lib/drain.c) with how many configurations have it, and each preset
 * whose strategy carries its library's own faults or a caveat.
 */
static void
unsafe_lines(FILE *f, const struct run *r)
{
	char fl[128];

	for (const struct drain_unsafe *u = drain_unsafe_table; u->drain; u++) {
		size_t n = 0;
		for (size_t i = 0; i < r->n; i++) {
			const struct setup *s = &r->res[i].setup;
			n += drain_unsafe(s->drain->name, s->poke->name,
			    s->waker->read_all, s->wait->edge) == u;
		}
		if (n)
			fprintf(f, "unsafe     -D %s with %s (%zu configuration%s): "
			    "%s: %s\n", u->drain, u->when, n, n == 1 ? "" : "s",
			    u->finding, u->why);
	}
	for (const struct preset *p = preset_table; p->name; p++) {
		bool used = false;
		for (size_t i = 0; i < r->n; i++)
			used |= r->res[i].setup.preset == p;
		if (!used || (p->flags == 0 && p->caveat == NULL))
			continue;
		fprintf(f, "unsafe     preset %s", p->name);
		if (p->flags)
			fprintf(f, ": its own %s", fault_names(p->flags, fl, sizeof(fl)));
		if (p->caveat)
			fprintf(f, "%s %s", p->flags ? ";" : ":", p->caveat);
		fprintf(f, "\n");
	}
}

void
report_header(FILE *f, const struct run *r)
{
	const struct config *c = r->cfg;
	const struct sysinfo *s = r->sys;
	char a[32], b[32], d[32], e[32], q[128];

	fprintf(f, "wakebench %s, %s\n", r->version, s->date);
	fprintf(f, "system     %s, %d CPUs online (%s allowed), %s\n",
	    s->kernel, s->cpus_online, s->cpus_list, s->cpu_model);
	fprintf(f, "clock      CLOCK_MONOTONIC from %s, resolution %s\n",
	    s->clocksource, units_format(UNIT_TIME, s->clock_res_ns, a, sizeof(a)));
	fprintf(f, "idle       cpuidle driver %s, governor %s; %s\n",
	    s->cpuidle_driver, s->cpuidle_governor,
	    sysinfo_pm_qos(s, q, sizeof(q)));
	fprintf(f, "machine    load average %s at start; cpufreq governor %s; "
	    "boot knobs %s\n", s->loadavg, s->cpufreq_governor, s->boot_knobs);
	fprintf(f, "mitigated  %s\n", s->mitigations);
	uint64_t pmax = 0;
	for (unsigned i = 0; i < c->producers.n; i++)
		if (c->producers.v[i] > pmax)
			pmax = c->producers.v[i];
	uint64_t cl = c->connections == 0 ? 0 : c->clients < c->connections ?
	    c->clients : c->connections;
	fprintf(f, "threads    %llu on %d allowed CPU%s: the main thread, "
	    "%s%llu producer%s%s, %llu client thread%s%s\n",
	    (unsigned long long)(1 + pmax + cl), s->cpus_allowed,
	    s->cpus_allowed == 1 ? "" : "s", c->producers.n > 1 ? "up to " : "",
	    (unsigned long long)pmax, pmax == 1 ? "" : "s",
	    c->rate == 0 ? " (busy: -r max)" : "", (unsigned long long)cl,
	    cl == 1 ? "" : "s", 1 + (c->rate == 0 ? pmax : 0) >
	    (uint64_t)s->cpus_allowed ? "; more busy threads than CPUs" : "");
	if (s->counters_missing[0] != '\0')
		fprintf(f, "missing    %s: their columns are empty\n",
		    s->counters_missing);
	if (c->no_counters)
		fprintf(f, "counters   not read (--no-counters): their columns "
		    "are empty\n");
	if (c->sched_policy != RT_OTHER)
		fprintf(f, "realtime   SCHED_%s priority %d for the main thread and "
		    "producers (watchdog %d), memory locked; RT throttling %s\n",
		    c->sched_policy == RT_FIFO ? "FIFO" : "RR", c->sched_prio,
		    c->sched_prio + 1, sysinfo_rt_throttling(s, q, sizeof(q)));
	if (c->cpus.n > 0) {
		char all[256], rest[256];
		config_cpus(&c->cpus, 0, all, sizeof(all));
		config_cpus(&c->cpus, 1, rest, sizeof(rest));
		fprintf(f, "placement  pinned (--cpus %s): main thread on CPU %u, "
		    "producers %s%s\n", all, (unsigned)c->cpus.v[0],
		    rest[0] ? "round-robin over CPUs " : "on it too", rest);
	} else if (c->pin)
		fprintf(f, "placement  pinned: main thread on CPU %d, producers "
		    "round-robin over the other allowed CPUs of %s (on it too "
		    "if it is the only one)\n", s->first_cpu, s->cpus_list);
	else
		fprintf(f, "placement  unpinned: the scheduler places threads "
		    "on CPUs %s\n", s->cpus_list);

	if (c->rate == 0)
		snprintf(a, sizeof(a), "as fast as possible");
	else
		snprintf(a, sizeof(a), "%s items/s each",
		    units_format(UNIT_COUNT, c->rate, d, sizeof(d)));
	fprintf(f, "workload   producers %s, burst %llu; ", a,
	    (unsigned long long)c->burst);
	if (c->connections == 0)
		fprintf(f, "no connections (-c 0)");
	else
		fprintf(f, "%llu connections at %s req/s each, %s messages",
		    (unsigned long long)c->connections,
		    units_format(UNIT_COUNT, c->net_rate, d, sizeof(d)),
		    units_format(UNIT_SIZE, c->msg_size, e, sizeof(e)));
	fprintf(f, "; wait timeout %s\n",
	    units_format(UNIT_TIME, c->timeout_ns, b, sizeof(b)));
	fprintf(f, "trials     %llu x %s per configuration after %s warmup, "
	    "interleaved over %zu configuration%s\n",
	    (unsigned long long)c->trials,
	    units_format(UNIT_TIME, c->duration_ns, a, sizeof(a)),
	    units_format(UNIT_TIME, c->warmup_ns, b, sizeof(b)),
	    r->n, r->n == 1 ? "" : "s");
	if (c->precision_pct > 0)
		fprintf(f, "precision  more trials until every headline interval "
		    "is within ±%g%% of its median, for at most %s\n",
		    c->precision_pct, units_format(UNIT_TIME, c->max_time_ns, a,
		    sizeof(a)));
	if (c->pipe_size || c->stall_ns || c->faults || c->spawn) {
		fprintf(f, "options   ");
		if (c->pipe_size)
			fprintf(f, " pipe size %s;", units_format(UNIT_SIZE,
			    c->pipe_size, a, sizeof(a)));
		if (c->stall_ns) {
			fprintf(f, " main thread stalls %s", units_format(UNIT_TIME,
			    c->stall_ns, a, sizeof(a)));
			if (c->stall_period_ns)
				fprintf(f, " every %s;", units_format(UNIT_TIME,
				    c->stall_period_ns, b, sizeof(b)));
			else
				fprintf(f, " once per trial;");
		}
		if (c->faults)
			fprintf(f, " fault %s;", fault_names(c->faults, q, sizeof(q)));
		if (c->spawn)
			fprintf(f, " %llu children spawned per trial;",
			    (unsigned long long)c->spawn);
		fprintf(f, "\n");
	}
	unsafe_lines(f, r);
	fprintf(f, "\n");
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * median of v(trial) over a configuration's trials.  A partial trial
 * counts only when no complete one exists, so an interrupted run does not
 * drag a row down.  NAN when no trial has a value (or without memory).
 */
static double
median(const struct setup_result *sr, double (*v)(const struct trial_result *, int),
    int arg)
{
	double *x, m = NAN;
	unsigned n = 0;

	/* On the heap: the main thread's stack stays small (STACK_NEED). */
	if ((x = malloc(sr->done * sizeof(*x))) == NULL)
		return NAN;
	for (unsigned i = 0; i < sr->done; i++)
		if (!sr->trials[i].partial && !isnan(v(&sr->trials[i], arg)))
			x[n++] = v(&sr->trials[i], arg);
	if (n == 0)
		for (unsigned i = 0; i < sr->done; i++)
			if (!isnan(v(&sr->trials[i], arg)))
				x[n++] = v(&sr->trials[i], arg);
	if (n > 0) {
		qsort(x, n, sizeof(x[0]), cmp_double);
		m = n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
	}
	free(x);
	return m;
}

enum metric { M_RATE, M_WAKE, M_LAT, M_RTT, M_WRITES, M_SPURIOUS, M_SYS,
    M_CPU, M_LOST, M_RQ };

static double
metric(const struct trial_result *t, int which)
{
	int m = which / 16, p = which % 16;

	switch (m) {
	case M_RATE:
		return result_items_per_s(t);
	/* An empty histogram has no percentiles: NAN shows as "-". */
	case M_WAKE:
		return t->wake_count ? (double)t->wake[p] : NAN;
	case M_LAT:
		return t->lat_count ? (double)t->lat[p] : NAN;
	case M_RTT:
		return t->rtt_count ? (double)t->rtt[p] : NAN;
	case M_WRITES:
		return result_per_item(t, t->writes);
	case M_SPURIOUS:
		return t->wakeups ? 100.0 * (double)t->spurious_wakeups /
		    (double)t->wakeups : 0;
	case M_SYS:
		return result_main_syscalls_per_item(t);
	case M_CPU:
		return result_main_cpu_pct(t);
	case M_LOST:
		return (double)t->lost_wakeups;
	case M_RQ:
		return t->rq_wait_per_wake_ns == RESULT_UNKNOWN ? NAN :
		    (double)t->rq_wait_per_wake_ns;
	}
	return 0;
}

#define COLS		32
#define CELL		24
#define ID_COLS		7	/* #, preset, mechanism, wait, poke, drain, p */

#define W(m, p)		((m) * 16 + (p))
const struct report_column report_columns[] = {
	{ "items_per_s", "items/s", W(M_RATE, 0), UNIT_COUNT, NULL, HL_RATE,
	  false, true, 0 },
	{ "wake_p50", "wake p50", W(M_WAKE, PCT_P50), UNIT_TIME, NULL,
	  HL_WAKE_P50, false, true, 0 },
	{ "wake_p90", "wake p90", W(M_WAKE, PCT_P90), UNIT_TIME, NULL, -1,
	  false, false, 0 },
	{ "wake_p99", "wake p99", W(M_WAKE, PCT_P99), UNIT_TIME, NULL,
	  HL_WAKE_P99, false, true, 0 },
	{ "wake_p999", "wake p99.9", W(M_WAKE, PCT_P999), UNIT_TIME, NULL, -1,
	  false, false, 0 },
	/* the main thread's run-queue delay per wakeup: how much of the
	 * wake columns was queueing for a CPU */
	{ "rq_wait", "rq wait", W(M_RQ, 0), UNIT_TIME, NULL, -1,
	  false, true, 2 },
	{ "item_p50", "item p50", W(M_LAT, PCT_P50), UNIT_TIME, NULL,
	  HL_ITEM_P50, false, true, 9 },
	{ "item_p90", "item p90", W(M_LAT, PCT_P90), UNIT_TIME, NULL, -1,
	  false, false, 0 },
	{ "item_p99", "item p99", W(M_LAT, PCT_P99), UNIT_TIME, NULL,
	  HL_ITEM_P99, false, true, 0 },
	{ "item_p999", "item p99.9", W(M_LAT, PCT_P999), UNIT_TIME, NULL, -1,
	  false, false, 0 },
	{ "item_max", "item max", W(M_LAT, PCT_MAX), UNIT_TIME, NULL, -1,
	  false, true, 3 },
	{ "writes_per_item", "writes/item", W(M_WRITES, 0), UNIT_COUNT, "%.2f",
	  HL_WRITES, false, true, 8 },
	{ "spurious", "spurious", W(M_SPURIOUS, 0), UNIT_COUNT, "%.0f%%",
	  HL_SPURIOUS, false, true, 4 },
	{ "sys_per_item", "sys/item", W(M_SYS, 0), UNIT_COUNT, "%.2f", -1,
	  false, true, 1 },
	{ "main_cpu", "main cpu", W(M_CPU, 0), UNIT_COUNT, "%.0f%%", HL_CPU,
	  false, true, 5 },
	{ "rtt_p50", "rtt p50", W(M_RTT, PCT_P50), UNIT_TIME, NULL, HL_RTT_P50,
	  true, true, 7 },
	{ "rtt_p90", "rtt p90", W(M_RTT, PCT_P90), UNIT_TIME, NULL, -1,
	  true, false, 0 },
	{ "rtt_p99", "rtt p99", W(M_RTT, PCT_P99), UNIT_TIME, NULL, HL_RTT_P99,
	  true, true, 6 },
	{ "rtt_p999", "rtt p99.9", W(M_RTT, PCT_P999), UNIT_TIME, NULL, -1,
	  true, false, 0 },
	{ NULL, NULL, 0, UNIT_COUNT, NULL, -1, false, false, 0 }
};
#undef W

static void
cell(char *out, const struct setup_result *sr, const struct report_column *col,
    bool *unbounded)
{
	double v = sr->done ? median(sr, metric, col->which) : NAN;
	char a[CELL], b[16];
	struct stats_summary s;

	report_value(a, sizeof(a), v, col->unit, col->fmt);
	if (col->hl < 0 || isnan(v)) {
		snprintf(out, CELL, "%s", a);
		return;
	}
	report_summary(sr, col->hl, &s);
	*unbounded |= !s.bounded;
	report_halfwidth(b, sizeof(b), &s);
	snprintf(out, CELL, "%.14s %.8s", a, b);
}

/* outliers: one line per configuration with trials far from their
 * siblings; they stay in every statistic, and the CSV marks them too. */
static void
outliers(FILE *f, const struct run *r)
{
	char label[160], names[256];
	bool head = false;

	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		bool any = false;
		for (unsigned k = 0; k < sr->done; k++) {
			unsigned bits = report_outliers(sr, k);
			if (bits == 0)
				continue;
			if (!head)
				fprintf(f, "outliers (|modified z-score| > %.1f; kept "
				    "in every statistic):\n", STATS_OUTLIER_Z);
			if (!any)
				fprintf(f, "  %u %s:", sr->setup.index,
				    setup_label(&sr->setup, label, sizeof(label)));
			fprintf(f, "%s trial %u %s", any ? ";" : "", k + 1,
			    report_outlier_names(bits, names, sizeof(names)));
			head = any = true;
		}
		if (any)
			fprintf(f, "\n");
	}
}

/*
 * wake_parts: --trace-sched, per configuration, the medians (and with -v
 * the p99s) of the wakeups' three parts over all its trials' samples,
 * their sum against the wake median, and the samples that could not be
 * joined and the events the kernel lost, which are never hidden.
 */
static void
wake_parts(FILE *f, const struct run *r)
{
	bool v = r->cfg->verbose > 0;
	char a[16], b[16], c[16], d[16], e[16], g[16];

	if (!r->cfg->trace_sched)
		return;
	fprintf(f, "wake parts (--trace-sched, every trial's samples): kernel: "
	    "poke to sched_waking; sched: to switched in; return: to the wait's "
	    "return\n");
	fprintf(f, "#  %10s  %10s  %10s%s  %8s  %8s  %8s  %6s\n", "kernel p50",
	    "sched p50", "return p50", v ? "  kernel p99   sched p99  return p99" :
	    "", "sum/wake", "joined", "unjoined", "lost");
	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		const struct trial_hists *h = sr->hists;
		uint64_t joined = 0, unjoined = 0, lost = 0;
		for (unsigned k = 0; k < sr->done; k++) {
			const struct trial_result *t = &sr->trials[k];
			if (t->wake_joined != RESULT_UNKNOWN)
				joined += t->wake_joined;
			if (t->wake_unjoined != RESULT_UNKNOWN)
				unjoined += t->wake_unjoined;
			if (t->trace_lost != RESULT_UNKNOWN)
				lost += t->trace_lost;
		}
		uint64_t k50 = hist_value_at(&h->wake_kernel, 0.5),
		    s50 = hist_value_at(&h->wake_sched, 0.5),
		    r50 = hist_value_at(&h->wake_return, 0.5),
		    w50 = hist_value_at(&h->wake, 0.5);
		fprintf(f, "%-2u %10s  %10s  %10s", sr->setup.index,
		    units_format(UNIT_TIME, k50, a, sizeof(a)),
		    units_format(UNIT_TIME, s50, b, sizeof(b)),
		    units_format(UNIT_TIME, r50, c, sizeof(c)));
		if (v)
			fprintf(f, "  %10s  %10s  %10s",
			    units_format(UNIT_TIME, hist_value_at(&h->wake_kernel,
			    0.99), d, sizeof(d)),
			    units_format(UNIT_TIME, hist_value_at(&h->wake_sched,
			    0.99), e, sizeof(e)),
			    units_format(UNIT_TIME, hist_value_at(&h->wake_return,
			    0.99), g, sizeof(g)));
		if (h->wake_kernel.count > 0 && w50 > 0)
			fprintf(f, "  %8.2f", (double)(k50 + s50 + r50) / (double)w50);
		else
			fprintf(f, "  %8s", "-");
		fprintf(f, "  %8llu  %8llu  %6llu\n", (unsigned long long)joined,
		    (unsigned long long)unjoined, (unsigned long long)lost);
	}
}

/*
 * pick: the figure columns of the table into cols, returning how many.
 * --columns as given; else the full table's (net ones with connections).
 */
static size_t
pick(const struct run *r, const struct report_column **cols)
{
	const struct config *c = r->cfg;
	size_t n = 0;

	if (c->columns.n > 0) {
		for (unsigned i = 0; i < c->columns.n; i++)
			cols[n++] = c->columns.v[i];
		return n;
	}
	for (const struct report_column *k = report_columns; k->name; k++)
		if (k->wide && (!k->net || c->connections > 0))
			cols[n++] = k;
	return n;
}

/* table_width: the width of a table row with the columns not dropped. */
static unsigned
table_width(const int *width, const bool *gone, size_t ncols, bool presets)
{
	unsigned w = 0;

	for (size_t j = 0; j < ncols; j++)
		if (!gone[j] && (j != 1 || presets))
			w += (unsigned)width[j] + (w ? 2 : 0);
	return w;
}

/*
 * fit: on a terminal narrower than the table (r->width), unless --wide
 * or --columns, drop figure columns in their `drop` order until it fits
 * or only the ones never dropped are left; the names of those dropped go
 * to left_out.
 */
static void
fit(const struct run *r, const struct report_column **cols, const int *width,
    bool *gone, size_t ncols, bool presets, char *left_out, size_t len)
{
	size_t o = 0;

	left_out[0] = '\0';
	if (r->width == 0 || r->cfg->wide || r->cfg->columns.n > 0)
		return;
	for (int d = 1; table_width(width, gone, ncols, presets) > r->width; d++) {
		bool any = false;
		for (size_t j = ID_COLS; j < ncols; j++) {
			if (cols[j - ID_COLS]->drop == 0)
				continue;
			any |= cols[j - ID_COLS]->drop >= d;
			if (cols[j - ID_COLS]->drop != d)
				continue;
			gone[j] = true;
			if (o < len)
				o += (size_t)snprintf(left_out + o, len - o, "%s%s",
				    o ? ", " : "", cols[j - ID_COLS]->head);
		}
		if (!any)
			break;
	}
}

void
report_table(FILE *f, const struct run *r)
{
	const struct report_column *cols[COLS];
	const size_t nmetrics = pick(r, cols);
	bool presets = r->cfg->preset.n > 0;
	const char *heads[COLS + ID_COLS] = { "#", "preset", "mechanism", "wait",
	    "poke", "drain", "p" };
	size_t ncols = ID_COLS + nmetrics;
	char (*cells)[COLS + ID_COLS][CELL];
	int width[COLS + ID_COLS] = { 0 };
	bool gone[COLS + ID_COLS] = { false };
	bool partial = false, unbounded = false;
	unsigned fewest = UINT32_MAX;
	char left_out[256];

	if ((cells = calloc(r->n + 1, sizeof(*cells))) == NULL)
		return;
	for (size_t j = 0; j < nmetrics; j++)
		heads[ID_COLS + j] = cols[j]->head;
	for (size_t j = 0; j < ncols; j++)
		snprintf(cells[0][j], CELL, "%s", heads[j]);
	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		const struct setup *s = &sr->setup;
		char (*row)[CELL] = cells[i + 1];
		bool part = sr->done > 0 && sr->trials[sr->done - 1].partial;
		partial |= part;
		snprintf(row[0], CELL, "%u%s", s->index, part ? "*" : "");
		snprintf(row[1], CELL, "%s", s->preset ? s->preset->name : "");
		snprintf(row[2], CELL, "%s", s->waker->name);
		snprintf(row[3], CELL, "%s", s->wait->name);
		snprintf(row[4], CELL, "%s", s->poke->name);
		snprintf(row[5], CELL, "%s", s->drain->name);
		snprintf(row[6], CELL, "%u", s->producers);
		for (size_t j = 0; j < nmetrics; j++)
			cell(row[ID_COLS + j], sr, cols[j], &unbounded);
		if (sr->done < fewest)
			fewest = sr->done;
	}
	for (size_t i = 0; i <= r->n; i++)
		for (size_t j = 0; j < ncols; j++) {
			int w = (int)strlen(cells[i][j]);
			if (w > width[j])
				width[j] = w;
		}
	fit(r, cols, width, gone, ncols, presets, left_out, sizeof(left_out));
	/* the last column shown: left-aligned cells pad only before another */
	size_t last = ncols - 1;
	while (last > 0 && gone[last])
		last--;
	for (size_t i = 0; i <= r->n; i++) {
		for (size_t j = 0; j < ncols; j++) {
			if ((j == 1 && !presets) || gone[j])
				continue;
			bool left = j >= 1 && j <= 5;
			fprintf(f, "%s%*s%s", j ? "  " : "", left ? 0 : width[j],
			    cells[i][j], "");
			if (left && j < last)
				fprintf(f, "%*s", width[j] - (int)strlen(cells[i][j]), "");
		}
		fprintf(f, "\n");
	}
	if (left_out[0] != '\0')
		fprintf(f, "(fitted to %u columns: %s left out; --wide shows "
		    "every column, --columns chooses)\n", r->width, left_out);
	if (partial)
		fprintf(f, "* interrupted: the last trial is partial and counts "
		    "only where no complete trial exists\n");
	fprintf(f, "\n±: the %.0f%% confidence interval of the median, its wider "
	    "side in %% of the median\n", 100 * STATS_CONFIDENCE);
	if (unbounded)
		fprintf(f, "±?: too few trials for an interval: %u, and an interval "
		    "of the median needs at least 6 (-n 6)\n",
		    fewest == UINT32_MAX ? 0 : fewest);
	if (r->precision != PRECISION_OFF)
		fprintf(f, "precision: %s after %u trials per configuration%s%s\n",
		    r->precision == PRECISION_REACHED ? "reached, every headline "
		    "interval within the target" : r->precision == PRECISION_BUDGET ?
		    "not reached, --max-time spent" : "not reached, 1000 trials run",
		    fewest == UINT32_MAX ? 0 : fewest,
		    r->precision == PRECISION_REACHED ? "" : "; still too wide, first: ",
		    r->precision == PRECISION_REACHED ? "" : r->precision_why);
	outliers(f, r);
	wake_parts(f, r);
	free(cells);
}

void
report_verdicts(FILE *f, const struct run *r)
{
	char label[160];
	int width = 0;
	struct verdict v;

	for (size_t i = 0; i < r->n; i++) {
		int w = (int)strlen(setup_label(&r->res[i].setup, label, sizeof(label)));
		if (w > width)
			width = w;
	}
	fprintf(f, "\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		verdict_judge(sr, r->cfg, &v);
		const char *why = r->failed ? "stopped by an error" : "interrupted";
		char note[64] = "";
		if (sr->done == 0)
			snprintf(note, sizeof(note), "not run (%s)", why);
		else if (sr->done < r->cfg->trials ||
		    sr->trials[sr->done - 1].partial)
			snprintf(note, sizeof(note), " (%u of %llu trials; %s)",
			    sr->done, (unsigned long long)r->cfg->trials, why);
		fprintf(f, "%3u  %-*s  %s%s\n", sr->setup.index, width,
		    setup_label(&sr->setup, label, sizeof(label)),
		    sr->done ? v.text : "", note);
	}
}

/*
 * report_comparison: every row against the baseline, per headline figure
 * the change of the median and the U test's p ("~" where p >= alpha, "?"
 * where these trials could not give p < alpha), then the same in words.
 */
void
report_comparison(FILE *f, const struct run *r)
{
	const struct setup_result *base = &r->res[r->baseline];
	double alpha = r->cfg->alpha;
	int nh = r->cfg->connections ? HL_N : HL_RTT_P50;
	char bl[160], label[160], a[32], b[32], d[32];
	struct report_diff df;
	int width[HL_N + 1] = { 1 };
	char (*cells)[HL_N + 1][CELL];
	size_t rows = 0;

	if (r->n < 2 || base->done == 0)
		return;
	if ((cells = calloc(r->n + 1, sizeof(*cells))) == NULL)
		return;
	snprintf(cells[0][0], CELL, "#");
	for (int h = 0; h < nh; h++)
		snprintf(cells[0][h + 1], CELL, "%s", result_headlines[h].name);
	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		if (i == r->baseline || sr->done == 0)
			continue;
		rows++;
		snprintf(cells[rows][0], CELL, "%u", sr->setup.index);
		for (int h = 0; h < nh; h++) {
			report_diff(base, sr, h, alpha, &df);
			if (!df.valid)
				snprintf(cells[rows][h + 1], CELL, "-");
			else if (df.significant)
				snprintf(cells[rows][h + 1], CELL, df.u.p < 0.001 ?
				    "%s p=%.1e" : "%s p=%.3f",
				    report_pct(a, sizeof(a), df.change_pct), df.u.p);
			else if (!df.testable)
				snprintf(cells[rows][h + 1], CELL, "%s ?",
				    report_pct(a, sizeof(a), df.change_pct));
			else
				snprintf(cells[rows][h + 1], CELL, "~");
		}
	}
	for (size_t i = 0; i <= rows; i++)
		for (int j = 0; j <= nh; j++)
			if ((int)strlen(cells[i][j]) > width[j])
				width[j] = (int)strlen(cells[i][j]);
	fprintf(f, "\nagainst the baseline, %u %s: change of the median and the "
	    "p of a Mann-Whitney U test; ~ no significant difference (p >= %g)\n",
	    base->setup.index, setup_label(&base->setup, bl, sizeof(bl)), alpha);
	for (size_t i = 0; i <= rows; i++) {
		for (int j = 0; j <= nh; j++)
			fprintf(f, "%s%*s", j ? "  " : "", width[j], cells[i][j]);
		fprintf(f, "\n");
	}
	free(cells);

	fprintf(f, "\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		char same[256] = "";
		size_t ns = 0;
		bool said = false, untestable = false;
		if (i == r->baseline || sr->done == 0)
			continue;
		fprintf(f, "%s vs %s:", setup_label(&sr->setup, label, sizeof(label)),
		    bl);
		for (int h = 0; h < nh; h++) {
			report_diff(base, sr, h, alpha, &df);
			if (!df.valid)
				continue;
			if (!df.testable) {
				untestable = true;
				continue;
			}
			if (!df.significant) {
				ns += (size_t)snprintf(same + ns, sizeof(same) - ns,
				    "%s%s", ns ? ", " : "", result_headlines[h].name);
				if (ns >= sizeof(same))
					ns = sizeof(same) - 1;
				continue;
			}
			fprintf(f, "%s %s %s", said ? ";" : "", result_headlines[h].name,
			    report_pct(a, sizeof(a), df.change_pct));
			if (!isnan(df.lo_pct))
				fprintf(f, " [%s, %s]", report_pct(b, sizeof(b), df.lo_pct),
				    report_pct(d, sizeof(d), df.hi_pct));
			fprintf(f, ", p = %.3g", df.u.p);
			said = true;
		}
		if (ns)
			fprintf(f, "%s %s ~ (no significant difference at %u and %u "
			    "trials)", said ? ";" : "", same, base->done, sr->done);
		if (untestable)
			fprintf(f, "%s %u and %u trials cannot show a difference at "
			    "alpha %g (the smallest p they can give is %.3f); "
			    "run -n %u or more", said || ns ? ";" : "", base->done,
			    sr->done, alpha, fmin(1, 2 * exp(lgamma(base->done + 1.0) +
			    lgamma(sr->done + 1.0) - lgamma(base->done + sr->done +
			    1.0))), report_min_trials(alpha));
		fprintf(f, "\n");
	}
}

/*
 * report_sweep: after a sweep of REPORT_SWEEP_MIN configurations or more,
 * whose verdict lines no longer fit a screen, how many configurations got
 * each verdict (ok, or each finding: one configuration may have several),
 * then per headline figure the best and the worst median and where.
 */
void
report_sweep(FILE *f, const struct run *r)
{
	unsigned count[32] = { 0 }, ok = 0, run = 0;
	int nh = r->cfg->connections ? HL_N : HL_RTT_P50;
	struct verdict v;
	char label[160], a[32];

	if (r->n < REPORT_SWEEP_MIN)
		return;
	for (size_t i = 0; i < r->n; i++) {
		if (r->res[i].done == 0)
			continue;
		run++;
		verdict_judge(&r->res[i], r->cfg, &v);
		ok += v.findings == 0;
		for (unsigned b = 0; verdict_finding_names[b] != NULL; b++)
			count[b] += (v.findings >> b) & 1;
	}
	fprintf(f, "\nsummary of %u configurations: %u ok", run, ok);
	for (unsigned b = 0; verdict_finding_names[b] != NULL; b++)
		if (count[b])
			fprintf(f, ", %u %s", count[b], verdict_finding_names[b]);
	fprintf(f, "\n");
	for (int h = 0; h < nh; h++) {
		const struct result_headline *hl = &result_headlines[h];
		size_t best = r->n, worst = r->n;
		double bv = NAN, wv = NAN;
		for (size_t i = 0; i < r->n; i++) {
			struct stats_summary s;
			if (r->res[i].done == 0)
				continue;
			report_summary(&r->res[i], h, &s);
			if (s.n == 0 || isnan(s.median))
				continue;
			double m = hl->higher_is_better ? s.median : -s.median;
			if (best == r->n || m > bv)
				best = i, bv = m;
			if (worst == r->n || m < wv)
				worst = i, wv = m;
		}
		if (best == r->n)
			continue;
		fprintf(f, "  %-12s best %s (%u %s)", hl->name,
		    report_value(a, sizeof(a), fabs(bv), hl->unit, hl->fmt),
		    r->res[best].setup.index,
		    setup_label(&r->res[best].setup, label, sizeof(label)));
		fprintf(f, ", worst %s (%u %s)\n",
		    report_value(a, sizeof(a), fabs(wv), hl->unit, hl->fmt),
		    r->res[worst].setup.index,
		    setup_label(&r->res[worst].setup, label, sizeof(label)));
	}
}
