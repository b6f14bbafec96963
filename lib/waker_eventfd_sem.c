/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * eventfd-sem: an eventfd with EFD_SEMAPHORE.  Writes add as usual, but
 * each read takes exactly one, so draining n pokes costs n reads.  Under
 * EPOLLET with one read per wakeup, counts are stranded: the edge came
 * once, and the counts left after the read wait for the next write.
 */
#include "waker_eventfd.h"

#include <sys/eventfd.h>

static int
eventfd_sem_open(struct waker *w, unsigned flags)
{
	return waker_eventfd_create(w, flags, EFD_SEMAPHORE);
}

const struct waker_ops waker_eventfd_sem = {
	.name = "eventfd-sem",
	.desc = "eventfd(EFD_SEMAPHORE|EFD_NONBLOCK|EFD_CLOEXEC), one count per read",
	.unit = 8,
	.stream = false,
	.read_all = false,
	.open = eventfd_sem_open,
	.write = waker_eventfd_write,
	.read = waker_eventfd_read,
};
