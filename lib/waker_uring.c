/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "waker_uring.h"

#include <errno.h>
#include <fcntl.h>

struct uring *
waker_uring_ring(struct waitset *ws)
{
	if (!wait_uring_is(ws)) {
		errno = EINVAL;
		return NULL;
	}
	return wait_uring_ring(ws);
}

int
waker_uring_dup(struct waker *w, const struct uring *ring)
{
	int cmd = w->flags & WAKER_NO_CLOEXEC ? F_DUPFD : F_DUPFD_CLOEXEC;
	int fd = fcntl(ring->fd, cmd, 0);

	if (fd == -1)
		return errno;
	w->rfd = w->wfd = fd;
	return 0;
}

int
waker_uring_check(unsigned needs, char *why, size_t len)
{
	return uring_refusal(uring_probe_get(), needs, why, len);
}
