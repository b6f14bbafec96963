/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * config: every option, with all defaults set in config_init, parsed by one
 * checked parser per kind of value, and expanded into the cross product of
 * configurations a run measures.
 */
#ifndef WB_CONFIG_H
#define WB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_LIST_MAX		32	/* values in one list option */
#define CONFIG_SETUPS_MAX	1024	/* configurations in one run */
#define CONFIG_PRODUCERS_MAX	4096

#define CONFIG_CPUS_MAX		1024	/* CPU_SETSIZE */

/* --cpus: CPU numbers in the order given, ranges expanded. */
struct cpu_list {
	uint16_t v[CONFIG_CPUS_MAX];
	unsigned n;			/* 0: not given */
};

struct name_list {
	const void *v[CONFIG_LIST_MAX];	/* ops tables or rows, by option */
	unsigned n;
};

struct num_list {
	uint64_t v[CONFIG_LIST_MAX];
	unsigned n;
};

struct config {
	struct name_list waker;		/* -m: struct waker_ops */
	struct name_list wait;		/* -w: struct wait_ops */
	struct name_list poke;		/* -P: struct poke_ops */
	struct name_list drain;		/* -D: struct drain_ops */
	struct name_list preset;	/* --preset: struct preset */
	struct num_list producers;	/* -p */
	uint64_t rate;			/* items/s per producer; 0 = max */
	uint64_t burst;
	uint64_t connections;
	uint64_t net_rate;		/* requests/s per connection */
	uint64_t clients;		/* client threads */
	uint64_t msg_size;
	uint64_t duration_ns;
	uint64_t trials;
	uint64_t warmup_ns;
	uint64_t timeout_ns;
	uint64_t pipe_size;		/* 0 = the system's default */
	uint64_t stall_ns;		/* 0 = off */
	uint64_t stall_period_ns;	/* 0 = once per trial */
	unsigned faults;		/* FAULT_* bits */
	uint64_t spawn;
	bool pin;
	bool wide;			/* --wide: every column of the table */
	struct name_list columns;	/* --columns: struct report_column */
	struct cpu_list cpus;		/* --cpus: main first; sets pin */
	int64_t pm_qos_us;		/* -1 = off */
	int sched_policy;		/* --sched: enum rt_policy (lib/rt.h) */
	int sched_prio;			/* its priority; 0 under other */
	bool trace_sched;		/* --trace-sched (lib/tracesched.h) */
	bool no_counters;		/* --no-counters: no lib/schedstat.h reads */
	const char *csv;
	const char *percentiles;
	const char *json;
	const char *markdown;		/* --markdown FILE, or NULL */
	const char *plot;		/* --plot FILE.png|FILE.svg, or NULL */
	const void *plot_metric;	/* --plot-metric: struct plot_metric */
	int verbose;			/* -1 quiet, 0, 1 verbose */
	const char *baseline;		/* --baseline N or LABEL; NULL = 1 */
	double alpha;			/* significance level of the tests */
	double precision_pct;		/* --precision; 0 = off */
	uint64_t max_time_ns;		/* its budget for the whole run */
	/* Which list options the command line set (the rest are defaults
	 * that a preset may replace). */
	unsigned set_mask;
};

/* Bits of set_mask. */
#define SET_WAKER	0x1
#define SET_WAIT	0x2
#define SET_POKE	0x4
#define SET_DRAIN	0x8

/* How an option's argument is parsed, and what type its field has. */
enum opt_kind {
	OPT_LIST,	/* names of axis' table: struct name_list, or for an
			 * axis with a bit, the OR of the bits (unsigned) */
	OPT_COUNTS,	/* whole numbers: struct num_list */
	OPT_COUNT,	/* a whole number: uint64_t */
	OPT_RATE,	/* a whole number, or max (0): uint64_t */
	OPT_SIZE,	/* bytes: uint64_t */
	OPT_TIME,	/* ns: uint64_t */
	OPT_STALL,	/* TIME[@PERIOD]: two uint64_t, TIME then PERIOD */
	OPT_PMQOS,	/* a whole number: int64_t */
	OPT_FLAG,	/* bool, set to true */
	OPT_PATH,	/* a file name: const char *, into argv */
	OPT_QUIET,	/* int, set to -1 */
	OPT_VERBOSE,	/* int, set to 1 */
	OPT_HELP,	/* no field: the driver acts on them */
	OPT_VERSION,
	OPT_BASELINE,	/* a row number or label: const char *, into argv */
	OPT_ALPHA,	/* a probability, 0.0001 to 0.5: double */
	OPT_PRECISION,	/* a percentage, 0.1 to 100: double */
	OPT_WORD,	/* one name of axis' table: const void *, its entry */
	OPT_SCHED,	/* other|fifo[:PRIO]|rr[:PRIO]: two ints, policy
			 * then priority (lib/rt.h) */
	OPT_CPUS	/* CPU numbers and ranges, in order: struct cpu_list */
};

