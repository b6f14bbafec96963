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
#include "sysinfo.h"
#include "trial.h"
#include "verdict.h"

#define REPORT_CSV_VERSION	1
#define REPORT_JSON_VERSION	1

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
};

/* The human output: header, table (medians of trials), verdict lines. */
void report_header(FILE *f, const struct run *r);
void report_table(FILE *f, const struct run *r);
void report_verdicts(FILE *f, const struct run *r);

/* Machine output.  Each returns 0, or -1 with errno from the stream. */
int report_csv(FILE *f, const struct run *r);
int report_percentiles(FILE *f, const struct run *r);
int report_json(FILE *f, const struct run *r);

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

/* report_field_u64 / _i64 read an integer field of t. */
uint64_t report_field_u64(const struct report_field *f, const struct trial_result *t);

/* report_fault_names writes the faults of a setup, '+'-joined ("none"). */
char *report_fault_names(unsigned faults, char *buf, size_t len);

#endif
