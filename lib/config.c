/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drain.h"
#include "fault.h"
#include "plot.h"
#include "poke.h"
#include "preset.h"
#include "report.h"
#include "rt.h"
#include "units.h"
#include "wait.h"
#include "waker.h"

#define MS	1000000ULL
#define SEC	1000000000ULL

#define F(field)	offsetof(struct config, field)

/* The list axes: one row each (struct config_axis, lib/config.h). */
static const struct config_axis mechanisms = {
	"mechanism", waker_table, 0, false, 0
};
static const struct config_axis waits = {
	"wait", wait_table, 0, false, 0
};
static const struct config_axis pokes = {
	"poke policy", poke_table, 0, false, 0
};
static const struct config_axis drains = {
	"drain policy", drain_table, 0, false, 0
};
static const struct config_axis presets = {
	"preset", preset_table, sizeof(struct preset), true, 0
};
static const struct config_axis columns = {
	"column", report_columns, sizeof(struct report_column), true, 0
};
static const struct config_axis faults = {
	"fault", fault_table, sizeof(struct fault), false,
	offsetof(struct fault, bit)
};
static const struct config_axis plot_metrics = {
	"metric", plot_metric_table, sizeof(struct plot_metric), false, 0
};

const struct config_opt config_opts[] = {
	{ "mechanism", 'm', "LIST", OPT_LIST, 0, 0,
	  "wakers to compare", "pipe,eventfd",
	  F(waker), &mechanisms, SET_WAKER },
	{ "wait", 'w', "LIST", OPT_LIST, 0, 0,
	  "waits the main thread sleeps in", "poll",
	  F(wait), &waits, SET_WAIT },
	{ "poke", 'P', "LIST", OPT_LIST, 0, 0,
	  "when producers write to the waker", "always",
	  F(poke), &pokes, SET_POKE },
	{ "drain", 'D', "LIST", OPT_LIST, 0, 0,
	  "how the main thread reads the waker", "all",
	  F(drain), &drains, SET_DRAIN },
	{ "preset", 0, "LIST", OPT_LIST, 0, 0,
	  "strategies of real event loops, or all (sets -m -w -P -D)", "none",
	  F(preset), &presets, 0 },
	{ "producers", 'p', "LIST", OPT_COUNTS, 1, CONFIG_PRODUCERS_MAX,
	  "producer threads", "4",
	  F(producers), NULL, 0 },
	{ "rate", 'r', "N", OPT_RATE, 1, 100000000,
	  "items/s per producer on a fixed schedule, or max", "20k",
	  F(rate), NULL, 0 },
	{ "burst", 'b', "N", OPT_COUNT, 1, 65536,
	  "items queued back to back per scheduled slot", "1",
	  F(burst), NULL, 0 },
	{ "connections", 'c', "N", OPT_COUNT, 0, 100000,
	  "loopback TCP connections the main thread serves", "16",
	  F(connections), NULL, 0 },
	{ "net-rate", 0, "N", OPT_COUNT, 1, 1000000,
	  "requests/s per connection", "1k",
	  F(net_rate), NULL, 0 },
	{ "msg-size", 0, "BYTES", OPT_SIZE, 1, 1ULL << 20,
	  "request and reply size", "64",
	  F(msg_size), NULL, 0 },
	{ "clients", 0, "N", OPT_COUNT, 1, 64,
	  "client threads sending the requests (in a child process)", "2",
	  F(clients), NULL, 0 },
	{ "duration", 'd', "TIME", OPT_TIME, 1 * MS, 3600 * SEC,
	  "measured time of one trial", "300ms",
	  F(duration_ns), NULL, 0 },
	{ "trials", 'n', "N", OPT_COUNT, 1, 1000,
	  "trials per configuration, interleaved", "10",
	  F(trials), NULL, 0 },
	{ "warmup", 0, "TIME", OPT_TIME, 0, 3600 * SEC,
	  "unmeasured time before each trial", "200ms",
	  F(warmup_ns), NULL, 0 },
	{ "timeout", 't', "TIME", OPT_TIME, 1 * MS, 60 * SEC,
	  "the main thread's wait timeout; bounds a lost wakeup", "50ms",
	  F(timeout_ns), NULL, 0 },
	{ "pipe-size", 0, "BYTES", OPT_SIZE, 4096, 1ULL << 30,
	  "F_SETPIPE_SZ on pipe wakers, up to fs.pipe-max-size", "system",
	  F(pipe_size), NULL, 0 },
	{ "stall", 0, "TIME[@PERIOD]", OPT_STALL, 1000, 3600 * SEC,
	  "main thread stops serving for TIME (every PERIOD)", "off",
	  F(stall_ns), NULL, 0 },
	{ "fault", 0, "LIST", OPT_LIST, 0, 0,
	  "inject known bugs", "none",
	  F(faults), &faults, 0 },
	{ "spawn", 0, "N", OPT_COUNT, 0, 1000,
	  "fork+exec N children per trial and check inherited wakers", "0",
	  F(spawn), NULL, 0 },
	{ "pin", 0, NULL, OPT_FLAG, 0, 0,
	  "pin the main thread and producers to CPUs round-robin", "off",
	  F(pin), NULL, 0 },
	{ "wide", 0, NULL, OPT_FLAG, 0, 0,
	  "every column of the table, even on a narrow terminal", "off",
	  F(wide), NULL, 0 },
	{ "columns", 0, "LIST", OPT_LIST, 0, 0,
	  "the table's figure columns, in this order",
	  "all that fit a terminal", F(columns), &columns, 0 },
	{ "cpus", 0, "LIST", OPT_CPUS, 0, CONFIG_CPUS_MAX - 1,
	  "pin the main thread to LIST's first CPU, producers round-robin "
	  "over the rest (sets --pin)", "off",
	  F(cpus), NULL, 0 },
	{ "pm-qos", 0, "US", OPT_PMQOS, 0, 2000000000,
	  "hold /dev/cpu_dma_latency at US microseconds", "off",
	  F(pm_qos_us), NULL, 0 },
	{ "sched", 0, "POLICY", OPT_SCHED, 1, RT_PRIO_MAX,
	  "main thread and producers under other, fifo[:PRIO] or rr[:PRIO] "
	  "(PRIO 1-98, default 49), memory locked", "other",
	  F(sched_policy), NULL, 0 },
	{ "no-counters", 0, NULL, OPT_FLAG, 0, 0,
	  "do not read the scheduler, IPI and idle counters (their columns "
	  "empty)", "read",
	  F(no_counters), NULL, 0 },
	{ "trace-sched", 0, NULL, OPT_FLAG, 0, 0,
	  "split each wakeup by the kernel's sched tracepoints (root or "
	  "CAP_PERFMON)", "off",
	  F(trace_sched), NULL, 0 },
	{ "precision", 0, "PCT", OPT_PRECISION, 0, 0,
	  "add trials until every headline interval is within PCT% of its "
	  "median, 0.1-100", "off",
	  F(precision_pct), NULL, 0 },
	{ "max-time", 0, "TIME", OPT_TIME, 1 * SEC, 24 * 3600 * SEC,
	  "the time --precision may take", "60s",
	  F(max_time_ns), NULL, 0 },
	{ "baseline", 0, "N|LABEL", OPT_BASELINE, 0, 0,
	  "the configuration every other row is tested against", "1",
	  F(baseline), NULL, 0 },
	{ "alpha", 0, "P", OPT_ALPHA, 0, 0,
	  "significance level of those tests, 0.0001-0.5", "0.05",
	  F(alpha), NULL, 0 },
	{ "csv", 'o', "FILE", OPT_PATH, 0, 0,
	  "summary CSV, one row per configuration and trial (- = stdout)", "none",
	  F(csv), NULL, 0 },
	{ "percentiles", 0, "FILE", OPT_PATH, 0, 0,
	  "latency percentile distribution, long CSV", "none",
	  F(percentiles), NULL, 0 },
	{ "json", 0, "FILE", OPT_PATH, 0, 0,
	  "environment, configuration and per-trial results", "none",
	  F(json), NULL, 0 },
	{ "markdown", 0, "FILE", OPT_PATH, 0, 0,
	  "the run as GitHub-flavoured Markdown, to paste into a report", "none",
	  F(markdown), NULL, 0 },
	{ "plot", 0, "FILE", OPT_PATH, 0, 0,
	  "after the run, gnuplot draws the latency percentiles to FILE.png or "
	  "FILE.svg", "none",
	  F(plot), NULL, 0 },
	{ "plot-metric", 0, "NAME", OPT_WORD, 0, 0,
	  "the latency --plot draws", "wake",
	  F(plot_metric), &plot_metrics, 0 },
	{ "quiet", 'q', NULL, OPT_QUIET, 0, 0,
	  "no progress (time left) or warnings on stderr", NULL,
	  F(verbose), NULL, 0 },
	{ "verbose", 'v', NULL, OPT_VERBOSE, 0, 0,
	  "more detail on stderr", NULL,
	  F(verbose), NULL, 0 },
	{ "help", 'h', NULL, OPT_HELP, 0, 0, "this help, to stdout", NULL,
	  0, NULL, 0 },
	{ "version", 'V', NULL, OPT_VERSION, 0, 0,
	  "the version (and git commit), to stdout", NULL,
	  0, NULL, 0 },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL, 0, NULL, 0 }
};

