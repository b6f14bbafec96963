/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* clock: CLOCK_MONOTONIC in nanoseconds, the only time base inside. */
#ifndef WB_CLOCK_H
#define WB_CLOCK_H

#include <errno.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t
clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* clock_sleep_until sleeps until the absolute time t (TIMER_ABSTIME, so a
 * late wakeup does not shift the schedule that follows). */
static inline void
clock_sleep_until(uint64_t t)
{
	struct timespec ts = { .tv_sec = (time_t)(t / 1000000000u),
	    .tv_nsec = (long)(t % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;	/* EINTR: sleep on to the same absolute time */
}

/* clock_thread_cpu_ns: CPU time of the calling thread (user + system). */
uint64_t clock_thread_cpu_ns(void);

#endif
