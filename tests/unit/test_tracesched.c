/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* tracesched: the tracepoint format parser and the joiner of events to
 * wakeup samples, on scripted input (no kernel, no threads). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tracesched.h"

/* Linux 6.18's sched_switch format, whole. */
static const char switch_fmt[] =
    "name: sched_switch\nID: 373\nformat:\n"
    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
    "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
    "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
    "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
    "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
    "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
    "\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;\n"
    "\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
    "\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;\n"
    "\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;\n"
    "\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;\n\n"
    "print fmt: \"prev_comm=%s prev_pid=%d\", REC->prev_comm, REC->prev_pid\n";

static void
formats(void)
{
	int off = -1, size = -1;

	ok(ts_format_field(switch_fmt, "prev_pid", &off, &size) == 0 &&
	    off == 24 && size == 4, "prev_pid at 24, 4 bytes");
	ok(ts_format_field(switch_fmt, "next_pid", &off, &size) == 0 &&
	    off == 56 && size == 4, "next_pid at 56");
	/* "pid" is a suffix of common_pid, prev_pid and next_pid: only a
	 * field named pid matches, and sched_switch has none. */
	ok(ts_format_field(switch_fmt, "pid", &off, &size) == ENOENT,
	    "pid is not common_pid's or prev_pid's suffix");
	ok(ts_format_field(switch_fmt, "next_comm", &off, &size) == 0 &&
	    off == 40 && size == 16, "an array field by its name");
	ok(ts_format_field(switch_fmt, "prev", &off, &size) == ENOENT,
	    "a prefix is no match");
	ok(ts_format_field("", "pid", &off, &size) == ENOENT, "empty text");
	/* A layout that moved (another kernel): the offset is read, not
	 * assumed. */
	ok(ts_format_field("\tfield:int common_pid;\toffset:4;\tsize:4;\n"
	    "\tfield:pid_t pid;\toffset:40;\tsize:4;\tsigned:1;\n", "pid", &off,
	    &size) == 0 && off == 40, "pid at 40 in a moved layout");
}

static struct ts_join j;

static uint64_t
p50(const struct hist *h)
{
	return hist_value_at(h, 0.5);
}

static void
joins(void)
{
	/* Asleep (switched out), poked at 1000, woken at 1300, switched in
	 * at 2000, the wait returned at 2500. */
	ts_join_init(&j);
	ts_join_event(&j, 500, TS_SWITCH_OUT);
	ts_join_event(&j, 2000, TS_SWITCH_IN);	/* out of order: sorted */
	ts_join_event(&j, 1300, TS_WAKING);
	ok(ts_join_sample(&j, 1000, 2500), "a sleep joined");
	ok(p50(&j.kernel) == 300 && p50(&j.sched) == 700 && p50(&j.ret) == 500,
	    "parts 300 + 700 + 500 = the sample, 1500 (%llu %llu %llu)",
	    (unsigned long long)p50(&j.kernel), (unsigned long long)p50(&j.sched),
	    (unsigned long long)p50(&j.ret));
	ok(j.n == 0 && j.on_cpu == 1, "its events consumed, the thread on its CPU");

	/* Woken before it left its CPU (no switch out since the last in):
	 * wake_sched is 0, even with a preemption later in the wait. */
	ts_join_event(&j, 3100, TS_WAKING);
	ts_join_event(&j, 3200, TS_SWITCH_OUT);
	ts_join_event(&j, 3900, TS_SWITCH_IN);
	ok(ts_join_sample(&j, 3000, 4000), "woken on its CPU: joined");
	ok(hist_value_at(&j.sched, 0) == 0 && j.ret.max == 900,
	    "sched 0, return from the waking: 900 (%llu)",
	    (unsigned long long)j.ret.max);

	/* A waking before the poke (the timeout's timer) is not the
	 * poke's; no waking after it: unjoined, and counted. */
	ts_join_event(&j, 4500, TS_SWITCH_OUT);
	ts_join_event(&j, 4900, TS_WAKING);
	ts_join_event(&j, 5000, TS_SWITCH_IN);
	ts_join_event(&j, 5050, TS_SWITCH_OUT);
	ok(!ts_join_sample(&j, 5100, 5600) && j.unjoined == 1 && j.joined == 2,
	    "no waking after the poke: unjoined");

	/* Off its CPU at the waking and no switch in before the return:
	 * unjoined rather than a part from the next wakeup. */
	ts_join_event(&j, 6100, TS_WAKING);
	ts_join_event(&j, 6800, TS_SWITCH_IN);
	ok(!ts_join_sample(&j, 6000, 6500) && j.unjoined == 2,
	    "no switch in before the return: unjoined");
	ok(j.n == 1 && j.ev[0].time == 6800, "the later event kept for later");
}

static void
bounded(void)
{
	/* More events than it holds, none consumed: the oldest go, and a
	 * sample that began before them cannot be joined. */
	ts_join_init(&j);
	ts_join_event(&j, 10, TS_SWITCH_OUT);
	ts_join_event(&j, 20, TS_WAKING);
	for (uint64_t i = 0; i < TS_EVENTS_MAX; i++)
		ts_join_event(&j, 1000 + i, TS_SWITCH_OUT);
	ok(j.n == TS_EVENTS_MAX && j.cut == 20, "bounded: the two oldest dropped "
	    "(cut %llu)", (unsigned long long)j.cut);
	ok(!ts_join_sample(&j, 15, 30) && j.unjoined == 1,
	    "a sample from before the cut is unjoined, not joined wrongly");
	ts_join_event(&j, 1000 + TS_EVENTS_MAX + 10, TS_WAKING);
	ts_join_event(&j, 1000 + TS_EVENTS_MAX + 20, TS_SWITCH_IN);
	ok(ts_join_sample(&j, 1000 + TS_EVENTS_MAX + 5, 1000 + TS_EVENTS_MAX + 40),
	    "a sample after the cut joins");
}

int
main(void)
{
	formats();
	joins();
	bounded();
	return tap_done();
}