void
config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->waker.v[c->waker.n++] = waker_find("pipe");
	c->waker.v[c->waker.n++] = waker_find("eventfd");
	c->wait.v[c->wait.n++] = wait_find("poll");
	c->poke.v[c->poke.n++] = poke_find("always");
	c->drain.v[c->drain.n++] = drain_find("all");
	c->producers.v[c->producers.n++] = 4;
	c->rate = 20000;
	c->burst = 1;
	c->connections = 16;
	c->net_rate = 1000;
	c->clients = 2;
	c->msg_size = 64;
	/* Many short trials rather than a few long ones: the interval of a
	 * median needs at least 6 and the U test 4 per side (wakebench(1),
	 * STATISTICS); 10 leave one trial on each side of the interval, and
	 * 10 x 300 ms after a 200 ms warmup keep the default run near 10 s. */
	c->duration_ns = 300 * MS;
	c->trials = 10;
	c->warmup_ns = 200 * MS;
	c->timeout_ns = 50 * MS;
	c->pm_qos_us = -1;
	c->alpha = 0.05;
	c->max_time_ns = 60 * SEC;
	c->plot_metric = &plot_metric_table[0];
}

const struct config_opt *
config_opt_find(int chr, const char *name)
{
	for (const struct config_opt *o = config_opts; o->name != NULL; o++)
		if ((chr != 0 && o->chr == chr) ||
		    (name != NULL && strcmp(o->name, name) == 0))
			return o;
	return NULL;
}

