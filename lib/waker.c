/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "waker.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wait.h"

extern const struct waker_ops waker_pipe, waker_eventfd, waker_eventfd_sem,
    waker_socketpair, waker_eventfd_armed, waker_msg_ring, waker_msg_ring_sync,
    waker_futex;

const struct waker_ops *const waker_table[] = {
	&waker_pipe, &waker_eventfd, &waker_eventfd_sem, &waker_socketpair,
	&waker_eventfd_armed, &waker_msg_ring, &waker_msg_ring_sync, &waker_futex,
	NULL
};

const struct waker_ops *
waker_find(const char *name)
{
	for (const struct waker_ops *const *o = waker_table; *o != NULL; o++)
		if (strcmp((*o)->name, name) == 0)
			return *o;
	return NULL;
}

int
waker_open(struct waker *w, const struct waker_ops *ops, unsigned flags)
{
	w->ops = ops;
	w->rfd = w->wfd = -1;
	w->flags = flags;
	w->capacity = 0;
	w->impl = NULL;
	return ops->open(w, flags);
}

int
waker_set_size(struct waker *w, size_t bytes, size_t *actual)
{
	if (w->ops->set_size == NULL)
		return ENOTSUP;
	return w->ops->set_size(w, bytes, actual);
}

long
waker_pending(const struct waker *w)
{
	int n;

	if (!w->ops->stream)
		return -ENOTSUP;
	if (ioctl(w->rfd, FIONREAD, &n) == -1)
		return -errno;
	return n;
}

int
waker_attach(struct waker *w, struct waitset *ws)
{
	if (w->ops->attach != NULL)
		return w->ops->attach(w, ws);
	return ws->ops->add(ws, w->rfd, WAIT_IN);
}

bool
waker_readable(struct waker *w)
{
	struct pollfd p = { .fd = w->rfd, .events = POLLIN };

	if (w->ops->readable != NULL)
		return w->ops->readable(w);
	return poll(&p, 1, 0) == 1;
}

void
waker_close(struct waker *w)
{
	if (w->ops->close != NULL && w->impl != NULL)
		w->ops->close(w);
	w->impl = NULL;
	if (w->wfd != -1 && w->wfd != w->rfd)
		close(w->wfd);
	if (w->rfd != -1)
		close(w->rfd);
	w->rfd = w->wfd = -1;
}

long
waker_read_bytes(int fd, size_t max, bool *empty)
{
	char buf[4096];
	size_t want = max < sizeof(buf) ? max : sizeof(buf);

	for (;;) {
		ssize_t n = read(fd, buf, want);
		if (n > 0) {
			*empty = (size_t)n < want;
			return n;
		}
		if (n == 0) {		/* write end closed: nothing will come */
			*empty = true;
			return 0;
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
