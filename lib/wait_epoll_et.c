/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * epoll-et: epoll with EPOLLET on every descriptor.  A descriptor is
 * reported once per change of state, so its owner must read (or write)
 * until EAGAIN.  Linux re-arms the edge on every write to a pipe or an
 * eventfd even when it is already readable, which is what lets nginx and
 * mio never read their waker (`wakebench probe` checks it).
 */
#include "wait_epoll.h"

static int
ep_open_edge(struct waitset *ws, int max_fds)
{
	return wait_epoll_open(ws, max_fds, true);
}

const struct wait_ops wait_epoll_et = {
	.name = "epoll-et",
	.desc = "epoll(7) with EPOLLET, edge-triggered",
	.edge = true,
	.fd_limit = 0,
	.open = ep_open_edge,
	.add = wait_epoll_add,
	.mod = wait_epoll_mod,
	.del = wait_epoll_del,
	.wait = wait_epoll_wait,
	.close = wait_epoll_close,
};