/* axis_entry returns the i-th entry of a's table and its name, or NULL
 * past the end. */
static const void *
axis_entry(const struct config_axis *a, unsigned i, const char **name)
{
	const void *e = a->row_size == 0 ?
	    ((const void *const *)a->table)[i] :
	    (const char *)a->table + (size_t)i * a->row_size;

	/* Every entry begins with its name (lib/config.h). */
	*name = e != NULL ? *(const char *const *)e : NULL;
	return *name != NULL ? e : NULL;
}

char *
config_names(const struct config_axis *a, char *buf, size_t len)
{
	size_t n = 0;
	const char *name;

	buf[0] = '\0';
	for (unsigned i = 0; axis_entry(a, i, &name) != NULL; i++)
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    i ? ", " : "", name);
	return buf;
}

/* why for a number outside [min, max]. */
static void
range_why(enum unit_kind u, uint64_t min, uint64_t max, char *why, size_t len)
{
	char a[32], b[32];

	/* Counts exactly (4096, not 4.1k: the limit must read as a limit);
	 * sizes and times in their unit, which is exact for every limit. */
	if (u == UNIT_COUNT)
		snprintf(why, len, "must be between %llu and %llu",
		    (unsigned long long)min, (unsigned long long)max);
	else
		snprintf(why, len, "must be between %s and %s",
		    units_format(u, min, a, sizeof(a)),
		    units_format(u, max, b, sizeof(b)));
}

