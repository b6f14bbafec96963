/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* uring: a kernel without an operation, simulated by an injected probe
 * answer, refuses the io_uring waits with one line naming the operation
 * and the kernel's answer; and the probe of this kernel itself. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "drain.h"
#include "tap.h"
#include "uring.h"
#include "wait.h"
#include "wait_uring.h"
#include "waker.h"

static struct uring_probe
all_work(void)
{
	struct uring_probe p;

	memset(&p, 0, sizeof(p));
	p.disabled = 0;
	return p;
}

static void
refusals(void)
{
	const struct wait_ops *plain = wait_find("io_uring");
	const struct wait_ops *defer = wait_find("io_uring-defer");
	struct uring_probe p = all_work();
	char why[256] = "";

	ok(plain != NULL && defer != NULL, "both io_uring waits are in the table");
	ok(uring_refusal(&p, wait_uring_needs(defer), why, sizeof(why)) == 0,
	    "a kernel with every operation refuses nothing");

	p.err[URING_POLL_MULTI] = EINVAL;
	ok(uring_refusal(&p, wait_uring_needs(plain), why, sizeof(why)) == EINVAL &&
	    strcmp(why, "IORING_OP_POLL_ADD with IORING_POLL_ADD_MULTI: the "
	    "kernel answered Invalid argument") == 0,
	    "no multishot poll: one line naming it (%s)", why);

	p = all_work();
	p.err[URING_DEFER_TASKRUN] = EINVAL;
	ok(uring_refusal(&p, wait_uring_needs(plain), why, sizeof(why)) == 0,
	    "no DEFER_TASKRUN: io_uring still runs");
	ok(uring_refusal(&p, wait_uring_needs(defer), why, sizeof(why)) == EINVAL &&
	    strcmp(why, "IORING_SETUP_DEFER_TASKRUN: the kernel answered "
	    "Invalid argument") == 0,
	    "no DEFER_TASKRUN: io_uring-defer refused (%s)", why);

	p = all_work();
	for (int i = 0; i < URING_NOPS; i++)
		p.err[i] = EPERM;
	p.disabled = 2;
	ok(uring_refusal(&p, wait_uring_needs(plain), why, sizeof(why)) == EPERM &&
	    strcmp(why, "io_uring_setup: the kernel answered Operation not "
	    "permitted (kernel.io_uring_disabled = 2)") == 0,
	    "io_uring disabled: the sysctl is named (%s)", why);
}

/* this_kernel: where /proc says io_uring is enabled, a ring can be set up
 * and the waits' own operations work (Linux 6.1 has them all). */
static void
this_kernel(void)
{
	const struct uring_probe *p = uring_probe_get();

	if (p->disabled != 0) {
		ok(1, "# SKIP kernel.io_uring_disabled is %d", p->disabled);
		return;
	}
	ok(p->err[URING_SETUP] == 0, "io_uring_setup works here (%s)",
	    strerror(p->err[URING_SETUP]));
	ok(p->err[URING_POLL_MULTI] == 0, "multishot poll works here (%s)",
	    strerror(p->err[URING_POLL_MULTI]));
	ok(p->err[URING_MSG_RING] == 0, "MSG_RING works here (%s)",
	    strerror(p->err[URING_MSG_RING]));
}

/* pokes: 5 pokes, then waits and drains all until all 5 are taken; the
 * number of waits that reported the waker ready goes in *ready. */
static long
pokes(struct waitset *ws, struct waker *w, int *ready)
{
	struct wait_event ev[4];
	long total = 0;

	*ready = 0;
	for (int i = 0; i < 5; i++)
		w->ops->write(w, false);
	for (int turn = 0; turn < 50 && total < 5; turn++) {
		int n = ws->ops->wait(ws, 100000000, ev, 4);
		for (int i = 0; i < n; i++)
			if (ev[i].fd == w->rfd) {
				struct drain_out out = { 0 };
				(*ready)++;
				total += drain_find("all")->run(w, 0, &out);
			}
	}
	return total;
}

