/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * spawnattr: the attributes of every child wakebench starts with
 * posix_spawn (a --spawn lister, gnuplot).
 */
#ifndef WB_SPAWNATTR_H
#define WB_SPAWNATTR_H

#include <spawn.h>

/*
 * spawn_attr_init readies attr for a child that blocks no signal and
 * takes SIGPIPE's default action (the calling thread may block every
 * signal, and wakebench ignores SIGPIPE), in a process group of its own:
 * a Ctrl-C at the terminal is the parent's to handle, which ends or waits
 * for the child itself.  posix_spawnattr_destroy frees it.
 */
void spawn_attr_init(posix_spawnattr_t *attr);

#endif
