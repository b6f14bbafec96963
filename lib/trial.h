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
	const int *cpus;		/* CPUs to pin to (--pin), in order */
	int ncpus;
	/* Set by the driver's SIGINT/SIGTERM handler; the trial stops its
	 * producers, drains, and returns what it measured, marked partial. */
	volatile sig_atomic_t *interrupted;
	const char *self_exe;		/* for --spawn children */
};

/* Latency histograms, merged over trials by the caller. */
struct trial_hists {
	struct hist item, wake, rtt;
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
