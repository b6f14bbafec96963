/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * result: what one trial measured, read by the reporters.  Counters cover
 * the measured window (warmup excluded) unless their comment below says
 * otherwise: the conservation and correctness counters (produced,
 * consumed, items_lost, seq_errors, pool_waits, poke_errors, deadlock,
 * lost_wakeups, stranded_ns_max, leaked_fds, fd_delta, pokes_unaccounted
 * and the net_ errors) cover the whole trial, warmup, stop and idle phase
 * included, because every item and poke must be accounted for; the
 * waker_peak_ figures run from the window's open to the trial's end.
 * The exact span of every figure: docs/DESIGN.md#window.
 */
#ifndef WB_RESULT_H
#define WB_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "hist.h"
#include "schedstat.h"
#include "units.h"

/* The percentiles every latency is summarised by. */
enum { PCT_MIN, PCT_P50, PCT_P90, PCT_P99, PCT_P999, PCT_P9999, PCT_MAX, PCT_N };
extern const double result_quantiles[PCT_N];
extern const char *const result_pct_names[PCT_N];	/* "min", "p50", ... */

/* A figure the kernel did not give (no /proc, say): an empty CSV cell,
 * null in JSON. */
#define RESULT_UNKNOWN		UINT64_MAX
#define RESULT_FD_UNKNOWN	INT64_MIN

struct trial_result {
	bool partial;			/* interrupted before its end */
	bool deadlock;			/* the watchdog had to rescue it */
	uint64_t duration_ns;		/* measured window actually run */

	uint64_t items;			/* due in the window, all taken */
	uint64_t taken;			/* taken in the window, whatever
					 * their due time (items/s) */
	uint64_t produced, consumed;	/* whole trial */
	int64_t items_lost;		/* produced - consumed after the final drain */
	uint64_t seq_errors;		/* taken out of order or twice;
					 * whole trial */
	uint64_t items_behind;		/* due in the window, never produced:
					 * the producers fell behind schedule */
	uint64_t pool_waits;		/* producer found its item pool
					 * empty; whole trial */

	uint64_t pokes, writes, poke_eagain;
	uint64_t poke_errors;		/* whole trial */
	int poke_errno;			/* the first unexpected one, or 0 */
	uint64_t poke_blocked, blocked_ns_total, blocked_ns_max;
	/* From the window's open to the trial's end: */
	uint64_t waker_peak_bytes;	/* most bytes one drain found */
	uint64_t waker_peak_pokes;	/* most pokes one drain found */

	uint64_t waits, reads;
	uint64_t wakeups, wakeups_nosleep, spurious_wakeups, timeouts;
	uint64_t wakeups_fed;		/* handshake: woken by a skipped write */
	uint64_t lost_wakeups, stranded_ns_max;	/* whole trial */

	uint64_t main_cpu_ns;
	uint64_t main_wall_ns;		/* the main thread's own window */
	uint64_t idle_ns, idle_wakeups, idle_cpu_ns;	/* the spin detector */
	uint64_t in_flight_at_stop;	/* queued when the producers ended */
	uint64_t setup_ns, teardown_ns;	/* before the schedule, after it */
	uint64_t net_requests, net_errors, net_syscalls;
	uint64_t net_sent, net_timeouts, net_dropped, net_unanswered;
	uint64_t leaked_fds;
	uint64_t spawned;		/* --spawn children run in the window */
	bool stuck;			/* every producer stuck in a poke for
					 * TRIAL_STUCK_NS while the loop ran on */
	/* Could the machine run the loop and its clients?  Run-queue delay
	 * over the window (UINT64_MAX: the kernel does not say) and the
	 * longest a client thread did not run at all (stopped, starved). */
	uint64_t main_run_delay_ns, client_run_delay_ns, client_stall_ns_max;
	int64_t fd_delta;		/* descriptors open after - before the trial,
					 * or RESULT_FD_UNKNOWN without /proc */
	/* Whole trial: pokes read out of the waker minus the writes that
	 * reported success (lib/judge.h); < 0 pokes lost, > 0 excess. */
	int64_t pokes_unaccounted;
	/* lost_wakeups and stranded_ns_max cover the items due in the
	 * window, as items does; these the whole trial, warmup included
	 * (what the verdict judges). */
	uint64_t lost_wakeups_total, stranded_ns_max_total;
	uint64_t poke_eagain_total;	/* poke_eagain over the whole trial */
	/* Whole trial: writes refused with EAGAIN by a waker never read
	 * (drain none): it is full and raises no edge again. */
	uint64_t waker_full;
	/* Turns whose waker stayed readable across a whole wait that
	 * returned without it, with an item stranded (lib/judge.h). */
	uint64_t waker_not_emptied;

