/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * msg-ring: each producer thread owns a small ring of its own and pokes
 * with an IORING_OP_MSG_RING into the main ring, which posts one
 * completion there per poke; the drain counts completions.  The main
 * ring's descriptor, duplicated, is the waker's rfd: MSG_RING's target.
 *
 * msg-ring-sync: the same message sent with no ring of the producer's,
 * through io_uring_register(-1, IORING_REGISTER_SEND_MSG_RING) (Linux
 * 6.13).
 *
 * A send the kernel refuses for want of room (EOVERFLOW, EAGAIN, EBUSY)
 * is counted as a poke refused with EAGAIN, as a full pipe's write is.
 */
#include "waker_uring.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef IORING_REGISTER_SEND_MSG_RING
#define IORING_REGISTER_SEND_MSG_RING	31	/* Linux 6.13 */
#endif

/* Each producer's ring is found through a thread-local pointer keyed by
 * the waker's id (never reused), so a thread that outlives one trial
 * cannot send through a ring closed with that trial's waker. */
struct mine {
	uint64_t id;
	struct uring *ring;
};
static _Thread_local struct mine mine;
static atomic_uint_least64_t next_id = 1;

struct mr {
	uint64_t id;
	_Atomic uint64_t sent;	/* sends the kernel accepted */
	uint64_t got;		/* completions the main ring posted */
	uint64_t taken;		/* of those, taken by reads */
	pthread_mutex_t mu;	/* rings and nrings */
	struct uring **rings;	/* every producer's, closed with the waker */
	size_t nrings, cap;
};

static int
mr_open(struct waker *w, unsigned flags)
{
	struct mr *m;

	(void)flags;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return errno;
	int e = pthread_mutex_init(&m->mu, NULL);
	if (e != 0) {
		free(m);
		return e;
	}
	m->id = atomic_fetch_add(&next_id, 1);
	w->impl = m;
	return 0;
}

static void
mr_complete(void *arg, int res, unsigned flags)
{
	struct mr *m = arg;

	(void)res;
	(void)flags;
	m->got++;
}

static int
mr_attach(struct waker *w, struct waitset *ws)
{
	struct uring *ring = waker_uring_ring(ws);
	int e;

	if (ring == NULL)
		return errno;
	if ((e = waker_uring_dup(w, ring)) != 0)
		return e;
	struct wait_uring_hook h = { .fd = w->rfd, .complete = mr_complete,
	    .arg = w->impl };
	return wait_uring_hook(ws, &h);
}

/* keep: remember a producer's new ring, to close it with the waker. */
static int
keep(struct mr *m, struct uring *r)
{
	int e = 0;

	pthread_mutex_lock(&m->mu);
	if (m->nrings == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct uring **v = realloc(m->rings, cap * sizeof(*v));
		if (v == NULL)
			e = ENOMEM;
		else {
			m->rings = v;
			m->cap = cap;
		}
	}
	if (e == 0)
		m->rings[m->nrings++] = r;
	pthread_mutex_unlock(&m->mu);
	return e;
}

/* own_ring: the calling producer's ring, set up on its first poke (an
 * unmeasured warm-up poke, as the schedule starts with the warmup). */
static struct uring *
own_ring(struct waker *w, int *err)
{
	struct mr *m = w->impl;
	struct uring *r;

	if (mine.id == m->id)
		return mine.ring;
	if ((r = malloc(sizeof(*r))) == NULL) {
		*err = ENOMEM;
		return NULL;
	}
	if ((*err = uring_open(r, 4, w->flags & WAKER_NO_CLOEXEC ?
	    URING_NO_CLOEXEC : 0)) != 0) {
		free(r);
		return NULL;
	}
	if ((*err = keep(m, r)) != 0) {
		uring_close(r);
		free(r);
		return NULL;
	}
	mine.id = m->id;
	mine.ring = r;
	return r;
}

