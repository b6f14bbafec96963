/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* stats: interval ranks against the exact binomial sums, Mann-Whitney p
 * against a brute-force enumeration of every placement and against
 * published values (exact, with ties, and the normal approximation), and
 * the modified z-score. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "stats.h"
#include "tap.h"

static bool
near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

/* brute: two-sided p by enumerating every choice of which nx of the
 * pooled values are x's, the definition the DP must agree with. */
static double
brute(const double *x, size_t nx, const double *y, size_t ny)
{
	double v[24], uobs = 0, hit = 0, all = 0;
	size_t n = nx + ny;

	for (size_t i = 0; i < nx; i++)
		v[i] = x[i];
	for (size_t i = 0; i < ny; i++)
		v[nx + i] = y[i];
	for (size_t i = 0; i < nx; i++)
		for (size_t j = 0; j < ny; j++)
			uobs += x[i] > y[j] ? 1 : x[i] == y[j] ? 0.5 : 0;
	double small = fmin(uobs, (double)nx * (double)ny - uobs);
	for (uint32_t mask = 0; mask < (1u << n); mask++) {
		if ((size_t)__builtin_popcount(mask) != nx)
			continue;
		double u = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++)
				if ((mask >> i & 1) && !(mask >> j & 1))
					u += v[i] > v[j] ? 1 : v[i] == v[j] ? 0.5 : 0;
		all++;
		hit += u <= small + 1e-9;
	}
	return fmin(1, 2 * hit / all);
}

static double
utest(const double *x, size_t nx, const double *y, size_t ny, enum stats_method m)
{
	struct stats_utest r;

	if (stats_mann_whitney(x, nx, y, ny, m, &r) != 0)
		return -1;
	return r.p;
}

static void
quantile_ci(void)
{
	size_t lo, hi;
	bool b;

	b = stats_quantile_ci(5, 0.5, 0.95, &lo, &hi);
	ok(!b && lo == 0,
	    "5 samples: no 95%% interval of the median");
	b = stats_quantile_ci(6, 0.5, 0.95, &lo, &hi);
	ok(b && lo == 1 && hi == 6,
	    "6 samples: [x(1), x(6)] (got %zu, %zu)", lo, hi);
	b = stats_quantile_ci(10, 0.5, 0.95, &lo, &hi);
	ok(b && lo == 2 && hi == 9,
	    "10 samples: [x(2), x(9)] (got %zu, %zu)", lo, hi);
	b = stats_quantile_ci(20, 0.5, 0.95, &lo, &hi);
	ok(b && lo == 6 && hi == 15,
	    "20 samples: [x(6), x(15)] (got %zu, %zu)", lo, hi);
	ok(near(stats_binom_cdf(10, 0.5, 2), 56.0 / 1024, 1e-12),
	    "P(Bin(10,.5) <= 2) = 56/1024");
	ok(near(stats_binom_cdf(8, 0.5, 0), 1.0 / 256, 1e-12),
	    "P(Bin(8,.5) <= 0) = 1/256");

	/* Every exact n: the lower rank is the largest whose tail
	 * sum(C(n,i), i < lo) / 2^n stays within 2.5 %, the upper its mirror. */
	bool all = true;
	for (size_t n = 6; n <= STATS_CI_EXACT_MAX; n++) {
		double below = 0, c = 1;	/* C(n, 0) */
		size_t want = 0;
		for (size_t i = 0; i < n; i++) {
			below += c / pow(2, (double)n);
			if (below > 0.025)
				break;
			want = i + 1;
			c = c * (double)(n - i) / (double)(i + 1);
		}
		if (!stats_quantile_ci(n, 0.5, 0.95, &lo, &hi) || lo != want ||
		    hi != n + 1 - want) {
			all = false;
			ok(0, "n %zu: ranks %zu %zu, want %zu %zu", n, lo, hi,
			    want, n + 1 - want);
		}
	}
	ok(all, "6..30 samples: ranks from the exact binomial sums");
	/* The normal approximation just above the exact range agrees with
	 * the exact sums (n = 31: B <= 9 has 1.5 %, B <= 10 has 3.5 %). */
	b = stats_quantile_ci(31, 0.5, 0.95, &lo, &hi);
	ok(b && lo == 10 && hi == 22,
	    "31 samples (normal): [x(10), x(22)] (got %zu, %zu)", lo, hi);
	b = stats_quantile_ci(100, 0.5, 0.95, &lo, &hi);
	ok(b && lo == 40 && hi == 61,
	    "100 samples (normal): [x(40), x(61)] (got %zu, %zu)", lo, hi);
	ok(near(stats_norm_quantile(0.975), 1.959963985, 1e-8),
	    "z(0.975) = 1.95996 (got %.9f)", stats_norm_quantile(0.975));
}

