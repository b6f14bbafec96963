/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* config: every option kind accepted and refused, combinations, and the
 * cross product of lists. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "drain.h"
#include "fault.h"
#include "plot.h"
#include "poke.h"
#include "rt.h"
#include "tap.h"
#include "wait.h"
#include "waker.h"

static struct config c;

static int
set(const char *name, const char *arg, char *why)
{
	const struct config_opt *o = config_opt_find(0, name);

	why[0] = '\0';
	return o ? config_set(&c, o, arg, why, 256) : -1;
}

static void
good(const char *name, const char *arg)
{
	char why[256];
	int e = set(name, arg, why);

	ok(e == 0, "--%s %s accepted%s%s", name, arg, e ? ": " : "", why);
}

/* bad: refused, and the reason mentions want. */
static void
bad(const char *name, const char *arg, const char *want)
{
	char why[256];
	struct config before = c;
	int e = set(name, arg, why);

	ok(e != 0 && strstr(why, want) != NULL &&
	    memcmp(&before, &c, sizeof(c)) == 0,
	    "--%s \"%s\" refused: %s", name, arg, why);
}

int
main(void)
{
	config_init(&c);
	ok(c.waker.n == 2 && c.wait.n == 1 && c.producers.v[0] == 4 &&
	    c.rate == 20000 && c.connections == 16 && c.trials == 10 &&
	    c.duration_ns == 300000000 && c.timeout_ns == 50000000 &&
	    c.warmup_ns == 200000000 && c.pm_qos_us == -1,
	    "defaults as wakebench(1) lists them");
	ok(c.alpha == 0.05 && c.baseline == NULL, "alpha 0.05, baseline the first row");
	good("alpha", "0.01");
	ok(c.alpha == 0.01, "--alpha 0.01");
	bad("alpha", "0", "between 0.0001 and 0.5");
	bad("alpha", "0.6", "between 0.0001 and 0.5");
	bad("alpha", "x", "between 0.0001 and 0.5");
	bad("alpha", "nan", "between 0.0001 and 0.5");
	ok(c.precision_pct == 0 && c.max_time_ns == 60000000000ULL,
	    "--precision off, --max-time 60s");
	good("precision", "2.5");
	ok(c.precision_pct == 2.5, "--precision 2.5");
	bad("precision", "0", "between 0.1 and 100");
	bad("precision", "101", "between 0.1 and 100");
	bad("precision", "5%", "between 0.1 and 100");
	good("max-time", "90");
	ok(c.max_time_ns == 90000000000ULL, "--max-time 90 is 90 s");
	bad("max-time", "500ms", "between 1s and");
	good("baseline", "eventfd poll always all p4");
	bad("baseline", "", "a row number or a label");

	for (const struct config_opt *o = config_opts; o->name; o++)
		ok(config_opt_find(0, o->name) == o &&
		    (o->chr == 0 || config_opt_find(o->chr, NULL) == o),
		    "--%s found by name and letter", o->name);

	good("mechanism", "pipe,eventfd,eventfd-sem,socketpair");
	ok(c.waker.n == 4, "four mechanisms");
	bad("mechanism", "pipes", "expected pipe, eventfd, eventfd-sem, socketpair");
	bad("mechanism", "pipe,,eventfd", "empty list element");
	bad("mechanism", ",pipe", "empty list element");
	bad("mechanism", "pipe,", "empty list element");
	bad("mechanism", "", "empty list element");
	bad("mechanism", "pipe,pipe", "listed twice");
	good("wait", "select,poll,epoll,epoll-et");
	bad("wait", "kqueue", "unknown wait kqueue");
	good("poke", "always,coalesce,transition");
	bad("poke", "sometimes", "unknown poke policy");
	good("drain", "all,once,per-item,none");
	bad("drain", "most", "unknown drain policy");
	bad("preset", "libuvv", "unknown preset");
	good("producers", "1,2,4,8,16");
	ok(c.producers.n == 5 && c.producers.v[4] == 16, "producers list");
	good("producers", "1k");
	bad("producers", "0", "between 1 and 4096");
	bad("producers", "4097", "between");
	bad("producers", "-1", "expected a whole number");
	bad("producers", "two", "expected a whole number");
	bad("producers", "1,1", "listed twice");
	bad("producers", "1,,2", "empty list element");
	bad("producers", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,"
	    "21,22,23,24,25,26,27,28,29,30,31,32,33", "more than 32");
	good("rate", "max");
	ok(c.rate == 0, "rate max is 0");
	good("rate", "20k");
	bad("rate", "0", "between");
	bad("rate", "maximum", "expected max or");
	bad("rate", "1000000000", "between");
	good("burst", "64");
	bad("burst", "0", "between 1");
	good("connections", "0");
	good("connections", "10k");
	bad("connections", "100001", "between 0 and 100000");
	good("net-rate", "1k");
	bad("net-rate", "0", "between");
	good("msg-size", "4k");
	ok(c.msg_size == 4096, "msg-size 4k = 4096");
	bad("msg-size", "0", "between 1B");
	bad("msg-size", "2M", "between");
	good("duration", "2");
	ok(c.duration_ns == 2000000000ULL, "a bare duration is seconds");
	good("duration", "250ms");
	bad("duration", "0", "between 1ms and");
	bad("duration", "2h", "expected a time");
	bad("duration", "5000s", "between");
	bad("duration", "10x", "expected a time");
	good("trials", "5");
	bad("trials", "0", "between 1 and 1000");
	good("warmup", "0");
	bad("warmup", "-1s", "expected a time");
	good("timeout", "10ms");
	bad("timeout", "0", "between 1ms");
	bad("timeout", "61s", "between");
	good("pipe-size", "4096");
	good("pipe-size", "1M");
	bad("pipe-size", "100", "between 4KiB");
	good("stall", "100ms");
	ok(c.stall_ns == 100000000 && c.stall_period_ns == 0, "stall once");
	good("stall", "10ms@200ms");
	ok(c.stall_period_ns == 200000000, "stall period");
	bad("stall", "10ms@5ms", "PERIOD must be longer");
	bad("stall", "@1s", "expected a time");
	bad("stall", "10ms@", "expected a time");
	good("fault", "poke-first,no-cloexec");
	ok(c.faults == (FAULT_POKE_FIRST | FAULT_NO_CLOEXEC), "two faults");
	bad("fault", "typo", "unknown fault typo");
	good("spawn", "3");
	bad("spawn", "1001", "between 0 and 1000");
	good("pm-qos", "0");
	ok(c.pm_qos_us == 0, "pm-qos 0");
	bad("pm-qos", "-5", "expected");
	ok(c.sched_policy == RT_OTHER && c.sched_prio == 0, "sched other by default");
	good("sched", "fifo");
	ok(c.sched_policy == RT_FIFO && c.sched_prio == RT_PRIO_DEFAULT,
	    "--sched fifo: priority 49");
	good("sched", "rr:98");
	ok(c.sched_policy == RT_RR && c.sched_prio == 98, "--sched rr:98");
	bad("sched", "fifo:99", "between 1 and 98");
	bad("sched", "fifo:0", "between 1 and 98");
	bad("sched", "fifo:", "expected other, fifo[:PRIO] or rr[:PRIO]");
	bad("sched", "fifo:5x", "expected other");
	bad("sched", "fifo:-3", "expected other");
	bad("sched", "other:5", "expected other");
	bad("sched", "deadline", "expected other");
	good("sched", "other");
	ok(c.sched_policy == RT_OTHER && c.sched_prio == 0, "--sched other");
	good("pin", NULL);
	ok(c.pin, "pin set");
	config_init(&c);
	good("cpus", "3,0-2");
	ok(c.pin && c.cpus.n == 4 && c.cpus.v[0] == 3 && c.cpus.v[1] == 0 &&
	    c.cpus.v[3] == 2, "cpus 3,0-2: main on 3, then 0, 1, 2; sets pin");
	char cl[64];
	ok(strcmp(config_cpus(&c.cpus, 0, cl, sizeof(cl)), "3,0-2") == 0 &&
	    strcmp(config_cpus(&c.cpus, 1, cl, sizeof(cl)), "0-2") == 0,
	    "cpus printed as given, runs as ranges (%s)", cl);
	good("cpus", "5");
	ok(c.cpus.n == 1 && c.cpus.v[0] == 5, "cpus 5 replaces the list");
	bad("cpus", "0,0-1", "listed twice");
	bad("cpus", "2-1", "expected CPU numbers");
	bad("cpus", "1024", "expected CPU numbers 0-1023");
	bad("cpus", "1k", "expected CPU numbers");
	bad("cpus", "-1", "expected CPU numbers");
	bad("cpus", "0,", "empty list element");
	good("csv", "out.csv");
	bad("csv", "", "expected a file name");
	good("json", "-");
	good("quiet", NULL);
	ok(c.verbose == -1, "quiet");
	/* --plot-metric: one name of its table (OPT_WORD), not a list */
	ok(c.plot_metric == &plot_metric_table[0], "plot-metric defaults to wake");
	good("plot-metric", "item");
	ok(c.plot_metric == &plot_metric_table[1], "plot-metric item");
	bad("plot-metric", "wake,item", "unknown metric; expected one of wake, item, net_rtt");
	bad("plot-metric", "", "unknown metric");
	good("markdown", "-");
	bad("markdown", "", "expected a file name");

	/* combinations */
	const char *opt;
	char val[64], why[256];
	config_init(&c);
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) == 0,
	    "the defaults pass config_check");
	good("drain", "none");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) != 0 &&
	    strcmp(opt, "drain") == 0 && strstr(why, "epoll-et"),
	    "--drain none under poll refused: %s", why);
	good("wait", "epoll-et");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) == 0,
	    "--drain none with epoll-et accepted");
	good("wait", "epoll-et,select");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) != 0,
	    "--drain none refused when any wait in the list is level-triggered");
	good("fault", "no-drain");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) == 0,
	    "--drain none under select allowed with --fault no-drain");
	config_init(&c);
	good("csv", "-");
	good("json", "-");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) != 0 &&
	    strstr(why, "stdout"), "two outputs to stdout refused: %s", why);
	/* The same file twice is the driver's to refuse, by identity
	 * (outfile_same; tests/cli/hostile.bats): a name alone would refuse
	 * a symlink to /dev/null twice and miss x and ./x. */
	config_init(&c);
	good("csv", "a.csv");
	good("json", "a.csv");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) == 0,
	    "the same name twice is left to the identity check");
	config_init(&c);
	good("plot", "a.png");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) == 0,
	    "--plot a.png accepted");
	good("plot", "a.SVG");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) != 0 &&
	    strcmp(opt, "plot") == 0, "--plot a.SVG refused: %s", why);
	good("plot", "a.svg");
	good("connections", "0");
	good("plot-metric", "net_rtt");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) != 0 &&
	    strcmp(opt, "plot-metric") == 0, "--plot-metric net_rtt with -c 0 "
	    "refused: %s", why);
	config_init(&c);
	good("markdown", "-");
	good("csv", "-");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) != 0 &&
	    strstr(why, "--markdown"), "--markdown and --csv both on stdout "
	    "refused: %s", why);
	config_init(&c);
	good("stall", "2s");
	ok(config_check(&c, &opt, val, sizeof(val), why, sizeof(why)) != 0 &&
	    strcmp(opt, "stall") == 0, "a stall as long as a trial refused");

	/* cross product */
	struct setup *s;
	config_init(&c);
	good("mechanism", "pipe,eventfd,socketpair");
	good("wait", "select,poll,epoll");
	good("producers", "1,4");
	size_t n = config_expand(&c, &s);
	ok(n == 18, "3 x 3 x 2 = 18 configurations (%zu)", n);
	ok(s[0].waker == waker_find("pipe") && s[1].waker == waker_find("eventfd") &&
	    s[0].wait == s[1].wait && s[0].index == 1 && s[17].index == 18 &&
	    s[17].producers == 4, "mechanisms vary fastest, indexes from 1");
	char label[128];
	ok(strcmp(setup_label(&s[0], label, sizeof(label)),
	    "pipe select always all p1") == 0, "label: %s", label);
	free(s);
	good("mechanism", "pipe,eventfd,eventfd-sem,socketpair");
	good("wait", "select,poll,epoll,epoll-et");
	good("poke", "always,coalesce,transition");
	good("drain", "all,once,per-item,none");
	good("producers", "1,2,3,4,5,6");
	ok(config_expand(&c, &s) == 0 && errno == E2BIG,
	    "more than %d configurations refused", CONFIG_SETUPS_MAX);
	return tap_done();
}
