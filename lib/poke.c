/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "poke.h"

#include <string.h>

/* always: one write per item, as asyncio, twisted and nginx do. */
static bool
always_want(struct wake *w, bool was_empty)
{
	(void)w;
	(void)was_empty;
	return true;
}

/*
 * coalesce: skip the write while one is pending (libuv, Go, Qt).  The
 * producer sets the flag with an exchange; only the thread that took it
 * from 0 to 1 writes.  The main thread clears it after the drain and before
 * the dequeue.  Why that is enough: if a producer's exchange reads 1 and
 * the clear comes later, the producer's push (under the queue mutex) came
 * before the clear, and so before the dequeue, which takes the item; if the
 * clear came first, the producer reads 0 and writes.  The mutex orders the
 * item, so the flag needs no more than acq_rel.
 */
static bool
coalesce_want(struct wake *w, bool was_empty)
{
	(void)was_empty;
	return atomic_exchange_explicit(&w->pending, 1,
	    memory_order_acq_rel) == 0;
}

static void
coalesce_rearm(struct wake *w)
{
	atomic_store_explicit(&w->pending, 0, memory_order_release);
}

/*
 * transition: write only when the push took the queue from empty to
 * non-empty, decided under the queue lock (Redis' module pipe).  Every item
 * pushed after the main thread's dequeue makes a new transition, so none
 * can be left without a write.
 */
static bool
transition_want(struct wake *w, bool was_empty)
{
	(void)w;
	return was_empty;
}

/*
 * coalesce-lock: the same flag, tested, set and cleared under the queue
 * lock instead of with atomics, as libevent (is_notify_pending under
 * th_base_lock) and Java NIO (interruptTriggered under interruptLock) do.
 * The lock orders everything; the atomic type only keeps the flag's type
 * shared with coalesce.
 */
static bool
coalesce_lock_want(struct wake *w, bool was_empty)
{
	(void)was_empty;
	if (atomic_load_explicit(&w->pending, memory_order_relaxed))
		return false;
	atomic_store_explicit(&w->pending, 1, memory_order_relaxed);
	return true;
}

static void
coalesce_lock_rearm(struct wake *w)
{
	atomic_store_explicit(&w->pending, 0, memory_order_relaxed);
}

/*
 * handshake: libev's pipe_write_wanted / pipe_write_skipped (ev.c,
 * evpipe_write and ev_run), on top of the coalescing flag.  The main
 * thread announces it will block, with a full fence, then looks for a
 * skipped write; a producer marks its write skipped, with a full fence,
 * then writes only if the main thread announced it.  Dekker's pattern:
 * with both fences at least one side sees the other, so either the
 * producer writes or the main thread does not sleep.  While the loop is
 * awake no write happens at all.
 */
static bool
handshake_want(struct wake *w, bool was_empty)
{
	(void)was_empty;
	if (atomic_exchange_explicit(&w->pending, 1, memory_order_acq_rel) != 0)
		return false;
	atomic_store_explicit(&w->skipped, 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
	if (!atomic_load_explicit(&w->wanted, memory_order_relaxed))
		return false;
	atomic_store_explicit(&w->skipped, 0, memory_order_relaxed);
	return true;
}

static bool
handshake_before_wait(struct wake *w)
{
	atomic_store_explicit(&w->wanted, 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
	return !atomic_load_explicit(&w->skipped, memory_order_relaxed);
}

static bool
handshake_after_wait(struct wake *w)
{
	atomic_store_explicit(&w->wanted, 0, memory_order_relaxed);
	atomic_thread_fence(memory_order_acquire);
	return atomic_load_explicit(&w->skipped, memory_order_relaxed) != 0;
}

static void
handshake_rearm(struct wake *w)
{
	atomic_store_explicit(&w->skipped, 0, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
	atomic_store_explicit(&w->pending, 0, memory_order_release);
}

static const struct poke_ops poke_always = {
	.name = "always",
	.desc = "one write per item",
	.own_write = true,
	.want_write = always_want,
};

static const struct poke_ops poke_coalesce = {
	.name = "coalesce",
	.desc = "skip the write while a wakeup is pending (atomic flag, cleared after the drain)",
	.want_write = coalesce_want,
	.rearm = coalesce_rearm,
};

static const struct poke_ops poke_coalesce_lock = {
	.name = "coalesce-lock",
	.desc = "skip the write while a wakeup is pending, the flag under the queue lock",
	.under_lock = true,
	.want_write = coalesce_lock_want,
	.rearm = coalesce_lock_rearm,
};

static const struct poke_ops poke_transition = {
	.name = "transition",
	.desc = "write only when the queue goes from empty to non-empty (decided under the queue lock)",
	.want_write = transition_want,
};

static const struct poke_ops poke_handshake = {
	.name = "handshake",
	.desc = "write only when the main thread announced it will block (libev's wanted/skipped, with fences)",
	.want_write = handshake_want,
	.rearm = handshake_rearm,
	.before_wait = handshake_before_wait,
	.after_wait = handshake_after_wait,
};

const struct poke_ops *const poke_table[] = {
	&poke_always, &poke_coalesce, &poke_coalesce_lock, &poke_transition,
	&poke_handshake, NULL
};

const struct poke_ops *
poke_find(const char *name)
{
	for (const struct poke_ops *const *o = poke_table; *o != NULL; o++)
		if (strcmp((*o)->name, name) == 0)
			return *o;
	return NULL;
}
