/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "wait.h"

#include <string.h>

extern const struct wait_ops wait_select, wait_poll, wait_epoll, wait_epoll_et,
    wait_uring, wait_uring_defer;

const struct wait_ops *const wait_table[] = {
	&wait_select, &wait_poll, &wait_epoll, &wait_epoll_et,
	&wait_uring, &wait_uring_defer, NULL
};

const struct wait_ops *
wait_find(const char *name)
{
	for (const struct wait_ops *const *o = wait_table; *o != NULL; o++)
		if (strcmp((*o)->name, name) == 0)
			return *o;
	return NULL;
}

int
wait_open(struct waitset *ws, const struct wait_ops *ops, int max_fds)
{
	ws->ops = ops;
	ws->impl = NULL;
	return ops->open(ws, max_fds);
}
