/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * faultlib: an LD_PRELOAD library that plants bugs in wakebench's waker
 * from outside, so that each detector is shown to catch a bug it did not
 * plant itself (tests/cli/detectors.bats).  Each fault is off unless its
 * environment variable is set:
 *
 *   WBFAULT_DROP_EVERY=n    every nth waker write reports success but
 *                           writes nothing (a lost poke)
 *   WBFAULT_EAGAIN_EVERY=n  every nth waker write fails with EAGAIN
 *                           though the waker is not full
 *   WBFAULT_NO_READ=1       reads of the waker fail with EAGAIN: a drain
 *                           that reports the waker empty and leaves it
 *   WBFAULT_STRIP_CLOEXEC=1 wakers are created without close-on-exec
 *   WBFAULT_LEAK_FD=1       each waker creation also opens an unrelated
 *                           inheritable eventfd, never closed
 *   WBFAULT_FAKE_READY=1    every wait that watches the waker returns at
 *                           once with the waker reported readable
 *   WBFAULT_LOG=path        append one line per waker created (the test
 *                           that the library is interposed at all)
 *
 * Which descriptors are the waker's: wakebench creates its waker with
 * pipe2(O_NONBLOCK ...) (its other pipes are blocking), eventfd() or
 * socketpair(AF_UNIX ...), and uses nothing else of those outside
 * `wakebench probe`.  Those descriptors are marked at creation and
 * unmarked at close(); every call on any other descriptor (stdio, output
 * files, the network clients' TCP sockets, --spawn's pipes) passes
 * straight through.  The writes are the calls lib/waker_*.c make: write
 * (pipe, eventfd), pwritev2 (a blocking pipe tried with RWF_NOWAIT) and
 * send (socketpair); writev too, for completeness.  Reads: read, recv.
 * Waits: select, poll, epoll_wait, epoll_pwait2 (the epoll set's waker is
 * learnt from epoll_ctl).  A poll with a zero timeout is left alone: it
 * is wakebench asking about the waker (lib/trial.c's in_flight, a
 * blocking eventfd's read), not waiting.
 *
 * A sanitizer runtime linked into the executable intercepts these calls
 * itself and comes first, so under ASan or TSan builds this library is
 * not reached; WBFAULT_LOG tells the tests so.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define NFD	65536
#define R_READ	1u
#define R_WRITE	2u

static _Atomic unsigned char role[NFD];	/* R_* per descriptor */
static _Atomic int ep_waker[NFD];	/* epoll fd -> its waker fd + 1 */
static _Atomic unsigned long nwrites;

static unsigned long drop_every, eagain_every;
static int no_read, strip_cloexec, leak_fd, fake_ready;
static const char *log_path;

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev2)(int, const struct iovec *, int, off_t, int);
static ssize_t (*real_send)(int, const void *, size_t, int);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_recv)(int, void *, size_t, int);
static int (*real_pipe2)(int[2], int);
static int (*real_eventfd)(unsigned, int);
static int (*real_socketpair)(int, int, int, int[2]);
static int (*real_close)(int);
static int (*real_poll)(struct pollfd *, nfds_t, int);
static int (*real_select)(int, fd_set *, fd_set *, fd_set *, struct timeval *);
static int (*real_epoll_ctl)(int, int, int, struct epoll_event *);
static int (*real_epoll_wait)(int, struct epoll_event *, int, int);
static int (*real_epoll_pwait2)(int, struct epoll_event *, int,
    const struct timespec *, const sigset_t *);

static unsigned long
env_count(const char *name)
{
	const char *v = getenv(name);
	char *end;

	if (v == NULL || *v == '\0')
		return 0;
	unsigned long n = strtoul(v, &end, 10);
	return *end == '\0' ? n : 0;
}

#define REAL(name) real_##name = (__typeof__(real_##name))dlsym(RTLD_NEXT, #name)

