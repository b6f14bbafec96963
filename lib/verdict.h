/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * verdict: what a run found, and the exit status it makes.  The findings
 * and their thresholds live here, next to nothing but what they judge
 * (struct trial_result); report_*.c only render them.  The definitions
 * are in docs/DESIGN.md and wakebench(1), DIAGNOSTICS.
 */
#ifndef WB_VERDICT_H
#define WB_VERDICT_H

#include <stddef.h>

#include "config.h"
#include "result.h"

struct setup_result;
struct run;

/* Exit statuses the verdict decides. */
#define VERDICT_EXIT_FOUND	3

/*
 * Busy loop: in the idle phase after the producers end (lib/trial.c), the
 * main thread woke, and found nothing to drain, more than this many times
 * a millisecond: a level-triggered waker that is never, or only partly,
 * emptied.  Measured as a rate, so the idle phase's length is free.
 */
#define VERDICT_BUSY_PER_MS	1

/* Findings: anything here makes the exit status 3. */
#define FIND_ITEMS_LOST		0x001
#define FIND_SEQUENCE		0x002
#define FIND_LOST_WAKEUPS	0x004
#define FIND_LEAKED_FDS		0x008
#define FIND_BUSY_LOOP		0x010
#define FIND_BLOCKED		0x020
#define FIND_DEADLOCK		0x040
#define FIND_POKE_ERRORS	0x080
#define FIND_NET_ERRORS		0x100
#define FIND_NET_STARVED	0x200
#define FIND_FD_LEAK		0x400	/* a trial did not close what it opened */
#define FIND_STUCK		0x800	/* producers stuck on a waker never emptied */
#define FIND_POKES_LOST		0x1000	/* pokes written != pokes read out */
#define FIND_WAKER_FULL		0x2000	/* a waker never read refused writes */
#define FIND_NOT_EMPTIED	0x4000	/* a waker readable across a whole wait */
#define FIND_CQ_DROPPED		0x8000	/* the kernel dropped ring completions */

/*
 * Contention: NET STARVED is the main thread's finding only if the machine
 * let both sides run.  A client thread that did not run for
 * NET_TIMEOUT_NS / 2 in one go was stopped or starved, and its requests
 * were late before the server saw them; a main thread that waited
 * VERDICT_CONTENDED_PCT % of the window in a run queue (runnable, not
 * running) had no CPU to serve with.  Either way the slow replies are
 * reported as the contended machine they show, not as a finding.  A loop
 * that sleeps or spins instead of serving is not runnable-and-waiting, so
 * it keeps the finding.  (Every wakeup's own scheduling delay counts as
 * run-queue delay too, hence a threshold well above what a busy loop on
 * an idle machine shows.)
 */
#define VERDICT_CONTENDED_PCT	50

/*
 * Contended machine, a note on the measurement and not a finding (the
 * exit status stays): the main thread waited in a run queue, per wakeup
 * that slept, at least VERDICT_RQ_SHARE_PCT % of its wake p50, or the
 * trial asked for more busy threads (the main thread, producers at -r
 * max) than it had allowed CPUs.  Either way part of the wakeup latency
 * is the machine's queueing, not the waker's.  A configuration carries
 * the note when at least half its trials are contended.  A wakeup's own
 * trip through the scheduler counts as run-queue delay too (a wakeup of
 * an idle CPU is queued there after it leaves its idle state, so the exit
 * latency does not), about a microsecond: below VERDICT_RQ_FLOOR_NS per
 * wakeup the share is not called queueing, however small the wake p50.
 */
#define VERDICT_RQ_SHARE_PCT	25
#define VERDICT_RQ_FLOOR_NS	5000

/*
 * verdict_contended: is trial t contended (above)?  *share_pct gets the
 * run-queue delay per wakeup as a percentage of the wake p50, or -1 when
 * either is unknown.
 */
bool verdict_contended(const struct trial_result *t, double *share_pct);

/* The names of the FIND_* bits, in bit order, for CSV and JSON. */
extern const char *const verdict_finding_names[];

struct verdict {
	unsigned findings;		/* FIND_* bits */
	char text[1024];			/* "ok" or "LOST WAKEUPS 37 (max stranded 50.1ms)" */
};

/* verdict_judge judges one configuration over its trials. */
void verdict_judge(const struct setup_result *sr, const struct config *c,
    struct verdict *v);

/* verdict_trial_findings writes the findings of one trial, '+'-joined
 * ("none"), into buf. */
char *verdict_trial_findings(const struct trial_result *t, char *buf, size_t len);

/* verdict_findings returns the FIND_* bits of every configuration. */
unsigned verdict_findings(const struct run *r);

/* verdict_exit_status: 128 + the signal that cut the run short, else a
 * runtime failure's status, else VERDICT_EXIT_FOUND if anything was found,
 * else 0. */
int verdict_exit_status(const struct run *r, int status);

#endif
