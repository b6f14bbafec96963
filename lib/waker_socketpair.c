/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * socketpair: AF_UNIX SOCK_STREAM, as asyncio's self-pipe.  One byte per
 * send(MSG_NOSIGNAL), so a closed peer gives EPIPE rather than SIGPIPE.
 * Each 1-byte skb is charged far more than a byte against SO_SNDBUF: on
 * Linux 6.18 only 278 un-drained pokes fit before EAGAIN (`wakebench probe`
 * measures it).
 */
#include "waker.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

static int
socketpair_open(struct waker *w, unsigned flags)
{
	int sv[2];
	int type = SOCK_STREAM | SOCK_NONBLOCK;

	if (!(flags & WAKER_NO_CLOEXEC))
		type |= SOCK_CLOEXEC;
	if (socketpair(AF_UNIX, type, 0, sv) == -1)
		return errno;
	if ((flags & WAKER_BLOCKING) &&
	    fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) & ~O_NONBLOCK) == -1) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		return e;
	}
	w->rfd = sv[0];
	w->wfd = sv[1];
	return 0;
}

static int
socketpair_write(struct waker *w, bool nowait)
{
	static const char byte = 0;
	int f = MSG_NOSIGNAL | (nowait ? MSG_DONTWAIT : 0);

	return send(w->wfd, &byte, 1, f) == 1 ? 0 : errno;
}

static long
socketpair_read(struct waker *w, size_t max, bool *empty)
{
	return waker_read_bytes(w->rfd, max, empty);
}

const struct waker_ops waker_socketpair = {
	.name = "socketpair",
	.desc = "socketpair(AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC), one byte per send",
	.unit = 1,
	.stream = true,
	.read_all = false,
	.open = socketpair_open,
	.write = socketpair_write,
	.read = socketpair_read,
};
