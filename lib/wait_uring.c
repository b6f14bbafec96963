/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * io_uring: the main thread sleeps in io_uring_enter (GETEVENTS, with the
 * timeout in nanoseconds through IORING_ENTER_EXT_ARG) and every watched
 * descriptor has one multishot IORING_OP_POLL_ADD armed in the ring.  A
 * multishot poll posts a completion per wakeup of the file, not per
 * state, so the wait is edge-triggered: an owner that leaves bytes is not
 * told again until the next write.  io_uring-defer sets the ring up with
 * SINGLE_ISSUER and DEFER_TASKRUN: completions are posted only inside the
 * main thread's own io_uring_enter.
 *
 * add, mod and del only fill SQEs; the next wait submits them in the same
 * io_uring_enter that sleeps, so the loop makes one system call a turn.
 * Each registration carries a generation in its user_data, so that a late
 * completion of a removed poll (or of an earlier descriptor with the same
 * number) is recognised and dropped.
 */
#include "wait_uring.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#define KIND_POLL	1ull
#define KIND_IGNORE	2ull	/* POLL_REMOVE's own completion */
#define KIND_HOOK	3ull	/* a waker's request (wait_uring_hook) */
#define GEN_MASK	0xffffffu

struct slot {
	uint32_t gen;
	unsigned events;	/* registered */
	bool on;		/* watched */
	uint32_t batch;		/* the wait that last reported it */
	int idx;		/* its place in that wait's ev[] */
};

struct ur {
	struct uring ring;
	struct slot *slot;
	int nslot;
	uint32_t batch;
	uint64_t overflowing;	/* waits that found the CQ ring overflowed */
	struct wait_uring_hook hook;
	bool hooked;
};

extern const struct wait_ops wait_uring, wait_uring_defer;

static uint64_t
data(uint64_t kind, uint32_t gen, int fd)
{
	return kind << 56 | (uint64_t)(gen & GEN_MASK) << 32 | (uint32_t)fd;
}

uint64_t
wait_uring_data(int fd)
{
	return data(KIND_HOOK, 0, fd);
}

bool
wait_uring_is(const struct waitset *ws)
{
	return ws->ops->ring;
}

struct uring *
wait_uring_ring(struct waitset *ws)
{
	return &((struct ur *)ws->impl)->ring;
}

unsigned
wait_uring_needs(const struct wait_ops *ops)
{
	unsigned n = URING_NEED(URING_SETUP) | URING_NEED(URING_POLL_MULTI);

	return ops == &wait_uring_defer ? n | URING_NEED(URING_DEFER_TASKRUN) : n;
}

static int
ur_open(struct waitset *ws, int max_fds, unsigned flags)
{
	struct ur *u;
	unsigned entries = 64;
	int e;

	/* Room for a registration of every descriptor in one turn. */
	while (entries < 4096 && entries < (unsigned)max_fds * 2)
		entries *= 2;
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return errno;
	if ((e = uring_open(&u->ring, entries, flags)) != 0) {
		free(u);
		return e;
	}
	ws->impl = u;
	return 0;
}

static int
ur_open_plain(struct waitset *ws, int max_fds)
{
	return ur_open(ws, max_fds, 0);
}

static int
ur_open_defer(struct waitset *ws, int max_fds)
{
	return ur_open(ws, max_fds, URING_DEFER);
}

static int
grow(struct ur *u, int fd)
{
	if (fd < u->nslot)
		return 0;
	int n = u->nslot ? u->nslot : 64;
	while (n <= fd)
		n *= 2;
	struct slot *s = realloc(u->slot, (size_t)n * sizeof(*s));
	if (s == NULL)
		return ENOMEM;
	memset(s + u->nslot, 0, (size_t)(n - u->nslot) * sizeof(*s));
	u->slot = s;
	u->nslot = n;
	return 0;
}

/* arm: one multishot poll for fd's registered events. */
static int
arm(struct ur *u, int fd)
{
	struct slot *s = &u->slot[fd];
	struct io_uring_sqe *sqe = uring_sqe(&u->ring);

	if (sqe == NULL)
		return errno;
	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = fd;
	sqe->poll32_events = (s->events & WAIT_IN ? POLLIN : 0u) |
	    (s->events & WAIT_OUT ? POLLOUT : 0u);
	sqe->len = IORING_POLL_ADD_MULTI;
	sqe->user_data = data(KIND_POLL, s->gen, fd);
	return 0;
}

static int
ur_add(struct waitset *ws, int fd, unsigned events)
{
	struct ur *u = ws->impl;
	int e;

	if (fd < 0)
		return EBADF;
	if ((e = grow(u, fd)) != 0)
		return e;
	if (u->slot[fd].on)
		return EEXIST;
	u->slot[fd].gen++;
	u->slot[fd].events = events;
	u->slot[fd].on = true;
	return arm(u, fd);
}

static int
ur_del(struct waitset *ws, int fd)
{
	struct ur *u = ws->impl;

	if (fd < 0 || fd >= u->nslot || !u->slot[fd].on)
		return ENOENT;
	struct slot *s = &u->slot[fd];
	struct io_uring_sqe *sqe = uring_sqe(&u->ring);
	if (sqe == NULL)
		return errno;
	sqe->opcode = IORING_OP_POLL_REMOVE;
	sqe->addr = data(KIND_POLL, s->gen, fd);
	sqe->user_data = data(KIND_IGNORE, 0, fd);
	s->gen++;		/* whatever the old poll still posts is stale */
	s->on = false;
	return 0;
}

static int
ur_mod(struct waitset *ws, int fd, unsigned events)
{
	int e = ur_del(ws, fd);

	return e != 0 ? e : ur_add(ws, fd, events);
}