	/*
	 * Where the wakeups' time went (lib/schedstat.h), over the window;
	 * RESULT_UNKNOWN where the kernel does not say.  The main thread's
	 * timeslices, context switches and migrations; the producers' run-
	 * queue delay and involuntary switches, summed; the main thread's
	 * run-queue delay per wakeup that slept; the allowed CPUs' IPIs and
	 * idle-state entries and residency, summed, and per state.
	 */
	uint64_t main_timeslices, main_vcsw, main_ivcsw, main_migrations;
	uint64_t prod_run_delay_ns, prod_ivcsw;
	uint64_t rq_wait_per_wake_ns;
	uint64_t ipi_resched, ipi_call, idle_entries, idle_time_ns;
	unsigned idle_nstates;
	struct sched_idle_state idle_states[SCHED_IDLE_STATES];
	/* Threads of this trial that never sleep by design (the main thread,
	 * and producers at -r max), and the CPUs they were allowed. */
	uint64_t busy_threads, cpus_allowed;

	/* --trace-sched (lib/tracesched.h): the medians of the wakeups'
	 * three parts, the samples joined with their events and not, and
	 * the events the kernel lost; RESULT_UNKNOWN without it. */
	uint64_t wake_kernel_p50_ns, wake_sched_p50_ns, wake_return_p50_ns;
	uint64_t wake_joined, wake_unjoined, trace_lost;

	/* The io_uring waits' completion queue, in the window: waits that
	 * found it overflowed (completions held back in the kernel's list)
	 * and completions the kernel dropped; RESULT_UNKNOWN under a wait
	 * with no ring. */
	uint64_t cq_overflow, cq_dropped;

	uint64_t lat[PCT_N], wake[PCT_N], rtt[PCT_N];
	uint64_t lat_count, wake_count, rtt_count;
	/* With an error: what went wrong, when errno alone does not say
	 * ("killed by signal 9"); else empty. */
	char why[128];
};

/* Derived figures, in one place so table, CSV and JSON agree. */
double result_items_per_s(const struct trial_result *r);
double result_main_cpu_pct(const struct trial_result *r);
double result_per_item(const struct trial_result *r, uint64_t v);
double result_prod_syscalls_per_item(const struct trial_result *r);
double result_main_syscalls_per_item(const struct trial_result *r);
double result_idle_cpu_pct(const struct trial_result *r);

/*
 * The headline figures: each gets a confidence interval, outlier marks and
 * a test against the baseline (wakebench(1), STATISTICS), in this order.
 * get returns NaN where a trial has no value (an empty histogram).
 */
enum { HL_RATE, HL_WAKE_P50, HL_WAKE_P99, HL_ITEM_P50, HL_ITEM_P99,
    HL_WRITES, HL_SPURIOUS, HL_CPU, HL_RTT_P50, HL_RTT_P99, HL_N };
struct result_headline {
	const char *name;		/* "wake p50": table and sentences */
	const char *key;		/* "wake_p50": JSON, CSV outlier column */
	const char *fmt;		/* printf format, or NULL: units_format */
	enum unit_kind unit;		/* for units_format */
	bool higher_is_better;		/* items/s; the rest are costs */
	bool net;			/* measured only with connections */
	double (*get)(const struct trial_result *);
};
extern const struct result_headline result_headlines[HL_N];

/* result_summarise fills the percentile arrays from the histograms. */
void result_summarise(struct trial_result *r, const struct hist *item,
    const struct hist *wake, const struct hist *rtt);
void result_summarise_rtt(struct trial_result *r, const struct hist *rtt);

#endif