static int
parse_number(enum unit_kind u, const char *s, uint64_t min, uint64_t max,
    uint64_t *out, char *why, size_t len)
{
	uint64_t v;
	int e = units_parse(u, s, &v);

	if (e == EINVAL) {
		snprintf(why, len, "expected %s", units_accepted(u));
		return EINVAL;
	}
	if (e == ERANGE || v < min || v > max) {
		range_why(u, min, max, why, len);
		return ERANGE;
	}
	*out = v;
	return 0;
}

#define ELEM_MAX	64

/*
 * next_elem copies the element of a comma list at *p into elem, the list
 * having given taken elements so far, and moves *p past it and its comma
 * (NULL after the last): 0, or EINVAL for an empty element, one too many
 * or one too long.
 */
static int
next_elem(const char **p, unsigned taken, char elem[ELEM_MAX], char *why,
    size_t len)
{
	const char *s = *p;
	size_t n = strcspn(s, ",");

	if (n == 0) {
		snprintf(why, len, "empty list element");
		return EINVAL;
	}
	if (taken == CONFIG_LIST_MAX) {
		snprintf(why, len, "more than %d values", CONFIG_LIST_MAX);
		return EINVAL;
	}
	if (n >= ELEM_MAX) {
		snprintf(why, len, "element too long");
		return EINVAL;
	}
	memcpy(elem, s, n);
	elem[n] = '\0';
	*p = s[n] == '\0' ? NULL : s + n + 1;
	return 0;
}

/*
 * parse_names fills *out with the entries of o's axis that the comma list
 * s names, refusing empty elements, unknown names and repeats; "all"
 * selects every entry where the axis allows it.
 */
static int
parse_names(const struct config_opt *o, const char *s, struct name_list *out,
    char *why, size_t len)
{
	const struct config_axis *a = o->axis;
	struct name_list nl = { .n = 0 };
	const void *entry;
	const char *name;
	char elem[ELEM_MAX];
	int e;

	if (a->all && strcmp(s, "all") == 0) {
		while (nl.n < CONFIG_LIST_MAX &&
		    (entry = axis_entry(a, nl.n, &name)) != NULL)
			nl.v[nl.n++] = entry;
		*out = nl;
		return 0;
	}
	for (const char *p = s; p != NULL; ) {
		if ((e = next_elem(&p, nl.n, elem, why, len)) != 0)
			return e;
		for (unsigned i = 0; (entry = axis_entry(a, i, &name)) != NULL; i++)
			if (strcmp(name, elem) == 0)
				break;
		if (entry == NULL) {
			char names[512];
			snprintf(why, len, "unknown %s %s; expected %s%s",
			    a->noun, elem, config_names(a, names, sizeof(names)),
			    a->all ? ", or all" : "");
			return EINVAL;
		}
		for (unsigned i = 0; i < nl.n; i++)
			if (nl.v[i] == entry) {
				snprintf(why, len, "%s listed twice", elem);
				return EINVAL;
			}
		nl.v[nl.n++] = entry;
	}
	*out = nl;
	return 0;
}

/* parse_word sets *out to the entry of o's axis named s (one name). */
static int
parse_word(const struct config_opt *o, const char *s, const void **out,
    char *why, size_t len)
{
	const void *entry;
	const char *name;
	char names[512];

	for (unsigned i = 0; (entry = axis_entry(o->axis, i, &name)) != NULL; i++)
		if (strcmp(name, s) == 0) {
			*out = entry;
			return 0;
		}
	snprintf(why, len, "unknown %s; expected one of %s", o->axis->noun,
	    config_names(o->axis, names, sizeof(names)));
	return EINVAL;
}