__attribute__((constructor)) static void
faultlib_init(void)
{
	REAL(write);
	REAL(writev);
	REAL(pwritev2);
	REAL(send);
	REAL(read);
	REAL(recv);
	REAL(pipe2);
	REAL(eventfd);
	REAL(socketpair);
	REAL(close);
	REAL(poll);
	REAL(select);
	REAL(epoll_ctl);
	REAL(epoll_wait);
	REAL(epoll_pwait2);
	drop_every = env_count("WBFAULT_DROP_EVERY");
	eagain_every = env_count("WBFAULT_EAGAIN_EVERY");
	no_read = env_count("WBFAULT_NO_READ") != 0;
	strip_cloexec = env_count("WBFAULT_STRIP_CLOEXEC") != 0;
	leak_fd = env_count("WBFAULT_LEAK_FD") != 0;
	fake_ready = env_count("WBFAULT_FAKE_READY") != 0;
	log_path = getenv("WBFAULT_LOG");
}

static unsigned
role_of(int fd)
{
	return fd >= 0 && fd < NFD ? atomic_load_explicit(&role[fd],
	    memory_order_relaxed) : 0;
}

/* mark: a new waker descriptor; the log line and the planted leak. */
static void
mark(int fd, unsigned r, const char *kind)
{
	if (fd < 0 || fd >= NFD)
		return;
	atomic_store(&role[fd], (unsigned char)r);
	if (log_path != NULL && (r & R_READ)) {
		int saved = errno;
		int lf = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
		    0644);
		if (lf != -1) {
			char line[64];
			int n = snprintf(line, sizeof(line), "waker %s fd %d\n",
			    kind, fd);
			real_write(lf, line, (size_t)n);
			real_close(lf);
		}
		errno = saved;
	}
}

static void
plant_leak(void)
{
	if (leak_fd) {
		int saved = errno;
		(void)real_eventfd(0, 0);	/* inheritable, never closed */
		errno = saved;
	}
}

/*
 * poke_fault: for a write to a waker, 0 to let it through, else the
 * planted outcome: 1 for a dropped write (report success), -1 for EAGAIN.
 */
static int
poke_fault(int fd)
{
	if (!(role_of(fd) & R_WRITE) || (drop_every == 0 && eagain_every == 0))
		return 0;
	unsigned long n = atomic_fetch_add(&nwrites, 1) + 1;
	if (drop_every && n % drop_every == 0)
		return 1;
	if (eagain_every && n % eagain_every == 0) {
		errno = EAGAIN;
		return -1;
	}
	return 0;
}

int
pipe2(int fds[2], int flags)
{
	bool waker = flags & O_NONBLOCK;

	if (waker && strip_cloexec)
		flags &= ~O_CLOEXEC;
	int r = real_pipe2(fds, flags);
	if (r == 0 && waker) {
		mark(fds[0], R_READ, "pipe");
		mark(fds[1], R_WRITE, "pipe");
		plant_leak();
	}
	return r;
}

int
eventfd(unsigned initval, int flags)
{
	if (strip_cloexec)
		flags &= ~EFD_CLOEXEC;
	int fd = real_eventfd(initval, flags);
	if (fd != -1) {
		mark(fd, R_READ | R_WRITE, "eventfd");
		plant_leak();
	}
	return fd;
}

int
socketpair(int domain, int type, int protocol, int sv[2])
{
	bool waker = domain == AF_UNIX;

	if (waker && strip_cloexec)
		type &= ~SOCK_CLOEXEC;
	int r = real_socketpair(domain, type, protocol, sv);
	if (r == 0 && waker) {
		mark(sv[0], R_READ, "socketpair");
		mark(sv[1], R_WRITE, "socketpair");
		plant_leak();
	}
	return r;
}

int
close(int fd)
{
	if (fd >= 0 && fd < NFD) {
		atomic_store(&role[fd], 0);
		atomic_store(&ep_waker[fd], 0);
	}
	return real_close(fd);
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	int f = poke_fault(fd);
	if (f > 0)
		return (ssize_t)len;
	if (f < 0)
		return -1;
	return real_write(fd, buf, len);
}

static ssize_t
iov_len(const struct iovec *iov, int n)
{
	ssize_t t = 0;

	for (int i = 0; i < n; i++)
		t += (ssize_t)iov[i].iov_len;
	return t;
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	int f = poke_fault(fd);
	if (f > 0)
		return iov_len(iov, n);
	if (f < 0)
		return -1;
	return real_writev(fd, iov, n);
}

