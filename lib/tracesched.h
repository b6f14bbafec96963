/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracesched: --trace-sched, each wakeup that slept split in three by the
 * kernel's own sched tracepoints (docs/DESIGN.md#wake-parts):
 *   wake_kernel  the poke's stamp to sched_waking of the main thread: the
 *                kernel's wake path, in the producer;
 *   wake_sched   sched_waking to sched_switch with the main thread in:
 *                run-queue wait, idle exit, IPI (0 when the main thread
 *                had not left its CPU yet);
 *   wake_return  that switch to the main thread's clock read after the
 *                wait returned.
 * The three add up to the wakeup sample exactly.  sched_waking and
 * sched_switch are opened with perf_event_open(2) on every allowed CPU
 * (a per-thread event would miss the switch into the thread), on
 * CLOCK_MONOTONIC, every thread's events, filtered to the main thread
 * here (lib/tracesched.c says why not in the kernel); an aux thread reads the ring buffers every few ms and joins
 * the events with the samples the main thread hands it, so memory stays
 * bounded.  Linux-only; lib/ rules: errno values, no printing.
 */
#ifndef WB_TRACESCHED_H
#define WB_TRACESCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hist.h"

/* One event of the main thread, as the joiner takes it. */
enum ts_kind { TS_WAKING, TS_SWITCH_IN, TS_SWITCH_OUT };
struct ts_event {
	uint64_t time;		/* CLOCK_MONOTONIC ns */
	enum ts_kind kind;
};

#define TS_EVENTS_MAX	16384	/* events waiting for their sample */

/*
 * The joiner: pure, fed events (any order within a batch) and samples
 * (in order), so that tests/unit/test_tracesched.c can script it.
 */
struct ts_join {
	int on_cpu;		/* the main thread: -1 unknown, 0 off, 1 on */
	uint64_t cut;		/* events up to here were dropped (full) */
	size_t n;
	struct ts_event ev[TS_EVENTS_MAX];	/* sorted by time */
	uint64_t joined, unjoined;
	struct hist kernel, sched, ret;
};

/* ts_join_init empties j. */
void ts_join_init(struct ts_join *j);

/* ts_join_event adds one event; a full joiner drops its oldest (the
 * samples it would have served count as unjoined). */
void ts_join_event(struct ts_join *j, uint64_t time, enum ts_kind kind);

/*
 * ts_join_sample joins one wakeup sample, poke stamp poke_ns to the
 * clock read ret_ns after the wait, with the events between: the first
 * sched_waking at or after poke_ns, then the first switch in after it
 * (or the waking itself if the thread was still on its CPU).  Records
 * the three parts and returns true, or counts it unjoined.  Consumes the
 * events up to ret_ns: every event at or before a sample's ret_ns must
 * have been added before it (the caller's ordering), and samples come in
 * order.
 */
bool ts_join_sample(struct ts_join *j, uint64_t poke_ns, uint64_t ret_ns);

/*
 * ts_format_field finds field name ("pid", "next_pid") in the text of a
 * tracepoint's format file and gives its offset and size in the raw
 * record.  0, or ENOENT.
 */
int ts_format_field(const char *text, const char *name, int *offset, int *size);

struct tracesched;

/*
 * tracesched_check tries what --trace-sched needs, on CPU cpu: the
 * tracepoints' ids and formats under tracefs, and perf_event_open of
 * both.  0, or an errno value with why saying what and where (the path,
 * perf_event_paranoid).  Never mounts anything.
 */
int tracesched_check(int cpu, char *why, size_t len);

/*
 * tracesched_open opens both tracepoints on the ncpus CPUs cpus[], for
 * thread tid, and starts the aux thread that reads them, under policy
 * and prio (lib/rt.h: the main thread's, so that a real-time loop does
 * not starve its reader into losing events).  *out, or an errno value
 * with why.
 */
int tracesched_open(struct tracesched **out, int tid, const int *cpus,
    int ncpus, int policy, int prio, char *why, size_t len);

/* tracesched_sample: the main thread, one wakeup sample (no allocation,
 * no lock: a store into a ring the aux thread empties; a full ring
 * counts the sample unjoined). */
void tracesched_sample(struct tracesched *ts, uint64_t poke_ns, uint64_t ret_ns);

/* What a trial's tracing found. */
struct tracesched_result {
	uint64_t joined, unjoined, lost;	/* lost: PERF_RECORD_LOST events */
};

/* tracesched_close stops the aux thread after a last read, merges the
 * parts into kernel, sched and ret, fills *r and frees ts. */
void tracesched_close(struct tracesched *ts, struct hist *kernel,
    struct hist *sched, struct hist *ret, struct tracesched_result *r);

#endif