/* parse_bits sets *out to the OR of the bits of the entries s names. */
static int
parse_bits(const struct config_opt *o, const char *s, unsigned *out,
    char *why, size_t len)
{
	struct name_list nl;
	unsigned bits = 0;
	int e;

	if ((e = parse_names(o, s, &nl, why, len)) != 0)
		return e;
	for (unsigned i = 0; i < nl.n; i++)
		bits |= *(const unsigned *)((const char *)nl.v[i] + o->axis->bit);
	*out = bits;
	return 0;
}

/* parse_counts fills *out with the distinct whole numbers of list s. */
static int
parse_counts(const struct config_opt *o, const char *s, struct num_list *out,
    char *why, size_t len)
{
	struct num_list ul = { .n = 0 };
	char elem[ELEM_MAX];
	uint64_t v;
	int e;

	for (const char *p = s; p != NULL; ) {
		if ((e = next_elem(&p, ul.n, elem, why, len)) != 0 ||
		    (e = parse_number(UNIT_COUNT, elem, o->min, o->max, &v,
		    why, len)) != 0)
			return e;
		for (unsigned i = 0; i < ul.n; i++)
			if (ul.v[i] == v) {
				snprintf(why, len, "%s listed twice", elem);
				return EINVAL;
			}
		ul.v[ul.n++] = v;
	}
	*out = ul;
	return 0;
}

/* cpu_number: a bare decimal CPU number up to max, into *out. */
static bool
cpu_number(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 5 || strspn(s, "0123456789") < n)
		return false;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	*out = v;
	return v <= max;
}

/*
 * parse_cpus fills *out with the CPUs of list s ("2", "0-3", "4,0-1"),
 * in the order given, each once.  Whether they are allowed is the
 * driver's check (sched_getaffinity).
 */
static int
parse_cpus(const struct config_opt *o, const char *s, struct cpu_list *out,
    char *why, size_t len)
{
	struct cpu_list *cl = calloc(1, sizeof(*cl));
	char elem[ELEM_MAX];
	uint64_t lo, hi;
	int e = 0;

	if (cl == NULL) {
		snprintf(why, len, "out of memory");
		return ENOMEM;
	}
	for (const char *p = s; p != NULL && e == 0; ) {
		if ((e = next_elem(&p, 0, elem, why, len)) != 0)
			break;
		size_t n = strcspn(elem, "-");
		if (!cpu_number(elem, n, o->max, &lo) || (elem[n] == '-' ?
		    !cpu_number(elem + n + 1, strlen(elem + n + 1), o->max, &hi) ||
		    hi < lo : (hi = lo, false))) {
			snprintf(why, len, "%s: expected CPU numbers 0-%llu or "
			    "ranges such as 0,2-3, in order (the main thread's "
			    "first)", elem, (unsigned long long)o->max);
			e = EINVAL;
			break;
		}
		for (uint64_t v = lo; v <= hi && e == 0; v++) {
			for (unsigned i = 0; i < cl->n; i++)
				if (cl->v[i] == v) {
					snprintf(why, len, "CPU %llu listed twice",
					    (unsigned long long)v);
					e = EINVAL;
				}
			if (e == 0)
				cl->v[cl->n++] = (uint16_t)v;
		}
	}
	if (e == 0)
		*out = *cl;
	free(cl);
	return e;
}

char *
config_cpus(const struct cpu_list *cl, unsigned from, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned i = from, j; i < cl->n && o < len; i = j + 1) {
		for (j = i; j + 1 < cl->n && cl->v[j + 1] == cl->v[j] + 1; j++)
			;
		o += (size_t)(j == i ? snprintf(buf + o, len - o, "%s%u",
		    o ? "," : "", (unsigned)cl->v[i]) : snprintf(buf + o,
		    len - o, "%s%u-%u", o ? "," : "", (unsigned)cl->v[i],
		    (unsigned)cl->v[j]));
	}
	return buf;
}

