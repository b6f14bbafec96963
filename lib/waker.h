/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * waker: the descriptor a producer pokes and the main thread waits on.
 * Each mechanism is one `const struct waker_ops` in its own file; the
 * table waker_table[] lists them for lookup, --help, `wakebench list`
 * and the tests.  Adding a mechanism is one file plus one table row.
 *
 * Functions return 0 or an errno value (never -1 with errno, so that a
 * producer thread can keep the value without touching errno).
 */
#ifndef WB_WAKER_H
#define WB_WAKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Creation flags: the strategy under test, not the tool's convenience. */
#define WAKER_BLOCKING	0x1	/* write end without O_NONBLOCK */
#define WAKER_NO_CLOEXEC 0x2	/* children inherit both ends */

struct waitset;

struct waker {
	const struct waker_ops *ops;
	int rfd;		/* the end the main thread waits on and reads */
	int wfd;		/* the end producers write; == rfd for eventfd */
	unsigned flags;
	size_t capacity;	/* bytes it can hold (pipes), or 0 if unknown */
	void *impl;		/* a ring waker's own state, or NULL */
};

struct waker_ops {
	const char *name;
	const char *desc;	/* one line for `wakebench list` */
	unsigned unit;		/* bytes one poke writes: 1, or 8 for eventfd */
	bool stream;		/* pokes queue as bytes (pipe, socketpair), not
				 * summed in one counter (eventfd) */
	bool read_all;		/* one read takes every pending poke */

	/* open creates the descriptors with flags; 0 or errno. */
	int (*open)(struct waker *w, unsigned flags);

	/*
	 * write makes one poke syscall.  With nowait, a write end opened
	 * WAKER_BLOCKING returns EAGAIN instead of blocking when full (so the
	 * caller can count the block before it happens).  0 or errno.
	 */
	int (*write)(struct waker *w, bool nowait);

	/*
	 * read makes one read syscall taking at most max pokes and returns how
	 * many it took (> 0), 0 when there was nothing (EAGAIN), or -errno.
	 * *empty is set when the read itself proves the waker now empty (a
	 * short read, or an eventfd counter read).
	 */
	long (*read)(struct waker *w, size_t max, bool *empty);

	/*
	 * set_size, optional (NULL for a waker whose capacity cannot be
	 * set): asks for a capacity of bytes and stores the one the kernel
	 * chose in *actual and w->capacity.  0 or errno.
	 */
	int (*set_size)(struct waker *w, size_t bytes, size_t *actual);

	/*
	 * The ring wakers (lib/waker_uring.h) complete in the main thread's
	 * io_uring ring instead of making rfd readable.  ring: it needs an
	 * io_uring wait.  attach, optional: arm its request in ws's ring and
	 * set rfd (NULL: the wait watches rfd); 0 or errno.  readable,
	 * optional: a poke has landed that no read took yet (NULL: poll rfd).
	 * close, optional: its own state, before rfd and wfd are closed.
	 * check, optional: 0 when this kernel has what it needs, else an
	 * errno value with one line in why.
	 */
	bool ring;
	int (*attach)(struct waker *w, struct waitset *ws);
	bool (*readable)(struct waker *w);
	void (*close)(struct waker *w);
	int (*check)(char *why, size_t len);
};

/* Every mechanism, NULL-terminated, in the order `wakebench list` shows. */
extern const struct waker_ops *const waker_table[];

/* waker_find returns the ops named name, or NULL. */
const struct waker_ops *waker_find(const char *name);

/* waker_open opens w with ops and flags: 0 or errno (nothing left open). */
int waker_open(struct waker *w, const struct waker_ops *ops, unsigned flags);

/* waker_set_size sets w's capacity with its set_size operation (for a
 * pipe, F_SETPIPE_SZ: the kernel chooses a power-of-two number of pages)
 * and stores it in *actual: 0, errno (EPERM above pipe-max-size
 * unprivileged, EBUSY below the bytes queued), or ENOTSUP when the waker
 * has no set_size. */
int waker_set_size(struct waker *w, size_t bytes, size_t *actual);

/* waker_pending returns the pokes waiting in w without consuming them
 * (FIONREAD), or -errno; ENOTSUP for counters. */
long waker_pending(const struct waker *w);

/* waker_attach puts w under ws: its attach operation, or ws watching
 * rfd for WAIT_IN.  0 or errno. */
int waker_attach(struct waker *w, struct waitset *ws);

/* waker_readable: a poke has landed that no read took yet (for an fd
 * waker, rfd polls readable). */
bool waker_readable(struct waker *w);

/* waker_close closes both ends. */
void waker_close(struct waker *w);

/* Helpers shared by the byte-stream wakers (pipe, socketpair). */
long waker_read_bytes(int fd, size_t max, bool *empty);

#endif
