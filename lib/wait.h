/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * wait: the one blocking call of the main thread, over the waker and the
 * sockets it serves.  Each readiness API is one `const struct wait_ops` in
 * its own file, looked up by name in wait_table[].
 *
 * open/add/mod/del return 0 or an errno value; wait returns the number of
 * ready descriptors written to ev (>= 0), or -1 with errno (EINTR when a
 * signal arrived).
 */
#ifndef WB_WAIT_H
#define WB_WAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WAIT_IN		0x1
#define WAIT_OUT	0x2
#define WAIT_ERR	0x4	/* error or hang-up: the owner should read */

struct wait_event {
	int fd;
	unsigned events;
};

/* What a wait counts of its own, read at the window's edges. */
struct wait_counts {
	uint64_t cq_overflow;	/* waits that found the CQ ring overflowed */
	uint64_t cq_dropped;	/* completions the kernel dropped */
};

struct waitset {
	const struct wait_ops *ops;
	void *impl;
};

struct wait_ops {
	const char *name;
	const char *desc;
	bool edge;		/* edge-triggered: ready once per change */
	int fd_limit;		/* descriptors must be below this; 0 = none */
	bool ring;		/* an io_uring ring: the ring wakers work under it */

	int (*open)(struct waitset *ws, int max_fds);
	int (*add)(struct waitset *ws, int fd, unsigned events);
	int (*mod)(struct waitset *ws, int fd, unsigned events);
	int (*del)(struct waitset *ws, int fd);
	/* timeout_ns is rounded up to the API's resolution, never down, so
	 * a wait never returns before the time asked. */
	int (*wait)(struct waitset *ws, uint64_t timeout_ns,
	    struct wait_event *ev, int max);
	void (*close)(struct waitset *ws);
	/* check, optional: 0 when this kernel can run the wait, else an
	 * errno value with one line in why naming what it lacks. */
	int (*check)(char *why, size_t len);
	/* counts, optional: ws's counts so far.  A wait without it has no
	 * completion queue, and the figures are unknown, never 0. */
	void (*counts)(struct waitset *ws, struct wait_counts *c);
};

extern const struct wait_ops *const wait_table[];

/* wait_find returns the ops named name, or NULL. */
const struct wait_ops *wait_find(const char *name);

/* wait_open prepares ws for at most max_fds descriptors: 0 or errno. */
int wait_open(struct waitset *ws, const struct wait_ops *ops, int max_fds);

#endif