/* ring_wakers: each ring waker under each io_uring wait: pokes reach
 * the main thread and are counted; the no-cloexec fault reaches its
 * descriptor; and no other wait takes it. */
static void
ring_wakers(void)
{
	for (const struct waker_ops *const *o = waker_table; *o; o++) {
		if (!(*o)->ring)
			continue;
		for (const struct wait_ops *const *wo = wait_table; *wo; wo++) {
			const char *n = (*o)->name, *wn = (*wo)->name;
			char why[256];
			struct waitset ws;
			struct waker w;
			int ready = 0;

			if ((*o)->check(why, sizeof(why)) != 0 ||
			    ((*wo)->check != NULL && (*wo)->check(why, sizeof(why)) != 0)) {
				ok(1, "# SKIP %s under %s: %s", n, wn, why);
				continue;
			}
			ok(wait_open(&ws, *wo, 4) == 0 &&
			    waker_open(&w, *o, 0) == 0, "%s under %s: open", n, wn);
			int e = waker_attach(&w, &ws);
			if (!(*wo)->ring) {
				ok(e == EINVAL, "%s under %s: refused (%s)", n,
				    wn, strerror(e));
			} else {
				ok(e == 0 && (fcntl(w.rfd, F_GETFD) & FD_CLOEXEC),
				    "%s under %s: attached, CLOEXEC", n, wn);
				long took = pokes(&ws, &w, &ready);
				ok(took == 5 && ready > 0,
				    "%s under %s: 5 pokes wake the wait and are "
				    "taken (%ld taken, %d ready)", n, wn, took, ready);
			}
			waker_close(&w);
			ws.ops->close(&ws);
			if (!(*wo)->ring)
				continue;
			ok(wait_open(&ws, *wo, 4) == 0 &&
			    waker_open(&w, *o, WAKER_NO_CLOEXEC) == 0 &&
			    waker_attach(&w, &ws) == 0 &&
			    !(fcntl(w.rfd, F_GETFD) & FD_CLOEXEC),
			    "%s under %s: the no-cloexec fault reaches rfd", n, wn);
			waker_close(&w);
			ws.ops->close(&ws);
		}
	}
}

/*
 * readable_posted: a poke whose read the kernel already completed into the
 * ring, not yet reaped, is a readable waker: the next wait returns it at
 * once.  The write's own system call runs the armed read (task work of
 * this thread), so the counter is 0 and only the ring holds the count; a
 * readable() that polls the counter alone said no, and the judge then
 * called late items lost under load.
 */
static void
readable_posted(void)
{
	const struct waker_ops *o = waker_find("eventfd-read");
	const struct wait_ops *wo = wait_find("io_uring");
	struct wait_event ev[4];
	struct waitset ws;
	struct waker w;
	char why[256];

	if (o == NULL || wo == NULL || o->check(why, sizeof(why)) != 0 ||
	    wo->check(why, sizeof(why)) != 0) {
		ok(1, "# SKIP eventfd-read under io_uring: not here");
		return;
	}
	bool opened = wait_open(&ws, wo, 4) == 0 && waker_open(&w, o, 0) == 0 &&
	    waker_attach(&w, &ws) == 0;
	ok(opened, "eventfd-read under io_uring: open");
	if (!opened)
		return;
	/* submit the armed read: nothing to return yet */
	ok(ws.ops->wait(&ws, 0, ev, 4) == 0 && !waker_readable(&w),
	    "eventfd-read: armed, nothing written, not readable");
	w.ops->write(&w, false);
	ok(waker_readable(&w),
	    "eventfd-read: a write whose read completed into the ring, not "
	    "reaped, is readable");
	waker_close(&w);
	ws.ops->close(&ws);
}

int
main(void)
{
	refusals();
	this_kernel();
	ring_wakers();
	readable_posted();
	return tap_done();
}
