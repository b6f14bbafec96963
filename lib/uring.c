/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * io_uring on the raw system calls, as libuv's src/unix/linux.c does:
 * one mapping of the two rings (IORING_FEAT_SINGLE_MMAP), one of the SQE
 * array, an identity SQ index array, and io_uring_enter with
 * IORING_ENTER_EXT_ARG for a timeout in nanoseconds.
 */
#include "uring.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Newer than Debian 12's headers (Linux 6.1). */
#ifndef IORING_REGISTER_SEND_MSG_RING
#define IORING_REGISTER_SEND_MSG_RING	31	/* Linux 6.13 */
#endif
#define URING_OP_FUTEX_WAIT	51		/* IORING_OP_FUTEX_WAIT, 6.7 */
#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32		0x02
#endif
#ifndef FUTEX2_PRIVATE
#define FUTEX2_PRIVATE		128
#endif

const char *const uring_op_name[URING_NOPS] = {
	[URING_SETUP] = "io_uring_setup",
	[URING_POLL_MULTI] = "IORING_OP_POLL_ADD with IORING_POLL_ADD_MULTI",
	[URING_DEFER_TASKRUN] = "IORING_SETUP_DEFER_TASKRUN",
	[URING_READ] = "IORING_OP_READ",
	[URING_MSG_RING] = "IORING_OP_MSG_RING",
	[URING_SEND_MSG_RING] = "IORING_REGISTER_SEND_MSG_RING",
	[URING_FUTEX_WAIT] = "IORING_OP_FUTEX_WAIT",
};

static int
map_rings(struct uring *r, const struct io_uring_params *p)
{
	r->sq_len = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	r->cq_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	if (r->cq_len > r->sq_len)
		r->sq_len = r->cq_len;
	/* Every kernel with EXT_ARG (5.11) maps both rings at once. */
	r->sq_ptr = mmap(NULL, r->sq_len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (r->sq_ptr == MAP_FAILED)
		return errno;
	r->cq_ptr = r->sq_ptr;
	r->sqes_len = p->sq_entries * sizeof(struct io_uring_sqe);
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED) {
		int e = errno;
		munmap(r->sq_ptr, r->sq_len);
		return e;
	}
	char *sq = r->sq_ptr, *cq = r->cq_ptr;
	r->sq_head = (unsigned *)(sq + p->sq_off.head);
	r->sq_tail = (unsigned *)(sq + p->sq_off.tail);
	r->sq_mask = *(unsigned *)(sq + p->sq_off.ring_mask);
	r->sq_entries = p->sq_entries;
	r->sq_array = (unsigned *)(sq + p->sq_off.array);
	r->sq_flags = (unsigned *)(sq + p->sq_off.flags);
	r->cq_head = (unsigned *)(cq + p->cq_off.head);
	r->cq_tail = (unsigned *)(cq + p->cq_off.tail);
	r->cq_mask = *(unsigned *)(cq + p->cq_off.ring_mask);
	r->cq_overflow = (unsigned *)(cq + p->cq_off.overflow);
	r->cqes = (struct io_uring_cqe *)(cq + p->cq_off.cqes);
	for (unsigned i = 0; i < p->sq_entries; i++)
		r->sq_array[i] = i;
	r->sq_local = *r->sq_tail;
	return 0;
}

int
uring_open(struct uring *r, unsigned entries, unsigned flags)
{
	struct io_uring_params p;
	int e;

	memset(r, 0, sizeof(*r));
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = entries * 4;
	if (flags & URING_DEFER)
		p.flags |= IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	r->fd = (int)syscall(__NR_io_uring_setup, entries, &p);
	if (r->fd == -1)
		return errno;
	r->setup_flags = p.flags;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP) ||
	    !(p.features & IORING_FEAT_EXT_ARG))
		e = ENOSYS;
	else if ((flags & URING_NO_CLOEXEC) && fcntl(r->fd, F_SETFD, 0) == -1)
		e = errno;
	else
		e = map_rings(r, &p);
	if (e != 0) {
		close(r->fd);
		r->fd = -1;
	}
	return e;
}

