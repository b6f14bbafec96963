/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drain.h"
#include "fault.h"
#include "poke.h"
#include "preset.h"
#include "units.h"
#include "wait.h"
#include "waker.h"

#define MS	1000000ULL
#define SEC	1000000000ULL

const struct config_opt config_opts[] = {
	{ "mechanism", 'm', "LIST", OPT_WAKERS, 0, 0,
	  "wakers to compare", "pipe,eventfd" },
	{ "wait", 'w', "LIST", OPT_WAITS, 0, 0,
	  "waits the main thread sleeps in", "poll" },
	{ "poke", 'P', "LIST", OPT_POKES, 0, 0,
	  "when producers write to the waker", "always" },
	{ "drain", 'D', "LIST", OPT_DRAINS, 0, 0,
	  "how the main thread reads the waker", "all" },
	{ "preset", 0, "LIST", OPT_PRESETS, 0, 0,
	  "strategies of real event loops, or all (sets -m -w -P -D)", "none" },
	{ "producers", 'p', "LIST", OPT_COUNTS, 1, CONFIG_PRODUCERS_MAX,
	  "producer threads", "4" },
	{ "rate", 'r', "N", OPT_RATE, 1, 100000000,
	  "items/s per producer on a fixed schedule, or max", "20k" },
	{ "burst", 'b', "N", OPT_COUNT, 1, 65536,
	  "items queued back to back per scheduled slot", "1" },
	{ "connections", 'c', "N", OPT_COUNT, 0, 100000,
	  "loopback TCP connections the main thread serves", "16" },
	{ "net-rate", 0, "N", OPT_COUNT, 1, 1000000,
	  "requests/s per connection", "1k" },
	{ "msg-size", 0, "BYTES", OPT_SIZE, 1, 1ULL << 20,
	  "request and reply size", "64" },
	{ "clients", 0, "N", OPT_COUNT, 1, 64,
	  "client threads sending the requests (in a child process)", "2" },
	{ "duration", 'd', "TIME", OPT_TIME, 1 * MS, 3600 * SEC,
	  "measured time of one trial", "300ms" },
	{ "trials", 'n', "N", OPT_COUNT, 1, 1000,
	  "trials per configuration, interleaved", "10" },
	{ "warmup", 0, "TIME", OPT_TIME, 0, 3600 * SEC,
	  "unmeasured time before each trial", "200ms" },
	{ "timeout", 't', "TIME", OPT_TIME, 1 * MS, 60 * SEC,
	  "the main thread's wait timeout; bounds a lost wakeup", "50ms" },
	{ "pipe-size", 0, "BYTES", OPT_SIZE, 4096, 1ULL << 30,
	  "F_SETPIPE_SZ on pipe wakers, up to fs.pipe-max-size", "system" },
	{ "stall", 0, "TIME[@PERIOD]", OPT_STALL, 1000, 3600 * SEC,
	  "main thread stops serving for TIME (every PERIOD)", "off" },
	{ "fault", 0, "LIST", OPT_FAULTS, 0, 0,
	  "inject known bugs", "none" },
	{ "spawn", 0, "N", OPT_COUNT, 0, 1000,
	  "fork+exec N children per trial and check inherited wakers", "0" },
	{ "pin", 0, NULL, OPT_FLAG, 0, 0,
	  "pin the main thread and producers to CPUs round-robin", "off" },
	{ "pm-qos", 0, "US", OPT_PMQOS, 0, 2000000000,
	  "hold /dev/cpu_dma_latency at US microseconds", "off" },
	{ "precision", 0, "PCT", OPT_PRECISION, 0, 0,
	  "add trials until every headline interval is within PCT% of its "
	  "median, 0.1-100", "off" },
	{ "max-time", 0, "TIME", OPT_MAX_TIME, 1 * SEC, 24 * 3600 * SEC,
	  "the time --precision may take", "60s" },
	{ "baseline", 0, "N|LABEL", OPT_BASELINE, 0, 0,
	  "the configuration every other row is tested against", "1" },
	{ "alpha", 0, "P", OPT_ALPHA, 0, 0,
	  "significance level of those tests, 0.0001-0.5", "0.05" },
	{ "csv", 'o', "FILE", OPT_PATH, 0, 0,
	  "summary CSV, one row per configuration and trial (- = stdout)", "none" },
	{ "percentiles", 0, "FILE", OPT_PATH, 0, 0,
	  "latency percentile distribution, long CSV", "none" },
	{ "json", 0, "FILE", OPT_PATH, 0, 0,
	  "environment, configuration and per-trial results", "none" },
	{ "quiet", 'q', NULL, OPT_QUIET, 0, 0,
	  "no progress or warnings on stderr", NULL },
	{ "verbose", 'v', NULL, OPT_VERBOSE, 0, 0,
	  "more detail on stderr", NULL },
	{ "help", 'h', NULL, OPT_HELP, 0, 0, "this help, to stdout", NULL },
	{ "version", 'V', NULL, OPT_VERSION, 0, 0, "the version, to stdout", NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL }
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

/* The i-th name of a list option's table, or NULL past the end. */
static const char *
table_name(enum opt_kind kind, unsigned i, const void **entry)
{
	const char *name = NULL;
	const void *e = NULL;

	switch (kind) {
	case OPT_WAKERS:
		if ((e = waker_table[i]) != NULL)
			name = waker_table[i]->name;
		break;
	case OPT_WAITS:
		if ((e = wait_table[i]) != NULL)
			name = wait_table[i]->name;
		break;
	case OPT_POKES:
		if ((e = poke_table[i]) != NULL)
			name = poke_table[i]->name;
		break;
	case OPT_DRAINS:
		if ((e = drain_table[i]) != NULL)
			name = drain_table[i]->name;
		break;
	case OPT_PRESETS:
		if ((name = preset_table[i].name) != NULL)
			e = &preset_table[i];
		break;
	case OPT_FAULTS:
		if ((name = fault_table[i].name) != NULL)
			e = &fault_table[i];
		break;
	default:
		break;
	}
	if (entry != NULL)
		*entry = e;
	return name;
}

char *
config_names(enum opt_kind kind, char *buf, size_t len)
{
	size_t n = 0;
	const char *name;

	buf[0] = '\0';
	for (unsigned i = 0; (name = table_name(kind, i, NULL)) != NULL; i++)
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    i ? ", " : "", name);
	return buf;
}

