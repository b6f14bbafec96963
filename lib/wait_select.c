/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * select: two fd_sets rebuilt from master copies on every call and scanned
 * on return, which is what makes select cost O(highest fd).  Descriptors
 * at or above FD_SETSIZE cannot be watched at all; the driver refuses such
 * configurations before they start.
 */
#include "wait.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/select.h>

struct sel {
	fd_set rd, wr;		/* what the caller asked for */
	int maxfd;
	int n;			/* registered descriptors, in fds[] */
	int fds[FD_SETSIZE];
};

static int
sel_open(struct waitset *ws, int max_fds)
{
	struct sel *s;

	if (max_fds > FD_SETSIZE)
		return EINVAL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return errno;
	FD_ZERO(&s->rd);
	FD_ZERO(&s->wr);
	s->maxfd = -1;
	ws->impl = s;
	return 0;
}

static void
sel_set(struct sel *s, int fd, unsigned events)
{
	FD_CLR(fd, &s->rd);
	FD_CLR(fd, &s->wr);
	if (events & WAIT_IN)
		FD_SET(fd, &s->rd);
	if (events & WAIT_OUT)
		FD_SET(fd, &s->wr);
}

static int
sel_add(struct waitset *ws, int fd, unsigned events)
{
	struct sel *s = ws->impl;

	if (fd < 0 || fd >= FD_SETSIZE)
		return EINVAL;
	if (s->n == FD_SETSIZE)
		return ENOSPC;
	s->fds[s->n++] = fd;
	if (fd > s->maxfd)
		s->maxfd = fd;
	sel_set(s, fd, events);
	return 0;
}

static int
sel_mod(struct waitset *ws, int fd, unsigned events)
{
	if (fd < 0 || fd >= FD_SETSIZE)
		return EINVAL;
	sel_set(ws->impl, fd, events);
	return 0;
}

static int
sel_del(struct waitset *ws, int fd)
{
	struct sel *s = ws->impl;

	for (int i = 0; i < s->n; i++) {
		if (s->fds[i] != fd)
			continue;
		s->fds[i] = s->fds[--s->n];
		sel_set(s, fd, 0);
		if (fd == s->maxfd) {
			s->maxfd = -1;
			for (int j = 0; j < s->n; j++)
				if (s->fds[j] > s->maxfd)
					s->maxfd = s->fds[j];
		}
		return 0;
	}
	return ENOENT;
}

static int
sel_wait(struct waitset *ws, uint64_t timeout_ns, struct wait_event *ev, int max)
{
	struct sel *s = ws->impl;
	fd_set rd = s->rd, wr = s->wr;
	uint64_t us = (timeout_ns + 999) / 1000;
	struct timeval tv = { .tv_sec = (time_t)(us / 1000000),
	    .tv_usec = (suseconds_t)(us % 1000000) };

	int r = select(s->maxfd + 1, &rd, &wr, NULL, &tv);
	if (r <= 0)
		return r;
	int n = 0;
	for (int i = 0; i < s->n && n < max; i++) {
		int fd = s->fds[i];
		unsigned e = (FD_ISSET(fd, &rd) ? WAIT_IN : 0) |
		    (FD_ISSET(fd, &wr) ? WAIT_OUT : 0);
		if (e != 0) {
			ev[n].fd = fd;
			ev[n++].events = e;
		}
	}
	return n;
}

static void
sel_close(struct waitset *ws)
{
	free(ws->impl);
	ws->impl = NULL;
}

const struct wait_ops wait_select = {
	.name = "select",
	.desc = "select(2), level-triggered, descriptors below FD_SETSIZE",
	.edge = false,
	.fd_limit = FD_SETSIZE,
	.open = sel_open,
	.add = sel_add,
	.mod = sel_mod,
	.del = sel_del,
	.wait = sel_wait,
	.close = sel_close,
};