void
uring_close(struct uring *r)
{
	if (r->fd == -1)
		return;
	munmap(r->sqes, r->sqes_len);
	munmap(r->sq_ptr, r->sq_len);
	close(r->fd);
	r->fd = -1;
}

struct io_uring_sqe *
uring_sqe(struct uring *r)
{
	unsigned head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);

	if (r->sq_local - head >= r->sq_entries) {
		if (uring_enter(r, false, 0) == -1)
			return NULL;
		head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
		if (r->sq_local - head >= r->sq_entries) {
			errno = EBUSY;
			return NULL;
		}
	}
	struct io_uring_sqe *sqe = &r->sqes[r->sq_local & r->sq_mask];
	memset(sqe, 0, sizeof(*sqe));
	r->sq_local++;
	return sqe;
}

int
uring_enter(struct uring *r, bool wait, uint64_t timeout_ns)
{
	struct __kernel_timespec ts = {
		.tv_sec = (long long)(timeout_ns / 1000000000u),
		.tv_nsec = (long long)(timeout_ns % 1000000000u),
	};
	struct io_uring_getevents_arg arg = { .ts = (uint64_t)(uintptr_t)&ts };

	__atomic_store_n(r->sq_tail, r->sq_local, __ATOMIC_RELEASE);
	/* Whatever the kernel has not consumed yet, a refused one included. */
	unsigned n = r->sq_local - __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	if (n == 0 && !wait)
		return 0;
	long ret = syscall(__NR_io_uring_enter, r->fd, n, wait ? 1 : 0,
	    wait ? IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG : 0,
	    wait ? &arg : NULL, wait ? sizeof(arg) : 0);
	return ret < 0 ? -1 : 0;
}

unsigned
uring_overflow(const struct uring *r)
{
	return __atomic_load_n(r->cq_overflow, __ATOMIC_RELAXED);
}

/* one: submit what is queued in r and wait up to 100 ms for one
 * completion, returning its res (or -errno from the enter itself). */
static int
one(struct uring *r, uint64_t *user_data, unsigned *flags)
{
	struct io_uring_cqe *c;

	if (uring_enter(r, true, 100 * 1000000u) == -1 && errno != ETIME)
		return -errno;
	if ((c = uring_cqe(r)) == NULL)
		return -ETIME;
	int res = c->res;
	if (user_data)
		*user_data = c->user_data;
	if (flags)
		*flags = c->flags;
	uring_cqe_seen(r);
	return res;
}

static int
try_poll_multi(struct uring *r, int efd)
{
	struct io_uring_sqe *s = uring_sqe(r);
	uint64_t one_ = 1;
	unsigned fl = 0;

	s->opcode = IORING_OP_POLL_ADD;
	s->fd = efd;
	s->poll32_events = POLLIN;
	s->len = IORING_POLL_ADD_MULTI;
	if (write(efd, &one_, sizeof(one_)) != sizeof(one_))
		return errno;
	int res = one(r, NULL, &fl);
	if (res < 0)
		return -res;
	return fl & IORING_CQE_F_MORE ? 0 : EOPNOTSUPP;
}

static int
try_read(struct uring *r, int efd)
{
	struct io_uring_sqe *s = uring_sqe(r);
	uint64_t v = 0;

	s->opcode = IORING_OP_READ;
	s->fd = efd;
	s->addr = (uint64_t)(uintptr_t)&v;
	s->len = sizeof(v);
	int res = one(r, NULL, NULL);	/* the poll test left a count */
	return res == (int)sizeof(v) ? 0 : res < 0 ? -res : EIO;
}

/* try_msg_ring: from r into a second ring, which must see the message. */
static int
try_msg_ring(struct uring *r, struct uring *to)
{
	struct io_uring_sqe *s = uring_sqe(r);
	uint64_t ud = 0;

	s->opcode = IORING_OP_MSG_RING;
	s->fd = to->fd;
	s->addr = IORING_MSG_DATA;
	s->len = 7;
	s->off = 42;
	int res = one(r, NULL, NULL);
	if (res < 0)
		return -res;
	res = one(to, &ud, NULL);
	return res < 0 ? -res : ud == 42 && res == 7 ? 0 : EIO;
}