static void
message(struct io_uring_sqe *sqe, int to)
{
	sqe->opcode = IORING_OP_MSG_RING;
	sqe->fd = to;
	sqe->addr = IORING_MSG_DATA;
	sqe->len = 0;				/* the res it posts */
	sqe->off = wait_uring_data(to);		/* the user_data it posts */
}

/* sent: the kernel's answer to one send, as a waker write's errno. */
static int
sent(struct mr *m, int res)
{
	if (res >= 0) {
		atomic_fetch_add_explicit(&m->sent, 1, memory_order_release);
		return 0;
	}
	if (res == -EOVERFLOW || res == -EAGAIN || res == -EBUSY)
		return EAGAIN;
	return -res;
}

static int
mr_write(struct waker *w, bool nowait)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *c;
	struct uring *r;
	int e = 0;

	(void)nowait;
	if ((r = own_ring(w, &e)) == NULL)
		return e;
	if ((sqe = uring_sqe(r)) == NULL)
		return errno;
	message(sqe, w->wfd);
	/* MSG_RING completes inline: one enter submits it and reaps. */
	if (uring_enter(r, true, 1000000000u) == -1 && errno != ETIME)
		return errno;
	if ((c = uring_cqe(r)) == NULL)
		return ETIME;
	int res = c->res;
	uring_cqe_seen(r);
	return sent(w->impl, res);
}

static int
mr_sync_write(struct waker *w, bool nowait)
{
	struct io_uring_sqe sqe;

	(void)nowait;
	memset(&sqe, 0, sizeof(sqe));
	message(&sqe, w->wfd);
	long r = syscall(__NR_io_uring_register, -1,
	    IORING_REGISTER_SEND_MSG_RING, &sqe, 1);
	return sent(w->impl, r < 0 ? -errno : (int)r);
}

/* mr_read takes up to max of the completions posted (one per poke). */
static long
mr_read(struct waker *w, size_t max, bool *empty)
{
	struct mr *m = w->impl;
	uint64_t n = m->got - m->taken;

	if (n > max)
		n = max;
	m->taken += n;
	*empty = m->taken == m->got;
	return (long)n;
}

/* mr_readable: a send was accepted that no read took: its completion is
 * in the ring, or on its way there. */
static bool
mr_readable(struct waker *w)
{
	struct mr *m = w->impl;

	return atomic_load_explicit(&m->sent, memory_order_acquire) > m->taken;
}

static void
mr_close(struct waker *w)
{
	struct mr *m = w->impl;

	for (size_t i = 0; i < m->nrings; i++) {
		uring_close(m->rings[i]);
		free(m->rings[i]);
	}
	free(m->rings);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

static int
mr_check(char *why, size_t len)
{
	return waker_uring_check(URING_NEED(URING_MSG_RING), why, len);
}

static int
mr_sync_check(char *why, size_t len)
{
	return waker_uring_check(URING_NEED(URING_SEND_MSG_RING), why, len);
}

const struct waker_ops waker_msg_ring = {
	.name = "msg-ring",
	.desc = "IORING_OP_MSG_RING from each producer's own ring into the main ring (io_uring waits)",
	.unit = 1,
	.stream = false,
	.read_all = false,
	.open = mr_open,
	.write = mr_write,
	.read = mr_read,
	.ring = true,
	.attach = mr_attach,
	.readable = mr_readable,
	.close = mr_close,
	.check = mr_check,
};

const struct waker_ops waker_msg_ring_sync = {
	.name = "msg-ring-sync",
	.desc = "MSG_RING with no producer ring: IORING_REGISTER_SEND_MSG_RING (io_uring waits)",
	.unit = 1,
	.stream = false,
	.read_all = false,
	.open = mr_open,
	.write = mr_sync_write,
	.read = mr_read,
	.ring = true,
	.attach = mr_attach,
	.readable = mr_readable,
	.close = mr_close,
	.check = mr_sync_check,
};
