/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * leak: exec a child while a trial runs and count the waker descriptors
 * it inherited, which is how a missing O_CLOEXEC shows in real programs.
 * The child is wakebench itself in a hidden mode, `wakebench __list-fds`,
 * which prints each open descriptor's number and what it refers to.
 */
#ifndef WB_LEAK_H
#define WB_LEAK_H

#include <stdatomic.h>
#include <stdint.h>

/* The argument that makes wakebench list its descriptors and exit. */
#define LEAK_LIST_FDS	"__list-fds"

/*
 * One descriptor to look for in the child: its number and what
 * /proc/self/fd/N names it ("pipe:[1234]", "anon_inode:[eventfd]").  A
 * descriptor survives exec under the same number, so a child's descriptor
 * is ours only if both match: every eventfd has the same name, and an
 * unrelated inheritable one must not count.
 */
struct leak_target {
	int fd;
	char name[256];
};

/* What happened to the child when leak_count fails. */
struct leak_status {
	char why[96];		/* "killed by signal 9", "exited 1", ... */
	int signal;		/* the signal that killed the child, or 0 */
};

/*
 * leak_count runs exe LEAK_LIST_FDS (posix_spawn: fork and exec, from
 * whatever thread calls it) and returns how many of the child's
 * descriptors are one of the n targets, or -errno: -ECHILD with st->why
 * saying how the child ended when it gave no complete list, -ETIMEDOUT
 * when it did not finish by deadline_ns (CLOCK_MONOTONIC), -ECANCELED
 * when *cancel became true first.  A child still running then is killed
 * and reaped: none outlives the call.
 */
int leak_count(const char *exe, const struct leak_target *targets, int n,
    uint64_t deadline_ns, const atomic_bool *cancel, struct leak_status *st);

/* leak_target fills t for descriptor fd of this process: 0 or errno
 * (ENOENT when /proc is not mounted). */
int leak_target(int fd, struct leak_target *t);

/* leak_list_fds is the child's side: print "fd name" per descriptor
 * to standard output; returns the exit status. */
int leak_list_fds(void);

#endif