/* parse_rate: a count, or max for 0 (no schedule). */
static int
parse_rate(const struct config_opt *o, const char *s, uint64_t *out,
    char *why, size_t len)
{
	int e;

	if (strcmp(s, "max") == 0) {
		*out = 0;
		return 0;
	}
	e = parse_number(UNIT_COUNT, s, o->min, o->max, out, why, len);
	if (e == EINVAL)
		snprintf(why, len, "expected max or %s",
		    units_accepted(UNIT_COUNT));
	return e;
}

/* parse_stall: TIME, or TIME@PERIOD with PERIOD longer than TIME, into
 * out[0] and out[1] (0: once per trial). */
static int
parse_stall(const struct config_opt *o, const char *s, uint64_t out[2],
    char *why, size_t len)
{
	char t[64];
	const char *at = strchr(s, '@');
	size_t n = at ? (size_t)(at - s) : strlen(s);
	uint64_t stall, period = 0;
	int e;

	if (n >= sizeof(t)) {
		snprintf(why, len, "expected TIME or TIME@PERIOD");
		return EINVAL;
	}
	memcpy(t, s, n);
	t[n] = '\0';
	if ((e = parse_number(UNIT_TIME, t, o->min, o->max, &stall,
	    why, len)) != 0)
		return e;
	if (at != NULL) {
		if ((e = parse_number(UNIT_TIME, at + 1, o->min, o->max,
		    &period, why, len)) != 0)
			return e;
		if (period <= stall) {
			snprintf(why, len, "PERIOD must be longer than TIME");
			return EINVAL;
		}
	}
	out[0] = stall;
	out[1] = period;
	return 0;
}

/* OPT_STALL's two fields are TIME then PERIOD (lib/config.h). */
_Static_assert(offsetof(struct config, stall_period_ns) ==
    offsetof(struct config, stall_ns) + sizeof(uint64_t),
    "stall_period_ns must follow stall_ns");

/* OPT_SCHED's two fields are the policy then the priority. */
_Static_assert(offsetof(struct config, sched_prio) ==
    offsetof(struct config, sched_policy) + sizeof(int),
    "sched_prio must follow sched_policy");

/* parse_real: a decimal in [min, max] into *(double *)out, or EINVAL. */
static int
parse_real(const char *s, double min, double max, void *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !(v >= min) || !(v <= max))
		return EINVAL;
	*(double *)out = v;
	return 0;
}

int
config_set(struct config *c, const struct config_opt *o, const char *arg,
    char *why, size_t len)
{
	void *field = (char *)c + o->field;
	enum unit_kind u = o->kind == OPT_SIZE ? UNIT_SIZE :
	    o->kind == OPT_TIME ? UNIT_TIME : UNIT_COUNT;
	uint64_t v;
	int e = 0;

	switch (o->kind) {
	case OPT_LIST:
		e = o->axis->bit != 0 ? parse_bits(o, arg, field, why, len) :
		    parse_names(o, arg, field, why, len);
		break;
	case OPT_WORD:
		e = parse_word(o, arg, field, why, len);
		break;
	case OPT_COUNTS:
		e = parse_counts(o, arg, field, why, len);
		break;
	case OPT_RATE:
		e = parse_rate(o, arg, field, why, len);
		break;
	case OPT_COUNT:
	case OPT_SIZE:
	case OPT_TIME:
		e = parse_number(u, arg, o->min, o->max, field, why, len);
		break;
	case OPT_STALL:
		e = parse_stall(o, arg, field, why, len);
		break;
	case OPT_CPUS:
		if ((e = parse_cpus(o, arg, field, why, len)) == 0)
			c->pin = true;
		break;
	case OPT_PMQOS:
		if ((e = parse_number(u, arg, o->min, o->max, &v, why, len)) == 0)
			*(int64_t *)field = (int64_t)v;
		break;
	case OPT_FLAG:
		*(bool *)field = true;
		break;
	case OPT_PATH:
		if (arg[0] == '\0') {
			snprintf(why, len, "expected a file name, or - for stdout");
			e = EINVAL;
		} else {
			*(const char **)field = arg;
		}
		break;
	case OPT_QUIET:
		*(int *)field = -1;
		break;
	case OPT_VERBOSE:
		*(int *)field = 1;
		break;
	case OPT_HELP:
	case OPT_VERSION:
		break;
	case OPT_BASELINE:
		/* Resolved against the configurations by the driver. */
		if (arg[0] == '\0') {
			snprintf(why, len, "expected a row number or a label");
			e = EINVAL;
		} else {
			*(const char **)field = arg;
		}
		break;
	case OPT_PRECISION:
		e = parse_real(arg, 0.1, 100, field);
		if (e != 0)
			snprintf(why, len, "expected a percentage between 0.1 "
			    "and 100");
		break;
	case OPT_SCHED:
		e = rt_parse(arg, (int *)field, (int *)field + 1, why, len);
		break;
	case OPT_ALPHA:
		e = parse_real(arg, 0.0001, 0.5, field);
		if (e != 0)
			snprintf(why, len, "expected a probability between "
			    "0.0001 and 0.5");
		break;
	}
	if (e == 0)
		c->set_mask |= o->set;
	return e;
}