ssize_t
pwritev2(int fd, const struct iovec *iov, int n, off_t off, int flags)
{
	int f = poke_fault(fd);
	if (f > 0)
		return iov_len(iov, n);
	if (f < 0)
		return -1;
	return real_pwritev2(fd, iov, n, off, flags);
}

ssize_t
send(int fd, const void *buf, size_t len, int flags)
{
	int f = poke_fault(fd);
	if (f > 0)
		return (ssize_t)len;
	if (f < 0)
		return -1;
	return real_send(fd, buf, len, flags);
}

ssize_t
read(int fd, void *buf, size_t len)
{
	if (no_read && (role_of(fd) & R_READ)) {
		errno = EAGAIN;
		return -1;
	}
	return real_read(fd, buf, len);
}

ssize_t
recv(int fd, void *buf, size_t len, int flags)
{
	if (no_read && (role_of(fd) & R_READ)) {
		errno = EAGAIN;
		return -1;
	}
	return real_recv(fd, buf, len, flags);
}

int
poll(struct pollfd *p, nfds_t n, int timeout)
{
	nfds_t w = n;

	if (fake_ready && timeout != 0)
		for (nfds_t i = 0; i < n; i++)
			if (role_of(p[i].fd) & R_READ)
				w = i;
	if (w == n)
		return real_poll(p, n, timeout);
	int r = real_poll(p, n, 0);
	if (r < 0)
		return r;
	if (p[w].revents == 0)
		r++;
	p[w].revents |= POLLIN;
	return r;
}

int
select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	int w = -1;

	if (fake_ready && rd != NULL && (tv == NULL || tv->tv_sec || tv->tv_usec))
		for (int fd = 0; fd < nfds && fd < FD_SETSIZE; fd++)
			if (FD_ISSET(fd, rd) && (role_of(fd) & R_READ))
				w = fd;
	if (w < 0)
		return real_select(nfds, rd, wr, ex, tv);
	struct timeval zero = { 0, 0 };
	int r = real_select(nfds, rd, wr, ex, &zero);
	if (r < 0)
		return r;
	if (!FD_ISSET(w, rd)) {
		FD_SET(w, rd);
		r++;
	}
	return r;
}

int
epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	int r = real_epoll_ctl(epfd, op, fd, ev);

	if (r == 0 && epfd >= 0 && epfd < NFD && (role_of(fd) & R_READ)) {
		if (op == EPOLL_CTL_DEL)
			atomic_store(&ep_waker[epfd], 0);
		else
			atomic_store(&ep_waker[epfd], fd + 1);
	}
	return r;
}

/* fake: add the waker to a wait's events, unless there or no room. */
static int
fake(int epfd, struct epoll_event *evs, int max, int r)
{
	int fd = atomic_load(&ep_waker[epfd]) - 1;

	if (r < 0 || r >= max)
		return r;
	for (int i = 0; i < r; i++)
		if (evs[i].data.fd == fd)
			return r;
	evs[r].events = EPOLLIN;
	evs[r].data.fd = fd;
	return r + 1;
}

static bool
faked(int epfd)
{
	return fake_ready && epfd >= 0 && epfd < NFD &&
	    atomic_load(&ep_waker[epfd]) != 0;
}

int
epoll_wait(int epfd, struct epoll_event *evs, int max, int timeout)
{
	if (!faked(epfd) || timeout == 0)
		return real_epoll_wait(epfd, evs, max, timeout);
	return fake(epfd, evs, max, real_epoll_wait(epfd, evs, max, 0));
}

int
epoll_pwait2(int epfd, struct epoll_event *evs, int max,
    const struct timespec *ts, const sigset_t *mask)
{
	if (!faked(epfd) || (ts != NULL && ts->tv_sec == 0 && ts->tv_nsec == 0))
		return real_epoll_pwait2(epfd, evs, max, ts, mask);
	struct timespec zero = { 0, 0 };
	return fake(epfd, evs, max, real_epoll_pwait2(epfd, evs, max, &zero, mask));
}
