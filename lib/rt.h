/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * rt: --sched, the scheduling policy the main thread and the producers run
 * under, with memory locked, as cyclictest -p does.  Linux-only calls
 * (SCHED_RESET_ON_FORK, mlockall) live in lib/rt.c.
 */
#ifndef WB_RT_H
#define WB_RT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* The policies --sched names, in the order of rt_names[]. */
enum rt_policy { RT_OTHER, RT_FIFO, RT_RR };

/* "other", "fifo", "rr", then NULL. */
extern const char *const rt_names[];

/*
 * Priorities: 1 to RT_PRIO_MAX, so that the watchdog, which must be able
 * to end a trial whose main thread spins, runs one above (lib/trial.c).
 * The default sits below the kernel's threaded interrupt handlers (50),
 * which must still preempt a spinning loop.
 */
#define RT_PRIO_MAX	98
#define RT_PRIO_DEFAULT	49

/*
 * rt_parse reads other, fifo[:PRIO] or rr[:PRIO] into *policy and *prio
 * (0 for other).  On a bad value it returns EINVAL (ERANGE for a PRIO out
 * of range) and writes what is accepted into why.
 */
int rt_parse(const char *s, int *policy, int *prio, char *why, size_t len);

/* rt_format writes "fifo:49" or "other" into buf and returns it. */
char *rt_format(int policy, int prio, char *buf, size_t len);

/*
 * rt_enter puts the calling thread under policy at prio, with memory
 * locked (mlockall MCL_CURRENT | MCL_FUTURE) and SCHED_RESET_ON_FORK, so
 * that threads and processes it creates start under SCHED_OTHER unless
 * given the policy (rt_attr).  It first tries prio + 1, the watchdog's,
 * so that a limit between the two refuses here and not in a trial.
 * Nothing for RT_OTHER.  Returns 0, or an errno value with *step naming
 * the call that failed; memory is unlocked again on failure.
 */
int rt_enter(int policy, int prio, const char **step);

/* rt_attr makes threads created with a run under policy at prio (an
 * explicit policy, not the creator's).  Nothing for RT_OTHER.  0 or an
 * errno value. */
int rt_attr(pthread_attr_t *a, int policy, int prio);

/* rt_yield: under a real-time policy, give a thread of the same priority
 * waiting for this CPU its turn (sched_yield); nothing under other. */
void rt_yield(int policy);

/* rt_throttling reads kernel.sched_rt_runtime_us and _period_us (-1 when
 * unreadable; runtime -1 also means throttling is off). */
void rt_throttling(int64_t *runtime_us, int64_t *period_us);

#endif
