/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * trial: one measured run of one configuration.  Producers queue-and-poke
 * on a schedule while the calling thread plays the event loop's main
 * thread: wait, drain the waker, take the queue, record.
 */
#ifndef WB_TRIAL_H
#define WB_TRIAL_H

#include <signal.h>

#include "config.h"
#include "hist.h"
#include "result.h"

/* What the driver hands every trial besides the configuration. */
struct trial_env {
	const struct config *cfg;
	const int *cpus;		/* the allowed CPUs, in order */
	int ncpus;
	/* --pin, --cpus: the main thread's CPU, then the producers'
	 * (round-robin over the rest); NULL when not pinned. */
	const int *pin;
	int npin;
	/* Set by the driver's SIGINT/SIGTERM handler; the trial stops its
	 * producers, drains, and returns what it measured, marked partial. */
	volatile sig_atomic_t *interrupted;
	const char *self_exe;		/* for --spawn children */
	/* Items all item pools of a trial may hold together; 0 for
	 * TRIAL_POOL_BUDGET.  The driver lowers it to fit the memory the
	 * process may use. */
	uint64_t pool_budget;
};

/*
 * Memory.  Items are TRIAL_ITEM_BYTES each; a producer's pool holds at
 * least TRIAL_POOL_MIN of them, all pools at most TRIAL_POOL_BUDGET (64
 * MiB) or the env's pool_budget.  A producer thread also touches about
 * TRIAL_THREAD_BYTES of stack and bookkeeping (measured: -p 4096 peaks at
 * 107 MB, 64 MiB of it pools).  trial_min_bytes is the least a trial of np
 * producers needs.
 */
#define TRIAL_ITEM_BYTES	64u
#define TRIAL_POOL_MIN		256u
#define TRIAL_POOL_BUDGET	(1u << 20)
#define TRIAL_THREAD_BYTES	(16u * 1024)
#define trial_min_bytes(np)	\
	((uint64_t)(np) * (TRIAL_POOL_MIN * TRIAL_ITEM_BYTES + TRIAL_THREAD_BYTES))

/* Latency histograms, merged over trials by the caller. */
struct trial_hists {
	struct hist item, wake, rtt;
	/* --trace-sched: the wakeups' three parts (lib/tracesched.h) */
	struct hist wake_kernel, wake_sched, wake_return;
};

/*
 * Every producer stuck in one poke this long (a blocking waker that fills
 * and is not emptied) ends the trial: the watchdog reports it (r->stuck,
 * or r->deadlock when the main thread is stuck too) and drains the waker
 * from its own thread so that the writers get out.
 */
#define TRIAL_STUCK_NS	(1000ULL * 1000000ULL)

/*
 * trial_run runs one trial of s and fills r; its latencies are also merged
 * into h.  Returns 0; ECANCELED when *env->interrupted was set before the
 * schedule started (nothing was measured, r is not a result); or an errno
 * value with *step naming the call that failed ("pipe2", "pthread_create")
 * and r->why saying more where errno cannot ("killed by signal 9").
 * Nothing is left running or open in any case.  Never prints.
 */
int trial_run(const struct trial_env *env, const struct setup *s,
    struct trial_result *r, struct trial_hists *h, const char **step);

#endif
