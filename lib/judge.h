/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * judge: what each wakeup of the main thread was, and which items lost
 * theirs.  One state struct, driven by explicit times, so the rules can be
 * run on scripted interleavings without threads (tests/unit/test_judge.c).
 *
 * Terms, as lib/trial.c's loop meets them in each turn:
 *   t_enter   clock read just before the wait call;
 *   t_ret     clock read just after it returned;
 *   ready     the wait reported the waker readable (or the poke policy
 *             fed it, handshake's skipped write);
 *   stamp     poke_ns: the clock read just before the write of the first
 *             poke since the main thread last cleared the stamps (the
 *             clear comes after each ready wait, before the drain);
 *   decide    decide_ns: the enqueue time of that same first writer's
 *             item, when the poke that stamped began;
 *   done      an item's done_ns: a clock read after both its enqueue and
 *             its poke returned (lib/trial.c's handed_over);
 *   leftover  the last drain did not prove the waker empty.
 *
 * A wakeup is a ready wait.  It is a SAMPLE, recorded as wakeup latency
 * t_ret - stamp (poke to return, not the time asleep), when
 *   stamp != 0, t_enter <= stamp <= t_ret, and not (leftover and the wait
 *   is level-triggered);
 * that is, the first poke since the clear began while the main thread was
 * in its wait, and no partial drain had left the waker readable.  Every
 * other wakeup is NOSLEEP: no stamp (a fed wakeup, or a write decided
 * before the clear that landed after the drain), a stamp before t_enter
 * (the waker was ready before the wait began), or a leftover.  A write
 * still under way at the clear is not held against the next wakeup: it
 * cannot be told from one whose byte already woke the loop (the woken
 * main thread preempts its writer at the end of write(2)); the race left
 * is a poke stamped inside a wait that returned at once because of such a
 * late write, which reads as a wakeup of under a microsecond.
 *
 * An item is LOST, counted once with stranded = t_take - done, when
 * done != 0 and done < threshold, where per turn
 *   ready:      threshold = decide (0: no check): the first write since
 *               the last drain began after the item was handed over, so
 *               its own poke was eaten or skipped and a later one rescued
 *               it (a masked loss);
 *   not ready:  threshold = t_enter if the drain policy never reads the
 *               waker or t_ret - t_enter <= grace; else t_ret - grace;
 *               and, besides, no write the item may rely on is still on
 *               its way: done < in_flight, where in_flight is the start of
 *               the oldest poke still under way (UINT64_MAX if none; 0 if
 *               the waker is readable now, so every item is late, not
 *               lost), asked of the caller once per turn at most.
 * Under a policy where every item makes its own write (always), a ready
 * turn is also judged by delivered counts, not by what write(2) returned:
 * each item taken with done < t_ret had its write land before the wait
 * returned and after the previous turn's drain (its push came after the
 * previous take, which follows that drain), so the drain of this turn
 * must have found at least that many pokes.  A shortfall d means d items
 * whose own poke never arrived: the turn counts max(d, the items the
 * threshold rule already found lost) losses, stranded from the oldest
 * such item.  Only where the drain runs before the take and what it
 * found is exact or more (never less): not for a full pipe, which may
 * have refused writes with EAGAIN, a socketpair (its capacity unknown) or
 * a semaphore eventfd read one at a time.
 *
 * Conservation of pokes: every poke a write delivered must come out of
 * the waker.  judge_drained adds what each read took (bytes for a pipe or
 * socketpair, the counter for eventfd, one per read for eventfd-sem);
 * judge_pokes_unaccounted compares the sum with the writes that reported
 * success.
 */
#ifndef WB_JUDGE_H
#define WB_JUDGE_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct judge_conf {
	bool edge;		/* the wait is edge-triggered */
	bool drains;		/* the drain policy reads the waker (not none) */
	bool own_write;		/* every item makes its own write (always) */
	uint64_t grace_ns;	/* see the not-ready threshold above */
};

enum judge_wake {
	JUDGE_NOT_READY,	/* the wait returned without the waker */
	JUDGE_SAMPLE,		/* a sleep ended by a poke: *wake_ns is valid */
	JUDGE_NOSLEEP		/* ready, but not a sleep->wake transition */
};