int
config_check(const struct config *c, const char **opt, char *val,
    size_t vallen, char *why, size_t whylen)
{
	int to_stdout = 0;

	/* A never-read waker under a level-triggered wait is ready forever.
	 * A preset may do just that (it runs as the library would); an
	 * explicit -D none is refused. */
	for (unsigned d = 0; d < c->drain.n &&
	    (c->preset.n == 0 || (c->set_mask & SET_DRAIN)); d++) {
		const struct drain_ops *dr = c->drain.v[d];
		if (!dr->needs_edge || (c->faults & FAULT_NO_DRAIN))
			continue;
		for (unsigned w = 0; w < c->wait.n; w++) {
			const struct wait_ops *wt = c->wait.v[w];
			if (wt->edge)
				continue;
			*opt = "drain";
			snprintf(val, vallen, "%s", dr->name);
			snprintf(why, whylen, "needs --wait epoll-et (under %s "
			    "the waker stays ready and the loop spins), or "
			    "--fault no-drain to show that", wt->name);
			return EINVAL;
		}
	}
	to_stdout = (c->csv && strcmp(c->csv, "-") == 0) +
	    (c->percentiles && strcmp(c->percentiles, "-") == 0) +
	    (c->json && strcmp(c->json, "-") == 0) +
	    (c->markdown && strcmp(c->markdown, "-") == 0);
	if (to_stdout > 1) {
		*opt = "csv";
		snprintf(val, vallen, "-");
		snprintf(why, whylen, "only one of --csv, --percentiles, "
		    "--json and --markdown can write to stdout");
		return EINVAL;
	}
	/* Two outputs on one file are found by identity, not by name, when
	 * the driver checks the outputs (outfile_same): a name says too little
	 * (a symlink to /dev/null, ./x and x). */
	if (c->plot != NULL && plot_extension(c->plot) == NULL) {
		*opt = "plot";
		snprintf(val, vallen, "%s", c->plot);
		snprintf(why, whylen, "the name must end in .png or .svg (the "
		    "picture's format)");
		return EINVAL;
	}
	const struct plot_metric *pm = c->plot_metric;
	if (c->plot != NULL && pm->net && c->connections == 0) {
		*opt = "plot-metric";
		snprintf(val, vallen, "%s", pm->name);
		snprintf(why, whylen, "needs connections; -c 0 measures no "
		    "round trips");
		return EINVAL;
	}
	if (c->stall_ns != 0 && c->stall_ns >= c->duration_ns) {
		*opt = "stall";
		units_format(UNIT_TIME, c->stall_ns, val, vallen);
		snprintf(why, whylen, "must be shorter than --duration");
		return EINVAL;
	}
	return 0;
}

/* A preset's list for one axis: its own entry, or the command line's. */
static unsigned
axis(const struct name_list *cl, bool set, const void *own, const void **out)
{
	if (!set) {
		out[0] = own;
		return 1;
	}
	for (unsigned i = 0; i < cl->n; i++)
		out[i] = cl->v[i];
	return cl->n;
}