static void
mann_whitney(void)
{
	double a[10], b[10], c[10], d[10];
	struct stats_utest r;

	for (int i = 0; i < 10; i++) {
		a[i] = i + 1;			/* 1:10 */
		b[i] = 2.1 + 2 * i;		/* 2.1:2:21 */
		c[i] = 1.5 + 10 * i;		/* 1.5:10:100 */
		d[i] = i + 2;			/* 2:11 */
	}
	/* Exact p of fully separated samples: 2 / C(n1+n2, n1). */
	ok(near(utest(a, 3, a + 3, 3, STATS_AUTO), 2.0 / 20, 1e-12),
	    "3 vs 3 separated: p = 2/20");
	ok(near(utest(a, 5, a + 5, 5, STATS_AUTO), 2.0 / 252, 1e-12),
	    "5 vs 5 separated: p = 2/252 (scipy 0.0079365)");
	double s6[12];
	for (int i = 0; i < 12; i++)
		s6[i] = i;
	stats_mann_whitney(s6 + 6, 6, s6, 6, STATS_AUTO, &r);
	ok(r.exact && r.u == 36 && near(r.p, 2.0 / 924, 1e-12) &&
	    near(r.p_min, 2.0 / 924, 1e-12),
	    "6 vs 6 separated: U 36, p = p_min = 2/924 (got U %g p %g)", r.u, r.p);
	ok(near(r.p_min, 2.0 / 924, 1e-12), "p_min 2/924");
	stats_mann_whitney(a, 3, a + 3, 3, STATS_AUTO, &r);
	ok(r.p_min > 0.05, "3 vs 3 can never reach p < 0.05 (p_min %g)", r.p_min);
	/* HypothesisTests.jl's ExactMannWhitneyUTest, to 4 places. */
	ok(near(utest(a, 10, b, 10, STATS_EXACT), 0.0232, 1e-4),
	    "1:10 vs 2.1:2:21 exact: p = 0.0232 (got %.5f)",
	    utest(a, 10, b, 10, STATS_EXACT));
	ok(near(utest(c, 10, b, 10, STATS_EXACT), 0.0068, 1e-4),
	    "1.5:10:100 vs 2.1:2:21 exact: p = 0.0068 (got %.5f)",
	    utest(c, 10, b, 10, STATS_EXACT));
	ok(near(utest(a, 10, d, 10, STATS_EXACT), 0.5096, 1e-4),
	    "1:10 vs 2:11 exact with 9 ties: p = 0.5096 (got %.5f)",
	    utest(a, 10, d, 10, STATS_EXACT));
	ok(near(utest(a, 10, a, 10, STATS_EXACT), 1, 1e-12),
	    "1:10 vs 1:10: p = 1");

	/* Against every placement, with and without ties. */
	static const double tx[][6] = {
		{ 1, 2, 2, 3, 5, 5 }, { 1, 1, 1, 2, 2, 2 }, { 3, 1, 4, 1, 5, 9 },
		{ 7, 7, 7, 7, 7, 7 }, { 0.5, 1.5, 2.5, 3.5, 4.5, 5.5 },
	};
	static const double ty[][7] = {
		{ 2, 3, 3, 4, 5, 6, 6 }, { 1, 2, 2, 3, 3, 3, 3 },
		{ 2, 6, 5, 3, 5, 8, 9 }, { 7, 7, 7, 7, 7, 7, 8 },
		{ 1, 2, 3, 4, 5, 6, 7 },
	};
	for (size_t i = 0; i < sizeof(tx) / sizeof(tx[0]); i++)
		for (size_t nx = 2; nx <= 6; nx += 2) {
			double want = brute(tx[i], nx, ty[i], 7);
			double got = utest(tx[i], nx, ty[i], 7, STATS_EXACT);
			ok(near(got, want, 1e-12), "case %zu, %zu vs 7: exact p %.6f "
			    "= enumeration %.6f", i, nx, got, want);
		}

	/* Normal approximation with tie and continuity correction:
	 * ClickHouse's mannWhitneyUTest test (20 vs 20 with ties),
	 * U = 223, p = 0.5426959774289482 (scipy's asymptotic agrees). */
	static const double l[] = { 310, 195, 530, 155, 530, 245, 385, 450,
	    465, 545, 170, 180, 125, 180, 230, 75, 430, 480, 495, 295 };
	static const double rr[] = { 116, 171, 176, 421, 111, 326, 481, 111,
	    346, 441, 261, 411, 206, 521, 456, 446, 296, 51, 426, 261 };
	stats_mann_whitney(l, 20, rr, 20, STATS_NORMAL, &r);
	ok(!r.exact && (r.u == 223 || r.u == 177) &&
	    near(r.p, 0.5426959774289482, 1e-12),
	    "20 vs 20 normal: U 223, p 0.542696 (got U %g p %.16f)", r.u, r.p);
	stats_mann_whitney(l, 20, rr, 20, STATS_AUTO, &r);
	ok(r.exact, "20 vs 20 is exact under AUTO");
	/* All equal: no evidence at all. */
	ok(utest(tx[3], 6, tx[3], 6, STATS_NORMAL) == 1, "all tied, normal: p 1");
	ok(stats_mann_whitney(a, 0, b, 3, STATS_AUTO, &r) != 0, "empty sample refused");
	/* Exact and normal agree closely at the boundary. */
	double big[40];
	for (int i = 0; i < 40; i++)
		big[i] = i < 20 ? (i * 7) % 20 : (i * 11) % 20 + 2.5;
	double pe = utest(big, 20, big + 20, 20, STATS_EXACT);
	double pn = utest(big, 20, big + 20, 20, STATS_NORMAL);
	ok(pe > 0.05 && fabs(pe - pn) < 0.01, "20 vs 20: exact %.4f ~ normal %.4f", pe, pn);
}

