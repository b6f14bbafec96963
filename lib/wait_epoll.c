/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * epoll: interest kept in the kernel, only ready descriptors returned.
 * Level-triggered here; wait_epoll_et.c adds EPOLLET to every registration.
 */
#include "wait_epoll.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

struct ep {
	int fd;
	bool edge;
	bool no_pwait2;		/* kernel older than 5.11 */
	int cap;
	struct epoll_event *out;
};

int
wait_epoll_open(struct waitset *ws, int max_fds, bool edge)
{
	struct ep *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return errno;
	e->edge = edge;
	e->cap = max_fds > 0 ? max_fds : 16;
	if ((e->out = calloc((size_t)e->cap, sizeof(*e->out))) == NULL) {
		free(e);
		return ENOMEM;
	}
	if ((e->fd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		int err = errno;
		free(e->out);
		free(e);
		return err;
	}
	ws->impl = e;
	return 0;
}

static int
ep_ctl(struct waitset *ws, int op, int fd, unsigned events)
{
	struct ep *e = ws->impl;
	struct epoll_event ee = {
		.events = (events & WAIT_IN ? EPOLLIN : 0u) |
		    (events & WAIT_OUT ? EPOLLOUT : 0u) |
		    (e->edge ? EPOLLET : 0u),
		.data.fd = fd,
	};

	return epoll_ctl(e->fd, op, fd, &ee) == -1 ? errno : 0;
}

int
wait_epoll_add(struct waitset *ws, int fd, unsigned events)
{
	return ep_ctl(ws, EPOLL_CTL_ADD, fd, events);
}

int
wait_epoll_mod(struct waitset *ws, int fd, unsigned events)
{
	return ep_ctl(ws, EPOLL_CTL_MOD, fd, events);
}

int
wait_epoll_del(struct waitset *ws, int fd)
{
	struct ep *e = ws->impl;

	return epoll_ctl(e->fd, EPOLL_CTL_DEL, fd, NULL) == -1 ? errno : 0;
}

int
wait_epoll_wait(struct waitset *ws, uint64_t timeout_ns,
    struct wait_event *ev, int max)
{
	struct ep *e = ws->impl;
	uint64_t ms = (timeout_ns + 999999) / 1000000;

	if (max > e->cap)
		max = e->cap;
	/* epoll_pwait2 (Linux 5.11) takes the timeout in ns; epoll_wait would
	 * round it up to whole milliseconds. */
	struct timespec ts = { .tv_sec = (time_t)(timeout_ns / 1000000000u),
	    .tv_nsec = (long)(timeout_ns % 1000000000u) };
	int r = e->no_pwait2 ? -1 : epoll_pwait2(e->fd, e->out, max, &ts, NULL);
	if (r == -1 && errno == ENOSYS) {
		e->no_pwait2 = true;
	}
	if (e->no_pwait2)
		r = epoll_wait(e->fd, e->out, max, ms > 3600000 ? 3600000 : (int)ms);
	for (int i = 0; i < r; i++) {
		uint32_t re = e->out[i].events;
		ev[i].fd = e->out[i].data.fd;
		ev[i].events = (re & EPOLLIN ? WAIT_IN : 0u) |
		    (re & EPOLLOUT ? WAIT_OUT : 0u) |
		    (re & (EPOLLERR | EPOLLHUP) ? WAIT_ERR : 0u);
	}
	return r;
}

void
wait_epoll_close(struct waitset *ws)
{
	struct ep *e = ws->impl;

	close(e->fd);
	free(e->out);
	free(e);
	ws->impl = NULL;
}

static int
ep_open_level(struct waitset *ws, int max_fds)
{
	return wait_epoll_open(ws, max_fds, false);
}

const struct wait_ops wait_epoll = {
	.name = "epoll",
	.desc = "epoll(7), level-triggered",
	.edge = false,
	.fd_limit = 0,
	.open = ep_open_level,
	.add = wait_epoll_add,
	.mod = wait_epoll_mod,
	.del = wait_epoll_del,
	.wait = wait_epoll_wait,
	.close = wait_epoll_close,
};
