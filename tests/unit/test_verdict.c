/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* verdict: each finding from hand-made trial results, at and around its
 * threshold, and the exit status a run gets from them. */
#include <signal.h>
#include <string.h>

#include "net.h"
#include "report.h"
#include "tap.h"
#include "verdict.h"

static struct trial_result tr[4];
static struct config cfg;

/* judge: the verdict of one configuration of n trials tr[0..n). */
static struct verdict
judge(unsigned n)
{
	struct setup_result sr = { .trials = tr, .done = n };
	struct verdict v;

	verdict_judge(&sr, &cfg, &v);
	return v;
}

static void
clean(void)
{
	memset(tr, 0, sizeof(tr));
	for (int i = 0; i < 4; i++)
		tr[i].duration_ns = 1000000000;
	config_init(&cfg);
}

int
main(void)
{
	struct verdict v;

	clean();
	v = judge(2);
	ok(v.findings == 0 && strcmp(v.text, "ok") == 0, "clean trials: ok (%s)", v.text);

	/* Busy loop: more than one empty wakeup per ms of the idle phase. */
	clean();
	tr[0].idle_ns = 20000000;
	tr[0].idle_wakeups = 100;		/* 5 per ms */
	v = judge(1);
	ok(v.findings & FIND_BUSY_LOOP, "100 wakeups in 20 ms idle is a busy loop (%s)", v.text);
	tr[0].idle_wakeups = 10;		/* 0.5 per ms */
	v = judge(1);
	ok(!(v.findings & FIND_BUSY_LOOP), "10 wakeups in 20 ms idle is not (%s)", v.text);
	tr[0].idle_wakeups = 21;		/* just over 1 per ms */
	v = judge(1);
	ok(v.findings & FIND_BUSY_LOOP, "21 wakeups in 20 ms idle is (%s)", v.text);

	/* Lost wakeups are summed over trials, the stranded time maxed;
	 * the headline counts the window's items, the text says so and
	 * gives the whole trial's too, which is what is judged. */
	clean();
	tr[0].lost_wakeups = tr[0].lost_wakeups_total = 3;
	tr[1].lost_wakeups = 4;
	tr[1].lost_wakeups_total = 6;
	tr[1].stranded_ns_max = tr[1].stranded_ns_max_total = 50000000;
	tr[0].items = tr[1].items = 100;
	v = judge(2);
	ok((v.findings & FIND_LOST_WAKEUPS) && strstr(v.text, "LOST WAKEUPS 7 ") &&
	    strstr(v.text, "50ms") && strstr(v.text, "of 200 items in the window") &&
	    strstr(v.text, "9 in the whole trial"),
	    "LOST WAKEUPS summed, max stranded, window and total (%s)", v.text);
	/* Lost only in the warmup: still a finding, and the row says 0. */
	clean();
	tr[0].lost_wakeups_total = 2;
	tr[0].stranded_ns_max_total = 1000000;
	v = judge(1);
	ok((v.findings & FIND_LOST_WAKEUPS) && strstr(v.text, "LOST WAKEUPS 0 ") &&
	    strstr(v.text, "2 in the whole trial"),
	    "a loss in the warmup alone is judged (%s)", v.text);

	/* WAKER FULL: any EAGAIN from a waker never read (the whole trial,
	 * warmup included); poke_eagain alone (a drained waker) is not. */
	clean();
	tr[0].poke_eagain = tr[0].poke_eagain_total = 500;
	v = judge(1);
	ok(!(v.findings & FIND_WAKER_FULL), "EAGAIN from a drained waker is "
	    "not a finding (%s)", v.text);
	tr[0].waker_full = 1;
	v = judge(1);
	ok((v.findings & FIND_WAKER_FULL) && strstr(v.text, "WAKER FULL 1 "),
	    "one EAGAIN from a waker never read is (%s)", v.text);

	/* WAKER NEVER EMPTIED: any turn the judge counted. */
	clean();
	tr[1].waker_not_emptied = 2;
	tr[0].waker_not_emptied = 1;
	v = judge(2);
	ok((v.findings & FIND_NOT_EMPTIED) &&
	    strstr(v.text, "WAKER NEVER EMPTIED 3 "), "WAKER NEVER EMPTIED "
	    "summed (%s)", v.text);
	char fb[128];
	ok(strcmp(verdict_trial_findings(&tr[1], fb, sizeof(fb)),
	    "waker_not_emptied") == 0, "named waker_not_emptied (%s)", fb);

	/* CQ OVERFLOW is a note, summed over the trials with a ring, over
	 * their waits; CQ DROPPED is a finding. */
	clean();
	tr[0].cq_overflow = 3;
	tr[0].waits = 100;
	tr[1].cq_overflow = 4;
	tr[1].waits = 50;
	tr[2].cq_overflow = RESULT_UNKNOWN;
	tr[2].waits = 1000;
	v = judge(3);
	ok(v.findings == 0 && strncmp(v.text, "ok (CQ OVERFLOW: 7 of 150 "
	    "waits ", 24) == 0, "CQ OVERFLOW summed over the ring's trials, "
	    "not a finding (%s)", v.text);
	tr[0].cq_overflow = tr[1].cq_overflow = 0;
	v = judge(3);
	ok(strcmp(v.text, "ok") == 0, "no overflow, no note (%s)", v.text);
	tr[1].cq_dropped = 2;
	tr[2].cq_dropped = RESULT_UNKNOWN;
	v = judge(3);
	ok((v.findings & FIND_CQ_DROPPED) && strstr(v.text, "CQ DROPPED 2 "),
	    "CQ DROPPED: a finding, unknown counts left out (%s)", v.text);
	ok(strcmp(verdict_trial_findings(&tr[1], fb, sizeof(fb)),
	    "cq_dropped") == 0, "named cq_dropped (%s)", fb);

	/* BUSY LOOP gives the CPU per wakeup, which load does not move. */
	clean();
	tr[0].idle_ns = 20000000;
	tr[0].idle_wakeups = 1000;
	tr[0].idle_cpu_ns = 10000000;
	v = judge(1);
	ok((v.findings & FIND_BUSY_LOOP) && strstr(v.text, "one per 10us of its CPU"),
	    "BUSY LOOP: CPU per wakeup (%s)", v.text);

	/* items_lost counts either sign. */
	clean();
	tr[0].items_lost = -2;
	v = judge(1);
	ok((v.findings & FIND_ITEMS_LOST) && strstr(v.text, "ITEMS LOST 2"),
	    "a negative items_lost is a finding too (%s)", v.text);

	/* Stuck producers and deadlock. */
	clean();
	tr[0].stuck = true;
	v = judge(1);
	ok((v.findings & FIND_STUCK) && strstr(v.text, "PRODUCERS STUCK"), "stuck (%s)", v.text);
	clean();
	tr[0].deadlock = true;
	v = judge(1);
	ok(v.findings & FIND_DEADLOCK, "deadlock (%s)", v.text);

	/* NET STARVED: the loop's finding on a machine that let it run... */
	clean();
	tr[0].net_timeouts = 5;
	tr[0].main_run_delay_ns = 100000000;	/* 10 % */
	tr[0].client_stall_ns_max = 20000000;
	v = judge(1);
	ok((v.findings & FIND_NET_STARVED) && strstr(v.text, "NET STARVED 5 "),
	    "starved on a free machine: a finding (%s)", v.text);
	/* ... a note when the main thread waited half the window for a CPU ... */
	tr[0].main_run_delay_ns = 500000000;
	v = judge(1);
	ok(!(v.findings & FIND_NET_STARVED) && strstr(v.text, "machine contended") &&
	    strstr(v.text, "50%"), "main thread 50%% in a run queue: a note (%s)", v.text);
	tr[0].main_run_delay_ns = 490000000;
	v = judge(1);
	ok(v.findings & FIND_NET_STARVED, "49%%: still the loop's (%s)", v.text);
	/* ... or when a client thread did not run for half the timeout. */
	tr[0].main_run_delay_ns = RESULT_UNKNOWN;
	tr[0].client_stall_ns_max = NET_TIMEOUT_NS / 2;
	v = judge(1);
	ok(!(v.findings & FIND_NET_STARVED) && strstr(v.text, "client thread did not run"),
	    "a stopped client: a note (%s)", v.text);
	tr[0].client_stall_ns_max = NET_TIMEOUT_NS / 2 - 1;
	v = judge(1);
	ok(v.findings & FIND_NET_STARVED, "a client that ran: the loop's (%s)", v.text);

	/* An unknown fd count is no leak; a known one is. */
	clean();
	tr[0].fd_delta = RESULT_FD_UNKNOWN;
	v = judge(1);
	ok(!(v.findings & FIND_FD_LEAK), "fd_delta unknown: no finding (%s)", v.text);
	tr[0].fd_delta = 1;
	v = judge(1);
	ok(v.findings & FIND_FD_LEAK, "fd_delta 1: a finding (%s)", v.text);

	/* Pokes lost and excess. */
	clean();
	tr[0].pokes_unaccounted = -3;
	v = judge(1);
	ok((v.findings & FIND_POKES_LOST) && strstr(v.text, "POKES LOST 3"), "pokes lost (%s)", v.text);

	/* --spawn: fewer children than asked is a note, not a finding. */
	clean();
	cfg.spawn = 10;
	tr[0].spawned = 4;
	v = judge(1);
	ok(v.findings == 0 && strstr(v.text, "4 of 10 children"), "spawn shortfall noted (%s)", v.text);

	/* Producers behind schedule: a note above 1 %. */
	clean();
	tr[0].produced = 98;
	tr[0].items_behind = 2;
	v = judge(1);
	ok(v.findings == 0 && strstr(v.text, "producers behind schedule: 2%"),
	    "2%% behind noted (%s)", v.text);
	tr[0].produced = 99;
	tr[0].items_behind = 1;
	v = judge(1);
	ok(strcmp(v.text, "ok") == 0, "1%% behind is not (%s)", v.text);

	/* The exit status: signal, then failure, then findings. */
	clean();
	tr[0].lost_wakeups_total = 1;
	struct setup_result sr = { .trials = tr, .done = 1 };
	struct run run = { .cfg = &cfg, .res = &sr, .n = 1 };
	ok(verdict_exit_status(&run, 0) == VERDICT_EXIT_FOUND, "a finding: exit 3");
	ok(verdict_exit_status(&run, 1) == 1, "a failure wins over a finding");
	run.signal = SIGINT;
	ok(verdict_exit_status(&run, 1) == 130, "a signal wins over both");
	clean();
	run.signal = 0;
	ok(verdict_exit_status(&run, 0) == 0, "nothing found: exit 0");

	/* Finding names, in bit order, name every bit judged. */
	unsigned nbits = 0;
	while (verdict_finding_names[nbits] != NULL)
		nbits++;
	ok((1u << (nbits - 1)) == FIND_CQ_DROPPED, "%u names, the last one FIND_CQ_DROPPED", nbits);
	clean();
	tr[0].stuck = true;
	char buf[128];
	ok(strcmp(verdict_trial_findings(&tr[0], buf, sizeof(buf)), "stuck") == 0,
	    "one trial's findings by name (%s)", buf);

	/* CONTENDED: the main thread's run-queue delay per wakeup against its
	 * wake p50, and busy threads against allowed CPUs.  A note: no
	 * finding, no exit status. */
	double share;
	clean();
	for (int i = 0; i < 3; i++) {
		tr[i].wake_count = 1000;
		tr[i].wake[PCT_P50] = 40000;		/* 40 us */
		tr[i].rq_wait_per_wake_ns = 2000;	/* 2 us: a quiet machine */
		tr[i].busy_threads = 1;
		tr[i].cpus_allowed = 2;
	}
	v = judge(3);
	ok(v.findings == 0 && strstr(v.text, "CONTENDED") == NULL,
	    "quiet (-p 1 -r 1k -c 0 shape): 2us of a 40us p50, no note (%s)", v.text);
	ok(!verdict_contended(&tr[0], &share) && share > 4.9 && share < 5.1,
	    "share 5%% (%.1f)", share);
	tr[0].rq_wait_per_wake_ns = 9000;		/* 22%: under a quarter */
	ok(!verdict_contended(&tr[0], &share), "22%% is not contended");
	tr[0].rq_wait_per_wake_ns = 10000;		/* 25%: at the threshold */
	ok(verdict_contended(&tr[0], &share), "25%% is contended");
	v = judge(3);
	ok(strstr(v.text, "CONTENDED") == NULL, "one trial of three: no note (%s)", v.text);
	tr[1].rq_wait_per_wake_ns = 30000;		/* 75% */
	v = judge(3);
	ok(v.findings == 0 && strncmp(v.text, "ok (CONTENDED:", 14) == 0 &&
	    strstr(v.text, "was 75% of the wake p50 (30us per wakeup)") &&
	    strstr(v.text, "fewer producers or clients, --pin, or a machine with "
	    "more CPUs"), "two of three: the note, the median share, no finding (%s)",
	    v.text);
	struct setup_result sr1 = { .trials = tr, .done = 2 };
	struct run run1 = { .cfg = &cfg, .res = &sr1, .n = 1 };
	ok(verdict_exit_status(&run1, 0) == 0, "CONTENDED leaves the exit status 0");

	clean();
	tr[0].wake_count = 1000;
	tr[0].wake[PCT_P50] = 4000;			/* a 4us p50 */
	tr[0].rq_wait_per_wake_ns = 1500;		/* 37%, but 1.5us */
	tr[0].busy_threads = 1;
	tr[0].cpus_allowed = 2;
	ok(!verdict_contended(&tr[0], &share), "under the %dns floor: not queueing",
	    VERDICT_RQ_FLOOR_NS);
	tr[0].rq_wait_per_wake_ns = RESULT_UNKNOWN;	/* no schedstat */
	ok(!verdict_contended(&tr[0], &share) && share < 0,
	    "unknown delay: no share, no note");
	tr[0].busy_threads = 5;			/* -p 4 -r max on 2 CPUs */
	v = judge(1);
	ok(verdict_contended(&tr[0], &share) &&
	    strstr(v.text, "CONTENDED: 5 busy threads") && strstr(v.text, "on 2 "
	    "allowed CPUs"), "more busy threads than CPUs: the note (%s)", v.text);
	tr[0].busy_threads = 2;
	ok(!verdict_contended(&tr[0], &share), "as many as CPUs: not");
	return tap_done();
}
