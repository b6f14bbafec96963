/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* poke policies: which producer writes, and what the main thread's rearm
 * opens again, driven single-threaded through the ops table. */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "poke.h"
#include "tap.h"

static void
fresh(struct wake *w)
{
	memset(w, 0, sizeof(*w));
}

/* busy-spin's producer, finishing its write a while after the main
 * thread started spinning on it. */
static struct wake spin_w;
static atomic_int spin_written;

static void *
spin_writer(void *arg)
{
	const struct poke_ops *p = arg;
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	atomic_store(&spin_written, 1);
	p->wrote(&spin_w);
	return NULL;
}

int
main(void)
{
	struct wake w;
	const struct poke_ops *p;

	p = poke_find("always");
	fresh(&w);
	ok(p != NULL && p->own_write && p->want_write(&w, false) &&
	    p->want_write(&w, true), "always: every item writes");

	/* coalesce and coalesce-lock: the first item writes, the rest of the
	 * batch does not; after the rearm the next one writes again. */
	static const char *const flags[] = { "coalesce", "coalesce-lock" };
	for (int i = 0; i < 2; i++) {
		p = poke_find(flags[i]);
		fresh(&w);
		if (p == NULL || p->rearm == NULL) {
			ok(0, "%s: found, with a rearm", flags[i]);
			continue;
		}
		ok(p->want_write(&w, true), "%s: the first item writes", flags[i]);
		ok(!p->want_write(&w, false) && !p->want_write(&w, true),
		    "%s: later items skip while a wakeup is pending", flags[i]);
		p->rearm(&w);
		ok(p->want_write(&w, false), "%s: after the rearm the next item "
		    "writes again", flags[i]);
		ok(!p->want_write(&w, false), "%s: and only that one", flags[i]);
		ok(p->under_lock == (i == 1), "%s: %s the queue lock", flags[i],
		    i ? "under" : "not under");
	}

	p = poke_find("transition");
	fresh(&w);
	ok(p != NULL && p->want_write(&w, true) && !p->want_write(&w, false) &&
	    p->rearm == NULL, "transition: writes on empty -> non-empty only "
	    "(the push decides it under the queue lock), no state to rearm");

	/* handshake: no write while the loop is awake; the skipped write is
	 * fed to the main thread after its wait instead. */
	p = poke_find("handshake");
	fresh(&w);
	if (p == NULL || !p->before_wait || !p->after_wait || !p->rearm) {
		ok(0, "handshake: found, with before_wait, after_wait, rearm");
		return tap_done();
	}
	ok(!p->want_write(&w, true), "handshake: awake loop, no write");
	ok(!p->before_wait(&w), "handshake: a skipped write forbids sleeping");
	ok(p->after_wait(&w), "handshake: and counts as the waker being ready");
	p->rearm(&w);
	ok(p->before_wait(&w), "handshake: rearmed, the loop may sleep");
	ok(p->want_write(&w, true), "handshake: a loop about to block gets "
	    "the write");
	ok(!p->want_write(&w, true), "handshake: one write per wakeup");
	ok(!p->after_wait(&w), "handshake: a written wakeup is not fed");
	/* libev's plain load and store: a flag already set skips without
	 * touching the handshake, so nothing is marked skipped. */
	fresh(&w);
	atomic_store(&w.pending, 1);
	ok(!p->want_write(&w, true) && atomic_load(&w.skipped) == 0,
	    "handshake: a pending flag returns before the handshake");

	/* busy-spin: libuv 1.44's 0 -> 1, write, 1 -> 2; the rearm takes 2
	 * to 0 and waits for a producer still inside its write. */
	p = poke_find("busy-spin");
	fresh(&w);
	if (p == NULL || !p->wrote || !p->rearm) {
		ok(0, "busy-spin: found, with wrote and rearm");
		return tap_done();
	}
	ok(p->want_write(&w, true) && atomic_load(&w.pending) == 1,
	    "busy-spin: the first item writes, the flag reads 1 during it");
	ok(!p->want_write(&w, true), "busy-spin: a second item skips");
	p->wrote(&w);
	ok(atomic_load(&w.pending) == 2, "busy-spin: 2 after the write");
	ok(!p->want_write(&w, false), "busy-spin: still skips until the rearm");
	p->rearm(&w);
	ok(atomic_load(&w.pending) == 0 && p->want_write(&w, false),
	    "busy-spin: rearmed, the next item writes");
	fresh(&spin_w);
	ok(p->want_write(&spin_w, true), "busy-spin: a writer takes the flag");
	pthread_t th;
	if (pthread_create(&th, NULL, spin_writer, (void *)p) != 0)
		return tap_done();
	p->rearm(&spin_w);
	ok(atomic_load(&spin_written) == 1 &&
	    atomic_load(&spin_w.pending) == 0,
	    "busy-spin: the rearm returns only after the writer's 1 -> 2");
	pthread_join(th, NULL);
	fresh(&w);
	p->rearm(&w);
	ok(atomic_load(&w.pending) == 0, "busy-spin: nothing pending, the "
	    "rearm returns at once");

	/* lock-late: coalesce-lock's flag, in libevent's order. */
	p = poke_find("lock-late");
	fresh(&w);
	ok(p != NULL && p->under_lock && p->late && !p->drain_locked &&
	    p->want_write(&w, true) && !p->want_write(&w, true),
	    "lock-late: coalesces under the lock, rearmed after the dequeue");

	/* always-lock: GLib's context lock around the write and the read. */
	p = poke_find("always-lock");
	fresh(&w);
	ok(p != NULL && p->own_write && p->under_lock && p->drain_locked &&
	    p->poll_queued && p->want_write(&w, false) &&
	    p->want_write(&w, false), "always-lock: every item writes, under "
	    "the lock, drained under it, no blocking wait while queued");

	ok(poke_find("nonesuch") == NULL, "unknown policy not found");
	return tap_done();
}
