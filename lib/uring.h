/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * uring: the few io_uring pieces the io_uring waits and wakers need, on
 * the raw system calls and the kernel's uapi header (no liburing).  Linux
 * only.  Constants newer than the build machine's headers are defined in
 * uring.c.
 *
 * uring_probe: every operation wakebench uses, tried on the running
 * kernel, so that a run the kernel cannot do is refused before it starts
 * with the operation and the kernel's answer.
 */
#ifndef WB_URING_H
#define WB_URING_H

#include <linux/io_uring.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uring {
	int fd;
	unsigned setup_flags;
	unsigned sq_mask, sq_entries, cq_mask;
	unsigned *sq_head, *sq_tail, *sq_array;
	unsigned *sq_flags;
	unsigned *cq_head, *cq_tail, *cq_overflow;
	unsigned sq_local;		/* our tail: SQEs filled, not published */
	unsigned to_submit;		/* published, not yet entered */
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	void *sq_ptr, *cq_ptr;
	size_t sq_len, cq_len, sqes_len;
};

/* Setup flags uring_open takes besides the kernel's own. */
#define URING_DEFER	0x1	/* SINGLE_ISSUER | DEFER_TASKRUN */
#define URING_NO_CLOEXEC 0x2	/* clear FD_CLOEXEC on the ring descriptor */

/* uring_open sets up a ring of entries SQEs (a power of two) and 4x as
 * many CQEs, and maps it: 0 or errno (nothing left open). */
int uring_open(struct uring *r, unsigned entries, unsigned flags);
void uring_close(struct uring *r);

/* uring_sqe returns a zeroed SQE to fill, submitting what is queued
 * first when the ring is full; NULL with errno when none is free. */
struct io_uring_sqe *uring_sqe(struct uring *r);

/* uring_enter submits every SQE filled since the last call and, when
 * wait, sleeps until a completion or timeout_ns (IORING_ENTER_EXT_ARG):
 * 0, or -1 with errno (ETIME on a timeout, EINTR on a signal). */
int uring_enter(struct uring *r, bool wait, uint64_t timeout_ns);

/* uring_cqe returns the oldest completion not yet seen, or NULL;
 * uring_cqe_seen gives it back to the kernel. */
static inline struct io_uring_cqe *
uring_cqe(struct uring *r)
{
	unsigned head = *r->cq_head;

	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return NULL;
	return &r->cqes[head & r->cq_mask];
}

static inline void
uring_cqe_seen(struct uring *r)
{
	__atomic_store_n(r->cq_head, *r->cq_head + 1, __ATOMIC_RELEASE);
}

/* uring_cqe_waiting: whether a completion carrying user_data is posted
 * and not yet seen (a peek: nothing is consumed). */
static inline bool
uring_cqe_waiting(const struct uring *r, uint64_t user_data)
{
	unsigned tail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);

	for (unsigned h = *r->cq_head; h != tail; h++)
		if (r->cqes[h & r->cq_mask].user_data == user_data)
			return true;
	return false;
}

/* uring_overflow: completions the kernel dropped for a full CQ ring. */
unsigned uring_overflow(const struct uring *r);

/* uring_cq_overflowing: whether the CQ ring was full and the kernel holds
 * completions back in its overflow list (IORING_SQ_CQ_OVERFLOW); the
 * next io_uring_enter with GETEVENTS moves them in as room allows. */
static inline bool
uring_cq_overflowing(const struct uring *r)
{
	return __atomic_load_n(r->sq_flags, __ATOMIC_RELAXED) &
	    IORING_SQ_CQ_OVERFLOW;
}

/* The operations a run may need, each tried by uring_probe_run. */
enum uring_op {
	URING_SETUP,		/* io_uring_setup */
	URING_POLL_MULTI,	/* IORING_OP_POLL_ADD, IORING_POLL_ADD_MULTI */
	URING_DEFER_TASKRUN,	/* IORING_SETUP_DEFER_TASKRUN */
	URING_READ,		/* IORING_OP_READ on an eventfd */
	URING_MSG_RING,		/* IORING_OP_MSG_RING */
	URING_SEND_MSG_RING,	/* IORING_REGISTER_SEND_MSG_RING */
	URING_FUTEX_WAIT,	/* IORING_OP_FUTEX_WAIT */
	URING_NOPS
};

#define URING_NEED(op)	(1u << (op))

struct uring_probe {
	int err[URING_NOPS];	/* 0: works; else the kernel's errno */
	int disabled;		/* kernel.io_uring_disabled, -1 if unknown */
};

/* uring_op_name: the operation as the kernel's documentation names it. */
extern const char *const uring_op_name[URING_NOPS];

/* uring_probe_run tries every operation on this kernel (never fails). */
void uring_probe_run(struct uring_probe *p);

/* uring_probe_get: this process's probe, run once on first use. */
const struct uring_probe *uring_probe_get(void);

/*
 * uring_refusal: the first operation in needs (URING_NEED bits) that p
 * says the kernel lacks: its errno, with one line in why naming the
 * operation and the kernel's answer; 0 when all work.
 */
int uring_refusal(const struct uring_probe *p, unsigned needs, char *why,
    size_t len);

#endif