/*
 * One row per list axis: where the names a list option accepts come from.
 * Every entry of the table, ops or row, begins with `const char *name`,
 * and the table ends with a NULL pointer (ops) or a NULL name (rows).
 */
struct config_axis {
	const char *noun;	/* "poke policy": "unknown poke policy x" */
	const void *table;	/* waker_table, preset_table, ... */
	size_t row_size;	/* 0: a table of pointers to ops; else the
				 * size of one row of a table of rows */
	bool all;		/* "all" selects every entry */
	size_t bit;		/* 0, or the offset in each row of an unsigned
				 * bit: the field is then the OR of the bits
				 * named (faults) */
};

/*
 * One row per option: the parser, getopt, --help and the tests read it.
 * config_set writes the parsed value to the field at offset field of
 * struct config, of the type its kind names.
 */
struct config_opt {
	const char *name;	/* long name, without "--" */
	int chr;		/* short option, or 0 */
	const char *arg;	/* "LIST", "N", ...; NULL for flags */
	enum opt_kind kind;
	uint64_t min, max;	/* for numbers, in the value's unit */
	const char *help;
	const char *dflt;	/* shown in --help */
	size_t field;		/* offsetof(struct config, ...) */
	const struct config_axis *axis;	/* OPT_LIST: the names' table */
	unsigned set;		/* SET_* bit to record in set_mask, or 0 */
};

extern const struct config_opt config_opts[];	/* ends with a NULL name */

/* config_init sets every default. */
void config_init(struct config *c);

/* config_opt_find returns the row for a short option chr or long name. */
const struct config_opt *config_opt_find(int chr, const char *name);

/*
 * config_set applies one option.  On a bad value it returns EINVAL (or
 * ERANGE) and writes into why, without the option and value, what is
 * accepted ("must be between 1 and 4096"); c is then unchanged for that
 * option.  Returns 0 on success.
 */
int config_set(struct config *c, const struct config_opt *o, const char *arg,
    char *why, size_t whylen);

/*
 * config_check tests what no single option can: combinations that would
 * not run as asked.  On a problem it returns EINVAL, names the option in
 * *opt and the value in val, and writes why.  Machine limits (file
 * descriptors, pipe sizes) are checked by the driver, which knows them.
 */
int config_check(const struct config *c, const char **opt, char *val,
    size_t vallen, char *why, size_t whylen);

/* One configuration: one row of the table. */
struct setup {
	unsigned index;		/* from 1, in table order */
	const struct waker_ops *waker;
	const struct wait_ops *wait;
	const struct poke_ops *poke;
	const struct drain_ops *drain;
	const struct preset *preset;	/* NULL: set by -m -w -P -D */
	unsigned producers;
	unsigned faults;		/* FAULT_* bits injected by --fault */
	unsigned flags;			/* FAULT_* bits of the preset's design */
};

/*
 * config_expand builds the cross product of the lists into an array the
 * caller frees, mechanisms varying fastest so that the rows to compare sit
 * together.  With presets, each preset sets the waker, wait, poke and
 * drain, except those lists the command line set, which form a cross
 * product with the presets (--preset nginx -w poll runs nginx's strategy
 * under poll).  Returns the count, or 0 with errno (E2BIG above
 * CONFIG_SETUPS_MAX, ENOMEM).
 */
size_t config_expand(const struct config *c, struct setup **out);

/* config_cpus writes the CPUs of cl from index from on, ascending runs as
 * ranges ("2,0-1"), into buf and returns it ("" when none). */
char *config_cpus(const struct cpu_list *cl, unsigned from, char *buf,
    size_t len);

/* setup_label writes "pipe poll always all p4" (or the preset) into buf. */
char *setup_label(const struct setup *s, char *buf, size_t len);

/* config_names writes the names of the entries of an axis' table,
 * ", "-separated, for messages and --help; returns buf. */
char *config_names(const struct config_axis *a, char *buf, size_t len);

#endif
