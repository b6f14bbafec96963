/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * poke: when a producer writes to the waker, and what the main thread does
 * to let the next write through.  Each policy is one row of poke_table[].
 */
#ifndef WB_POKE_H
#define WB_POKE_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * The policy state producers and the main thread share besides the queue,
 * on its own cache line (the timestamps of a wakeup are lib/judge.h's).
 */
struct wake {
	/* coalesce: 1 while a wakeup is pending (written, not yet drained);
	 * busy-spin: 1 while the winner writes, 2 once it has. */
	alignas(64) atomic_int pending;
	/* handshake: the main thread is about to block (libev's
	 * pipe_write_wanted), and a producer skipped its write because it
	 * was not (pipe_write_skipped). */
	atomic_int wanted;
	atomic_int skipped;
};

struct poke_ops {
	const char *name;
	const char *desc;
	/* want_write, the write it asks for, and rearm run with the queue
	 * lock held: the flag is protected by the lock that protects the
	 * queue (libevent's th_base_lock, Java's interruptLock). */
	bool under_lock;
	/* The main thread's drain also holds the queue lock (GLib reads its
	 * wakeup in g_main_context_check, under the context lock). */
	bool drain_locked;
	/* The main thread takes the queue, then drains and rearms, then
	 * takes what came in between (libevent: the callbacks activated
	 * before the notify event run before it). */
	bool late;
	/* The wait does not block while items are queued (GLib: prepare
	 * finds an idle source ready and polls with a zero timeout). */
	bool poll_queued;
	/* Every item makes its own write: an item never relies on another
	 * producer's poke (the lost-wakeup test then ignores theirs). */
	bool own_write;
	/* Producer, after the item is queued: true to make the write.
	 * was_empty: the push took the queue from empty to non-empty. */
	bool (*want_write)(struct wake *w, bool was_empty);
	/* Producer, after the write want_write asked for.  NULL: nothing. */
	void (*wrote)(struct wake *w);
	/* Main thread, after the drain and before the dequeue: open the way
	 * for the next write.  NULL when the policy keeps no state. */
	void (*rearm)(struct wake *w);
	/* Main thread, just before its wait: false to not block (a skipped
	 * write is waiting).  NULL: always block. */
	bool (*before_wait)(struct wake *w);
	/* Main thread, just after its wait: true when a producer skipped its
	 * write and the thread must act as if the waker were ready.  NULL:
	 * never. */
	bool (*after_wait)(struct wake *w);
};

extern const struct poke_ops *const poke_table[];
const struct poke_ops *poke_find(const char *name);

#endif
