/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "judge.h"

#include <string.h>

void
judge_init(struct judge *j, const struct judge_conf *conf)
{
	memset(j, 0, sizeof(*j));
	atomic_init(&j->poke_ns, 0);
	atomic_init(&j->decide_ns, 0);
	j->conf = *conf;
}

/*
 * threshold: items handed over before the returned instant missed their
 * wakeup (judge.h has the rule).  Not ready: an item handed over before
 * the wait began (docs/DESIGN.md#lost-wakeups), or at least grace before it
 * returned (a poke-first item is enqueued after the main thread fell
 * asleep).  The grace rule leans on the caller's poll of the waker to see
 * a write that landed after the kernel's readiness scan, which a
 * preempted main thread can put milliseconds before t_ret; when nothing
 * reads the waker that poll cannot tell, so only the before-the-wait rule
 * applies.
 */
static uint64_t
threshold(const struct judge *j, bool ready, uint64_t decide,
    uint64_t t_enter, uint64_t t_ret)
{
	if (ready)
		return decide;
	if (!j->conf.drains || t_ret - t_enter <= j->conf.grace_ns)
		return t_enter;
	return t_ret - j->conf.grace_ns;
}

enum judge_wake
judge_wait(struct judge *j, bool ready, uint64_t t_enter, uint64_t t_ret,
    uint64_t *wake_ns)
{
	uint64_t decide = atomic_load_explicit(&j->decide_ns,
	    memory_order_relaxed);
	bool was_leftover = j->leftover;

	j->ready = ready;
	j->threshold = threshold(j, ready, decide, t_enter, t_ret);
	j->asked = false;
	j->in_flight = UINT64_MAX;
	j->t_ret = t_ret;
	j->held = UINT64_MAX;
	j->own_due = j->turn_lost = 0;
	j->own_oldest = UINT64_MAX;
	if (!ready)
		return JUDGE_NOT_READY;
	uint64_t fp = atomic_load_explicit(&j->poke_ns, memory_order_relaxed);
	/* A poke stamped before the wait began did not wake it: the waker
	 * was ready already.  Nor did one after a partial drain left the
	 * waker readable under a level-triggered wait (an edge-triggered one
	 * blocks until the next write), or one stamped after the return. */
	if (fp == 0 || fp < t_enter || fp > t_ret ||
	    (was_leftover && !j->conf.edge))
		return JUDGE_NOSLEEP;
	*wake_ns = t_ret - fp;
	return JUDGE_SAMPLE;
}

/*
 * Forgetting before the drain: a writer that stamps during the drain
 * keeps its stamp, so if its write outlives the drain the next wait reads
 * as no sleep (stamp before t_enter), not as a wakeup of a few
 * nanoseconds; a stale earlier decide only lowers the next threshold.
 */
void
judge_clear(struct judge *j)
{
	atomic_store_explicit(&j->poke_ns, 0, memory_order_relaxed);
	atomic_store_explicit(&j->decide_ns, 0, memory_order_relaxed);
}

void
judge_drained(struct judge *j, uint64_t took, uint64_t held, bool empty)
{
	j->delivered += took;
	j->leftover = !empty;
	j->held = held;
}

void
judge_taken(struct judge *j, uint64_t took)
{
	j->delivered += took;
}

void
judge_in_flight(struct judge *j, uint64_t oldest)
{
	j->in_flight = oldest;
	j->asked = true;
}

bool
judge_item(struct judge *j, uint64_t done_ns, uint64_t t_take,
    uint64_t (*ask)(void *), void *arg)
{
	/* done_ns 0: the producer has not finished its poke yet. */
	if (j->ready && j->conf.own_write && done_ns != 0 && done_ns < j->t_ret) {
		j->own_due++;
		if (done_ns < j->own_oldest)
			j->own_oldest = done_ns;
	}
	if (done_ns == 0 || done_ns >= j->threshold)
		return false;
	if (!j->ready) {
		if (!j->asked)
			judge_in_flight(j, ask(arg));
		if (done_ns >= j->in_flight)
			return false;	/* late: a write it relies on is coming */
	}
	j->lost++;
	j->turn_lost++;
	if (t_take - done_ns > j->stranded_max)
		j->stranded_max = t_take - done_ns;
	return true;
}

uint64_t
judge_turn(struct judge *j, uint64_t t_take)
{
	if (!j->ready || !j->conf.own_write || j->held == UINT64_MAX ||
	    j->own_due <= j->held)
		return 0;
	uint64_t short_by = j->own_due - j->held;
	if (short_by <= j->turn_lost)
		return 0;
	uint64_t more = short_by - j->turn_lost;
	j->lost += more;
	if (t_take - j->own_oldest > j->stranded_max)
		j->stranded_max = t_take - j->own_oldest;
	return more;
}

int64_t
judge_pokes_unaccounted(const struct judge *j, uint64_t writes_ok)
{
	return (int64_t)(j->delivered - writes_ok);
}
