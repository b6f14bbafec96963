/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * Markdown: the run as a GitHub-flavoured Markdown document to paste into
 * a bug report or a review: the environment and the exact command, the
 * table (medians of trials with their intervals, units in the cells), the
 * verdicts and the comparison against the baseline.  The same figures as
 * the table on stdout, from the same functions.
 */
#include "report.h"

#include <math.h>
#include <string.h>

#include "drain.h"
#include "poke.h"
#include "preset.h"
#include "units.h"
#include "wait.h"
#include "waker.h"

/* report_md_text writes s with Markdown's inline syntax escaped, so that
 * a label or verdict reads as written (and a | cannot end a cell). */
void
report_md_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|#", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* report_md_code writes s as a code span, fenced by more backticks than
 * it holds in a row. */
void
report_md_code(FILE *f, const char *s)
{
	int most = 0, run = 0;

	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		most = run > most ? run : most;
	}
	for (int i = 0; i <= most; i++)
		fputc('`', f);
	fprintf(f, most ? " %s " : "%s", s);
	for (int i = 0; i <= most; i++)
		fputc('`', f);
}

static void
environment(FILE *f, const struct run *r)
{
	const struct config *c = r->cfg;
	const struct sysinfo *s = r->sys;
	char a[32], b[32], q[128];

	fprintf(f, "- **command**: ");
	report_md_code(f, r->command);
	fprintf(f, "\n- **kernel**: ");
	report_md_text(f, s->kernel);
	fprintf(f, "\n- **cpu**: ");
	report_md_text(f, s->cpu_model);
	fprintf(f, ", %d CPUs online, %s allowed\n", s->cpus_online, s->cpus_list);
	fprintf(f, "- **clock**: CLOCK\\_MONOTONIC from %s, resolution %s\n",
	    s->clocksource, units_format(UNIT_TIME, s->clock_res_ns, a, sizeof(a)));
	fprintf(f, "- **idle**: cpuidle driver ");
	report_md_text(f, s->cpuidle_driver);
	fprintf(f, ", governor ");
	report_md_text(f, s->cpuidle_governor);
	fprintf(f, "; ");
	report_md_text(f, sysinfo_pm_qos(s, q, sizeof(q)));
	fprintf(f, "\n- **load**: %s at start; cpufreq governor ", s->loadavg);
	report_md_text(f, s->cpufreq_governor);
	if (c->pin)
		fprintf(f, "\n- **placement**: pinned, main thread on CPU %d, "
		    "producers round-robin from the next over %s\n",
		    s->first_cpu, s->cpus_list);
	else
		fprintf(f, "\n- **placement**: unpinned, CPUs %s\n", s->cpus_list);
	fprintf(f, "- **trials**: %llu x %s per configuration after %s warmup, "
	    "interleaved over %zu configuration%s\n\n",
	    (unsigned long long)c->trials,
	    units_format(UNIT_TIME, c->duration_ns, a, sizeof(a)),
	    units_format(UNIT_TIME, c->warmup_ns, b, sizeof(b)),
	    r->n, r->n == 1 ? "" : "s");
}

/* nheadlines: the headline figures this run has (rtt only with
 * connections; they are last). */
static int
nheadlines(const struct run *r)
{
	return r->cfg->connections ? HL_N : HL_RTT_P50;
}

static void
table(FILE *f, const struct run *r)
{
	bool presets = r->cfg->preset.n > 0;
	int nh = nheadlines(r);
	char a[32], b[16];
	struct stats_summary s;

	fprintf(f, "Median of the trials, ± the %.0f%% confidence interval of "
	    "the median (its wider side, in %% of the median; ±? too few "
	    "trials):\n\n| # |%s mechanism | wait | poke | drain | producers |",
	    100 * STATS_CONFIDENCE, presets ? " preset |" : "");
	for (int h = 0; h < nh; h++)
		fprintf(f, " %s |", result_headlines[h].name);
	fprintf(f, "\n|--:|%s---|---|---|---|--:|", presets ? "---|" : "");
	for (int h = 0; h < nh; h++)
		fprintf(f, "--:|");
	fprintf(f, "\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		const struct setup *st = &sr->setup;
		bool part = sr->done > 0 && sr->trials[sr->done - 1].partial;
		fprintf(f, "| %u%s |", st->index, part ? "\\*" : "");
		if (presets)
			fprintf(f, " %s |", st->preset ? st->preset->name : "");
		fprintf(f, " %s | %s | %s | %s | %u |", st->waker->name,
		    st->wait->name, st->poke->name, st->drain->name, st->producers);
		for (int h = 0; h < nh; h++) {
			const struct result_headline *hl = &result_headlines[h];
			report_summary(sr, h, &s);
			if (s.n == 0) {
				fprintf(f, " - |");
				continue;
			}
			report_value(a, sizeof(a), s.median, hl->unit, hl->fmt);
			report_halfwidth(b, sizeof(b), &s);
			fprintf(f, " %s %s |", a, b);
		}
		fprintf(f, "\n");
	}
	fprintf(f, "\n");
}

