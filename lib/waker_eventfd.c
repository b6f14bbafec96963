/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * eventfd: a 64-bit counter.  Each poke adds 1 with an 8-byte write (a
 * shorter write is EINVAL); one 8-byte read returns the sum and resets
 * it, so a single read drains any number of pokes.  It never fills in
 * practice (EAGAIN only past 2^64 - 2).
 */
#include "waker_eventfd.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

int
waker_eventfd_create(struct waker *w, unsigned flags, int extra)
{
	int f = extra;

	if (!(flags & WAKER_NO_CLOEXEC))
		f |= EFD_CLOEXEC;
	if (!(flags & WAKER_BLOCKING))
		f |= EFD_NONBLOCK;
	int fd = eventfd(0, f);
	if (fd == -1)
		return errno;
	w->rfd = w->wfd = fd;
	return 0;
}

int
waker_eventfd_write(struct waker *w, bool nowait)
{
	uint64_t one = 1;

	(void)nowait;	/* a blocking eventfd blocks only at 2^64 - 2 */
	return write(w->wfd, &one, sizeof(one)) == sizeof(one) ? 0 : errno;
}

long
waker_eventfd_read(struct waker *w, size_t max, bool *empty)
{
	uint64_t v;

	(void)max;	/* the counter cannot be read in part */
	if (w->flags & WAKER_BLOCKING) {
		/* One descriptor serves both ends, so a blocking write end
		 * means a blocking read: ask first, never sleep in read. */
		struct pollfd p = { .fd = w->rfd, .events = POLLIN };
		if (poll(&p, 1, 0) == 0) {
			*empty = true;
			return 0;
		}
	}
	for (;;) {
		if (read(w->rfd, &v, sizeof(v)) == sizeof(v)) {
			*empty = w->ops->read_all;
			return v > (uint64_t)LONG_MAX ? LONG_MAX : (long)v;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			*empty = true;
			return 0;
		}
		return -errno;
	}
}

static int
eventfd_open(struct waker *w, unsigned flags)
{
	return waker_eventfd_create(w, flags, 0);
}

const struct waker_ops waker_eventfd = {
	.name = "eventfd",
	.desc = "eventfd(EFD_NONBLOCK|EFD_CLOEXEC), 8-byte writes, one read drains all",
	.unit = 8,
	.stream = false,
	.read_all = true,
	.open = eventfd_open,
	.write = waker_eventfd_write,
	.read = waker_eventfd_read,
};
