/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * report: everything a run shows, from result structs only (the reporters
 * never reach into the engine).  The table and verdicts are for people;
 * CSV, percentiles CSV and JSON are for scripts and carry a format version.
 */
#ifndef WB_REPORT_H
#define WB_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "result.h"
#include "stats.h"
#include "sysinfo.h"
#include "trial.h"
#include "units.h"
#include "verdict.h"

#define REPORT_CSV_VERSION	1
#define REPORT_JSON_VERSION	2

/* One configuration and its trials. */
struct setup_result {
	struct setup setup;
	struct trial_result *trials;	/* cfg->trials slots */
	unsigned done;			/* filled, a partial last one included */
	struct trial_hists *hists;	/* merged over its trials */
};

struct run {
	const struct config *cfg;
	const struct sysinfo *sys;
	const char *version;
	const char *command;		/* the command line, quoted for a shell */
	struct setup_result *res;
	size_t n;
	int signal;			/* SIGINT/SIGTERM that cut it short, or 0 */
	bool failed;			/* a runtime error stopped it */
	const char *error;		/* and what it was, or NULL */
	size_t baseline;		/* res[] index of the baseline row */
	/* --precision: how the trials ended, and what was still too wide. */
	enum { PRECISION_OFF, PRECISION_REACHED, PRECISION_BUDGET,
	    PRECISION_TRIALS } precision;
	char precision_why[256];
	/* The terminal's width when the table goes to one, else 0 (then
	 * the table is always full width, as scripts expect). */
	unsigned width;
};

/*
 * The table's figure columns, one row each in table order: --columns
 * names them (lib/config.c), the full table shows the `wide` ones, and a
 * terminal too narrow for it drops columns by `drop` (1 first; 0 never).
 */
struct report_column {
	const char *name;	/* --columns: "wake_p50" */
	const char *head;	/* "wake p50" */
	int which;		/* the figure, private to lib/report_table.c */
	enum unit_kind unit;
	const char *fmt;	/* for plain numbers, else NULL: units_format */
	int hl;			/* HL_* with an interval, or -1 */
	bool net;		/* only with connections */
	bool wide;		/* in the full table */
	int drop;		/* order dropped to fit a terminal; 0 never */
};
extern const struct report_column report_columns[];	/* NULL name ends */

/* The human output: header, table (medians of trials), verdict lines. */
void report_header(FILE *f, const struct run *r);
void report_table(FILE *f, const struct run *r);
void report_verdicts(FILE *f, const struct run *r);
/* After a sweep of at least REPORT_SWEEP_MIN configurations: configurations
 * per verdict, and the best and worst median of each headline figure. */
#define REPORT_SWEEP_MIN	8
void report_sweep(FILE *f, const struct run *r);
/* Every row against r->baseline: a table of changes and p, and a closing
 * paragraph in words (nothing with fewer than two configurations). */
void report_comparison(FILE *f, const struct run *r);

/* Machine output.  Each returns 0, or -1 with errno from the stream. */
int report_csv(FILE *f, const struct run *r);
int report_percentiles(FILE *f, const struct run *r);
int report_json(FILE *f, const struct run *r);
/* GitHub-flavoured Markdown (lib/report_md.c): the environment, the
 * command, the table, the verdicts and the comparison. */
int report_markdown(FILE *f, const struct run *r);
/* Markdown helpers: text with the inline syntax escaped; a code span. */
void report_md_text(FILE *f, const char *s);
void report_md_code(FILE *f, const char *s);

/*
 * The per-trial measurements every machine format shares, by name, in CSV
 * column order (after the identity columns).  get returns the value; kind
 * says how to print it.
 */
enum field_kind { FIELD_U64, FIELD_I64, FIELD_REAL, FIELD_BOOL };
struct report_field {
	const char *name;
	enum field_kind kind;
	/* FIELD_REAL's value; for FIELD_BOOL, a derived flag (non-zero:
	 * true) in place of a struct member */
	double (*real)(const struct trial_result *);
	size_t off;			/* for integer fields */
};
extern const struct report_field report_fields[];	/* NULL-name ended */

/* report_field_u64 / _i64 read an integer field of t; a latency
 * percentile with no sample reads RESULT_UNKNOWN (an empty cell, null). */
uint64_t report_field_u64(const struct report_field *f, const struct trial_result *t);

/*
 * Statistics of headline figures (lib/report_stats.c; methods in
 * wakebench(1), STATISTICS).  report_sample copies headline h of each
 * trial into x (complete trials; the partial one only when none is
 * complete), skipping trials without a value; returns the count.
 */
size_t report_sample(const struct setup_result *sr, int h, double *x, size_t max);
void report_summary(const struct setup_result *sr, int h, struct stats_summary *s);

/* report_outliers: the HL_* bits (1 << h) for which trial k of sr lies
 * more than STATS_OUTLIER_Z modified z-scores from its siblings. */
unsigned report_outliers(const struct setup_result *sr, unsigned k);
/* report_outlier_names writes the names ('+'-joined keys, "none"). */
char *report_outlier_names(unsigned bits, char *buf, size_t len);

/* One headline figure, new sample y against old (baseline) x. */
struct report_diff {
	bool valid;			/* both samples have values */
	double change_pct;		/* of the median */
	double lo_pct, hi_pct;		/* from the two intervals; NaN unbounded */
	struct stats_utest u;
	bool significant;		/* p < alpha */
	bool testable;			/* these sizes can give p < alpha */
	bool worse;			/* in the direction that costs */
};
void report_diff_samples(double *x, size_t nx, double *y, size_t ny,
    const struct result_headline *h, double alpha, struct report_diff *d);
void report_diff(const struct setup_result *base, const struct setup_result *sr,
    int h, double alpha, struct report_diff *d);

/* Formatting shared by the table and compare: a value as the table shows
 * it ("-" for NaN), an interval as "±6%" ("±?" unbounded), a change as
 * "+12%" / "-3.4%". */
char *report_value(char *out, size_t len, double v, enum unit_kind unit,
    const char *fmt);
char *report_halfwidth(char *out, size_t len, const struct stats_summary *s);
char *report_pct(char *out, size_t len, double v);

/* report_precise: whether every headline figure of every configuration
 * (rtt only with connections) has an interval within pct percent of its
 * median; if not, the first that has not, in why ("1 pipe poll always all
 * p4 wake p99 ±12%"). */
bool report_precise(const struct run *r, double pct, char *why, size_t len);

/* report_min_trials: the fewest trials per side that can give p < alpha. */
unsigned report_min_trials(double alpha);

/* report_fault_names writes the faults of a setup, '+'-joined ("none"). */
char *report_fault_names(unsigned faults, char *buf, size_t len);

#endif