static void
outliers(void)
{
	double x[] = { 1, 2, 3, 4, 100 };
	double mad = stats_mad(x, 5, 3);

	ok(mad == 1, "MAD of 1 2 3 4 100 about 3 is 1 (got %g)", mad);
	ok(near(stats_modified_z(100, 3, mad), 0.6745 * 97, 1e-9),
	    "z(100) = 0.6745 * 97");
	ok(fabs(stats_modified_z(1, 3, mad)) < STATS_OUTLIER_Z, "z(1) is no outlier");
	ok(stats_modified_z(5, 5, 0) == 0 && isinf(stats_modified_z(6, 5, 0)),
	    "MAD 0: 0 at the median, infinite elsewhere");
	ok(near(stats_outlier_z(x, 5, 100), 0.6745 * 97, 1e-9),
	    "outlier z of 100 among 1 2 3 4 100: 65.4");
	/* 1 1 1 1 2: MAD 0, mean absolute deviation 0.2. */
	double y[] = { 1, 1, 1, 1, 2 };
	ok(near(stats_outlier_z(y, 5, 2), 1 / (1.253314 * 0.2), 1e-9),
	    "MAD 0: the mean absolute deviation stands in (z 3.99)");
	double e[] = { 4, 4, 4 };
	ok(stats_outlier_z(e, 3, 4) == 0, "all equal: z 0");
}

int
main(void)
{
	quantile_ci();
	mann_whitney();
	outliers();
	return tap_done();
}