struct judge {
	/* Written by producers (the first writer since the clear), read and
	 * cleared by the main thread.  Only timestamps travel through them,
	 * so relaxed order is enough; their own cache line. */
	alignas(64) _Atomic uint64_t poke_ns;
	_Atomic uint64_t decide_ns;

	/* Main thread only from here. */
	alignas(64) struct judge_conf conf;
	bool leftover;		/* the last drain left the waker readable */
	/* This turn, set by judge_wait. */
	bool ready;
	uint64_t threshold;	/* items done before it are lost; 0: none */
	uint64_t in_flight;	/* the caller's answer, once asked */
	bool asked;
	uint64_t t_ret;
	uint64_t held;		/* pokes the drain found, UINT64_MAX unknown */
	uint64_t own_due;	/* items taken with done < t_ret (own_write) */
	uint64_t own_oldest;	/* the oldest done among them */
	uint64_t turn_lost;	/* items judge_item found lost this turn */
	/* Totals. */
	uint64_t lost, stranded_max;
	uint64_t delivered;	/* pokes taken out of the waker */
};

/* judge_init zeroes j and keeps conf. */
void judge_init(struct judge *j, const struct judge_conf *conf);

/*
 * judge_poke: a producer, just before the write of a poke it decided to
 * make.  The first writer since the last clear stamps decide with its
 * item's enqueue time and poke_ns with now(), the one clock read, taken
 * here, just before the write.  Later writers cost two relaxed loads.
 */
static inline void
judge_poke(struct judge *j, uint64_t enq_ns, uint64_t (*now)(void))
{
	uint64_t zero = 0;

	if (atomic_load_explicit(&j->decide_ns, memory_order_relaxed) == 0)
		atomic_compare_exchange_strong_explicit(&j->decide_ns, &zero,
		    enq_ns, memory_order_relaxed, memory_order_relaxed);
	if (atomic_load_explicit(&j->poke_ns, memory_order_relaxed) == 0) {
		zero = 0;
		atomic_compare_exchange_strong_explicit(&j->poke_ns, &zero,
		    now(), memory_order_relaxed, memory_order_relaxed);
	}
}

/*
 * judge_wait: the main thread, just after its wait, before the clear.
 * Classifies the wakeup (see above) and sets the turn's lost-wakeup
 * threshold.  *wake_ns is set for JUDGE_SAMPLE only.
 */
enum judge_wake judge_wait(struct judge *j, bool ready, uint64_t t_enter,
    uint64_t t_ret, uint64_t *wake_ns);

/* judge_clear: after a ready wait, before the drain: forget the stamps, so
 * the next first writer stamps anew. */
void judge_clear(struct judge *j);

/* judge_drained: after each drain: took pokes out of the waker (>= 0);
 * held, what it held when the drain began, exact or more, or UINT64_MAX
 * when unknown; empty when the drain proved the waker empty at its end. */
void judge_drained(struct judge *j, uint64_t took, uint64_t held, bool empty);

/* judge_taken: pokes read outside the turns (the final drain). */
void judge_taken(struct judge *j, uint64_t took);

/* judge_in_flight: give the turn's in-flight answer up front (when it must
 * be taken before the dequeue); judge_item then never asks. */
void judge_in_flight(struct judge *j, uint64_t oldest);

/*
 * judge_item: one item the turn's dequeue took at t_take.  Returns true
 * when it lost its wakeup (counted in lost and stranded_max).  ask(arg)
 * gives the start of the oldest poke still under way, as above; it is
 * called at most once a turn, only for a not-ready wait and only once an
 * item looks stranded.
 */
bool judge_item(struct judge *j, uint64_t done_ns, uint64_t t_take,
    uint64_t (*ask)(void *), void *arg);

/* judge_turn: after the turn's take (and a drain that follows it): the
 * delivered-count rule (own_write); returns the losses it adds. */
uint64_t judge_turn(struct judge *j, uint64_t t_take);

/* judge_pokes_unaccounted: delivered pokes minus writes_ok, the writes
 * that reported success: < 0 when pokes were lost, > 0 when more came out
 * than went in, 0 when every poke is accounted for. */
int64_t judge_pokes_unaccounted(const struct judge *j, uint64_t writes_ok);

#endif
