/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * The io_uring waits (wait_uring.c), and what a waker that completes in
 * the main ring rather than making a descriptor readable needs of them:
 * the ring, to arm its own request, and a hook that turns its completions
 * into a WAIT_IN event on the descriptor number it reports as its rfd.
 */
#ifndef WB_WAIT_URING_H
#define WB_WAIT_URING_H

#include "uring.h"
#include "wait.h"

/* wait_uring_is: ws is an io_uring wait. */
bool wait_uring_is(const struct waitset *ws);

/* wait_uring_ring: the main ring under ws (an io_uring wait). */
struct uring *wait_uring_ring(struct waitset *ws);

/*
 * A waker's hook: each completion whose user_data is
 * wait_uring_data(ws, fd) is given to complete(arg, res, flags) during
 * the wait, and the wait reports fd as WAIT_IN.
 */
struct wait_uring_hook {
	int fd;
	void (*complete)(void *arg, int res, unsigned flags);
	void *arg;
};

/* wait_uring_hook sets ws's one waker hook (fd below 2^31): 0 or errno. */
int wait_uring_hook(struct waitset *ws, const struct wait_uring_hook *h);

/* wait_uring_data: the user_data the hook's requests carry. */
uint64_t wait_uring_data(int fd);

/* wait_uring_needs: the operations the wait itself needs (uring.h). */
unsigned wait_uring_needs(const struct wait_ops *ops);

#endif
