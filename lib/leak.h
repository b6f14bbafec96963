/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * leak: exec a child while a trial runs and count the waker descriptors
 * it inherited, which is how a missing O_CLOEXEC shows in real programs
 * (zig#5966, Waybar#2182, ddprof#497).  The child is wakebench itself in a
 * hidden mode, `wakebench __list-fds`, which prints each open descriptor
 * and what it refers to.
 */
#ifndef WB_LEAK_H
#define WB_LEAK_H

/* The argument that makes wakebench list its descriptors and exit. */
#define LEAK_LIST_FDS	"__list-fds"

/*
 * leak_count runs exe LEAK_LIST_FDS (posix_spawn: fork and exec, from
 * whatever thread calls it) and returns how many of the child's
 * descriptors refer to one of the ntargets objects named in targets (as
 * readlink(2) of /proc/self/fd/N shows them: "pipe:[1234]",
 * "anon_inode:[eventfd]"), or -errno.
 */
int leak_count(const char *exe, char *const targets[], int ntargets);

/* leak_target stores what /proc/self/fd/fd refers to in buf: 0 or errno. */
int leak_target(int fd, char *buf, unsigned long len);

/* leak_list_fds is the child's side: print "fd target" per descriptor
 * to standard output; returns the exit status. */
int leak_list_fds(void);

#endif