/* report: fd's events into ev[], merged with an earlier completion for
 * the same descriptor in this wait. */
static void
report(struct ur *u, struct wait_event *ev, int *k, int fd, unsigned events)
{
	if (grow(u, fd) != 0)
		return;
	struct slot *s = &u->slot[fd];
	if (s->batch == u->batch) {
		ev[s->idx].events |= events;
		return;
	}
	s->batch = u->batch;
	s->idx = *k;
	ev[*k].fd = fd;
	ev[*k].events = events;
	(*k)++;
}

/* poll_done: one poll completion.  A multishot poll the kernel ended
 * (no IORING_CQE_F_MORE: a full CQ ring, say) is armed again. */
static void
poll_done(struct ur *u, struct wait_event *ev, int *k, int fd, uint32_t gen,
    int res, unsigned flags)
{
	if (fd >= u->nslot || !u->slot[fd].on ||
	    (u->slot[fd].gen & GEN_MASK) != gen)
		return;		/* removed, or an earlier descriptor's */
	if (res < 0) {
		report(u, ev, k, fd, WAIT_ERR);	/* the owner reads the error */
		return;
	}
	if (!(flags & IORING_CQE_F_MORE))
		arm(u, fd);
	report(u, ev, k, fd, ((unsigned)res & POLLIN ? WAIT_IN : 0u) |
	    ((unsigned)res & POLLOUT ? WAIT_OUT : 0u) |
	    ((unsigned)res & (POLLERR | POLLHUP) ? WAIT_ERR : 0u));
}

/* reap: the completions posted so far into ev[k..], at most max
 * descriptors' worth in all; returns the new count. */
static int
reap(struct ur *u, struct wait_event *ev, int k, int max)
{
	struct io_uring_cqe *c;

	while (k < max && (c = uring_cqe(&u->ring)) != NULL) {
		uint64_t ud = c->user_data;
		int res = c->res;
		unsigned flags = c->flags;
		int fd = (int)(uint32_t)ud;
		uring_cqe_seen(&u->ring);
		switch (ud >> 56) {
		case KIND_POLL:
			poll_done(u, ev, &k, fd, (uint32_t)(ud >> 32) & GEN_MASK,
			    res, flags);
			break;
		case KIND_HOOK:
			if (u->hooked && fd == u->hook.fd) {
				u->hook.complete(u->hook.arg, res, flags);
				report(u, ev, &k, fd, WAIT_IN);
			}
			break;
		}
	}
	return k;
}

/*
 * ur_wait: what the ring holds already, else one io_uring_enter that
 * submits what add, mod, del and the re-arms queued and sleeps.  When
 * completions were waiting it still enters, with a zero timeout: on a
 * ring without DEFER_TASKRUN a request woken by its file (an armed read)
 * finishes in the main thread's task work, which runs only on a system
 * call, so a loop that never enters while sockets keep the ring busy
 * would leave it unfinished.
 */
static int
ur_wait(struct waitset *ws, uint64_t timeout_ns, struct wait_event *ev,
    int max)
{
	struct ur *u = ws->impl;

	u->batch++;
	/* A full CQ ring is this family's full pipe: the kernel holds what
	 * did not fit in its overflow list until an enter makes room. */
	if (uring_cq_overflowing(&u->ring))
		u->overflowing++;
	int k = reap(u, ev, 0, max);
	if (uring_enter(&u->ring, true, k > 0 ? 0 : timeout_ns) == -1 &&
	    errno != ETIME && (k == 0 || errno != EINTR))
		return -1;
	return reap(u, ev, k, max);
}

int
wait_uring_hook(struct waitset *ws, const struct wait_uring_hook *h)
{
	struct ur *u = ws->impl;

	if (h->fd < 0)
		return EBADF;
	u->hook = *h;
	u->hooked = true;
	return 0;
}

static void
ur_counts(struct waitset *ws, struct wait_counts *c)
{
	struct ur *u = ws->impl;

	c->cq_overflow = u->overflowing;
	c->cq_dropped = uring_overflow(&u->ring);
}

static void
ur_close(struct waitset *ws)
{
	struct ur *u = ws->impl;

	uring_close(&u->ring);	/* cancels every request left armed */
	free(u->slot);
	free(u);
	ws->impl = NULL;
}

static int
ur_check(const struct wait_ops *ops, char *why, size_t len)
{
	return uring_refusal(uring_probe_get(), wait_uring_needs(ops), why, len);
}

static int
check_plain(char *why, size_t len)
{
	return ur_check(&wait_uring, why, len);
}

static int
check_defer(char *why, size_t len)
{
	return ur_check(&wait_uring_defer, why, len);
}

const struct wait_ops wait_uring = {
	.name = "io_uring",
	.desc = "io_uring_enter(2) over multishot IORING_OP_POLL_ADD, edge-triggered",
	.edge = true,
	.fd_limit = 0,
	.ring = true,
	.open = ur_open_plain,
	.add = ur_add,
	.mod = ur_mod,
	.del = ur_del,
	.wait = ur_wait,
	.close = ur_close,
	.check = check_plain,
	.counts = ur_counts,
};

const struct wait_ops wait_uring_defer = {
	.name = "io_uring-defer",
	.desc = "io_uring with SINGLE_ISSUER and DEFER_TASKRUN",
	.edge = true,
	.fd_limit = 0,
	.ring = true,
	.open = ur_open_defer,
	.add = ur_add,
	.mod = ur_mod,
	.del = ur_del,
	.wait = ur_wait,
	.close = ur_close,
	.check = check_defer,
	.counts = ur_counts,
};
