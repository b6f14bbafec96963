/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* wakers: creation flags, one poke and one drain each, capacity, and the
 * blocking write end; waits: readiness, edges and timeouts. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "clock.h"
#include "drain.h"
#include "tap.h"
#include "wait.h"
#include "waker.h"

static bool
cloexec(int fd)
{
	return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

static bool
nonblock(int fd)
{
	return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
}

static void
wakers(void)
{
	for (const struct waker_ops *const *o = waker_table; *o; o++) {
		const char *n = (*o)->name;
		struct waker w;
		bool empty;
		struct drain_out out = { 0 };

		ok(waker_find(n) == *o, "%s: found by name", n);
		if ((*o)->ring)		/* needs a ring: test_uring.c */
			continue;
		ok(waker_open(&w, *o, 0) == 0, "%s: open", n);
		ok(cloexec(w.rfd) && cloexec(w.wfd), "%s: both ends CLOEXEC", n);
		ok(nonblock(w.rfd) && nonblock(w.wfd), "%s: both ends non-blocking", n);
		ok((*o)->read(&w, 4096, &empty) == 0 && empty, "%s: empty reads 0", n);
		for (int i = 0; i < 5; i++)
			(*o)->write(&w, false);
		if ((*o)->stream)
			ok(waker_pending(&w) == 5, "%s: 5 pokes pending (FIONREAD)", n);
		long got = drain_find("all")->run(&w, 0, &out);
		ok(got == 5 && out.found == 5 && out.empty,
		    "%s: drain all takes 5 pokes, found 5, proves empty (%ld, "
		    "%llu reads)", n, got, (unsigned long long)out.reads);
		ok((*o)->read(&w, 4096, &empty) == 0, "%s: then it is empty", n);
		for (int i = 0; i < 5; i++)
			(*o)->write(&w, false);
		memset(&out, 0, sizeof(out));
		got = drain_find("per-item")->run(&w, 2, &out);
		ok((*o)->read_all ? got == 5 : got == 2,
		    "%s: per-item with 2 items takes %ld", n, got);
		waker_close(&w);

		ok(waker_open(&w, *o, WAKER_NO_CLOEXEC) == 0 &&
		    !cloexec(w.rfd) && !cloexec(w.wfd), "%s: no-cloexec fault", n);
		waker_close(&w);
		ok(waker_open(&w, *o, WAKER_BLOCKING) == 0 && !nonblock(w.wfd),
		    "%s: blocking write end", n);
		/* the drain must never block, even on a shared eventfd */
		memset(&out, 0, sizeof(out));
		ok(drain_find("all")->run(&w, 0, &out) == 0, "%s: drain of an "
		    "empty blocking waker returns", n);
		waker_close(&w);
	}

	/* A pipe fills; EAGAIN non-blocking, and a would-block probe when
	 * the write end blocks. */
	struct waker w;
	size_t actual = 0;
	waker_open(&w, waker_find("pipe"), 0);
	ok(waker_set_size(&w, 4096, &actual) == 0 && actual == 4096,
	    "pipe: F_SETPIPE_SZ 4096");
	int n = 0, e;
	while ((e = w.ops->write(&w, false)) == 0 && n < 100000)
		n++;
	ok(n == 4096 && e == EAGAIN, "pipe: 4096 one-byte pokes, then EAGAIN (%d)", n);
	waker_close(&w);
	waker_open(&w, waker_find("pipe"), WAKER_BLOCKING);
	waker_set_size(&w, 4096, &actual);
	for (n = 0; n < 4096; n++)
		w.ops->write(&w, false);
	ok(w.ops->write(&w, true) == EAGAIN, "blocking pipe: a full pipe is "
	    "reported, not blocked on, when asked");
	waker_close(&w);
	waker_open(&w, waker_find("pipe"), 0);
	for (n = 0; n < 5000; n++)
		w.ops->write(&w, false);
	struct drain_out out = { 0 };
	ok(drain_find("all")->run(&w, 0, &out) == 5000 && out.found == 5000,
	    "pipe: a 5000-byte backlog is found whole by one drain (%llu)",
	    (unsigned long long)out.found);
	for (n = 0; n < 5000; n++)
		w.ops->write(&w, false);
	memset(&out, 0, sizeof(out));
	ok(drain_find("once")->run(&w, 0, &out) == 4096 && !out.empty &&
	    out.found == 5000, "pipe: drain once takes 4096 of 5000 and knows "
	    "it left some");
	waker_close(&w);
	waker_open(&w, waker_find("eventfd"), 0);
	ok(waker_set_size(&w, 4096, &actual) == ENOTSUP, "eventfd has no pipe size");
	waker_close(&w);
	waker_open(&w, waker_find("socketpair"), 0);
	for (n = 0; w.ops->write(&w, false) == 0 && n < 100000; n++)
		;
	ok(n > 0 && n < 100000, "socketpair: fills after %d pokes", n);
	waker_close(&w);
}

static void
waits(void)
{
	for (const struct wait_ops *const *o = wait_table; *o; o++) {
		const char *n = (*o)->name;
		struct waitset ws;
		struct waker w;
		struct wait_event ev[4];

		ok(wait_find(n) == *o, "%s: found by name", n);
		ok(wait_open(&ws, *o, 4) == 0, "%s: open", n);
		waker_open(&w, waker_find("pipe"), 0);
		ok(ws.ops->add(&ws, w.rfd, WAIT_IN) == 0, "%s: add", n);
		uint64_t t0 = clock_ns();
		int r = ws.ops->wait(&ws, 3000000, ev, 4);
		uint64_t dt = clock_ns() - t0;
		ok(r == 0 && dt >= 3000000, "%s: a 3ms timeout, never early (%llu ns)",
		    n, (unsigned long long)dt);
		t0 = clock_ns();
		r = ws.ops->wait(&ws, 1, ev, 4);	/* 1 ns rounds up */
		ok(r == 0 && clock_ns() - t0 >= 1, "%s: a 1ns timeout rounds up", n);
		w.ops->write(&w, false);
		r = ws.ops->wait(&ws, 1000000000, ev, 4);
		ok(r == 1 && ev[0].fd == w.rfd && (ev[0].events & WAIT_IN),
		    "%s: a poke makes the waker ready", n);
		r = ws.ops->wait(&ws, 1000000, ev, 4);
		ok((*o)->edge ? r == 0 : r == 1, "%s: undrained, %s", n,
		    (*o)->edge ? "no second edge" : "still ready (level)");
		w.ops->write(&w, false);
		r = ws.ops->wait(&ws, 1000000, ev, 4);
		ok(r == 1, "%s: a second write is ready again%s", n,
		    (*o)->edge ? " (the edge re-arms)" : "");
		ok(ws.ops->mod(&ws, w.rfd, 0) == 0 &&
		    ws.ops->wait(&ws, 1000000, ev, 4) == 0, "%s: mod to no events", n);
		ok(ws.ops->del(&ws, w.rfd) == 0, "%s: del", n);
		ok(ws.ops->wait(&ws, 1000000, ev, 4) == 0, "%s: deleted fd not reported", n);
		waker_close(&w);
		ws.ops->close(&ws);
	}
	struct waitset ws;
	ok(wait_open(&ws, wait_find("select"), 4) == 0 &&
	    ws.ops->add(&ws, FD_SETSIZE, WAIT_IN) == EINVAL,
	    "select refuses a descriptor at FD_SETSIZE");
	ws.ops->close(&ws);
}

int
main(void)
{
	wakers();
	waits();
	return tap_done();
}
