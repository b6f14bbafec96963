/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
stats_sort(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
}

double
stats_median(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* Summed in log space: C(n, k) p^k (1-p)^(n-k) for each k. */
double
stats_binom_cdf(size_t n, double p, long k)
{
	double s = 0;

	if (k < 0)
		return 0;
	if ((size_t)k >= n)
		return 1;
	for (long i = 0; i <= k; i++)
		s += exp(lgamma((double)n + 1) - lgamma((double)i + 1) -
		    lgamma((double)(n - (size_t)i) + 1) + (double)i * log(p) +
		    (double)(n - (size_t)i) * log1p(-p));
	return s < 1 ? s : 1;
}

/* Bisection on erfc: 200 halvings reach the double's resolution, and
 * it runs once per call, never per sample. */
double
stats_norm_quantile(double p)
{
	double lo = -40, hi = 40;

	for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
		double mid = (lo + hi) / 2;
		if (0.5 * erfc(-mid / M_SQRT2) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/*
 * The interval [x(lo), x(hi)] covers the q-quantile unless fewer than lo
 * or at least hi samples fall below it, so with B ~ Binomial(n, q), the
 * count below the quantile, its coverage is 1 - P(B <= lo-1) - P(B >= hi).
 * Each tail gets (1 - confidence) / 2: lo is the largest rank with
 * P(B <= lo-1) <= that, hi the smallest with P(B >= hi) <= that.  Above
 * STATS_CI_EXACT_MAX samples, the normal approximation of B:
 * lo = floor(nq - z sqrt(nq(1-q))), hi = ceil(nq + z sqrt(nq(1-q))) + 1.
 */
bool
stats_quantile_ci(size_t n, double q, double confidence, size_t *lo,
    size_t *hi)
{
	double tail = (1 - confidence) / 2;
	long l = 0, h = 0;

	*lo = *hi = 0;
	if (n == 0)
		return false;
	if (n <= STATS_CI_EXACT_MAX) {
		/* One pass over the binomial pmf, each term from the last:
		 * cdf[r-1] = P(B <= r-1). */
		double pmf = pow(1 - q, (double)n), cdf = 0;
		for (long r = 1; r <= (long)n; r++) {
			cdf += pmf;
			if (cdf <= tail)
				l = r;
			if (h == 0 && 1 - cdf <= tail)
				h = r;
			pmf *= (double)((long)n - r + 1) / (double)r * q / (1 - q);
		}
	} else {
		double z = stats_norm_quantile(1 - tail);
		double m = (double)n * q, d = z * sqrt(m * (1 - q));
		l = (long)floor(m - d);
		h = (long)ceil(m + d) + 1;
		if (h > (long)n)
			h = 0;
	}
	if (l < 1 || h < 1 || h > (long)n)
		return false;
	*lo = (size_t)l;
	*hi = (size_t)h;
	return true;
}

void
stats_summarise(double *x, size_t n, double confidence, struct stats_summary *s)
{
	size_t lo, hi;

	stats_sort(x, n);
	s->n = n;
	s->median = stats_median(x, n);
	s->bounded = stats_quantile_ci(n, 0.5, confidence, &lo, &hi);
	s->low = s->bounded ? x[lo - 1] : NAN;
	s->high = s->bounded ? x[hi - 1] : NAN;
}

struct ranked {
	double v;
	bool from_x;
};

static int
cmp_ranked(const void *a, const void *b)
{
	return cmp_double(&((const struct ranked *)a)->v,
	    &((const struct ranked *)b)->v);
}

/*
 * exact_tail: P(2U <= u2) under the null hypothesis, given the tie groups
 * t[0..k) of the pooled sample, for x of size n1.  Every choice of which
 * n1 of the n pooled places are x's is equally likely; choosing c of the
 * t_j tied values of group j adds c times its doubled midrank
 * (2 before_j + t_j + 1) to the doubled rank sum 2W, and 2U = 2W -
 * n1(n1+1).  cnt[m][w] counts the ways to place m of x in the groups so
 * far with 2W = w, weighted by C(t_j, c); m runs down so that one array
 * serves (cnt[m - c] is still the previous groups' row).  2W only grows,
 * so sums past the target are dropped.
 */
static int
exact_tail(const size_t *t, size_t k, size_t n1, size_t n, double u2, double *p)
{
	size_t wmax = (size_t)u2 + n1 * (n1 + 1), before = 0;
	size_t stride = wmax + 1;
	double *cnt = calloc((n1 + 1) * stride, sizeof(*cnt));
	double total = 0, hit = 0;

	if (cnt == NULL)
		return ENOMEM;
	cnt[0] = 1;
	for (size_t j = 0; j < k; j++) {
		size_t add = 2 * before + t[j] + 1;
		for (size_t m = n1; m >= 1; m--) {
			for (size_t w = wmax + 1; w-- > 0;) {
				double binom = 1, s = 0;
				for (size_t c = 1; c <= t[j] && c <= m; c++) {
					binom = binom * (double)(t[j] - c + 1) / (double)c;
					if (c * add > w)
						break;
					s += binom * cnt[(m - c) * stride + w - c * add];
				}
				cnt[m * stride + w] += s;
			}
		}
		before += t[j];
	}
	for (size_t w = 0; w <= wmax; w++)
		hit += cnt[n1 * stride + w];
	/* C(n, n1): every placement, whatever its sum. */
	total = exp(lgamma((double)n + 1) - lgamma((double)n1 + 1) -
	    lgamma((double)(n - n1) + 1));
	free(cnt);
	*p = hit / total;
	return 0;
}

int
stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
    enum stats_method m, struct stats_utest *out)
{
	size_t n = nx + ny, k = 0, *t;
	struct ranked *all;
	double r1 = 0, ties = 0;
	int e = 0;

	if (nx == 0 || ny == 0)
		return EINVAL;
	if ((all = malloc(n * sizeof(*all))) == NULL)
		return ENOMEM;
	if ((t = malloc(n * sizeof(*t))) == NULL) {
		free(all);
		return ENOMEM;
	}
	for (size_t i = 0; i < nx; i++)
		all[i] = (struct ranked){ x[i], true };
	for (size_t i = 0; i < ny; i++)
		all[nx + i] = (struct ranked){ y[i], false };
	qsort(all, n, sizeof(*all), cmp_ranked);
	/* Midranks over each group of equal values. */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && all[j].v == all[i].v)
			j++;
		double mid = ((double)i + 1 + (double)j) / 2;
		for (size_t q = i; q < j; q++)
			if (all[q].from_x)
				r1 += mid;
		t[k++] = j - i;
		ties += (double)(j - i) * (double)(j - i) * (double)(j - i) -
		    (double)(j - i);
		i = j;
	}
	double n1n2 = (double)nx * (double)ny;
	out->u = r1 - (double)nx * ((double)nx + 1) / 2;
	/* The most extreme U (no ties) has 2 placements in C(n, nx). */
	out->p_min = fmin(1, 2 * exp(lgamma((double)nx + 1) +
	    lgamma((double)ny + 1) - lgamma((double)n + 1)));
	if (m == STATS_AUTO)
		m = n <= STATS_U_EXACT_MAX ? STATS_EXACT : STATS_NORMAL;
	out->exact = m == STATS_EXACT;
	if (m == STATS_EXACT) {
		/* The null distribution is symmetric about n1n2/2, ties or
		 * not: reversing the order maps U to n1n2 - U. */
		double small = fmin(out->u, n1n2 - out->u), tail;
		if ((e = exact_tail(t, k, nx, n, 2 * small, &tail)) == 0)
			out->p = fmin(1, 2 * tail);
	} else {
		double var = n1n2 / 12 * (((double)n + 1) -
		    ties / ((double)n * ((double)n - 1)));
		double d = fabs(out->u - n1n2 / 2) - 0.5;
		if (var <= 0)
			out->p = 1;
		else
			out->p = d <= 0 ? 1 : fmin(1, erfc(d / sqrt(var) / M_SQRT2));
	}
	free(all);
	free(t);
	return e;
}

double
stats_mad(const double *x, size_t n, double median)
{
	double *d, mad;

	if (n == 0)
		return NAN;
	if ((d = malloc(n * sizeof(*d))) == NULL)
		return NAN;
	for (size_t i = 0; i < n; i++)
		d[i] = fabs(x[i] - median);
	stats_sort(d, n);
	mad = stats_median(d, n);
	free(d);
	return mad;
}

double
stats_modified_z(double x, double median, double mad)
{
	if (mad > 0)
		return 0.6745 * (x - median) / mad;
	if (x == median)
		return 0;
	return x > median ? INFINITY : -INFINITY;
}

double
stats_outlier_z(const double *x, size_t n, double v)
{
	double *s, med, mad, mean = 0;

	if (n == 0 || (s = malloc(n * sizeof(*s))) == NULL)
		return NAN;
	memcpy(s, x, n * sizeof(*s));
	stats_sort(s, n);
	med = stats_median(s, n);
	free(s);
	if ((mad = stats_mad(x, n, med)) > 0)
		return stats_modified_z(v, med, mad);
	for (size_t i = 0; i < n; i++)
		mean += fabs(x[i] - med) / (double)n;
	return mean > 0 ? (v - med) / (1.253314 * mean) : 0;
}
