/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ring wakers: they complete in the main thread's io_uring ring (an
 * io_uring wait's, lib/wait_uring.h) rather than make a descriptor
 * readable.  eventfd-read keeps an IORING_OP_READ armed on an eventfd;
 * msg-ring and msg-ring-sync post a completion into the ring with
 * IORING_OP_MSG_RING; futex keeps an IORING_OP_FUTEX_WAIT armed on a
 * word.  Shared pieces here.
 */
#ifndef WB_WAKER_URING_H
#define WB_WAKER_URING_H

#include "uring.h"
#include "wait_uring.h"
#include "waker.h"

/* waker_uring_ring: ws's ring, or NULL (errno EINVAL) when ws is not an
 * io_uring wait. */
struct uring *waker_uring_ring(struct waitset *ws);

/* waker_uring_dup: rfd and wfd become a duplicate of the main ring's
 * descriptor (the waker's own descriptor: MSG_RING's target, and what a
 * --spawn child inherits under WAKER_NO_CLOEXEC).  0 or errno. */
int waker_uring_dup(struct waker *w, const struct uring *ring);

/* waker_uring_check: the kernel check for the operations in needs. */
int waker_uring_check(unsigned needs, char *why, size_t len);

#endif
