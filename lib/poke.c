/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "poke.h"

#include <sched.h>
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
 * busy-spin: libuv 1.29 to 1.44 (src/unix/async.c, uv_async_send and
 * uv__async_spin).  The producer reads the flag, takes it from 0 to 1
 * with a compare-and-swap, writes, then takes it from 1 to 2.  The main
 * thread, after the drain and before the dequeue, takes it from 2 to 0,
 * spinning while it reads 1 (a producer between its swap and the end of
 * its write): 997 tries with a pause, then sched_yield, again and again.
 * Why no item is left: the flag leaves 0 only by a producer's swap and
 * returns to 0 only by the main thread's, after that producer's write
 * (the spin waits for it).  A producer that reads 1 or 2 pushed its item
 * (under the queue mutex) before the main thread's 2 -> 0, hence before
 * the dequeue, which takes it; one that reads 0 after it writes.  The
 * swaps are acq_rel; the mutex orders the items.  The cost is the spin:
 * with both threads on one CPU the main thread spins, then yields, while
 * the producer it preempted is inside its write (libuv issue 2769).
 */
static bool
spin_want(struct wake *w, bool was_empty)
{
	int zero = 0;

	(void)was_empty;
	if (atomic_load_explicit(&w->pending, memory_order_relaxed) != 0)
		return false;
	return atomic_compare_exchange_strong_explicit(&w->pending, &zero, 1,
	    memory_order_acq_rel, memory_order_relaxed);
}

static void
spin_wrote(struct wake *w)
{
	atomic_store_explicit(&w->pending, 2, memory_order_release);
}

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

static void
spin_rearm(struct wake *w)
{
	for (;;) {
		for (int i = 0; i < 997; i++) {
			int two = 2;
			if (atomic_compare_exchange_strong_explicit(&w->pending,
			    &two, 0, memory_order_acq_rel, memory_order_acquire))
				return;
			if (two != 1)
				return;		/* 0: nothing was pending */
			cpu_relax();
		}
		sched_yield();
	}
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
 * lock instead of with atomics, and the write made before the lock is
 * released, as Java NIO (EPollSelectorImpl.wakeup: interruptTriggered and
 * the write under interruptLock) and libevent (evthread_notify_base under
 * th_base_lock) do.  The lock orders everything: a producer that finds
 * the flag set pushed before the main thread's clear, so before its
 * dequeue.  The atomic type only keeps the flag's type shared with
 * coalesce.
 *
 * lock-late is the same flag in libevent's order (event.c,
 * event_base_loop): the callbacks activated before the wait returned run
 * first, then the notify callback (evthread_notify_drain_eventfd) reads
 * and clears the flag under the lock, then the callbacks activated in
 * between run in the same pass.  The main thread takes the queue, drains,
 * clears, and takes again: an item pushed before the clear found the flag
 * set and is in the second take; one pushed after it writes.
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
 * evpipe_write and ev_run), on top of the coalescing flag, which libev
 * (async_pending) tests and sets with a plain load and store after a full
 * fence: two producers may both see it clear and both go on, which costs
 * a write, never a wakeup.  The main
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
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&w->pending, memory_order_relaxed) != 0)
		return false;
	atomic_store_explicit(&w->pending, 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
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

/* pipecb's order: skipped, fence, pending, fence, then the dequeue.  The
 * fence after the clear pairs with the producer's fence before its load:
 * either the producer reads 0 (and goes on) or the dequeue sees its push. */
static void
handshake_rearm(struct wake *w)
{
	atomic_store_explicit(&w->skipped, 0, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
	atomic_store_explicit(&w->pending, 0, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
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
	.desc = "skip the write while a wakeup is pending, the flag and the write under the queue lock",
	.under_lock = true,
	.want_write = coalesce_lock_want,
	.rearm = coalesce_lock_rearm,
};

static const struct poke_ops poke_coalesce_late = {
	.name = "lock-late",
	.desc = "coalesce-lock, drained and cleared after the dequeue, then the queue taken again",
	.under_lock = true,
	.late = true,
	.want_write = coalesce_lock_want,
	.rearm = coalesce_lock_rearm,
};

static const struct poke_ops poke_coalesce_spin = {
	.name = "busy-spin",
	.desc = "flag 0->1, write, 1->2; the main thread spins 2->0 (997 tries, then sched_yield)",
	.want_write = spin_want,
	.wrote = spin_wrote,
	.rearm = spin_rearm,
};

/*
 * always-lock: GLib's GMainContext (gmain.c).  g_source_attach signals
 * the GWakeup under the context lock, g_main_context_check acknowledges
 * it under the lock, and prepare makes the poll's timeout zero while an
 * idle source is ready.  One write per item, as `always`; the lock only
 * adds cost and order, never a lost wakeup.
 */
static const struct poke_ops poke_always_lock = {
	.name = "always-lock",
	.desc = "one write per item under the queue lock, drained under it; no blocking wait while items are queued",
	.own_write = true,
	.under_lock = true,
	.drain_locked = true,
	.poll_queued = true,
	.want_write = always_want,
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
	&poke_handshake, &poke_coalesce_spin, &poke_coalesce_late,
	&poke_always_lock, NULL
};

const struct poke_ops *
poke_find(const char *name)
{
	for (const struct poke_ops *const *o = poke_table; *o != NULL; o++)
		if (strcmp((*o)->name, name) == 0)
			return *o;
	return NULL;
}