static void
verdicts(FILE *f, const struct run *r)
{
	char label[160];
	struct verdict v;

	fprintf(f, "#### Verdicts\n\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		fprintf(f, "- %u ", sr->setup.index);
		report_md_text(f, setup_label(&sr->setup, label, sizeof(label)));
		fprintf(f, ": ");
		if (sr->done == 0) {
			fprintf(f, "not run\n");
			continue;
		}
		verdict_judge(sr, r->cfg, &v);
		report_md_text(f, v.text);
		if (sr->done < r->cfg->trials || sr->trials[sr->done - 1].partial)
			fprintf(f, " (%u of %llu trials)", sr->done,
			    (unsigned long long)r->cfg->trials);
		fprintf(f, "\n");
	}
	fprintf(f, "\n");
}

/* One cell of the comparison: "+12% [+8%, +15%] p=0.002", "~", or "-". */
static void
diff_cell(FILE *f, const struct report_diff *d)
{
	char a[32], b[32], c[32];

	if (!d->valid) {
		fprintf(f, " - |");
		return;
	}
	if (!d->testable) {
		fprintf(f, " %s ? |", report_pct(a, sizeof(a), d->change_pct));
		return;
	}
	if (!d->significant) {
		fprintf(f, " ~ |");
		return;
	}
	fprintf(f, " %s", report_pct(a, sizeof(a), d->change_pct));
	if (!isnan(d->lo_pct))
		fprintf(f, " [%s, %s]", report_pct(b, sizeof(b), d->lo_pct),
		    report_pct(c, sizeof(c), d->hi_pct));
	fprintf(f, d->u.p < 0.001 ? " p=%.1e%s |" : " p=%.3f%s |", d->u.p,
	    d->worse ? " **worse**" : "");
}

static void
comparison(FILE *f, const struct run *r)
{
	const struct setup_result *base = &r->res[r->baseline];
	int nh = nheadlines(r);
	char label[160];
	struct report_diff d;

	if (r->n < 2 || base->done == 0)
		return;
	fprintf(f, "#### Against the baseline, %u ", base->setup.index);
	report_md_text(f, setup_label(&base->setup, label, sizeof(label)));
	fprintf(f, "\n\nChange of the median [its interval], p of a Mann-Whitney "
	    "U test; ~ no significant difference (p >= %g); ? too few trials "
	    "for any p below it.\n\n| # | configuration |", r->cfg->alpha);
	for (int h = 0; h < nh; h++)
		fprintf(f, " %s |", result_headlines[h].name);
	fprintf(f, "\n|--:|---|");
	for (int h = 0; h < nh; h++)
		fprintf(f, "--:|");
	fprintf(f, "\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		if (i == r->baseline || sr->done == 0)
			continue;
		fprintf(f, "| %u | ", sr->setup.index);
		report_md_text(f, setup_label(&sr->setup, label, sizeof(label)));
		fprintf(f, " |");
		for (int h = 0; h < nh; h++) {
			report_diff(base, sr, h, r->cfg->alpha, &d);
			diff_cell(f, &d);
		}
		fprintf(f, "\n");
	}
	fprintf(f, "\n");
}

int
report_markdown(FILE *f, const struct run *r)
{
	fprintf(f, "### wakebench %s, %s\n\n", r->version, r->sys->date);
	environment(f, r);
	if (r->signal)
		fprintf(f, "**Interrupted** by signal %d: completed trials are "
		    "shown, a partial last one marked \\*.\n\n", r->signal);
	if (r->failed) {
		fprintf(f, "**Stopped by an error**: ");
		report_md_text(f, r->error ? r->error : "unknown");
		fprintf(f, "\n\n");
	}
	table(f, r);
	verdicts(f, r);
	comparison(f, r);
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