static int
try_send_msg_ring(struct uring *to)
{
	struct io_uring_sqe s;
	uint64_t ud = 0;

	memset(&s, 0, sizeof(s));
	s.opcode = IORING_OP_MSG_RING;
	s.fd = to->fd;
	s.addr = IORING_MSG_DATA;
	s.len = 7;
	s.off = 43;
	if (syscall(__NR_io_uring_register, -1, IORING_REGISTER_SEND_MSG_RING,
	    &s, 1) < 0)
		return errno;
	int res = one(to, &ud, NULL);
	return res < 0 ? -res : ud == 43 ? 0 : EIO;
}

/* try_futex_wait: a wait on a word that no longer holds the value
 * completes at once with EAGAIN on a kernel that has the operation. */
static int
try_futex_wait(struct uring *r)
{
	uint32_t word = 1;
	struct io_uring_sqe *s = uring_sqe(r);

	s->opcode = URING_OP_FUTEX_WAIT;
	s->fd = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;
	s->addr = (uint64_t)(uintptr_t)&word;
	s->off = 0;			/* addr2: the value expected */
	s->addr3 = 0xffffffffu;		/* FUTEX_BITSET_MATCH_ANY */
	int res = one(r, NULL, NULL);
	return res == -EAGAIN ? 0 : res < 0 ? -res : EIO;
}

static int
read_disabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "re");
	int v = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

void
uring_probe_run(struct uring_probe *p)
{
	struct uring r, to, d;
	int efd, e;

	p->disabled = read_disabled();
	for (int i = 0; i < URING_NOPS; i++)
		p->err[i] = 0;
	if ((e = uring_open(&r, 8, 0)) != 0) {
		for (int i = 0; i < URING_NOPS; i++)
			p->err[i] = e;
		return;
	}
	if ((efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		p->err[URING_POLL_MULTI] = p->err[URING_READ] = errno;
	} else {
		p->err[URING_POLL_MULTI] = try_poll_multi(&r, efd);
		p->err[URING_READ] = try_read(&r, efd);
	}
	if ((e = uring_open(&d, 8, URING_DEFER)) == 0)
		uring_close(&d);
	p->err[URING_DEFER_TASKRUN] = e;
	if ((e = uring_open(&to, 8, 0)) == 0) {
		p->err[URING_MSG_RING] = try_msg_ring(&r, &to);
		p->err[URING_SEND_MSG_RING] = try_send_msg_ring(&to);
		uring_close(&to);
	} else {
		p->err[URING_MSG_RING] = p->err[URING_SEND_MSG_RING] = e;
	}
	p->err[URING_FUTEX_WAIT] = try_futex_wait(&r);
	uring_close(&r);	/* cancels the multishot poll */
	if (efd != -1)
		close(efd);
}

static struct uring_probe probed;
static pthread_once_t probed_once = PTHREAD_ONCE_INIT;

static void
probe_once(void)
{
	uring_probe_run(&probed);
}

const struct uring_probe *
uring_probe_get(void)
{
	pthread_once(&probed_once, probe_once);
	return &probed;
}

int
uring_refusal(const struct uring_probe *p, unsigned needs, char *why,
    size_t len)
{
	for (int i = 0; i < URING_NOPS; i++) {
		int e = p->err[i];
		if (!(needs & URING_NEED(i)) || e == 0)
			continue;
		if (e == EPERM && p->disabled > 0)
			snprintf(why, len, "%s: the kernel answered %s "
			    "(kernel.io_uring_disabled = %d)", uring_op_name[i],
			    strerror(e), p->disabled);
		else
			snprintf(why, len, "%s: the kernel answered %s",
			    uring_op_name[i], strerror(e));
		return e;
	}
	return 0;
}
