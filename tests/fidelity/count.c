/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * count: an LD_PRELOAD library that counts a process's waker system calls,
 * the same way for a program built on a real event loop and for wakebench
 * running the preset that names it (tests/fidelity/run).  The waker is
 * every eventfd the process creates (marked at eventfd(), unmarked at
 * close()); an epoll set holding one is marked at epoll_ctl().  Counted:
 *
 *   writes, reads     write/read (and eventfd_write/eventfd_read) on a
 *                     marked eventfd, by the waiting thread (main) or
 *                     any other (producers)
 *   waits, zwaits     poll/ppoll/select/epoll_wait/epoll_pwait(2) on a
 *                     marked set; zwaits those with a zero timeout
 *   wakeups           waits that returned at least one event
 *   yields            sched_yield, by the waiting thread or others
 *   awake_ns          the main thread's time from each wait's return to
 *                     its next wait: how long a turn of the loop keeps
 *                     it awake (and a coalescing flag set)
 *
 * A thread becomes "main" at its first wait on a marked set.  At exit the
 * totals go to the file named by $FIDCOUNT_OUT, one "name value" a line,
 * with the flags the first written eventfd was created with.  Calls
 * libc makes to itself are not seen; every library here calls libc's
 * exported functions.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define MAXFD 4096

static atomic_int mark[MAXFD];		/* eventfd flags + 1, or 0 */
static atomic_char epset[MAXFD];	/* an epoll set holding a marked fd */
static atomic_int first_flags = -1;
static atomic_ulong n_wr_main, n_wr_prod, n_rd, n_wait, n_zwait, n_wake,
    n_y_main, n_y_prod;
static atomic_ullong n_awake_ns;
static _Thread_local bool is_main;
static _Thread_local uint64_t returned;	/* the main thread's last wait */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* entering: a wait on a marked set begins; the turn since the last one
 * ends. */
static void
entering(void)
{
	if (is_main && returned != 0)
		atomic_fetch_add(&n_awake_ns, now_ns() - returned);
}

#define REAL(ret, name, args) \
	static ret (*real_##name) args; \
	if (real_##name == NULL) \
		real_##name = (ret (*) args)dlsym(RTLD_NEXT, #name)

static bool
marked(int fd)
{
	return fd >= 0 && fd < MAXFD && atomic_load(&mark[fd]) != 0;
}

static void
wrote(int fd)
{
	int none = -1;

	atomic_compare_exchange_strong(&first_flags, &none,
	    atomic_load(&mark[fd]) - 1);
	atomic_fetch_add(is_main ? &n_wr_main : &n_wr_prod, 1);
}

static void
waited(int timeout_zero, int r)
{
	is_main = true;
	atomic_fetch_add(&n_wait, 1);
	if (timeout_zero)
		atomic_fetch_add(&n_zwait, 1);
	if (r > 0)
		atomic_fetch_add(&n_wake, 1);
	returned = now_ns();
}

int
eventfd(unsigned int initval, int flags)
{
	REAL(int, eventfd, (unsigned int, int));
	int fd = real_eventfd(initval, flags);
	if (fd >= 0 && fd < MAXFD)
		atomic_store(&mark[fd], flags + 1);
	return fd;
}

int
close(int fd)
{
	REAL(int, close, (int));
	if (fd >= 0 && fd < MAXFD) {
		atomic_store(&mark[fd], 0);
		atomic_store(&epset[fd], 0);
	}
	return real_close(fd);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, (int, const void *, size_t));
	if (marked(fd))
		wrote(fd);
	return real_write(fd, buf, n);
}

ssize_t
read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, (int, void *, size_t));
	if (marked(fd))
		atomic_fetch_add(&n_rd, 1);
	return real_read(fd, buf, n);
}

