/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * compare: `wakebench compare OLD NEW`.  Reads two summary CSV or JSON
 * files this wakebench wrote, refusing anything else with the line and
 * the problem,
 * matches their configurations, and prints per matched configuration and
 * headline figure both medians with intervals, the change and the U
 * test's p (wakebench(1), STATISTICS).
 */
#ifndef WB_COMPARE_H
#define WB_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "result.h"

/* The environment lines shown side by side, by preamble key. */
enum { ENV_KERNEL, ENV_CPU, ENV_CPUS, ENV_CLOCK, ENV_CPUIDLE, ENV_PMQOS,
    ENV_PLACEMENT, ENV_N };

/* One trial: its headline figures (NaN where it has none). */
struct cmp_trial {
	double v[HL_N];
	bool partial;
};

struct cmp_config {
	char *key;		/* the identity configurations are matched on */
	char *label;
	unsigned index;		/* config column */
	struct cmp_trial *t;
	size_t n, cap;
};

struct cmp_file {
	char *env[ENV_N];
	struct cmp_config *c;
	size_t n, cap;
};

/*
 * compare_load reads path into f.  Returns 0, or -1 with the problem in
 * why, on one line and naming the line where there is one ("line 12:
 * 87 fields where the header has 92 (truncated or edited)"); f is then
 * empty.  A JSON file (its first byte '{') is read whole and its trials
 * checked as rows.  Refused: an unreadable file, one that is not a
 * wakebench summary CSV or JSON file, another format version, a row that is truncated, has a
 * field that is not a number, or figures that do not agree with each
 * other (hand-edited).
 */
int compare_load(const char *path, struct cmp_file *f, char *why, size_t len);
void compare_free(struct cmp_file *f);

/* compare_match sets map[i] to the index in b of a's configuration i,
 * or -1; returns how many matched.  map has a->n entries. */
size_t compare_match(const struct cmp_file *a, const struct cmp_file *b,
    long *map);

/*
 * compare_print writes the comparison of old and new to out and returns
 * how many figures are significantly worse by more than threshold
 * percent (threshold < 0: none counted).  -1 with errno on ENOMEM.
 */
long compare_print(FILE *out, const struct cmp_file *old, const char *old_name,
    const struct cmp_file *new, const char *new_name, double alpha,
    double threshold);

/* compare_markdown: the same comparison as GitHub-flavoured Markdown
 * (an environment table, then one row per configuration and figure);
 * returns as compare_print does. */
long compare_markdown(FILE *out, const struct cmp_file *old,
    const char *old_name, const struct cmp_file *new, const char *new_name,
    double alpha, double threshold);

#endif
