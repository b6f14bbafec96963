/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * stats: the distribution-free statistics a run and `wakebench compare`
 * report, after benchstat (golang.org/x/perf): the median with a 95 %
 * confidence interval from order statistics, the Mann-Whitney U test
 * (exact distribution with ties for small samples, the normal
 * approximation with tie and continuity correction above), and the
 * modified z-score that marks outliers.  Definitions: wakebench(1),
 * STATISTICS.  Pure arithmetic: no printing, no global state.
 */
#ifndef WB_STATS_H
#define WB_STATS_H

#include <stdbool.h>
#include <stddef.h>

#define STATS_CONFIDENCE	0.95
#define STATS_CI_EXACT_MAX	30	/* exact binomial up to n trials */
#define STATS_U_EXACT_MAX	40	/* exact U distribution up to n1 + n2 */
#define STATS_OUTLIER_Z		3.5	/* |modified z| above it: an outlier */

/* stats_sort sorts x[0..n) ascending (NaN must not be in it). */
void stats_sort(double *x, size_t n);

/* stats_median of sorted x; NaN for n == 0. */
double stats_median(const double *sorted, size_t n);

/* stats_binom_cdf: P(B <= k) for B ~ Binomial(n, p). */
double stats_binom_cdf(size_t n, double p, long k);

/* stats_norm_quantile: z with P(Z <= z) = p for a standard normal Z,
 * 0 < p < 1. */
double stats_norm_quantile(double p);

/*
 * stats_quantile_ci: the order statistics that bound a confidence
 * interval for the q-quantile from n samples: *lo and *hi are 1-based
 * ranks into the sorted sample.  Exact binomial up to
 * STATS_CI_EXACT_MAX samples, the normal approximation above.  Returns
 * true, or false when n samples are too few for an interval at this
 * confidence (it is unbounded); *lo and *hi are then 0.
 */
bool stats_quantile_ci(size_t n, double q, double confidence, size_t *lo,
    size_t *hi);

/* One sample summarised: median and its interval (low, high are NaN
 * when !bounded). */
struct stats_summary {
	size_t n;
	double median, low, high;
	bool bounded;
};

/* stats_summarise sorts x in place and fills s. */
void stats_summarise(double *x, size_t n, double confidence,
    struct stats_summary *s);

enum stats_method { STATS_AUTO, STATS_EXACT, STATS_NORMAL };

struct stats_utest {
	double u;		/* U of x: pairs with x > y, ties counting 1/2 */
	double p;		/* two-sided */
	bool exact;		/* the exact distribution gave p */
	double p_min;		/* the smallest p these sample sizes can give */
};

/*
 * stats_mann_whitney tests whether x and y come from one distribution.
 * STATS_AUTO is exact for nx + ny <= STATS_U_EXACT_MAX.  Returns 0, or an
 * errno value: EINVAL for an empty sample, ENOMEM.
 */
int stats_mann_whitney(const double *x, size_t nx, const double *y,
    size_t ny, enum stats_method m, struct stats_utest *out);

/* stats_mad: the median absolute deviation from median of x (unsorted;
 * x is not changed).  ENOMEM gives NaN. */
double stats_mad(const double *x, size_t n, double median);

/* stats_modified_z: 0.6745 (x - median) / mad (Iglewicz and Hoaglin);
 * with mad 0, 0 at the median and +-infinity elsewhere. */
double stats_modified_z(double x, double median, double mad);

/*
 * stats_outlier_z: the modified z-score of v among x[0..n) (unsorted);
 * where the MAD is 0 (more than half the values equal), the mean absolute
 * deviation stands in for it: (v - median) / (1.253314 meanAD), as IBM
 * SPSS does; 0 if that is 0 too.  NaN for n == 0 or ENOMEM.
 */
double stats_outlier_z(const double *x, size_t n, double v);

#endif
