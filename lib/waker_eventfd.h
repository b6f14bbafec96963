/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the two eventfd wakers (counter and semaphore). */
#ifndef WB_WAKER_EVENTFD_H
#define WB_WAKER_EVENTFD_H

#include "waker.h"

/* waker_eventfd_create opens an eventfd with extra flags (EFD_SEMAPHORE). */
int waker_eventfd_create(struct waker *w, unsigned flags, int extra);
int waker_eventfd_write(struct waker *w, bool nowait);
long waker_eventfd_read(struct waker *w, size_t max, bool *empty);

#endif
