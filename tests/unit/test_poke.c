/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* poke policies: which producer writes, and what the main thread's rearm
 * opens again, driven single-threaded through the ops table. */
#include <string.h>

#include "poke.h"
#include "tap.h"

static void
fresh(struct wake *w)
{
	memset(w, 0, sizeof(*w));
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

	ok(poke_find("nonesuch") == NULL, "unknown policy not found");
	return tap_done();
}