size_t
config_expand(const struct config *c, struct setup **out)
{
	struct setup *s;
	size_t n = 0, k = 0;

	/* Count first, to refuse before allocating. */
	if (c->preset.n == 0)
		n = (size_t)c->waker.n * c->wait.n * c->poke.n * c->drain.n;
	else
		n = (size_t)c->preset.n *
		    (c->set_mask & SET_WAKER ? c->waker.n : 1) *
		    (c->set_mask & SET_WAIT ? c->wait.n : 1) *
		    (c->set_mask & SET_POKE ? c->poke.n : 1) *
		    (c->set_mask & SET_DRAIN ? c->drain.n : 1);
	n *= c->producers.n;
	if (n > CONFIG_SETUPS_MAX) {
		errno = E2BIG;
		return 0;
	}
	if ((s = calloc(n, sizeof(*s))) == NULL)
		return 0;

	for (unsigned p = 0; p < c->producers.n; p++) {
		unsigned np = c->preset.n ? c->preset.n : 1;
		for (unsigned i = 0; i < np; i++) {
			const struct preset *pr = c->preset.n ? c->preset.v[i] : NULL;
			const void *wk[CONFIG_LIST_MAX], *wt[CONFIG_LIST_MAX],
			    *pk[CONFIG_LIST_MAX], *dr[CONFIG_LIST_MAX];
			unsigned nwk, nwt, npk, ndr;
			if (pr == NULL) {
				nwk = axis(&c->waker, true, NULL, wk);
				nwt = axis(&c->wait, true, NULL, wt);
				npk = axis(&c->poke, true, NULL, pk);
				ndr = axis(&c->drain, true, NULL, dr);
			} else {
				nwk = axis(&c->waker, c->set_mask & SET_WAKER,
				    waker_find(pr->waker), wk);
				nwt = axis(&c->wait, c->set_mask & SET_WAIT,
				    wait_find(pr->wait), wt);
				npk = axis(&c->poke, c->set_mask & SET_POKE,
				    poke_find(pr->poke), pk);
				ndr = axis(&c->drain, c->set_mask & SET_DRAIN,
				    drain_find(pr->drain), dr);
			}
			for (unsigned w = 0; w < nwt; w++)
				for (unsigned q = 0; q < npk; q++)
					for (unsigned d = 0; d < ndr; d++)
						for (unsigned m = 0; m < nwk; m++) {
							s[k] = (struct setup){
								.index = (unsigned)k + 1,
								.waker = wk[m],
								.wait = wt[w],
								.poke = pk[q],
								.drain = dr[d],
								.preset = pr,
								.producers = (unsigned)c->producers.v[p],
								.faults = c->faults,
								.flags = pr ? pr->flags : 0,
							};
							k++;
						}
		}
	}
	*out = s;
	return n;
}

char *
setup_label(const struct setup *s, char *buf, size_t len)
{
	const struct preset *p = s->preset;

	/* A preset is its name, plus whatever the command line changed. */
	if (p != NULL)
		snprintf(buf, len, "%s%s%s%s%s%s%s%s%s p%u", p->name,
		    strcmp(s->waker->name, p->waker) ? " " : "",
		    strcmp(s->waker->name, p->waker) ? s->waker->name : "",
		    strcmp(s->wait->name, p->wait) ? " " : "",
		    strcmp(s->wait->name, p->wait) ? s->wait->name : "",
		    strcmp(s->poke->name, p->poke) ? " " : "",
		    strcmp(s->poke->name, p->poke) ? s->poke->name : "",
		    strcmp(s->drain->name, p->drain) ? " " : "",
		    strcmp(s->drain->name, p->drain) ? s->drain->name : "",
		    s->producers);
	else
		snprintf(buf, len, "%s %s %s %s p%u", s->waker->name,
		    s->wait->name, s->poke->name, s->drain->name, s->producers);
	return buf;
}
