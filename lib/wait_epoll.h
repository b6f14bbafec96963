/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the level- and edge-triggered epoll waits. */
#ifndef WB_WAIT_EPOLL_H
#define WB_WAIT_EPOLL_H

#include "wait.h"

int wait_epoll_open(struct waitset *ws, int max_fds, bool edge);
int wait_epoll_add(struct waitset *ws, int fd, unsigned events);
int wait_epoll_mod(struct waitset *ws, int fd, unsigned events);
int wait_epoll_del(struct waitset *ws, int fd);
int wait_epoll_wait(struct waitset *ws, uint64_t timeout_ns,
    struct wait_event *ev, int max);
void wait_epoll_close(struct waitset *ws);

#endif
