/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* schedstat: the /proc and /sys readers against fixture trees under
 * $WAKEBENCH_SYSROOT, a full one and an empty one (a VM without cpuidle,
 * a kernel without schedstat): counters read, deltas, and unknowns that
 * stay unknown rather than read 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schedstat.h"
#include "tap.h"

static char root[64];

/* put writes text to root/path, making its directories. */
static void
put(const char *path, const char *text)
{
	char p[512];

	snprintf(p, sizeof(p), "%s%s", root, path);
	for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	FILE *f = fopen(p, "w");
	if (f == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

static void
state(int cpu, int k, const char *name, const char *lat, const char *usage,
    const char *time, const char *above, const char *below)
{
	char p[128];
	const char *file[] = { "name", "latency", "residency", "usage", "time",
	    "above", "below" };
	const char *val[] = { name, lat, lat, usage, time, above, below };

	for (int i = 0; i < 7; i++) {
		snprintf(p, sizeof(p), "/sys/devices/system/cpu/cpu%d/cpuidle/"
		    "state%d/%s", cpu, k, file[i]);
		put(p, val[i]);
	}
}

int
main(void)
{
	struct sched_thread t, t2, d;
	struct sched_cpus c, c2, dc;
	char buf[512];
	int cpus[2] = { 0, 2 };

	snprintf(root, sizeof(root), "/tmp/wb-schedstat-XXXXXX");
	if (mkdtemp(root) == NULL)
		abort();
	setenv("WAKEBENCH_SYSROOT", root, 1);

	/* Empty tree: everything unknown, never 0, and all of it named. */
	schedstat_thread(&t);
	ok(t.run_ns == SCHED_UNKNOWN && t.delay_ns == SCHED_UNKNOWN &&
	    t.slices == SCHED_UNKNOWN && t.vcsw == SCHED_UNKNOWN &&
	    t.ivcsw == SCHED_UNKNOWN && t.migrations == SCHED_UNKNOWN,
	    "empty sysroot: every thread counter unknown");
	schedstat_cpus(&c, cpus, 2);
	ok(c.nstates == 0 && c.idle_entries == SCHED_UNKNOWN &&
	    c.idle_time_ns == SCHED_UNKNOWN && c.ipi_resched == SCHED_UNKNOWN &&
	    c.ipi_call == SCHED_UNKNOWN, "empty sysroot: every CPU counter unknown");
	ok(schedstat_missing(buf, sizeof(buf), 0) == 6 &&
	    strstr(buf, "schedstat") && strstr(buf, "cpuidle") &&
	    strstr(buf, "/proc/interrupts RES"), "six sources missing: %s", buf);
	schedstat_thread_delta(&d, &t, &t);
	ok(d.delay_ns == SCHED_UNKNOWN, "a delta of unknowns is unknown");

	/* A full tree. */
	put("/proc/thread-self/schedstat", "1000 200 7\n");
	put("/proc/thread-self/status", "Name:\tx\nvoluntary_ctxt_switches:\t5\n"
	    "nonvoluntary_ctxt_switches:\t3\n");
	put("/proc/thread-self/sched", "x (1, #threads: 1)\n---\n"
	    "se.sum_exec_runtime                          :             1.000000\n"
	    "se.nr_migrations                             :                    4\n");
	/* /proc/interrupts: CPUs 0, 1, 2 online; 0 and 2 allowed. */
	put("/proc/interrupts", "           CPU0       CPU1       CPU2\n"
	    "  0:         10          0          0   IO-APIC    2-edge      timer\n"
	    "RES:        100       1000         10   Rescheduling interrupts\n"
	    "CAL:         20       2000          2   Function call interrupts\n");
	state(0, 0, "POLL\n", "0\n", "10\n", "100\n", "0\n", "3\n");
	state(0, 1, "C1\n", "2\n", "20\n", "1000\n", "1\n", "0\n");
	state(2, 0, "POLL\n", "0\n", "1\n", "10\n", "0\n", "1\n");
	state(2, 1, "C1\n", "2\n", "2\n", "100\n", "0\n", "0\n");

	schedstat_thread(&t);
	ok(t.run_ns == 1000 && t.delay_ns == 200 && t.slices == 7,
	    "schedstat: run 1000, delay 200, slices 7");
	ok(t.vcsw == 5 && t.ivcsw == 3, "status: voluntary 5, involuntary 3 "
	    "(not confused by the prefix)");
	ok(t.migrations == 4, "sched: se.nr_migrations 4");
	ok(schedstat_missing(buf, sizeof(buf), 0) == 0 && buf[0] == '\0',
	    "nothing missing");

	schedstat_cpus(&c, cpus, 2);
	ok(c.ipi_resched == 110 && c.ipi_call == 22,
	    "IPIs summed over the allowed CPUs' columns only (%llu, %llu)",
	    (unsigned long long)c.ipi_resched, (unsigned long long)c.ipi_call);
	ok(c.nstates == 2 && strcmp(c.state[0].name, "POLL") == 0 &&
	    strcmp(c.state[1].name, "C1") == 0, "two states, named");
	ok(c.state[1].exit_latency_ns == 2000 &&
	    c.state[1].target_residency_ns == 2000, "latency and residency in ns");
	ok(c.state[0].entries == 11 && c.state[1].entries == 22 &&
	    c.state[1].time_ns == 1100000 && c.state[0].below == 4 &&
	    c.state[1].above == 1, "per state: summed over CPUs, time in ns");
	ok(c.idle_entries == 33 && c.idle_time_ns == 1210000,
	    "idle totals over every state");

	/* A window: the counters move. */
	put("/proc/thread-self/schedstat", "1500 900 9\n");
	put("/proc/interrupts", "           CPU0       CPU1       CPU2\n"
	    "RES:        150       1000         10   Rescheduling interrupts\n"
	    "CAL:         20       2000          2   Function call interrupts\n");
	state(0, 1, "C1\n", "2\n", "25\n", "1500\n", "1\n", "0\n");
	schedstat_thread(&t2);
	schedstat_thread_delta(&d, &t2, &t);
	ok(d.run_ns == 500 && d.delay_ns == 700 && d.slices == 2 && d.vcsw == 0,
	    "thread delta");
	schedstat_cpus(&c2, cpus, 2);
	schedstat_cpus_delta(&dc, &c2, &c);
	ok(dc.ipi_resched == 50 && dc.ipi_call == 0 && dc.idle_entries == 5 &&
	    dc.idle_time_ns == 500000 && dc.state[1].entries == 5 &&
	    dc.state[1].exit_latency_ns == 2000, "CPU delta");
	struct sched_thread sum = { 0 };
	schedstat_thread_add(&sum, &d);
	schedstat_thread_add(&sum, &d);
	ok(sum.delay_ns == 1400, "producers summed");
	d.ivcsw = SCHED_UNKNOWN;
	schedstat_thread_add(&sum, &d);
	ok(sum.ivcsw == SCHED_UNKNOWN, "one unknown makes the sum unknown");

	/* No SCHED_DEBUG: migrations alone missing. */
	char p[128];
	snprintf(p, sizeof(p), "%s/proc/thread-self/sched", root);
	unlink(p);
	schedstat_thread(&t);
	ok(t.migrations == SCHED_UNKNOWN && t.delay_ns == 900,
	    "without .../sched: migrations unknown, the rest read");
	ok(schedstat_missing(buf, sizeof(buf), 0) == 1 && strstr(buf, "migrations"),
	    "one missing: %s", buf);

	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		ok(0, "rm");
	return tap_done();
}
