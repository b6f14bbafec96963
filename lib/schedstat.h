/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * schedstat: where a wakeup's time went besides the waker.  Cheap kernel
 * counters read at a measured window's open and close (never per item):
 * per thread, its run time, run-queue delay, timeslices, context switches
 * and migrations; per allowed CPU, its idle-state entries and residency
 * and the rescheduling and function-call IPIs it took.  Two reads a
 * window apart say how much of the window a thread waited for a CPU and
 * how deep the CPUs slept between wakeups.
 *
 * Every path is read under $WAKEBENCH_SYSROOT when it is set (test only:
 * a fixture tree standing in for /proc and /sys).  A counter the kernel
 * does not give reads SCHED_UNKNOWN (UINT64_MAX, RESULT_UNKNOWN), never 0.
 */
#ifndef WB_SCHEDSTAT_H
#define WB_SCHEDSTAT_H

#include <stddef.h>
#include <stdint.h>

#define SCHED_UNKNOWN		UINT64_MAX
#define SCHED_IDLE_STATES	10	/* cpuidle states kept (x86 has <= 10) */

/* One thread's counters. */
struct sched_thread {
	uint64_t run_ns;	/* on a CPU (schedstat field 1) */
	uint64_t delay_ns;	/* runnable, waiting in a run queue (field 2) */
	uint64_t slices;	/* timeslices run (field 3) */
	uint64_t vcsw, ivcsw;	/* voluntary, involuntary context switches */
	uint64_t migrations;	/* se.nr_migrations of .../sched (SCHED_DEBUG) */
};

/* One cpuidle state, summed over the allowed CPUs. */
struct sched_idle_state {
	char name[16];
	uint64_t exit_latency_ns, target_residency_ns;	/* of the first CPU */
	uint64_t entries, time_ns;	/* usage, time */
	uint64_t above, below;		/* governor misses: too deep, too shallow */
};

/* The allowed CPUs' counters, summed. */
struct sched_cpus {
	uint64_t ipi_resched, ipi_call;	/* /proc/interrupts RES, CAL */
	uint64_t idle_entries, idle_time_ns;	/* every state */
	unsigned nstates;
	struct sched_idle_state state[SCHED_IDLE_STATES];
};

/*
 * schedstat_path writes $WAKEBENCH_SYSROOT followed by path (absolute)
 * into buf and returns buf.
 */
char *schedstat_path(char *buf, size_t len, const char *path);

/*
 * schedstat_thread reads the calling thread's counters from
 * /proc/thread-self/{schedstat,status,sched}; what is missing reads
 * SCHED_UNKNOWN.  A few small reads: for a window's edges only.
 */
void schedstat_thread(struct sched_thread *s);

/* schedstat_thread_delta: end - begin, SCHED_UNKNOWN where either is. */
void schedstat_thread_delta(struct sched_thread *out,
    const struct sched_thread *end, const struct sched_thread *begin);

/* schedstat_thread_add: sum += x, field by field; unknown stays unknown. */
void schedstat_thread_add(struct sched_thread *sum, const struct sched_thread *x);

/*
 * schedstat_cpus reads the counters of the ncpus CPUs cpus[] into s:
 * cpuidle from /sys/devices/system/cpu/cpuN/cpuidle/stateK/ (the states
 * of cpus[0]), IPIs from /proc/interrupts.  A missing source leaves its
 * fields SCHED_UNKNOWN and nstates 0.
 */
void schedstat_cpus(struct sched_cpus *s, const int *cpus, int ncpus);

/* schedstat_cpus_delta: end - begin; unknown where either is. */
void schedstat_cpus_delta(struct sched_cpus *out, const struct sched_cpus *end,
    const struct sched_cpus *begin);

/*
 * schedstat_missing writes a "; "-separated list of the sources this
 * machine lacks ("schedstat (/proc/thread-self/schedstat)") into buf, or
 * "" when it has them all; returns how many are missing.  cpu is one
 * allowed CPU.
 */
int schedstat_missing(char *buf, size_t len, int cpu);

/*
 * schedstat_state: the scheduler state letter of a task, as the third
 * field of /proc/PATH/stat gives it ('R' runnable, 'S' asleep, 'T'
 * stopped...), for path "self/task/TID" or "PID"; '\0' when /proc cannot
 * say.  Reads the real /proc (a task's state has no fixture).
 */
char schedstat_state(const char *path);

#endif