static const char *
kind_noun(enum opt_kind kind)
{
	switch (kind) {
	case OPT_WAKERS:
		return "mechanism";
	case OPT_WAITS:
		return "wait";
	case OPT_POKES:
		return "poke policy";
	case OPT_DRAINS:
		return "drain policy";
	case OPT_PRESETS:
		return "preset";
	case OPT_FAULTS:
		return "fault";
	default:
		return "value";
	}
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

/*
 * parse_list splits s at commas into names of kind's table (or numbers
 * for OPT_COUNTS), refusing empty elements, unknown names and repeats.
 * "all" selects every entry where allow_all.
 */
static int
parse_list(const struct config_opt *o, const char *s, struct name_list *names,
    struct num_list *nums, char *why, size_t len)
{
	struct name_list nl = { .n = 0 };
	struct num_list ul = { .n = 0 };
	const char *p = s;

	if (o->kind == OPT_PRESETS && strcmp(s, "all") == 0) {
		const void *e;
		for (unsigned i = 0; table_name(o->kind, i, &e) != NULL &&
		    i < CONFIG_LIST_MAX; i++)
			nl.v[nl.n++] = e;
		*names = nl;
		return 0;
	}
	for (;;) {
		size_t n = strcspn(p, ",");
		char elem[64];

		if (n == 0) {
			snprintf(why, len, "empty list element");
			return EINVAL;
		}
		if (nl.n == CONFIG_LIST_MAX || ul.n == CONFIG_LIST_MAX) {
			snprintf(why, len, "more than %d values", CONFIG_LIST_MAX);
			return EINVAL;
		}
		if (n >= sizeof(elem)) {
			snprintf(why, len, "element too long");
			return EINVAL;
		}
		memcpy(elem, p, n);
		elem[n] = '\0';

		if (o->kind == OPT_COUNTS) {
			uint64_t v;
			int e = parse_number(UNIT_COUNT, elem, o->min, o->max,
			    &v, why, len);
			if (e != 0)
				return e;
			for (unsigned i = 0; i < ul.n; i++)
				if (ul.v[i] == v) {
					snprintf(why, len, "%s listed twice", elem);
					return EINVAL;
				}
			ul.v[ul.n++] = v;
		} else {
			const void *found = NULL, *e;
			const char *name;
			for (unsigned i = 0;
			    (name = table_name(o->kind, i, &e)) != NULL; i++)
				if (strcmp(name, elem) == 0)
					found = e;
			if (found == NULL) {
				char names_buf[512];
				snprintf(why, len, "unknown %s %s; expected %s%s",
				    kind_noun(o->kind), elem,
				    config_names(o->kind, names_buf,
				    sizeof(names_buf)),
				    o->kind == OPT_PRESETS ? ", or all" : "");
				return EINVAL;
			}
			for (unsigned i = 0; i < nl.n; i++)
				if (nl.v[i] == found) {
					snprintf(why, len, "%s listed twice", elem);
					return EINVAL;
				}
			nl.v[nl.n++] = found;
		}
		if (p[n] == '\0')
			break;
		p += n + 1;
		if (*p == '\0') {
			snprintf(why, len, "empty list element");
			return EINVAL;
		}
	}
	if (names != NULL)
		*names = nl;
	if (nums != NULL)
		*nums = ul;
	return 0;
}

int
config_set(struct config *c, const struct config_opt *o, const char *arg,
    char *why, size_t len)
{
	uint64_t v;
	int e = 0;

	switch (o->kind) {
	case OPT_WAKERS:
		e = parse_list(o, arg, &c->waker, NULL, why, len);
		c->set_mask |= e ? 0 : SET_WAKER;
		return e;
	case OPT_WAITS:
		e = parse_list(o, arg, &c->wait, NULL, why, len);
		c->set_mask |= e ? 0 : SET_WAIT;
		return e;
	case OPT_POKES:
		e = parse_list(o, arg, &c->poke, NULL, why, len);
		c->set_mask |= e ? 0 : SET_POKE;
		return e;
	case OPT_DRAINS:
		e = parse_list(o, arg, &c->drain, NULL, why, len);
		c->set_mask |= e ? 0 : SET_DRAIN;
		return e;
	case OPT_PRESETS:
		return parse_list(o, arg, &c->preset, NULL, why, len);
	case OPT_COUNTS:
		return parse_list(o, arg, NULL, &c->producers, why, len);
	case OPT_FAULTS: {
		struct name_list nl;
		if ((e = parse_list(o, arg, &nl, NULL, why, len)) != 0)
			return e;
		c->faults = 0;
		for (unsigned i = 0; i < nl.n; i++)
			c->faults |= ((const struct fault *)nl.v[i])->bit;
		return 0;
	}
	case OPT_RATE:
		if (strcmp(arg, "max") == 0) {
			c->rate = 0;
			return 0;
		}
		if ((e = parse_number(UNIT_COUNT, arg, o->min, o->max, &v,
		    why, len)) != 0) {
			if (e == EINVAL)
				snprintf(why, len, "expected max or %s",
				    units_accepted(UNIT_COUNT));
			return e;
		}
		c->rate = v;
		return 0;
	case OPT_COUNT:
	case OPT_PMQOS:
	case OPT_SIZE:
	case OPT_TIME: {
		enum unit_kind u = o->kind == OPT_SIZE ? UNIT_SIZE :
		    o->kind == OPT_TIME ? UNIT_TIME : UNIT_COUNT;
		if ((e = parse_number(u, arg, o->min, o->max, &v, why, len)) != 0)
			return e;
		if (strcmp(o->name, "burst") == 0)
			c->burst = v;
		else if (strcmp(o->name, "connections") == 0)
			c->connections = v;
		else if (strcmp(o->name, "net-rate") == 0)
			c->net_rate = v;
		else if (strcmp(o->name, "clients") == 0)
			c->clients = v;
		else if (strcmp(o->name, "msg-size") == 0)
			c->msg_size = v;
		else if (strcmp(o->name, "duration") == 0)
			c->duration_ns = v;
		else if (strcmp(o->name, "trials") == 0)
			c->trials = v;
		else if (strcmp(o->name, "warmup") == 0)
			c->warmup_ns = v;
		else if (strcmp(o->name, "timeout") == 0)
			c->timeout_ns = v;
		else if (strcmp(o->name, "pipe-size") == 0)
			c->pipe_size = v;
		else if (strcmp(o->name, "spawn") == 0)
			c->spawn = v;
		else if (strcmp(o->name, "pm-qos") == 0)
			c->pm_qos_us = (int64_t)v;
		return 0;
	}
	case OPT_STALL: {
		char t[64];
		const char *at = strchr(arg, '@');
		size_t n = at ? (size_t)(at - arg) : strlen(arg);
		uint64_t stall, period = 0;
		if (n >= sizeof(t)) {
			snprintf(why, len, "expected TIME or TIME@PERIOD");
			return EINVAL;
		}
		memcpy(t, arg, n);
		t[n] = '\0';
		if ((e = parse_number(UNIT_TIME, t, o->min, o->max, &stall,
		    why, len)) != 0)
			return e;
		if (at != NULL) {
			if ((e = parse_number(UNIT_TIME, at + 1, o->min,
			    o->max, &period, why, len)) != 0)
				return e;
			if (period <= stall) {
				snprintf(why, len, "PERIOD must be longer than TIME");
				return EINVAL;
			}
		}
		c->stall_ns = stall;
		c->stall_period_ns = period;
		return 0;
	}
	case OPT_FLAG:
		c->pin = true;
		return 0;
	case OPT_PATH: {
		if (arg[0] == '\0') {
			snprintf(why, len, "expected a file name, or - for stdout");
			return EINVAL;
		}
		if (strcmp(o->name, "csv") == 0)
			c->csv = arg;
		else if (strcmp(o->name, "percentiles") == 0)
			c->percentiles = arg;
		else
			c->json = arg;
		return 0;
	}
	case OPT_QUIET:
		c->verbose = -1;
		return 0;
	case OPT_VERBOSE:
		c->verbose = 1;
		return 0;
	case OPT_HELP:
	case OPT_VERSION:
		return 0;
	case OPT_BASELINE:
		/* Resolved against the configurations by the driver. */
		if (arg[0] == '\0') {
			snprintf(why, len, "expected a row number or a label");
			return EINVAL;
		}
		c->baseline = arg;
		return 0;
	case OPT_PRECISION: {
		char *end;
		double p;
		errno = 0;
		p = strtod(arg, &end);
		if (end == arg || *end != '\0' || errno != 0 || !(p >= 0.1) ||
		    !(p <= 100)) {
			snprintf(why, len, "expected a percentage between 0.1 "
			    "and 100");
			return EINVAL;
		}
		c->precision_pct = p;
		return 0;
	}
	case OPT_MAX_TIME:
		if ((e = parse_number(UNIT_TIME, arg, o->min, o->max, &v, why,
		    len)) != 0)
			return e;
		c->max_time_ns = v;
		return 0;
	case OPT_ALPHA: {
		char *end;
		double a;
		errno = 0;
		a = strtod(arg, &end);
		if (end == arg || *end != '\0' || errno != 0 || !(a >= 0.0001) ||
		    !(a <= 0.5)) {
			snprintf(why, len, "expected a probability between "
			    "0.0001 and 0.5");
			return EINVAL;
		}
		c->alpha = a;
		return 0;
	}
	}
	return 0;
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
	    (c->json && strcmp(c->json, "-") == 0);
	if (to_stdout > 1) {
		*opt = "csv";
		snprintf(val, vallen, "-");
		snprintf(why, whylen, "only one of --csv, --percentiles and "
		    "--json can write to stdout");
		return EINVAL;
	}
	const char *paths[3] = { c->csv, c->percentiles, c->json };
	const char *names[3] = { "csv", "percentiles", "json" };
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (paths[i] && paths[j] && strcmp(paths[i], "-") != 0 &&
			    strcmp(paths[i], "/dev/null") != 0 &&
			    strcmp(paths[i], paths[j]) == 0) {
				*opt = names[j];
				snprintf(val, vallen, "%s", paths[j]);
				snprintf(why, whylen, "already the --%s file",
				    names[i]);
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