int
eventfd_write(int fd, eventfd_t v)
{
	return write(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -1;
}

int
eventfd_read(int fd, eventfd_t *v)
{
	return read(fd, v, sizeof(*v)) == sizeof(*v) ? 0 : -1;
}

int
epoll_ctl(int ep, int op, int fd, struct epoll_event *ev)
{
	REAL(int, epoll_ctl, (int, int, int, struct epoll_event *));
	if (op == EPOLL_CTL_ADD && marked(fd) && ep >= 0 && ep < MAXFD)
		atomic_store(&epset[ep], 1);
	return real_epoll_ctl(ep, op, fd, ev);
}

static bool
epmarked(int ep)
{
	return ep >= 0 && ep < MAXFD && atomic_load(&epset[ep]);
}

int
epoll_wait(int ep, struct epoll_event *ev, int max, int timeout)
{
	REAL(int, epoll_wait, (int, struct epoll_event *, int, int));
	bool on = epmarked(ep);
	if (on)
		entering();
	int r = real_epoll_wait(ep, ev, max, timeout);
	if (on)
		waited(timeout == 0, r);
	return r;
}

int
epoll_pwait(int ep, struct epoll_event *ev, int max, int timeout,
    const sigset_t *ss)
{
	REAL(int, epoll_pwait, (int, struct epoll_event *, int, int,
	    const sigset_t *));
	bool on = epmarked(ep);
	if (on)
		entering();
	int r = real_epoll_pwait(ep, ev, max, timeout, ss);
	if (on)
		waited(timeout == 0, r);
	return r;
}

int
epoll_pwait2(int ep, struct epoll_event *ev, int max,
    const struct timespec *ts, const sigset_t *ss)
{
	REAL(int, epoll_pwait2, (int, struct epoll_event *, int,
	    const struct timespec *, const sigset_t *));
	bool on = epmarked(ep);
	if (on)
		entering();
	int r = real_epoll_pwait2(ep, ev, max, ts, ss);
	if (on)
		waited(ts != NULL && ts->tv_sec == 0 && ts->tv_nsec == 0, r);
	return r;
}

static bool
pollmarked(const struct pollfd *p, nfds_t n)
{
	for (nfds_t i = 0; i < n; i++)
		if (marked(p[i].fd))
			return true;
	return false;
}

int
poll(struct pollfd *p, nfds_t n, int timeout)
{
	REAL(int, poll, (struct pollfd *, nfds_t, int));
	bool on = pollmarked(p, n);
	if (on)
		entering();
	int r = real_poll(p, n, timeout);
	if (on)
		waited(timeout == 0, r);
	return r;
}

int
ppoll(struct pollfd *p, nfds_t n, const struct timespec *ts,
    const sigset_t *ss)
{
	REAL(int, ppoll, (struct pollfd *, nfds_t, const struct timespec *,
	    const sigset_t *));
	bool on = pollmarked(p, n);
	if (on)
		entering();
	int r = real_ppoll(p, n, ts, ss);
	if (on)
		waited(ts != NULL && ts->tv_sec == 0 && ts->tv_nsec == 0, r);
	return r;
}

int
select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	REAL(int, select, (int, fd_set *, fd_set *, fd_set *,
	    struct timeval *));
	bool on = false;
	for (int fd = 0; rd != NULL && fd < nfds && fd < FD_SETSIZE; fd++)
		if (FD_ISSET(fd, rd) && marked(fd))
			on = true;
	if (on)
		entering();
	int r = real_select(nfds, rd, wr, ex, tv);
	if (on)
		waited(tv != NULL && tv->tv_sec == 0 && tv->tv_usec == 0, r);
	return r;
}

int
sched_yield(void)
{
	REAL(int, sched_yield, (void));
	atomic_fetch_add(is_main ? &n_y_main : &n_y_prod, 1);
	return real_sched_yield();
}

static void
flag_names(FILE *f, int fl)
{
	fprintf(f, "flags %s%s%s%s\n", fl < 0 ? "unknown" : fl == 0 ? "0" : "",
	    fl > 0 && fl & EFD_NONBLOCK ? "+NONBLOCK" : "",
	    fl > 0 && fl & EFD_CLOEXEC ? "+CLOEXEC" : "",
	    fl > 0 && fl & EFD_SEMAPHORE ? "+SEMAPHORE" : "");
}

__attribute__((destructor)) static void
report(void)
{
	const char *path = getenv("FIDCOUNT_OUT");
	FILE *f;

	if (path == NULL || (f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "writes_prod %lu\nwrites_main %lu\nreads %lu\nwaits %lu\n"
	    "zwaits %lu\nwakeups %lu\nyields_main %lu\nyields_prod %lu\n"
	    "awake_ns %llu\n",
	    atomic_load(&n_wr_prod), atomic_load(&n_wr_main),
	    atomic_load(&n_rd), atomic_load(&n_wait), atomic_load(&n_zwait),
	    atomic_load(&n_wake), atomic_load(&n_y_main),
	    atomic_load(&n_y_prod), atomic_load(&n_awake_ns));
	flag_names(f, atomic_load(&first_flags));
	fclose(f);
}
