/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * pipe: the self-pipe trick.  pipe2(O_NONBLOCK | O_CLOEXEC) in one call,
 * so no fork can slip between creation and fcntl (docs/DESIGN.md#leaked-fds);
 * one byte per poke.  A full pipe gives EAGAIN, which is harmless for a
 * pure wakeup: the pipe is already readable.
 */
#include "waker.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

static int
pipe_open(struct waker *w, unsigned flags)
{
	int fds[2];
	int cloexec = flags & WAKER_NO_CLOEXEC ? 0 : O_CLOEXEC;

	if (pipe2(fds, O_NONBLOCK | cloexec) == -1)
		return errno;
	/* The read end stays non-blocking: the drain reads until EAGAIN. */
	if ((flags & WAKER_BLOCKING) &&
	    fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) & ~O_NONBLOCK) == -1) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		return e;
	}
	w->rfd = fds[0];
	w->wfd = fds[1];
	int size = fcntl(fds[1], F_GETPIPE_SZ);
	w->capacity = size > 0 ? (size_t)size : 0;
	return 0;
}

static int
pipe_write(struct waker *w, bool nowait)
{
	static const char byte = 0;

	if (nowait && (w->flags & WAKER_BLOCKING)) {
		/* RWF_NOWAIT makes this one write refuse to block on a full
		 * pipe (Linux 5.9+); the descriptor itself stays blocking. */
		struct iovec iov = { (void *)&byte, 1 };
		if (pwritev2(w->wfd, &iov, 1, -1, RWF_NOWAIT) == 1)
			return 0;
		if (errno != EOPNOTSUPP)
			return errno;
		/* An older kernel: ask whether there is room instead (racy by
		 * a write or two, never blocked by it). */
		struct pollfd p = { .fd = w->wfd, .events = POLLOUT };
		if (poll(&p, 1, 0) == 0)
			return EAGAIN;
	}
	return write(w->wfd, &byte, 1) == 1 ? 0 : errno;
}

static long
pipe_read(struct waker *w, size_t max, bool *empty)
{
	return waker_read_bytes(w->rfd, max, empty);
}

/* pipe_set_size: F_SETPIPE_SZ, then the size the kernel chose. */
static int
pipe_set_size(struct waker *w, size_t bytes, size_t *actual)
{
	int n;

	if (bytes > INT_MAX)
		return EINVAL;
	if (fcntl(w->wfd, F_SETPIPE_SZ, (int)bytes) == -1 ||
	    (n = fcntl(w->wfd, F_GETPIPE_SZ)) == -1)
		return errno;
	*actual = w->capacity = (size_t)n;
	return 0;
}

const struct waker_ops waker_pipe = {
	.name = "pipe",
	.desc = "pipe2(O_NONBLOCK|O_CLOEXEC), one byte per poke",
	.unit = 1,
	.stream = true,
	.read_all = false,
	.open = pipe_open,
	.write = pipe_write,
	.read = pipe_read,
	.set_size = pipe_set_size,
};
