/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * poll: one pollfd array handed to the kernel whole on every call, with a
 * descriptor -> slot map so add, mod and del are O(1).
 */
#include "wait.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

struct pl {
	struct pollfd *pfd;
	int n, cap;
	int *slot;		/* slot[fd]: index in pfd, or -1 */
	int nslot;
};

static int
pl_open(struct waitset *ws, int max_fds)
{
	struct pl *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return errno;
	p->cap = max_fds > 0 ? max_fds : 16;
	if ((p->pfd = calloc((size_t)p->cap, sizeof(*p->pfd))) == NULL) {
		free(p);
		return ENOMEM;
	}
	ws->impl = p;
	return 0;
}

static short
pl_events(unsigned events)
{
	return (short)((events & WAIT_IN ? POLLIN : 0) |
	    (events & WAIT_OUT ? POLLOUT : 0));
}

static int
pl_grow_slots(struct pl *p, int fd)
{
	if (fd < p->nslot)
		return 0;
	int n = p->nslot ? p->nslot : 64;
	while (n <= fd)
		n *= 2;
	int *s = realloc(p->slot, (size_t)n * sizeof(*s));
	if (s == NULL)
		return ENOMEM;
	for (int i = p->nslot; i < n; i++)
		s[i] = -1;
	p->slot = s;
	p->nslot = n;
	return 0;
}

static int
pl_add(struct waitset *ws, int fd, unsigned events)
{
	struct pl *p = ws->impl;
	int e;

	if (fd < 0)
		return EINVAL;
	if ((e = pl_grow_slots(p, fd)) != 0)
		return e;
	if (p->slot[fd] != -1)
		return EEXIST;
	if (p->n == p->cap) {
		struct pollfd *n = realloc(p->pfd, (size_t)p->cap * 2 * sizeof(*n));
		if (n == NULL)
			return ENOMEM;
		p->pfd = n;
		p->cap *= 2;
	}
	p->pfd[p->n] = (struct pollfd){ .fd = fd, .events = pl_events(events) };
	p->slot[fd] = p->n++;
	return 0;
}

static int
pl_mod(struct waitset *ws, int fd, unsigned events)
{
	struct pl *p = ws->impl;

	if (fd < 0 || fd >= p->nslot || p->slot[fd] == -1)
		return ENOENT;
	p->pfd[p->slot[fd]].events = pl_events(events);
	return 0;
}

static int
pl_del(struct waitset *ws, int fd)
{
	struct pl *p = ws->impl;

	if (fd < 0 || fd >= p->nslot || p->slot[fd] == -1)
		return ENOENT;
	int i = p->slot[fd];
	p->pfd[i] = p->pfd[--p->n];
	p->slot[p->pfd[i].fd] = i;
	p->slot[fd] = -1;
	return 0;
}

static int
pl_wait(struct waitset *ws, uint64_t timeout_ns, struct wait_event *ev, int max)
{
	struct pl *p = ws->impl;
	uint64_t ms = (timeout_ns + 999999) / 1000000;

	int r = poll(p->pfd, (nfds_t)p->n, ms > 3600000 ? 3600000 : (int)ms);
	if (r <= 0)
		return r;
	int n = 0;
	for (int i = 0; i < p->n && n < r && n < max; i++) {
		short re = p->pfd[i].revents;
		if (re == 0)
			continue;
		ev[n].fd = p->pfd[i].fd;
		ev[n++].events = (re & POLLIN ? WAIT_IN : 0) |
		    (re & POLLOUT ? WAIT_OUT : 0) |
		    (re & (POLLERR | POLLHUP | POLLNVAL) ? WAIT_ERR : 0);
	}
	return n;
}

static void
pl_close(struct waitset *ws)
{
	struct pl *p = ws->impl;

	free(p->pfd);
	free(p->slot);
	free(p);
	ws->impl = NULL;
}

const struct wait_ops wait_poll = {
	.name = "poll",
	.desc = "poll(2), level-triggered",
	.edge = false,
	.fd_limit = 0,
	.open = pl_open,
	.add = pl_add,
	.mod = pl_mod,
	.del = pl_del,
	.wait = pl_wait,
	.close = pl_close,
};
