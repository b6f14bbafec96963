/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * One trial of one configuration: the engine.  Definitions of every
 * figure and finding are in docs/DESIGN.md; this is the map.
 *
 * Threads (docs/DESIGN.md#threads):
 *   main       trial_run -> trial_once -> main_loop -> iterate: the event
 *              loop under test (wait, drain, rearm, take, record), which
 *              also serves the loopback sockets (lib/net_server.c)
 *   producers  producer_main: on an absolute schedule, produce: enqueue
 *              and poke (poke, poke_write), -p of them
 *   watchdog   watchdog_main: finds a deadlock and breaks it
 *   spawner    spawner_main: --spawn children that count leaked fds
 *   clients    a forked process, lib/net_client.c
 *
 * The life of a trial, trial_once (docs/DESIGN.md#trial):
 *   1. trial_new, then start_trial: setup_trial (wait set, open_net,
 *      open_waker, init_sync, make_producers), accept_phase,
 *      start_producers, the window [ms, me) and open_gate
 *   2. main_loop until every producer and client is done: window,
 *      stall, iterate; iterate's wakeups and losses are lib/judge.c's
 *   3. join_producers, stop_aux; idle (the busy-loop phase);
 *      final_drain (take the rest, empty the waker)
 *   4. collect (with judged, sched_collect), collect_aux,
 *      collect_clients, the histograms merged into the run's
 *   5. teardown: the one cleanup path, whatever step failed
 */
#include "trial.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <unistd.h>

#include "clock.h"
#include "drain.h"
#include "fault.h"
#include "judge.h"
#include "net.h"
#include "poke.h"
#include "queue.h"
#include "rt.h"
#include "schedstat.h"
#include "tracesched.h"
#include "leak.h"
#include "wait.h"
#include "waker.h"

#define MS		1000000ULL
/* How far the injected ordering faults widen their race window: long
 * enough for the other side to run its whole step on a 2-core machine. */
#define FAULT_WINDOW_NS	(50 * 1000ULL)
/*
 * An item handed over this long before a wait returned without the waker
 * was not waiting for a write still on its way: far above the time from a
 * write to the wait's return, so scheduling noise cannot fake a loss.
 */
#define LOST_GRACE_NS	(1 * MS)
/* Once the trial is told to stop, a producer still in a poke this long
 * is blocked on a full waker: the watchdog drains it so the stop is quick. */
#define STOP_RESCUE_NS	(100 * MS)
/* How long a --spawn child may take to list its descriptors. */
#define SPAWN_WAIT_NS	(2000 * MS)
/*
 * Item pools.  A producer's pool holds every item it may have in flight:
 * enough for POOL_AWAY_NS of its rate (plus a --stall) so that a late
 * main thread shows as latency and a full pipe, not as producers waiting
 * for items.  All pools of a trial together hold at most the env's
 * pool_budget (TRIAL_POOL_BUDGET items, 64 MiB, unless memory is short),
 * whatever the rate, timeout or producer count; past that a producer waits for items (pool_waits), which costs
 * lateness that the item latency shows.
 */
#define POOL_AWAY_NS	(200 * MS)
#define POOL_MIN	TRIAL_POOL_MIN
/*
 * After the producers end, the main thread idles this long: a healthy loop
 * sleeps through it, one whose waker stays ready spins (lib/report.c judges
 * the count).
 */
#define IDLE_NS		(20 * MS)
/* How long a producer waits for the main thread to give items back: the
 * first nap, and the longest (see get_item). */
#define POOL_WAIT_NS	(20 * 1000ULL)
#define POOL_WAIT_MAX_NS	(2 * MS)
/* How often a producer looks for a stop signal the main thread has not
 * taken yet (see look_for_signal). */
#define STOP_LOOK_NS	(50 * MS)

/* A producer's counters: all uint64_t, so a window is end - begin. */
struct pstats {
	uint64_t items, pokes, writes, eagain, errors, blocked, blocked_ns,
	    pool_waits;
};
_Static_assert(sizeof(struct pstats) == 8 * sizeof(uint64_t),
    "pstats_window walks struct pstats as an array of uint64_t");

struct producer {
	/*
	 * The enqueue time of the item being handed over while this producer
	 * is between its enqueue and the end of its poke, else 0.  Read by
	 * the main thread only when a wait returned without the waker and an
	 * item looks stranded: an item may be waiting for a write that is
	 * still on its way only if that poke began before the item was done.
	 */
	alignas(64) _Atomic uint64_t poking_since;
	_Atomic pid_t os_tid;		/* its thread id, once it runs (watchdog) */
	atomic_bool finished;	/* out of its loop: the watchdog skips it */
	alignas(64) struct trial *t;
	pthread_t tid;
	unsigned id;
	bool running;		/* thread created, not yet joined */
	uint64_t phase_ns;	/* offset of its schedule from the trial start */
	struct pool pool;
	uint64_t seq;		/* items made so far */
	bool measuring;
	struct pstats st, begin;
	struct sched_thread sch_begin, sch_end;	/* its own, at its window's edges */
	uint64_t blocked_ns_max;
	uint64_t behind;	/* items due in the trial never produced */
	uint64_t stop_look;	/* when to look_for_signal next */
	int error;		/* first unexpected poke errno */
};

/* The main thread's counters, windowed the same way. */
struct mstats {
	uint64_t waits, reads, wakeups, nosleep, spurious, timeouts, items, fed;
	uint64_t empty_wakeups;		/* the waker was ready, the drain found nothing */
};

struct trial {
	const struct trial_env *env;
	struct trial_result *r;		/* r->why: an error's detail */
	const struct config *cfg;
	const struct setup *s;
	const struct drain_ops *drain;
	unsigned faults;
	struct waker waker;
	bool waker_open;
	struct waitset ws;
	bool ws_open;
	struct queue queue;
	bool queue_init;
	struct wake wake;
	struct judge judge;		/* wakeup stamps, classification, losses */
	struct net_server net;		/* -c > 0 */
	bool net_open;
	struct net_clients clients;
	bool clients_started;
	struct net_result netr;		/* what the client process reported */
	uint64_t net_sys_begin, net_sys_end;
	struct wait_counts wc_begin, wc_end;	/* the wait's own, at the edges */
	bool wc_known;				/* the wait keeps them */
	struct producer *prod;
	unsigned np;
	alignas(64) atomic_uint done;	/* producers that have finished */
	atomic_bool stop;		/* producers: end at the next slot */
	atomic_bool signalled;		/* a producer saw a stop signal pending */
	/* The start gate: producers wait here until all exist, so that
	 * creating 1024 threads is not slowed by the first ones' work. */
	pthread_mutex_t gate_mu;
	pthread_cond_t gate_cv;
	bool gate_open, gate_init;
	pthread_cond_t aux_cv;		/* CLOCK_MONOTONIC; wakes aux_sleep */
	bool aux_stopped;

	/* Watchdog: the main thread's turns and its planned absence. */
	alignas(64) _Atomic uint64_t loops;
	_Atomic uint64_t stall_until;
	atomic_bool deadlock, stuck;
	atomic_bool rescued;		/* the watchdog read the waker */
	atomic_bool aux_cancel;		/* stop a --spawn child's wait now */
	pid_t main_tid;			/* the thread running the loop */
	pthread_t watchdog, spawner;
	bool watchdog_running, spawner_running;
	struct leak_target targets[2];	/* the waker's descriptors */
	int ntargets;
	uint64_t leaked;		/* spawner: most waker fds one child held */
	uint64_t spawned;		/* spawner: children run */
	int spawn_error;
	char spawn_why[96];

	/* start; measured window [ms, me).  Producers read me in every
	 * slot, so these have a line of their own: the main thread's
	 * fields below are written in every turn. */
	alignas(64) uint64_t t0;
	uint64_t ms, me;

	/* Main thread only from here. */
	alignas(64) uint64_t *next_seq;	/* per producer: the seq expected next */
	struct item **chain_head, **chain_tail;
	unsigned *touched, ntouched;
	struct wait_event *ev;
	int nev;
	struct mstats st, begin, end;
	bool measuring, ended, partial;
	uint64_t stopped_at;		/* interrupted or failed at, or 0 */
	uint64_t t_begin, t_end, cpu_begin, cpu_end;
	/* The main thread's scheduler counters and the allowed CPUs', at
	 * the window's edges (lib/schedstat.h). */
	struct sched_thread sch_begin, sch_end;
	struct sched_cpus cpus_begin, cpus_end;
	uint64_t next_stall;
	uint64_t consumed, seq_errors;
	uint64_t taken;		/* taken in [ms, me), whatever their due time */
	/* Lost wakeups of the items due in the window (the judge keeps the
	 * whole trial's). */
	uint64_t lost_window, stranded_window;
	uint64_t peak_pokes;		/* most pokes one drain found */
	bool final_cut;			/* the final drain gave up before empty */
	int error;
	const char *error_step;
	struct hist item_h, wake_h;
	/* --trace-sched: open from the gate to the end of the main loop */
	struct tracesched *ts;
	struct hist kernel_h, sched_h, return_h;
	struct tracesched_result tsr;
};

/* zalloc64: zeroed memory aligned for the alignas(64) fields (calloc
 * promises 16 bytes, which would put two hot fields on one cache line). */
static void *
zalloc64(size_t size)
{
	size = (size + 63) & ~(size_t)63;
	void *p = aligned_alloc(64, size);
	if (p != NULL)
		memset(p, 0, size);
	return p;
}

static void
pstats_window(struct pstats *out, const struct pstats *end,
    const struct pstats *begin)
{
	const uint64_t *e = (const uint64_t *)end, *b = (const uint64_t *)begin;
	uint64_t *o = (uint64_t *)out;

	for (size_t i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		o[i] = e[i] - b[i];
}

static void
nap(uint64_t ns)
{
	clock_sleep_until(clock_ns() + ns);
}

/*
 * poke: one poke as the policy decides it.  Only the first writer since
 * the main thread last drained stores its timestamps (judge_poke): its
 * write is the one that wakes the main thread.  The latency stamp is
 * taken just before the write; the item's enqueue time records when that
 * poke began.  Writers pay a syscall anyway, so the stores cost nothing
 * that shows.
 */
static void poke_write(struct trial *, struct producer *, struct waker *, bool);

static void
poke(struct trial *t, struct producer *pr, const struct item *it, bool write)
{
	struct waker *w = &t->waker;
	bool blocking = w->flags & WAKER_BLOCKING;

	if (!write)
		return;

	judge_poke(&t->judge, it->enq_ns, clock_ns);
	poke_write(t, pr, w, blocking);
	if (t->s->poke->wrote != NULL)
		t->s->poke->wrote(&t->wake);
}

/* poke_write: the write syscall of one poke, with its accounting. */
static void
poke_write(struct trial *t, struct producer *pr, struct waker *w, bool blocking)
{
	for (;;) {
		/* A blocking write end is tried without blocking first, so a
		 * write that would block is counted and timed. */
		int e = w->ops->write(w, blocking);
		pr->st.writes++;
		if (e == 0) {
			if (t->drain->run == NULL)
				judge_landed(&t->judge);
			return;
		}
		if (e == EINTR)
			continue;
		if (e == EAGAIN && blocking) {
			uint64_t b0 = clock_ns();
			pr->st.blocked++;
			while ((e = w->ops->write(w, false)) == EINTR)
				;
			uint64_t b = clock_ns() - b0;
			pr->st.blocked_ns += b;
			if (b > pr->blocked_ns_max)
				pr->blocked_ns_max = b;
			if (e == 0) {
				if (t->drain->run == NULL)
					judge_landed(&t->judge);
				return;
			}
		}
		if (e == EAGAIN) {
			/* Harmless: the waker is full, hence readable. */
			pr->st.eagain++;
			return;
		}
		pr->st.errors++;
		if (pr->error == 0)
			pr->error = e;
		return;
	}
}

/* decide: the poke policy's call, one per item. */
static inline bool
decide(struct trial *t, struct producer *pr, bool was_empty)
{
	pr->st.pokes++;
	return t->s->poke->want_write(&t->wake, was_empty);
}

/*
 * produce: queue one item and poke, in the order the fault says: the one
 * place where a producer's steps are ordered.
 */
static void
produce(struct trial *t, struct producer *pr, struct item *it)
{
	struct queue *q = &t->queue;
	bool was_empty;

	atomic_store_explicit(&pr->poking_since, it->enq_ns, memory_order_relaxed);
	if (t->faults & FAULT_POKE_UNDER_LOCK ||
	    (t->s->poke->under_lock && !(t->faults & FAULT_POKE_FIRST))) {
		pthread_mutex_lock(&q->lock);
		was_empty = queue_push_locked(q, it);
		poke(t, pr, it, decide(t, pr, was_empty));
		pthread_mutex_unlock(&q->lock);
	} else if (t->faults & FAULT_POKE_FIRST) {
		poke(t, pr, it, decide(t, pr, true));
		nap(FAULT_WINDOW_NS);
		queue_push(q, it);
	} else {
		was_empty = queue_push(q, it);
		poke(t, pr, it, decide(t, pr, was_empty));
	}
	/* release: in_flight() reading 0 must also see this poke's write
	 * done (its poll of the waker then finds the byte). */
	atomic_store_explicit(&pr->poking_since, 0, memory_order_release);
}

/*
 * handed_over: both steps of it were done by now.  From then on a wait
 * that misses it has lost its wakeup.  The stamp may come late (it reuses
 * the clock read of the producer's next item when that follows at once,
 * saving a clock read per item at --rate max), which only makes the
 * lost-wakeup test more conservative.  release: a main thread that sees
 * done_ns also sees every poking_since stored before the poke this one
 * relied on (the flag exchange or the queue lock orders them).
 */
static inline void
handed_over(struct item *it, uint64_t now)
{
	if (it != NULL)
		atomic_store_explicit(&it->done_ns, now, memory_order_release);
}

/*
 * look_for_signal: whether a SIGINT, SIGTERM or SIGHUP is pending for the
 * process, looked for every STOP_LOOK_NS of the producer's clock; if so the
 * trial stops.  The main thread takes the signal, but only once it is on a
 * CPU again: behind thousands of producers that keep waking up (-p 4096 on
 * 2 CPUs) it and the watchdog waited over a minute for one, while the
 * producers had the CPUs.  So the producers end themselves; the signal
 * stays pending, and the main thread's handler does the rest of the stop.
 */
static bool
look_for_signal(struct trial *t, struct producer *pr, uint64_t now)
{
	sigset_t p;

	if (now < pr->stop_look)
		return false;
	pr->stop_look = now + STOP_LOOK_NS;
	if (sigpending(&p) != 0 || (sigismember(&p, SIGINT) != 1 &&
	    sigismember(&p, SIGTERM) != 1 && sigismember(&p, SIGHUP) != 1))
		return false;
	atomic_store_explicit(&t->signalled, true, memory_order_relaxed);
	atomic_store_explicit(&t->stop, true, memory_order_relaxed);
	return true;
}

/*
 * get_item: the producer's next free item, waiting for the main thread to
 * give some back when every one is in flight (the main thread is behind).
 * The naps double up to POOL_WAIT_MAX_NS: thousands of producers polling
 * every 20 us would take the very CPU the main thread needs to catch up,
 * and to see a stop.  The wait is late production, which the item latency
 * (from the due time) shows.  NULL once the trial stops.
 */
static struct item *
get_item(struct trial *t, struct producer *pr)
{
	struct item *it;
	uint64_t ns = POOL_WAIT_NS;

	while ((it = pool_get(&pr->pool)) == NULL) {
		pr->st.pool_waits++;
		if (atomic_load_explicit(&t->stop, memory_order_relaxed) ||
		    look_for_signal(t, pr, clock_ns()))
			return NULL;
		nap(ns);
		if (ns < POOL_WAIT_MAX_NS)
			ns *= 2;
	}
	return it;
}

/* wait_gate: block until the main thread opens the start gate (t0, ms and
 * me are set by then, and the gate's mutex publishes them). */
static void
wait_gate(struct trial *t)
{
	pthread_mutex_lock(&t->gate_mu);
	while (!t->gate_open)
		pthread_cond_wait(&t->gate_cv, &t->gate_mu);
	pthread_mutex_unlock(&t->gate_mu);
}

/*
 * producer_start: before the first slot.  The default 50 us timer slack
 * would make every scheduled slot late by up to 50 us: noise that is not
 * the waker's.  The thread id is for the watchdog's /proc reads.
 */
static void
producer_start(struct trial *t, struct producer *pr)
{
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	atomic_store_explicit(&pr->os_tid, (pid_t)syscall(SYS_gettid),
	    memory_order_relaxed);
	wait_gate(t);
}

/*
 * count_behind: the producer's clock passed me before slot: the slots
 * still due before me were never produced.  Count them rather than run
 * on for as long as catching up would take.
 */
static void
count_behind(const struct trial *t, struct producer *pr, uint64_t slot)
{
	const struct config *c = t->cfg;

	/* slots due before me: ceil(window / slot) */
	unsigned __int128 span = (unsigned __int128)
	    (t->me - t->t0 - pr->phase_ns) * c->rate;
	unsigned __int128 per = (unsigned __int128)c->burst * 1000000000u;
	uint64_t left = (uint64_t)((span + per - 1) / per) - slot;
	pr->behind = left * c->burst;
}

/*
 * next_slot: wait until slot is due; *due is its due time, *now the clock
 * read that serves its first item.  Under -r the slot's clock read also
 * stamps the hand-over of the previous slot's last item (*last, then
 * NULL).  Returns false when the producer must end: a stop, the slot due
 * at or after me, or a schedule already past me (count_behind).
 */
static inline bool
next_slot(struct trial *t, struct producer *pr, uint64_t slot,
    struct item **last, uint64_t *due, uint64_t *now)
{
	const struct config *c = t->cfg;

	if (atomic_load_explicit(&t->stop, memory_order_relaxed))
		return false;
	if (c->rate == 0) {
		*due = *now = clock_ns();
		return *due < t->me && !look_for_signal(t, pr, *now);
	}
	/* An absolute schedule (open loop): a late slot does not push the
	 * next ones back, and latency counts from when the item was due, so
	 * stalls are not hidden.  -r counts items: a slot of -b items every
	 * b/r s. */
	*due = t->t0 + pr->phase_ns +
	    (uint64_t)((unsigned __int128)slot * c->burst * 1000000000u / c->rate);
	if (*due >= t->me)
		return false;
	/* This read comes right after the previous slot's write, while a
	 * main thread woken on this CPU may wait for this thread to block:
	 * one read, not a second one for the sleep below. */
	*now = clock_ns();
	handed_over(*last, *now);
	*last = NULL;
	if (*now >= t->me) {
		count_behind(t, pr, slot);
		return false;
	}
	if (look_for_signal(t, pr, *now))
		return false;
	for (; *now < *due; *now = clock_ns()) {
		/* In steps, to notice a stop. */
		clock_sleep_until(*due - *now > 50 * MS ? *now + 50 * MS : *due);
		if (atomic_load_explicit(&t->stop, memory_order_relaxed))
			return false;
	}
	return true;
}

/*
 * producer_measure: the first slot due at or after ms opens the
 * producer's window.  Once per trial: the producer's own /proc files,
 * never per item.
 */
static void
producer_measure(struct producer *pr)
{
	pr->measuring = true;
	pr->begin = pr->st;
	pr->blocked_ns_max = 0;
	if (!pr->t->cfg->no_counters)
		schedstat_thread(&pr->sch_begin);
}

/*
 * produce_slot: the slot's -b items, each stamped, queued and poked
 * (produce).  *last is the item whose hand-over is not stamped yet.
 * Returns false when the trial stopped while the pool was empty.
 */
static inline bool
produce_slot(struct trial *t, struct producer *pr, uint64_t due,
    uint64_t now, struct item **last)
{
	const struct config *c = t->cfg;

	for (uint64_t b = 0; b < c->burst; b++) {
		struct item *it = pool_get(&pr->pool);
		bool waited = it == NULL;
		if (waited && (it = get_item(t, pr)) == NULL)
			return false;
		/* One clock read per item: it stamps this enqueue and the
		 * previous item's hand-over (see handed_over); the slot's
		 * own read serves the first item. */
		if (b > 0 || waited)
			now = clock_ns();
		handed_over(*last, now);
		it->seq = pr->seq++;
		it->producer = pr->id;
		it->sched_ns = c->rate ? due : now;
		it->enq_ns = now;
		atomic_store_explicit(&it->done_ns, 0, memory_order_relaxed);
		produce(t, pr, it);
		pr->st.items++;
		*last = it;
	}
	return true;
}

/* producer_end: stamp the last hand-over, close the window, and tell the
 * main thread (release: it reads this producer's totals after it sees
 * the count, and joins it only then). */
static void
producer_end(struct trial *t, struct producer *pr, struct item *last)
{
	handed_over(last, clock_ns());
	atomic_store_explicit(&pr->finished, true, memory_order_relaxed);
	if (!pr->measuring)
		pr->begin = pr->st;
	else if (!t->cfg->no_counters)
		schedstat_thread(&pr->sch_end);
	atomic_fetch_add_explicit(&t->done, 1, memory_order_release);
}

/* producer_main: a producer thread: slot after slot until the schedule,
 * or the trial, ends. */
static void *
producer_main(void *arg)
{
	struct producer *pr = arg;
	struct trial *t = pr->t;
	struct item *last = NULL;	/* produced, done_ns not yet stamped */
	uint64_t due, now;

	producer_start(t, pr);
	for (uint64_t slot = 0; next_slot(t, pr, slot, &last, &due, &now);
	    slot++) {
		if (!pr->measuring && due >= t->ms)
			producer_measure(pr);
		if (!produce_slot(t, pr, due, now, &last))
			break;
	}
	producer_end(t, pr, last);
	return NULL;
}

/* give_back: chain it to its producer's return list (flushed per batch). */
static void
give_back(struct trial *t, struct item *it)
{
	unsigned p = it->producer;

	if (t->chain_head[p] == NULL) {
		t->chain_head[p] = t->chain_tail[p] = it;
		t->touched[t->ntouched++] = p;
	} else {
		t->chain_tail[p]->next = it;
		t->chain_tail[p] = it;
	}
}

static void
give_back_flush(struct trial *t)
{
	for (unsigned i = 0; i < t->ntouched; i++) {
		unsigned p = t->touched[i];
		pool_put(&t->prod[p].pool, t->chain_head[p], t->chain_tail[p]);
		t->chain_head[p] = t->chain_tail[p] = NULL;
	}
	t->ntouched = 0;
}

/*
 * in_flight: after a wait that returned without the waker, the start of
 * the oldest poke that may still make it ready, or UINT64_MAX if none can.
 * An item done after that start may be waiting for that poke's write (the
 * coalescing flag's winner, the first item of a `transition`): late, not
 * lost.  A poke under way when the wait returned is either still under way
 * now (the scan sees it) or has landed since, and then the waker is
 * readable now (nothing drains it between the wait and here): the poll
 * after the scan sees that.  This also covers a main thread preempted
 * between the kernel's readiness scan and its return, which can put
 * milliseconds between the two on a loaded machine.  Under drain none the
 * waker is always readable, so only the scan counts.  O(producers) plus
 * one poll, and only run once an item looks stranded.
 */
static uint64_t
in_flight(void *arg, bool *readable)
{
	struct trial *t = arg;
	uint64_t oldest = UINT64_MAX;

	/* Under `always` an item relies on its own write alone, which is
	 * done when the item is: other producers' pokes excuse nothing (a
	 * write refused with EAGAIN under drain none, say). */
	for (unsigned i = 0; i < t->np && !t->s->poke->own_write; i++) {
		uint64_t s = atomic_load_explicit(&t->prod[i].poking_since,
		    memory_order_acquire);
		if (s != 0 && s < oldest)
			oldest = s;
	}
	if (t->drain->run != NULL) {
		t->st.reads++;
		/* A write landed: every item is late, once (judge.h, the
		 * readable limit). */
		*readable = waker_readable(&t->waker);
	}
	return oldest;
}

/*
 * take: everything the dequeue returned.  Per item: the sequence check,
 * the latency from when it was due, and, when judged (a turn of the loop,
 * not the final drain), the lost-wakeup check (judge_item).  Returns the
 * number of items.
 */
static uint64_t
take(struct trial *t, struct item *list, uint64_t t_take, bool judged)
{
	uint64_t k = 0;

	for (struct item *it = list, *next; it != NULL; it = next, k++) {
		next = it->next;
		/* Each item's line comes from the producer's core; ask for
		 * the next one now rather than when the chase reaches it. */
		if (next != NULL)
			__builtin_prefetch(next);
		unsigned p = it->producer;
		if (it->seq != t->next_seq[p])
			t->seq_errors++;
		t->next_seq[p] = it->seq + 1;
		if (it->sched_ns >= t->ms && it->sched_ns < t->me) {
			hist_record(&t->item_h,
			    t_take > it->sched_ns ? t_take - it->sched_ns : 0);
			t->st.items++;
		}
		if (judged && judge_item(&t->judge, atomic_load_explicit(
		    &it->done_ns, memory_order_acquire), t_take, in_flight, t) &&
		    it->sched_ns >= t->ms && it->sched_ns < t->me) {
			/* Counted again for the window, as the items are. */
			uint64_t d = atomic_load_explicit(&it->done_ns,
			    memory_order_relaxed);
			t->lost_window++;
			if (t_take - d > t->stranded_window)
				t->stranded_window = t_take - d;
		}
		give_back(t, it);
	}
	give_back_flush(t);
	t->consumed += k;
	/* By take time, against the same window as duration_ns: the main
	 * thread may notice the window's end a wait timeout late. */
	if (t_take >= t->ms && t_take < t->me)
		t->taken += k;
	return k;
}

/*
 * held: what a drain found, for judge_turn, when it is exact or an over
 * count: not after a failed read, not from a drain after the dequeue,
 * not when a stream waker may have been full (a pipe at its capacity, or
 * a socketpair, whose capacity in sends is unknown) and so may have
 * refused pokes with EAGAIN, and for a semaphore eventfd only from drain
 * all or eagain (what it took, which only adds pokes that land during the
 * drain).
 */
static uint64_t
held(const struct trial *t, long n, uint64_t found)
{
	const struct waker *w = &t->waker;

	/* A ring waker's completions are not its pokes counted at the
	 * drain: one that lands after the read it completes is not in it. */
	if (n < 0 || t->drain->after_take || w->ops->ring)
		return UINT64_MAX;
	if (w->ops->stream)
		return w->capacity != 0 && found < w->capacity ? found : UINT64_MAX;
	if (w->ops->read_all || strcmp(t->drain->name, "all") == 0 ||
	    strcmp(t->drain->name, "eagain") == 0)
		return found;
	return UINT64_MAX;
}

/* drain: run the drain policy, keeping the peak the waker held. */
static void
drain(struct trial *t, uint64_t items)
{
	if (t->drain->run == NULL)
		return;
	bool locked = t->faults & FAULT_POKE_UNDER_LOCK ||
	    t->s->poke->drain_locked;
	if (locked)
		pthread_mutex_lock(&t->queue.lock);
	struct drain_out out = { 0 };
	long n = t->drain->run(&t->waker, items, &out);
	if (locked)
		pthread_mutex_unlock(&t->queue.lock);
	t->st.reads += out.reads;
	/* Bytes a partial drain leaves make the next wait return at once:
	 * that wakeup is no sleep->wake transition. */
	judge_drained(&t->judge, n > 0 ? (uint64_t)n : 0,
	    held(t, n, out.found), out.empty);
	if (out.found > t->peak_pokes)
		t->peak_pokes = out.found;
	if (out.found == 0 && n >= 0)
		t->st.empty_wakeups++;
	if (n < 0) {
		if (t->error == 0) {
			t->error = (int)-n;
			t->error_step = "read waker";
		}
		return;
	}
}

/*
 * consume: after a wait that found the waker ready, forget the first
 * writer's stamps (judge_clear), then drain (unless the drain must follow
 * the dequeue, or the wakeup was fed: the waker was not readable).
 * Forgetting first: see judge_clear.
 */
static void
consume(struct trial *t, bool ready, bool fed)
{
	if (!ready)
		return;
	judge_clear(&t->judge);
	if (!t->drain->after_take && !fed)
		drain(t, 0);
}

static void
rearm(struct trial *t)
{
	const struct poke_ops *pk = t->s->poke;

	if (pk->rearm == NULL)
		return;
	if (pk->under_lock)
		pthread_mutex_lock(&t->queue.lock);
	pk->rearm(&t->wake);
	if (pk->under_lock)
		pthread_mutex_unlock(&t->queue.lock);
}

/* queued: items wait in the queue (GLib's prepare finding an idle source
 * ready, under the context lock). */
static bool
queued(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	bool any = q->head != NULL;
	pthread_mutex_unlock(&q->lock);
	return any;
}

/*
 * wait_turn: the wait itself, with the clock reads around it (*t_enter,
 * *t_ret) and the forced zero timeouts (a skipped handshake write, an
 * always-lock queue that is not empty).  Returns the wait's
 * event count, or -1 (an error other than EINTR is the trial's).
 */
static inline int
wait_turn(struct trial *t, uint64_t timeout_ns, uint64_t *t_enter,
    uint64_t *t_ret)
{
	const struct poke_ops *pk = t->s->poke;

	if (pk->before_wait != NULL && !pk->before_wait(&t->wake))
		timeout_ns = 0;		/* a skipped write is waiting */
	if (pk->poll_queued && queued(&t->queue))
		timeout_ns = 0;		/* an idle source is ready */
	judge_before_wait(&t->judge);
	*t_enter = clock_ns();
	int n = t->ws.ops->wait(&t->ws, timeout_ns, t->ev, t->nev);
	*t_ret = clock_ns();
	t->st.waits++;
	if (n < 0 && errno != EINTR && t->error == 0) {
		t->error = errno;
		t->error_step = t->ws.ops->name;
	}
	return n;
}

/* waker_ready: the waker's rfd is among the n events, or the policy fed
 * it: a skipped write counts as the waker being ready, as libev feeds its
 * pipe watcher itself (EV_CUSTOM, which pipecb does not read for: *fed). */
static inline bool
waker_ready(struct trial *t, int n, bool *fed)
{
	const struct poke_ops *pk = t->s->poke;
	bool ready = false;

	*fed = false;
	for (int i = 0; i < n; i++)
		if (t->ev[i].fd == t->waker.rfd)
			ready = true;
	if (pk->after_wait != NULL && pk->after_wait(&t->wake) && !ready) {
		ready = *fed = true;
		t->st.fed++;
	}
	return ready;
}

/* classify: count the wait as the judge classifies it, recording a
 * wakeup sample that returned in the window (docs/DESIGN.md#wake-latency). */
static inline void
classify(struct trial *t, bool ready, int n, uint64_t t_enter,
    uint64_t t_ret)
{
	uint64_t wake_ns = 0;

	switch (judge_wait(&t->judge, ready, t_enter, t_ret, &wake_ns)) {
	case JUDGE_SAMPLE:
		t->st.wakeups++;
		if (t_ret >= t->ms && t_ret < t->me) {
			hist_record(&t->wake_h, wake_ns);
			if (t->ts != NULL)
				tracesched_sample(t->ts, t_ret - wake_ns, t_ret);
		}
		break;
	case JUDGE_NOSLEEP:
		t->st.wakeups++;
		t->st.nosleep++;
		break;
	case JUDGE_NOT_READY:
		if (n == 0)
			t->st.timeouts++;
		break;
	}
}

/*
 * scan_now: under drain none the waker is always readable, so in_flight()
 * cannot see a write that landed after the wait returned by polling it:
 * take the scan now, when every write still on its way is under way,
 * instead of when an item first looks stranded.
 */
static void
scan_now(struct trial *t)
{
	bool readable = false;
	uint64_t oldest = in_flight(t, &readable);

	judge_in_flight(&t->judge, oldest, readable);
}

/* lost_by_count: losses judge_turn found by count have no item: the
 * window holds them if the take does. */
static inline void
lost_by_count(struct trial *t, uint64_t t_take)
{
	uint64_t more = judge_turn(&t->judge, t_take);

	if (more > 0 && t_take >= t->ms && t_take < t->me) {
		t->lost_window += more;
		if (t_take - t->judge.own_oldest > t->stranded_window)
			t->stranded_window = t_take - t->judge.own_oldest;
	}
}

/* serve_sockets: the wait's other events go to the server.  They come
 * after the queue in each turn: both are served every turn, and socket
 * work never delays the take it follows. */
static inline void
serve_sockets(struct trial *t, int n)
{
	for (int i = 0; i < n; i++)
		if (t->ev[i].fd != t->waker.rfd)
			net_server_event(&t->net, t->ev[i].fd, t->ev[i].events);
}

/*
 * iterate: one turn of the event loop.  The order is the technique's:
 * wait; drain the waker (so a poke that lands from now on leaves it
 * readable for the next wait); re-arm the poke policy; take everything
 * queued; record.  The ordering faults change this one place.  What each
 * wakeup was and which items lost theirs is lib/judge.c's.
 */
static void
iterate(struct trial *t, uint64_t timeout_ns)
{
	uint64_t t_enter, t_ret;
	int n = wait_turn(t, timeout_ns, &t_enter, &t_ret);
	if (n < 0)
		return;
	bool fed;
	bool ready = waker_ready(t, n, &fed);
	classify(t, ready, n, t_enter, t_ret);
	if (!ready && t->drain->run == NULL && !t->s->poke->own_write)
		scan_now(t);

	struct item *list;
	uint64_t k = 0;
	if (t->faults & FAULT_DEQUEUE_FIRST) {
		list = queue_take(&t->queue);
		nap(FAULT_WINDOW_NS);
		consume(t, ready, fed);
		if (ready)
			rearm(t);
	} else if (t->faults & FAULT_CLEAR_AFTER_DEQUEUE) {
		consume(t, ready, fed);
		list = queue_take(&t->queue);
		nap(FAULT_WINDOW_NS);
		if (ready)
			rearm(t);
	} else if (t->s->poke->late) {
		/* What was queued before the wait returned, then the drain
		 * and the clear, then what came in between. */
		list = queue_take(&t->queue);
		k = take(t, list, clock_ns(), true);
		consume(t, ready, fed);
		if (ready)
			rearm(t);
		list = queue_take(&t->queue);
	} else {
		consume(t, ready, fed);
		if (ready)
			rearm(t);
		list = queue_take(&t->queue);
	}
	uint64_t t_take = clock_ns();
	k += take(t, list, t_take, true);
	if (ready && k == 0)
		t->st.spurious++;
	if (ready && t->drain->after_take)
		drain(t, k);
	lost_by_count(t, t_take);
	if (t->net_open)
		serve_sockets(t, n);
}

/*
 * sched_open: the scheduler and CPU counters at the window's open.  The
 * CPUs' first: a few sysfs reads per allowed CPU and idle state, done
 * before the thread's own so that their cost is not in its window.
 */
static void
sched_open(struct trial *t)
{
	if (t->cfg->no_counters)
		return;
	schedstat_cpus(&t->cpus_begin, t->env->cpus, t->env->ncpus);
	schedstat_thread(&t->sch_begin);
}

/* wait_counts: what the wait counts of its own (lib/wait.h); false, and
 * nothing read, for a wait that counts nothing. */
static bool
wait_counts(struct trial *t, struct wait_counts *c)
{
	if (t->ws.ops == NULL || t->ws.ops->counts == NULL)
		return false;
	t->ws.ops->counts(&t->ws, c);
	return true;
}

/* window_open: the main thread's snapshots at the window's open. */
static void
window_open(struct trial *t, uint64_t now)
{
	t->measuring = true;
	t->begin = t->st;
	t->t_begin = now;
	t->cpu_begin = clock_thread_cpu_ns();
	sched_open(t);
	t->net_sys_begin = t->net.syscalls;
	wait_counts(t, &t->wc_begin);
}

static void
window_close(struct trial *t, uint64_t now)
{
	if (!t->measuring)	/* stopped before it opened: an empty window */
		window_open(t, now);
	t->net_sys_end = t->net.syscalls;
	t->wc_known = wait_counts(t, &t->wc_end);
	if (!t->cfg->no_counters) {
		schedstat_thread(&t->sch_end);
		schedstat_cpus(&t->cpus_end, t->env->cpus, t->env->ncpus);
	}
	t->ended = true;
	t->end = t->st;
	t->t_end = now;
	t->cpu_end = clock_thread_cpu_ns();
}

/* window: open and close the measured window as time passes it. */
static void
window(struct trial *t, uint64_t now)
{
	if (!t->measuring && now >= t->ms) {
		window_open(t, now);
		t->peak_pokes = 0;
		t->next_stall = now;
	}
	if (t->measuring && !t->ended && now >= t->me)
		window_close(t, now);
}

/* stall: --stall, the main thread stops serving (as a slow handler would). */
static void
stall(struct trial *t, uint64_t now)
{
	const struct config *c = t->cfg;

	if (c->stall_ns == 0 || !t->measuring || t->ended || now < t->next_stall)
		return;
	uint64_t until = now + c->stall_ns;
	atomic_store_explicit(&t->stall_until, until, memory_order_relaxed);
	while ((now = clock_ns()) < until && !*t->env->interrupted)
		clock_sleep_until(until - now > 50 * MS ? now + 50 * MS : until);
	/* Cut short by a stop: the watchdog must not excuse a blocked
	 * producer by the stall's planned end. */
	if (now < until)
		atomic_store_explicit(&t->stall_until, now, memory_order_relaxed);
	t->next_stall = c->stall_period_ns ? t->next_stall + c->stall_period_ns :
	    UINT64_MAX;
}

/*
 * net_done: have the clients finished?  They stop sending at the end of the
 * window, wait up to NET_GRACE_NS for their replies and close; the server
 * sees each close.  Past that (or on a stop) they are told to stop, and a
 * second deadline bounds the wait, so a trial always ends.
 */
static bool
net_done(struct trial *t, uint64_t now)
{
	if (!t->net_open || t->net.open == 0)
		return true;
	uint64_t end = t->stopped_at ? t->stopped_at : t->me + NET_GRACE_NS;
	if (now > end + 1000 * MS && t->clients_started)
		net_clients_stop(&t->clients);
	return now > end + 3000 * MS;
}

static void
main_loop(struct trial *t)
{
	uint64_t now = clock_ns(), loops = 0;

	for (;;) {
		atomic_store_explicit(&t->loops, ++loops, memory_order_relaxed);
		window(t, now);
		/* done first: its acquire publishes the signalled of the
		 * producers it counts, so none ends a trial unseen. */
		unsigned done = atomic_load_explicit(&t->done,
		    memory_order_acquire);
		bool signalled = atomic_load_explicit(&t->signalled,
		    memory_order_relaxed);
		if ((*t->env->interrupted || signalled || t->error != 0) &&
		    !t->stopped_at) {
			/* Stop everything now; net_done bounds the wait for
			 * the clients from here. */
			t->partial = *t->env->interrupted != 0 || signalled;
			t->stopped_at = now;
			atomic_store_explicit(&t->stop, true, memory_order_relaxed);
			atomic_store_explicit(&t->aux_cancel, true, memory_order_relaxed);
			if (t->clients_started)
				net_clients_stop(&t->clients);
		}
		if (done == t->np && net_done(t, now))
			break;
		stall(t, now);
		/* Once the schedule is over, look often for the producers'
		 * end rather than sleep a whole timeout. */
		uint64_t timeout = t->ended || t->partial ? 1 * MS :
		    t->cfg->timeout_ns;
		iterate(t, timeout);
		now = clock_ns();
		/* Past the window or told to stop, a main thread that does
		 * not sleep (its waker stays ready) must let producers of its
		 * own real-time priority on its CPU reach their end. */
		if (t->ended || t->stopped_at)
			rt_yield(t->cfg->sched_policy);
	}
	if (!t->ended)		/* interrupted, or failed, inside the window */
		window_close(t, now);
}

/*
 * idle: the spin detector.  Nothing is queued or written any more; count
 * the wakeups and the CPU of IDLE_NS of the loop.
 */
static void
idle(struct trial *t, struct trial_result *r)
{
	/* A wakeup whose drain found pokes is working off a real backlog;
	 * only one that found nothing (or any, when nothing reads the
	 * waker) is the loop spinning. */
	bool reads = t->drain->run != NULL;
	uint64_t w0 = reads ? t->st.empty_wakeups : t->st.wakeups;
	uint64_t cpu0 = clock_thread_cpu_ns();
	uint64_t start = clock_ns(), now = start;

	while (now < start + IDLE_NS && !*t->env->interrupted) {
		iterate(t, start + IDLE_NS - now);
		now = clock_ns();
	}
	r->idle_ns = now - start;
	r->idle_wakeups = (reads ? t->st.empty_wakeups : t->st.wakeups) - w0;
	r->idle_cpu_ns = clock_thread_cpu_ns() - cpu0;
}

/* final: after the producers end, take what is left and empty the waker,
 * outside the measurement, so the conservation check sees every item. */
static void
final_drain(struct trial *t)
{
	uint64_t reads = 0;
	bool empty = false;

	uint64_t total = 0;

	take(t, queue_take(&t->queue), clock_ns(), false);
	while (!empty) {
		long n = t->waker.ops->read(&t->waker, 4096, &empty);
		if (n < 0 || ++reads > 1000000) {
			t->final_cut = true;
			break;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
	}
	judge_taken(&t->judge, total);
	/* Never drained: the whole backlog is the peak it reached. */
	if (t->drain->run == NULL && total > t->peak_pokes)
		t->peak_pokes = total;
}

/*
 * open_net: the listener and the client process, before the waker exists
 * so that the child inherits none.  With --pin the main thread is pinned
 * by now; the client process gets every allowed CPU back, not the main
 * one.
 */
static int
open_net(struct trial *t, const char **step)
{
	const struct config *c = t->cfg;
	int e;

	*step = "listen 127.0.0.1";
	if ((e = net_server_open(&t->net, &t->ws, (unsigned)c->connections)) != 0)
		return e;
	t->net_open = true;
	struct net_client_conf nc = {
		.port = t->net.port, .conns = (unsigned)c->connections,
		.threads = (unsigned)(c->clients < c->connections ?
		    c->clients : c->connections),
		.rate = c->net_rate, .msg_size = c->msg_size,
	};
	CPU_ZERO(&nc.cpus);
	for (int i = 0; i < t->env->ncpus; i++)
		CPU_SET(t->env->cpus[i], &nc.cpus);
	*step = "fork clients";
	if ((e = net_clients_start(&t->clients, &nc)) != 0)
		return e;
	t->clients_started = true;
	return 0;
}

/* leak_targets: what a --spawn child must hold to have inherited our
 * waker. */
static int
leak_targets(struct trial *t, const char **step)
{
	int e;

	*step = "--spawn: /proc/self/fd";
	if ((e = leak_target(t->waker.rfd, &t->targets[0])) != 0)
		return e;
	t->ntargets = 1;
	if (t->waker.wfd != t->waker.rfd) {
		if ((e = leak_target(t->waker.wfd, &t->targets[1])) != 0)
			return e;
		t->ntargets = 2;
	}
	return 0;
}

/* open_waker: the waker with the creation flags the faults (or the
 * preset) ask for, and its --pipe-size. */
static int
open_waker(struct trial *t, const char **step)
{
	const struct config *c = t->cfg;
	int e;

	*step = "waker";
	unsigned flags = (t->faults & FAULT_BLOCKING_WRITE ? WAKER_BLOCKING : 0) |
	    (t->faults & FAULT_NO_CLOEXEC ? WAKER_NO_CLOEXEC : 0);
	if ((e = waker_open(&t->waker, t->s->waker, flags)) != 0)
		return e;
	t->waker_open = true;
	if (c->pipe_size != 0 && t->s->waker->set_size != NULL) {
		size_t actual;
		*step = "F_SETPIPE_SZ";
		if ((e = waker_set_size(&t->waker, c->pipe_size, &actual)) != 0)
			return e;
	}
	return 0;
}

/*
 * init_sync: the queue, the start gate and the aux threads' condition
 * variable (CLOCK_MONOTONIC, for aux_sleep).  The gate's three are
 * destroyed together (gate_init), so a failure among them undoes the
 * others here.
 */
static int
init_sync(struct trial *t, const char **step)
{
	int e;

	*step = "pthread_mutex_init";
	if ((e = queue_init(&t->queue)) != 0)
		return e;
	t->queue_init = true;
	if ((e = pthread_mutex_init(&t->gate_mu, NULL)) != 0)
		return e;
	if ((e = pthread_cond_init(&t->gate_cv, NULL)) != 0) {
		pthread_mutex_destroy(&t->gate_mu);
		return e;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	e = pthread_cond_init(&t->aux_cv, &ca);
	pthread_condattr_destroy(&ca);
	if (e != 0) {
		pthread_cond_destroy(&t->gate_cv);
		pthread_mutex_destroy(&t->gate_mu);
		return e;
	}
	t->gate_init = true;
	return 0;
}

/* pool_cap: items per producer's pool (see POOL_AWAY_NS): never from
 * --timeout, never more than the budget's share, so memory and setup
 * time are bounded. */
static uint64_t
pool_cap(const struct trial *t)
{
	const struct config *c = t->cfg;
	uint64_t cap = c->rate == 0 ? 16384 :
	    (uint64_t)((unsigned __int128)c->rate * (POOL_AWAY_NS + 2 * c->stall_ns) /
	    1000000000u) + c->burst;
	uint64_t share = (t->env->pool_budget ? t->env->pool_budget :
	    TRIAL_POOL_BUDGET) / t->np;

	if (cap > share)
		cap = share;
	if (cap < POOL_MIN)
		cap = POOL_MIN;
	return cap;
}

/* make_producers: the producers' structs, the main thread's per-producer
 * arrays, and every pool filled up front. */
static int
make_producers(struct trial *t, const char **step)
{
	const struct config *c = t->cfg;
	int e;

	*step = "calloc";
	t->np = t->s->producers;
	if ((t->prod = zalloc64((size_t)t->np * sizeof(*t->prod))) == NULL ||
	    (t->next_seq = calloc(t->np, sizeof(*t->next_seq))) == NULL ||
	    (t->chain_head = calloc(t->np, sizeof(*t->chain_head))) == NULL ||
	    (t->chain_tail = calloc(t->np, sizeof(*t->chain_tail))) == NULL ||
	    (t->touched = calloc(t->np, sizeof(*t->touched))) == NULL)
		return ENOMEM;

	uint64_t cap = pool_cap(t);
	for (unsigned i = 0; i < t->np; i++) {
		if (*t->env->interrupted)
			return ECANCELED;
		t->prod[i].t = t;
		t->prod[i].id = i;
		/* Spread the producers' slots evenly over one period, as
		 * independent threads would be, rather than all at once. */
		t->prod[i].phase_ns = c->rate ?
		    1000000000u * c->burst / c->rate * i / t->np : 0;
		if ((e = pool_init(&t->prod[i].pool, cap)) != 0)
			return e;
	}
	return 0;
}

/*
 * setup_trial: everything a trial holds, in the order docs/DESIGN.md#setup
 * gives.  0, or an errno value with *step naming the call that failed;
 * what was made is teardown()'s to undo either way.
 */
static int
setup_trial(struct trial *t, const char **step)
{
	const struct config *c = t->cfg;
	int e;

	*step = t->s->wait->name;
	t->nev = (int)c->connections + 4;
	if ((e = wait_open(&t->ws, t->s->wait, t->nev)) != 0)
		return e;
	t->ws_open = true;
	if (c->connections > 0 && (e = open_net(t, step)) != 0)
		return e;
	if ((e = open_waker(t, step)) != 0)
		return e;
	*step = t->s->wait->name;
	if ((e = waker_attach(&t->waker, &t->ws)) != 0)
		return e;
	/* After the attach: a ring waker's rfd is made there. */
	if (c->spawn > 0 && (e = leak_targets(t, step)) != 0)
		return e;
	*step = "calloc";
	if ((t->ev = calloc((size_t)t->nev, sizeof(*t->ev))) == NULL)
		return ENOMEM;
	if ((e = init_sync(t, step)) != 0)
		return e;
	return make_producers(t, step);
}

/*
 * aux_sleep: the watchdog's and spawner's sleep, cut short by stop_aux so
 * that joining them never waits out a period.  Returns false once they
 * must stop.  A condition variable rather than short naps: a timer firing
 * every few ms on the measured CPUs would show in the latencies.
 */
static bool
aux_sleep(struct trial *t, uint64_t ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t until = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + ns;
	ts.tv_sec = (time_t)(until / 1000000000u);
	ts.tv_nsec = (long)(until % 1000000000u);
	pthread_mutex_lock(&t->gate_mu);
	while (!t->aux_stopped &&
	    pthread_cond_timedwait(&t->aux_cv, &t->gate_mu, &ts) != ETIMEDOUT)
		;
	bool go_on = !t->aux_stopped;
	pthread_mutex_unlock(&t->gate_mu);
	return go_on;
}

/*
 * stuck_producers: how many live producers have been inside one poke (or
 * waiting for the lock around one) for at least ns, not counting a planned
 * --stall, and how many are live (not yet out of their loop).
 */
static unsigned
stuck_producers(struct trial *t, uint64_t now, uint64_t ns, unsigned *live)
{
	uint64_t stall_end = atomic_load_explicit(&t->stall_until,
	    memory_order_relaxed);
	unsigned stuck = 0;

	*live = 0;
	for (unsigned i = 0; i < t->np; i++) {
		if (atomic_load_explicit(&t->prod[i].finished, memory_order_relaxed))
			continue;
		(*live)++;
		uint64_t s = atomic_load_explicit(&t->prod[i].poking_since,
		    memory_order_relaxed);
		if (s != 0 && s < stall_end)
			s = stall_end;
		stuck += s != 0 && now >= s && now - s >= ns;
	}
	return stuck;
}

/*
 * runnable: is thread tid of this process runnable (waiting for a CPU, or
 * on one) rather than asleep in a system call?  A producer that has been
 * "in a poke" for a second but is runnable was preempted on a starved
 * machine, not blocked on a full waker.  False when /proc cannot say.
 */
static bool
runnable(pid_t tid)
{
	char task[32];

	if (tid <= 0)
		return false;
	snprintf(task, sizeof(task), "self/task/%d", (int)tid);
	return schedstat_state(task) == 'R';
}

/* any_runnable: is a stuck-looking thread (a live producer, or with
 * main the main thread) in fact only waiting for a CPU? */
static bool
any_runnable(struct trial *t, bool main)
{
	if (main && runnable(t->main_tid))
		return true;
	for (unsigned i = 0; i < t->np; i++)
		if (!atomic_load_explicit(&t->prod[i].finished, memory_order_relaxed) &&
		    runnable(atomic_load_explicit(&t->prod[i].os_tid,
		    memory_order_relaxed)))
			return true;
	return false;
}

/* rescue: keep the waker empty until the trial's aux threads stop, so
 * that writers blocked on it finish their write and see the stop. */
static void
rescue(struct trial *t)
{
	atomic_store(&t->rescued, true);
	atomic_store(&t->stop, true);
	do {
		bool empty = false;
		for (int i = 0; i < 10000 && !empty; i++)
			if (t->waker.ops->read(&t->waker, 4096, &empty) <= 0)
				break;
	} while (aux_sleep(t, 10 * MS));
}

/*
 * watchdog: every 100 ms, are producers stuck in a poke?  Three cases end
 * the trial, each by draining the waker from here (see rescue):
 *  - every live producer stuck for TRIAL_STUCK_NS and the main thread
 *    stuck too, outside a planned --stall: a deadlock (r->deadlock);
 *  - every live producer stuck for TRIAL_STUCK_NS while the main thread
 *    runs on, outside a --stall: a blocking waker that fills and is not
 *    emptied, which hangs a real program's producers for good (r->stuck);
 *  - the trial was told to stop (interrupt, error) and a producer is
 *    still in a poke after STOP_RESCUE_NS: no finding, a quick stop.
 * "Stuck" in the first two is asleep: a producer or main thread that is
 * runnable (preempted on a starved machine) holds the verdict back.
 */
static void *
watchdog_main(void *arg)
{
	struct trial *t = arg;
	uint64_t last = 0, since = clock_ns();
	unsigned live;

	while (aux_sleep(t, 100 * MS)) {
		uint64_t now = clock_ns();
		if (atomic_load_explicit(&t->aux_cancel, memory_order_relaxed) &&
		    stuck_producers(t, now, STOP_RESCUE_NS, &live) > 0) {
			rescue(t);
			break;
		}
		uint64_t loops = atomic_load_explicit(&t->loops, memory_order_relaxed);
		bool stalled = now < atomic_load_explicit(&t->stall_until,
		    memory_order_relaxed);
		if (loops != last || stalled) {
			last = loops;
			since = now;
		}
		if (stalled)
			continue;
		/* Producers that reached the end of their schedule are out of
		 * the game; every other one must be stuck, and one at least. */
		unsigned stuck = stuck_producers(t, now, TRIAL_STUCK_NS, &live);
		if (stuck == 0 || stuck != live)
			continue;
		/* Stuck means asleep in the write or the lock, not preempted
		 * (and for a deadlock, the main thread too): a machine with no
		 * CPU to give is no finding. */
		bool main_stuck = now - since >= TRIAL_STUCK_NS;
		if (any_runnable(t, main_stuck))
			continue;
		if (main_stuck)
			atomic_store(&t->deadlock, true);
		else
			atomic_store(&t->stuck, true);
		rescue(t);
		break;
	}
	return NULL;
}

/*
 * spawner: --spawn children, spread evenly over the measured window, each
 * listing what it inherited.  From its own thread, as a real program
 * spawns while its other threads run.  A child due when the previous one
 * is still running is late, not skipped; none starts once the window is
 * over or the trial stops, so a slow exec costs the run nothing past the
 * window (t->spawned says how many ran).
 */
/*
 * stopped_by: whether the child's death belongs to a stop of the run.  A
 * Ctrl-C reaches the whole process group at once, and the child may die
 * and be reaped before this process's handler has set the flag: a child
 * killed by a signal that stops the run gives the flag 200 ms to follow.
 */
static bool
stopped_by(struct trial *t, const struct leak_status *st)
{
	uint64_t until = clock_ns() + 200 * 1000000ull;

	if (st->signal != SIGINT && st->signal != SIGTERM && st->signal != SIGHUP)
		return *t->env->interrupted != 0;
	while (!*t->env->interrupted && clock_ns() < until)
		clock_sleep_until(clock_ns() + 1000000);
	return *t->env->interrupted != 0;
}

static void *
spawner_main(void *arg)
{
	struct trial *t = arg;
	const struct config *c = t->cfg;
	struct leak_status st;

	wait_gate(t);
	for (uint64_t i = 0; i < c->spawn; i++) {
		uint64_t at = t->ms + (t->me - t->ms) / (c->spawn + 1) * (i + 1);
		uint64_t now = clock_ns();
		if (at > now && !aux_sleep(t, at - now))
			break;
		if (clock_ns() >= t->me ||
		    atomic_load_explicit(&t->aux_cancel, memory_order_relaxed))
			break;
		int k = leak_count(t->env->self_exe, t->targets, t->ntargets,
		    clock_ns() + SPAWN_WAIT_NS, &t->aux_cancel, &st);
		if (k == -ECANCELED)
			break;
		if (k < 0) {
			/* A child killed by a stop is no error of the run. */
			if (!stopped_by(t, &st)) {
				t->spawn_error = -k;
				snprintf(t->spawn_why, sizeof(t->spawn_why), "%s",
				    k == -ETIMEDOUT ? "no list within 2 s; killed" :
				    st.why);
			}
			break;
		}
		t->spawned++;
		if ((uint64_t)k > t->leaked)
			t->leaked = (uint64_t)k;
	}
	return NULL;
}

static int
start_producers(struct trial *t, const char **step)
{
	pthread_attr_t attr;
	sigset_t all;
	cpu_set_t all_cpus;
	int e = 0;

	*step = "pthread_attr_init";
	if ((e = pthread_attr_init(&attr)) != 0)
		return e;
	pthread_attr_setstacksize(&attr, 256 * 1024);
	/* Signals go to the main thread only: its wait returns EINTR.  The
	 * new threads start with every signal blocked; the main thread
	 * blocks none meanwhile, so an interrupt while thousands of threads
	 * are created is seen at once. */
	sigfillset(&all);
	*step = "pthread_attr_setschedparam";
	if ((e = pthread_attr_setsigmask_np(&attr, &all)) != 0 ||
	    (e = rt_attr(&attr, t->cfg->sched_policy, t->cfg->sched_prio)) != 0) {
		pthread_attr_destroy(&attr);
		return e;
	}
	*step = "pthread_create";
	for (unsigned i = 0; i < t->np; i++) {
		if (*t->env->interrupted) {
			e = ECANCELED;
			break;
		}
		if (t->env->npin > 0) {
			unsigned rest = (unsigned)t->env->npin - 1;
			cpu_set_t set;
			CPU_ZERO(&set);
			CPU_SET(t->env->pin[rest ? 1 + i % rest : 0], &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		if ((e = pthread_create(&t->prod[i].tid, &attr, producer_main,
		    &t->prod[i])) != 0)
			break;
		t->prod[i].running = true;
	}
	if (e == 0) {
		CPU_ZERO(&all_cpus);
		for (int i = 0; i < t->env->ncpus; i++)
			CPU_SET(t->env->cpus[i], &all_cpus);
		if (t->env->ncpus > 0)
			pthread_attr_setaffinity_np(&attr, sizeof(all_cpus), &all_cpus);
		/* Under --sched, one above the main thread: a main thread
		 * that spins at its priority must not keep the watchdog,
		 * which ends a stuck trial, off every CPU. */
		*step = "pthread_attr_setschedparam";
		e = rt_attr(&attr, t->cfg->sched_policy, t->cfg->sched_prio + 1);
		*step = "pthread_create watchdog";
		if (e == 0 && (e = pthread_create(&t->watchdog, &attr,
		    watchdog_main, t)) == 0)
			t->watchdog_running = true;
	}
	if (e == 0 && t->cfg->spawn > 0) {
		/* The spawner is no part of the loop: the policy the main
		 * thread's SCHED_RESET_ON_FORK gives, SCHED_OTHER. */
		pthread_attr_setinheritsched(&attr, PTHREAD_INHERIT_SCHED);
		*step = "pthread_create spawner";
		if ((e = pthread_create(&t->spawner, &attr, spawner_main, t)) == 0)
			t->spawner_running = true;
	}
	pthread_attr_destroy(&attr);
	return e;
}

/*
 * accept_phase: before the schedule starts, accept every connection the
 * client process makes.  Ends early if the client process reports a
 * failure (its result pipe turns readable) or after a deadline.
 */
static int
accept_phase(struct trial *t, const char **step)
{
	uint64_t deadline = clock_ns() + (10000 + t->cfg->connections) * MS;

	while (t->net.accepted < t->cfg->connections) {
		struct pollfd p = { .fd = t->clients.res, .events = POLLIN };
		if (poll(&p, 1, 0) == 1 || clock_ns() > deadline ||
		    *t->env->interrupted)
			break;
		int n = t->ws.ops->wait(&t->ws, 10 * MS, t->ev, t->nev);
		for (int i = 0; i < n; i++)
			net_server_event(&t->net, t->ev[i].fd, t->ev[i].events);
	}
	if (t->net.accepted == t->cfg->connections)
		return 0;
	/* Close the listener first: connects still queued fail at once
	 * instead of retrying SYNs while we wait for the child. */
	net_server_close(&t->net);
	t->net_open = false;
	int e = net_clients_finish(&t->clients, &t->netr);
	t->clients_started = false;
	/* Interrupted while connecting: whatever the clients saw of it is
	 * no error, and there is nothing to report. */
	if (*t->env->interrupted)
		return ECANCELED;
	*step = "client process";
	/* ECHILD: the step says how it ended ("killed by signal 9"). */
	if (e == 0)
		snprintf(t->r->why, sizeof(t->r->why), "%s: not every connection "
		    "accepted in time", t->netr.step[0] ? t->netr.step : "connect");
	else
		snprintf(t->r->why, sizeof(t->r->why), "%s%s%s",
		    t->netr.step[0] ? t->netr.step : "connect",
		    e == ECHILD ? "" : ": ", e == ECHILD ? "" : strerror(e));
	return e ? e : ETIMEDOUT;
}

static void
open_gate(struct trial *t)
{
	pthread_mutex_lock(&t->gate_mu);
	t->gate_open = true;
	pthread_cond_broadcast(&t->gate_cv);
	pthread_mutex_unlock(&t->gate_mu);
}

static void
stop_aux(struct trial *t)
{
	if (t->gate_init) {
		pthread_mutex_lock(&t->gate_mu);
		t->aux_stopped = true;
		pthread_cond_broadcast(&t->aux_cv);
		pthread_mutex_unlock(&t->gate_mu);
	}
	if (t->watchdog_running)
		pthread_join(t->watchdog, NULL);
	if (t->spawner_running)
		pthread_join(t->spawner, NULL);
	t->watchdog_running = t->spawner_running = false;
}

/* trace_close: --trace-sched's last read and join, its parts kept. */
static void
trace_close(struct trial *t)
{
	if (t->ts != NULL)
		tracesched_close(t->ts, &t->kernel_h, &t->sched_h, &t->return_h,
		    &t->tsr);
	t->ts = NULL;
}

static void
teardown(struct trial *t)
{
	trace_close(t);
	stop_aux(t);
	if (t->clients_started)
		net_clients_finish(&t->clients, &t->netr);
	if (t->net_open)
		net_server_close(&t->net);
	if (t->prod != NULL)
		for (unsigned i = 0; i < t->np; i++)
			pool_destroy(&t->prod[i].pool);
	free(t->prod);
	free(t->next_seq);
	free(t->chain_head);
	free(t->chain_tail);
	free(t->touched);
	free(t->ev);
	if (t->queue_init)
		queue_destroy(&t->queue);
	if (t->gate_init) {
		pthread_mutex_destroy(&t->gate_mu);
		pthread_cond_destroy(&t->gate_cv);
		pthread_cond_destroy(&t->aux_cv);
	}
	if (t->ws_open)
		t->ws.ops->close(&t->ws);
	if (t->waker_open)
		waker_close(&t->waker);
}

/*
 * judged: the judge's totals.  Conservation of pokes compares what came
 * out of the waker with the producers' writes that reported success, over
 * the whole trial, from the counters they keep anyway (nothing on the hot
 * path).  Not judged when something else read the waker (the watchdog's
 * rescue: a deadlock, stuck producers, a quick stop), a read failed, or
 * the final drain gave up.
 */
static void
judged(struct trial *t, struct trial_result *r)
{
	uint64_t ok = 0;

	r->lost_wakeups = t->lost_window;
	r->stranded_ns_max = t->stranded_window;
	r->lost_wakeups_total = t->judge.lost;
	r->stranded_ns_max_total = t->judge.stranded_max;
	r->waker_not_emptied = t->judge.not_emptied;
	r->poke_eagain_total = 0;
	for (unsigned i = 0; i < t->np; i++) {
		const struct pstats *s = &t->prod[i].st;
		ok += s->writes - s->eagain - s->errors;
		r->poke_eagain_total += s->eagain;
	}
	/* Never read, a full waker refuses every write and raises no edge
	 * again (judge.h, the silent rule). */
	r->waker_full = t->drain->run == NULL ? r->poke_eagain_total : 0;
	if (!atomic_load(&t->rescued) && t->error == 0 && !t->final_cut)
		r->pokes_unaccounted = judge_pokes_unaccounted(&t->judge, ok);
}

/* sched_collect: the window's scheduler counters (lib/schedstat.h). */
static void
sched_collect(struct trial *t, struct trial_result *r)
{
	struct sched_thread m, p = { 0 }, w;
	struct sched_cpus c;

	r->busy_threads = 1 + (t->cfg->rate == 0 ? t->np : 0);
	r->cpus_allowed = (uint64_t)t->env->ncpus;
	if (t->cfg->no_counters) {
		/* Not read: unknown, never 0 (--no-counters). */
		r->main_run_delay_ns = r->main_timeslices = r->main_vcsw =
		    r->main_ivcsw = r->main_migrations = r->prod_run_delay_ns =
		    r->prod_ivcsw = r->rq_wait_per_wake_ns = r->ipi_resched =
		    r->ipi_call = r->idle_entries = r->idle_time_ns =
		    RESULT_UNKNOWN;
		r->idle_nstates = 0;
		return;
	}
	schedstat_thread_delta(&m, &t->sch_end, &t->sch_begin);
	r->main_run_delay_ns = m.delay_ns;
	r->main_timeslices = m.slices;
	r->main_vcsw = m.vcsw;
	r->main_ivcsw = m.ivcsw;
	r->main_migrations = m.migrations;
	for (unsigned i = 0; i < t->np; i++) {
		schedstat_thread_delta(&w, &t->prod[i].sch_end, &t->prod[i].sch_begin);
		schedstat_thread_add(&p, &w);
	}
	r->prod_run_delay_ns = p.delay_ns;
	r->prod_ivcsw = p.ivcsw;
	/* Per wakeup that slept: one that found the waker ready without
	 * sleeping was not woken, so it queued for nothing. */
	uint64_t slept = r->wakeups - r->wakeups_nosleep;
	r->rq_wait_per_wake_ns = m.delay_ns == RESULT_UNKNOWN || slept == 0 ?
	    RESULT_UNKNOWN : m.delay_ns / slept;
	schedstat_cpus_delta(&c, &t->cpus_end, &t->cpus_begin);
	r->ipi_resched = c.ipi_resched;
	r->ipi_call = c.ipi_call;
	r->idle_entries = c.idle_entries;
	r->idle_time_ns = c.idle_time_ns;
	r->idle_nstates = c.nstates;
	memcpy(r->idle_states, c.state, sizeof(r->idle_states));
}

/* trace_collect: --trace-sched's medians and counts, or unknown. */
static void
trace_collect(struct trial *t, struct trial_result *r)
{
	bool on = t->cfg->trace_sched;

	r->wake_kernel_p50_ns = on && t->kernel_h.count ?
	    hist_value_at(&t->kernel_h, 0.5) : RESULT_UNKNOWN;
	r->wake_sched_p50_ns = on && t->sched_h.count ?
	    hist_value_at(&t->sched_h, 0.5) : RESULT_UNKNOWN;
	r->wake_return_p50_ns = on && t->return_h.count ?
	    hist_value_at(&t->return_h, 0.5) : RESULT_UNKNOWN;
	r->wake_joined = on ? t->tsr.joined : RESULT_UNKNOWN;
	r->wake_unjoined = on ? t->tsr.unjoined : RESULT_UNKNOWN;
	r->trace_lost = on ? t->tsr.lost : RESULT_UNKNOWN;
}

static void
collect(struct trial *t, struct trial_result *r)
{
	struct pstats sum = { 0 };
	uint64_t produced = 0;

	for (unsigned i = 0; i < t->np; i++) {
		struct producer *pr = &t->prod[i];
		struct pstats w;
		pstats_window(&w, &pr->st, &pr->begin);
		sum.items += w.items;
		sum.pokes += w.pokes;
		sum.writes += w.writes;
		sum.eagain += w.eagain;
		sum.blocked += w.blocked;
		sum.blocked_ns += w.blocked_ns;
		sum.pool_waits += pr->st.pool_waits;
		sum.errors += pr->st.errors;
		r->items_behind += pr->behind;
		if (pr->blocked_ns_max > r->blocked_ns_max)
			r->blocked_ns_max = pr->blocked_ns_max;
		if (pr->error != 0 && r->poke_errno == 0)
			r->poke_errno = pr->error;
		produced += pr->seq;
		/* Items never taken show as a gap in the sequence. */
		if (t->next_seq[i] != pr->seq)
			t->seq_errors++;
	}
	r->partial = t->partial;
	/* Items are counted by the time they were due, so the window is the
	 * schedule's, not the moment a busy main thread noticed it; a
	 * partial trial ends where it was stopped. */
	r->duration_ns = t->me - t->ms;
	if (t->partial)
		r->duration_ns = t->t_end <= t->ms ? 0 :
		    t->t_end >= t->me ? t->me - t->ms : t->t_end - t->ms;
	r->main_wall_ns = t->t_end > t->t_begin ? t->t_end - t->t_begin : 0;
	r->produced = produced;
	r->consumed = t->consumed;
	r->items_lost = (int64_t)produced - (int64_t)t->consumed;
	r->seq_errors = t->seq_errors;
	r->pool_waits = sum.pool_waits;
	r->pokes = sum.pokes;
	r->writes = sum.writes;
	r->poke_eagain = sum.eagain;
	r->poke_errors = sum.errors;
	r->poke_blocked = sum.blocked;
	r->blocked_ns_total = sum.blocked_ns;
	r->waker_peak_pokes = t->peak_pokes;
	/* A byte stream holds one byte per poke; an eventfd is one 8-byte
	 * counter however many pokes it sums. */
	r->waker_peak_bytes = t->waker.ops->stream ? t->peak_pokes :
	    t->peak_pokes ? t->waker.ops->unit : 0;

	struct mstats *e = &t->end, *b = &t->begin;
	r->items = t->st.items;		/* by due time: some are taken after the window */
	r->taken = t->taken;		/* by take time: in the window */
	r->waits = e->waits - b->waits;
	r->reads = e->reads - b->reads;
	r->wakeups = e->wakeups - b->wakeups;
	r->wakeups_nosleep = e->nosleep - b->nosleep;
	r->spurious_wakeups = e->spurious - b->spurious;
	r->timeouts = e->timeouts - b->timeouts;
	r->wakeups_fed = e->fed - b->fed;
	judged(t, r);
	r->main_cpu_ns = t->cpu_end - t->cpu_begin;
	sched_collect(t, r);
	trace_collect(t, r);
	r->net_syscalls = t->net_sys_end - t->net_sys_begin;
	r->cq_overflow = t->wc_known ?
	    t->wc_end.cq_overflow - t->wc_begin.cq_overflow : RESULT_UNKNOWN;
	r->cq_dropped = t->wc_known ?
	    t->wc_end.cq_dropped - t->wc_begin.cq_dropped : RESULT_UNKNOWN;
	result_summarise(r, &t->item_h, &t->wake_h, NULL);
}

static int trial_once(const struct trial_env *, const struct setup *,
    struct trial_result *, struct trial_hists *, const char **);

/* open_fds counts this process's open descriptors (-1 if unknown). */
static int
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n - 3;		/* ".", "..", and the DIR's own descriptor */
}

int
trial_run(const struct trial_env *env, const struct setup *s,
    struct trial_result *r, struct trial_hists *h, const char **step)
{
	int fds = open_fds();
	int e = trial_once(env, s, r, h, step);

	/* Every trial must give back every descriptor it opened. */
	if (e == 0)
		r->fd_delta = fds >= 0 ? open_fds() - fds : RESULT_FD_UNKNOWN;
	return e;
}

/* trial_new: a zeroed trial for s, its atomics initialised; NULL if out
 * of memory. */
static struct trial *
trial_new(const struct trial_env *env, const struct setup *s,
    struct trial_result *r)
{
	struct trial *t;

	if ((t = zalloc64(sizeof(*t))) == NULL)
		return NULL;
	t->env = env;
	t->r = r;
	t->main_tid = (pid_t)syscall(SYS_gettid);
	t->cfg = env->cfg;
	t->s = s;
	t->clients = (struct net_clients){ .pid = -1, .ctl = -1, .res = -1 };
	t->net.lfd = -1;
	t->faults = s->faults | s->flags;
	t->drain = s->faults & FAULT_NO_DRAIN ? drain_find("none") : s->drain;
	hist_reset(&t->item_h);
	hist_reset(&t->wake_h);
	hist_reset(&t->kernel_h);
	hist_reset(&t->sched_h);
	hist_reset(&t->return_h);
	judge_init(&t->judge, &(struct judge_conf){ .edge = s->wait->edge,
	    .drains = t->drain->run != NULL, .own_write = s->poke->own_write,
	    .grace_ns = LOST_GRACE_NS });
	atomic_init(&t->wake.pending, 0);
	atomic_init(&t->wake.wanted, 0);
	atomic_init(&t->wake.skipped, 0);
	atomic_init(&t->done, 0);
	atomic_init(&t->stop, false);
	atomic_init(&t->signalled, false);
	atomic_init(&t->loops, 0);
	atomic_init(&t->stall_until, 0);
	atomic_init(&t->deadlock, false);
	atomic_init(&t->rescued, false);
	atomic_init(&t->stuck, false);
	atomic_init(&t->aux_cancel, false);
	return t;
}

/* release_producers: the schedule will not start: let the producers that
 * exist go, straight to their end, and join them. */
static void
release_producers(struct trial *t)
{
	atomic_store(&t->stop, true);
	open_gate(t);
	for (unsigned i = 0; i < t->np; i++)
		if (t->prod[i].running)
			pthread_join(t->prod[i].tid, NULL);
}

/*
 * start_trial: setup, the accept phase, the threads, then the schedule:
 * t0, the window [ms, me), the clients' start times and the open gate
 * (docs/DESIGN.md#trial, steps 1-4).  0, or an errno value with *step.
 */
static int
start_trial(struct trial *t, const char **step)
{
	const struct config *c = t->cfg;
	int e;

	if ((e = setup_trial(t, step)) != 0)
		return e;
	if (t->net_open && (e = accept_phase(t, step)) != 0)
		return e;
	if ((e = start_producers(t, step)) != 0) {
		atomic_store(&t->aux_cancel, true);
		release_producers(t);
		return e;
	}
	/* Every thread exists: the schedule starts now. */
	t->t0 = clock_ns();
	t->ms = t->t0 + c->warmup_ns;
	t->me = t->ms + c->duration_ns;
	if (t->clients_started &&
	    (e = net_clients_go(&t->clients, t->t0, t->ms, t->me)) != 0) {
		*step = "start clients";
		release_producers(t);
		return e;
	}
	if (c->trace_sched && (e = tracesched_open(&t->ts, t->main_tid,
	    t->env->cpus, t->env->ncpus, c->sched_policy, c->sched_prio,
	    t->r->why, sizeof(t->r->why))) != 0) {
		*step = "--trace-sched";
		release_producers(t);
		return e;
	}
	open_gate(t);
	return 0;
}

/* join_producers: wait for every producer; returns the items they made. */
static uint64_t
join_producers(struct trial *t)
{
	uint64_t produced = 0;

	for (unsigned i = 0; i < t->np; i++) {
		pthread_join(t->prod[i].tid, NULL);
		produced += t->prod[i].seq;
	}
	return produced;
}

/* collect_aux: what the watchdog and the spawner found; a --spawn child
 * that failed fails the trial. */
static void
collect_aux(struct trial *t, struct trial_result *r)
{
	r->deadlock = atomic_load(&t->deadlock);
	r->stuck = atomic_load(&t->stuck);
	/* No child ran (no --spawn, or a spawner starved past the window):
	 * no count, never a 0 that pretends. */
	r->leaked_fds = t->spawned > 0 ? t->leaked : RESULT_UNKNOWN;
	r->spawned = t->spawned;
	if (t->spawn_error != 0 && t->error == 0) {
		t->error = t->spawn_error;
		t->error_step = "--spawn child";
		snprintf(r->why, sizeof(r->why), "%s", t->spawn_why);
	}
}

/* collect_clients: end the client process and take its result; its
 * failure fails the trial unless something failed first or the run was
 * interrupted. */
static void
collect_clients(struct trial *t, struct trial_result *r,
    struct trial_hists *h)
{
	struct net_result *nr = &t->netr;
	int ne = net_clients_finish(&t->clients, nr);

	t->clients_started = false;
	r->net_requests = nr->requests;
	r->net_errors = nr->errors + t->net.errors;
	r->net_timeouts = nr->timeouts;
	r->net_dropped = nr->dropped;
	r->net_unanswered = nr->unanswered;
	r->net_sent = nr->sent;
	r->client_run_delay_ns = nr->run_delay_ns;
	r->client_stall_ns_max = nr->stall_ns_max;
	hist_merge(&h->rtt, &nr->rtt);
	result_summarise_rtt(r, &nr->rtt);
	if (ne != 0 && t->error == 0 && !*t->env->interrupted) {
		t->error = ne;
		t->error_step = "client process";
		snprintf(r->why, sizeof(r->why), "%s", nr->step);
	}
}

/*
 * trial_once: one trial, start to teardown (the roadmap at the top of
 * this file).  0, or an errno value with *step; ECANCELED when
 * interrupted before the schedule started (no result, no error).
 */
static int
trial_once(const struct trial_env *env, const struct setup *s,
    struct trial_result *r, struct trial_hists *h, const char **step)
{
	uint64_t t_setup = clock_ns(), t_down = 0;
	struct trial_result idle_r = { 0 };
	struct trial *t;
	int e;

	memset(r, 0, sizeof(*r));
	if ((t = trial_new(env, s, r)) == NULL) {
		*step = "aligned_alloc";
		return ENOMEM;
	}
	if ((e = start_trial(t, step)) != 0)
		goto out;
	r->setup_ns = clock_ns() - t_setup;
	main_loop(t);
	trace_close(t);
	t_down = clock_ns();
	uint64_t produced = join_producers(t);
	stop_aux(t);
	/* Conservation: what was still queued when the producers stopped
	 * must all be taken by the final drain (items_lost stays 0). */
	r->in_flight_at_stop = produced - t->consumed;
	if (!t->partial && t->error == 0)
		idle(t, &idle_r);
	final_drain(t);
	collect(t, r);
	r->idle_ns = idle_r.idle_ns;
	r->idle_wakeups = idle_r.idle_wakeups;
	r->idle_cpu_ns = idle_r.idle_cpu_ns;
	collect_aux(t, r);
	if (t->clients_started)
		collect_clients(t, r, h);
	hist_merge(&h->item, &t->item_h);
	hist_merge(&h->wake, &t->wake_h);
	hist_merge(&h->wake_kernel, &t->kernel_h);
	hist_merge(&h->wake_sched, &t->sched_h);
	hist_merge(&h->wake_return, &t->return_h);
	if (t->error != 0) {
		e = t->error;
		*step = t->error_step;
	}
out:
	/* Interrupted before the schedule started: no result, no error. */
	if (e != 0 && t_down == 0 && *env->interrupted)
		e = ECANCELED;
	teardown(t);
	free(t);
	if (t_down != 0)
		r->teardown_ns = clock_ns() - t_down - idle_r.idle_ns;
	return e;
}
