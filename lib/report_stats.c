/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * The statistics the table, the JSON and `compare` show for each headline
 * figure: the median and its interval, outlier marks, the change against a
 * baseline and its U-test p.  Definitions: wakebench(1), STATISTICS.
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

char *
report_value(char *out, size_t len, double v, enum unit_kind unit, const char *fmt)
{
	if (isnan(v))
		snprintf(out, len, "-");
	else if (fmt != NULL)
		snprintf(out, len, fmt, v);
	else
		units_format(unit, (uint64_t)(v + 0.5), out, len);
	return out;
}

/* The wider side of the interval, in percent of the median. */
char *
report_halfwidth(char *out, size_t len, const struct stats_summary *s)
{
	double d;

	if (!s->bounded) {
		snprintf(out, len, "±?");
		return out;
	}
	d = fmax(s->high - s->median, s->median - s->low);
	if (s->median == 0)
		snprintf(out, len, d == 0 ? "±0%%" : "±inf");
	else
		snprintf(out, len, "±%.0f%%", 100 * d / fabs(s->median));
	return out;
}

char *
report_pct(char *out, size_t len, double v)
{
	if (isinf(v))
		snprintf(out, len, "%sinf%%", v > 0 ? "+" : "-");
	else if (fabs(v) < 10)
		snprintf(out, len, "%+.1f%%", v);
	else
		snprintf(out, len, "%+.0f%%", v);
	return out;
}

size_t
report_sample(const struct setup_result *sr, int h, double *x, size_t max)
{
	size_t n = 0;
	double (*get)(const struct trial_result *) = result_headlines[h].get;

	for (unsigned i = 0; i < sr->done && n < max; i++)
		if (!sr->trials[i].partial && !isnan(get(&sr->trials[i])))
			x[n++] = get(&sr->trials[i]);
	if (n == 0)
		for (unsigned i = 0; i < sr->done && n < max; i++)
			if (!isnan(get(&sr->trials[i])))
				x[n++] = get(&sr->trials[i]);
	return n;
}

/* sample: headline h of sr's trials in a new array (on the heap: the
 * main thread's stack is kept small, see STACK_NEED in wakebench.c), or
 * NULL with *n 0. */
static double *
sample(const struct setup_result *sr, int h, size_t *n)
{
	double *x = malloc((sr->done ? sr->done : 1) * sizeof(*x));

	*n = x ? report_sample(sr, h, x, sr->done) : 0;
	return x;
}

void
report_summary(const struct setup_result *sr, int h, struct stats_summary *s)
{
	size_t n;
	double *x = sample(sr, h, &n);

	stats_summarise(x, n, STATS_CONFIDENCE, s);
	free(x);
}

unsigned
report_outliers(const struct setup_result *sr, unsigned k)
{
	unsigned bits = 0;

	if (k >= sr->done || sr->trials[k].partial)
		return 0;
	for (int h = 0; h < HL_N; h++) {
		double v = result_headlines[h].get(&sr->trials[k]);
		size_t n;
		double *x = sample(sr, h, &n);
		/* Below 3 siblings, "far from the others" means nothing. */
		if (!isnan(v) && n >= 3 &&
		    fabs(stats_outlier_z(x, n, v)) > STATS_OUTLIER_Z)
			bits |= 1u << h;
		free(x);
	}
	return bits;
}

char *
report_outlier_names(unsigned bits, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int h = 0; h < HL_N; h++)
		if ((bits & (1u << h)) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "+" : "",
			    result_headlines[h].key);
	if (n == 0)
		snprintf(buf, len, "none");
	return buf;
}

void
report_diff_samples(double *x, size_t nx, double *y, size_t ny,
    const struct result_headline *h, double alpha, struct report_diff *d)
{
	struct stats_summary a, b;

	memset(d, 0, sizeof(*d));
	d->lo_pct = d->hi_pct = NAN;
	if (nx == 0 || ny == 0)
		return;
	stats_summarise(x, nx, STATS_CONFIDENCE, &a);
	stats_summarise(y, ny, STATS_CONFIDENCE, &b);
	if (stats_mann_whitney(x, nx, y, ny, STATS_AUTO, &d->u) != 0)
		return;
	d->valid = true;
	/* A median of 0 (no spurious wakeups) has no relative change; a
	 * move away from it counts as +-inf %. */
	if (a.median != 0)
		d->change_pct = 100 * (b.median - a.median) / fabs(a.median);
	else
		d->change_pct = b.median == 0 ? 0 : copysign(INFINITY, b.median);
	if (a.bounded && b.bounded && a.low > 0 && a.high > 0) {
		d->lo_pct = 100 * (b.low / a.high - 1);
		d->hi_pct = 100 * (b.high / a.low - 1);
	}
	d->testable = d->u.p_min < alpha;
	d->significant = d->u.p < alpha;
	d->worse = d->significant && (h->higher_is_better ?
	    b.median < a.median : b.median > a.median);
}

void
report_diff(const struct setup_result *base, const struct setup_result *sr,
    int h, double alpha, struct report_diff *d)
{
	size_t nx, ny;
	double *x = sample(base, h, &nx), *y = sample(sr, h, &ny);

	report_diff_samples(x, nx, y, ny, &result_headlines[h], alpha, d);
	free(x);
	free(y);
}

bool
report_precise(const struct run *r, double pct, char *why, size_t len)
{
	int nh = r->cfg->connections ? HL_N : HL_RTT_P50;
	struct stats_summary s;
	char label[160], b[16];

	for (size_t i = 0; i < r->n; i++)
		for (int h = 0; h < nh; h++) {
			report_summary(&r->res[i], h, &s);
			if (s.n == 0)
				continue;
			double d = s.bounded ? fmax(s.high - s.median,
			    s.median - s.low) : INFINITY;
			if (d == 0 || (s.median != 0 && 100 * d / fabs(s.median) <= pct))
				continue;
			snprintf(why, len, "%u %s %s %s", r->res[i].setup.index,
			    setup_label(&r->res[i].setup, label, sizeof(label)),
			    result_headlines[h].name,
			    report_halfwidth(b, sizeof(b), &s));
			return false;
		}
	return true;
}

unsigned
report_min_trials(double alpha)
{
	/* 2 / C(2n, n) is the smallest two-sided p of n against n. */
	for (unsigned n = 1; n < 1000; n++)
		if (2 * exp(2 * lgamma(n + 1.0) - lgamma(2.0 * n + 1)) < alpha)
			return n;
	return 1000;
}
