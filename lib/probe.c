/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "schedstat.h"
#include "tracesched.h"
#include "sysinfo.h"
#include "uring.h"

static void __attribute__((format(printf, 5, 6)))
fact(struct probe *p, const char *key, int numeric, const char *how,
    const char *fmt, ...)
{
	va_list ap;

	if (p->n == PROBE_MAX)
		return;
	struct probe_fact *f = &p->f[p->n++];
	f->key = key;
	f->numeric = numeric;
	f->how = how;
	va_start(ap, fmt);
	vsnprintf(f->value, sizeof(f->value), fmt, ap);
	va_end(ap);
}

/* fill counts one-byte writes into fd until EAGAIN (at most limit). */
static long
fill(int fd, bool sock, long limit)
{
	long n = 0;

	while (n < limit) {
		ssize_t r = sock ? send(fd, "", 1, MSG_NOSIGNAL | MSG_DONTWAIT) :
		    write(fd, "", 1);
		if (r != 1)
			break;
		n++;
	}
	return n;
}

/*
 * et_rearms: under EPOLLET, does a second write to an already-readable,
 * never-read descriptor raise a second event?  Linux says yes for pipes
 * (again since 5.14), socketpairs and eventfds; illumos, WSL1 and Linux
 * 5.5-5.13 pipes said no, and code that never drains hangs there.
 */
static const char *
et_rearms(int rfd, int wfd, bool counter)
{
	uint64_t one = 1;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out;
	const char *answer = "unknown";
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep == -1 || epoll_ctl(ep, EPOLL_CTL_ADD, rfd, &ev) == -1)
		goto out;
	for (int i = 0; i < 2; i++) {
		if (write(wfd, counter ? (void *)&one : "", counter ? 8 : 1) < 0)
			goto out;
		int n = epoll_wait(ep, &out, 1, 100);
		if (n != 1) {
			answer = i == 0 ? "unknown" : "no";
			goto out;
		}
	}
	answer = "yes";
out:
	if (ep != -1)
		close(ep);
	return answer;
}

/*
 * et_full_pipe: under EPOLLET, does a write to a full pipe that fails with
 * EAGAIN raise an event?  Linux wakes a polled pipe's readers on every
 * write attempt, so a waker that is never read keeps waking its loop even
 * once full; a kernel that did not would strand every poke from then on.
 */
static const char *
et_full_pipe(int rfd, int wfd)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out;
	const char *answer = "unknown";
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep == -1 || fcntl(wfd, F_SETPIPE_SZ, 4096) == -1 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, rfd, &ev) == -1)
		goto out;
	fill(wfd, false, 1L << 20);
	while (epoll_wait(ep, &out, 1, 0) == 1)
		;			/* consume the edges of the fill */
	if (write(wfd, "", 1) != -1 || errno != EAGAIN)
		goto out;
	answer = epoll_wait(ep, &out, 1, 100) == 1 ? "yes" : "no";
out:
	if (ep != -1)
		close(ep);
	return answer;
}

/*
 * schedstat_facts: what the per-trial scheduler and idle counters can
 * read here (lib/schedstat.h), each cpuidle state's exit latency and
 * target residency, perf_event_paranoid and the mitigations.
 */
static void
schedstat_facts(struct probe *p, const struct sysinfo *si)
{
	struct sched_thread t;
	struct sched_cpus c;
	char buf[64];
	int cpu = si->cpus_allowed > 0 ? si->first_cpu : 0;

	schedstat_thread(&t);
	fact(p, "schedstat", 0, "/proc/thread-self/schedstat", "%s",
	    t.delay_ns != SCHED_UNKNOWN ? "yes" : "no");
	fact(p, "sched_migrations", 0, "/proc/thread-self/sched (SCHED_DEBUG)",
	    "%s", t.migrations != SCHED_UNKNOWN ? "yes" : "no");
	schedstat_cpus(&c, &cpu, 1);
	fact(p, "ipi_counts", 0, "/proc/interrupts RES and CAL", "%s",
	    c.ipi_resched != SCHED_UNKNOWN && c.ipi_call != SCHED_UNKNOWN ?
	    "yes" : "no");
	fact(p, "cpuidle_states", 1, "/sys/devices/system/cpu/cpuN/cpuidle",
	    "%u", c.nstates);
	for (unsigned k = 0; k < c.nstates && p->n + 4 < PROBE_MAX; k++) {
		static const char *const key[] = { "cpuidle_state0", "cpuidle_state1",
		    "cpuidle_state2", "cpuidle_state3", "cpuidle_state4",
		    "cpuidle_state5", "cpuidle_state6", "cpuidle_state7",
		    "cpuidle_state8", "cpuidle_state9" };
		fact(p, key[k], 0, "name, exit latency and target residency "
		    "from sysfs", "%s exit_latency_ns=%llu target_residency_ns=%llu",
		    c.state[k].name, (unsigned long long)c.state[k].exit_latency_ns,
		    (unsigned long long)c.state[k].target_residency_ns);
	}
	char path[512];
	FILE *f = fopen(schedstat_path(path, sizeof(path),
	    "/proc/sys/kernel/perf_event_paranoid"), "re");
	if (f != NULL && fgets(buf, sizeof(buf), f) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		fact(p, "perf_event_paranoid", 1, "/proc/sys/kernel/perf_event_paranoid",
		    "%s", buf);
	} else {
		fact(p, "perf_event_paranoid", 0, "/proc/sys/kernel/perf_event_paranoid",
		    "unknown");
	}
	if (f != NULL)
		fclose(f);
	char why[320] = "";
	int e = tracesched_check(cpu, why, sizeof(why));
	fact(p, "sched_tracepoints", 0, "perf_event_open of sched:sched_waking "
	    "(--trace-sched)", "%s%s", e == 0 ? "yes" : "no: ", e == 0 ? "" : why);
	fact(p, "sched_rt_runtime_us", 1, "/proc/sys/kernel/sched_rt_runtime_us "
	    "(RT throttling, --sched)", "%lld", (long long)si->rt_runtime_us);
	fact(p, "mitigations", 0, "/sys/devices/system/cpu/vulnerabilities",
	    "%s", si->mitigations);
}

/* The system's facts, as sysinfo read them. */
static void
probe_system(struct probe *p, const struct sysinfo *si)
{
	fact(p, "kernel", 0, "uname(2)", "%s", si->kernel);
	fact(p, "cpus", 1, "sysconf(_SC_NPROCESSORS_ONLN)", "%d", si->cpus_online);
	fact(p, "cpus_allowed", 0, "sched_getaffinity(2)", "%s", si->cpus_list);
	fact(p, "clock_resolution_ns", 1, "clock_getres(CLOCK_MONOTONIC)",
	    "%llu", (unsigned long long)si->clock_res_ns);
	fact(p, "clocksource", 0, "sysfs", "%s", si->clocksource);
	fact(p, "cpuidle_driver", 0, "sysfs", "%s", si->cpuidle_driver);
	fact(p, "cpuidle_governor", 0, "sysfs", "%s", si->cpuidle_governor);
	fact(p, "cpu_dma_latency_us", 1, "read /dev/cpu_dma_latency", "%lld",
	    (long long)si->dma_latency_us);
	schedstat_facts(p, si);
}

/* Pipes: capacity, F_SETPIPE_SZ, RWF_NOWAIT on a full blocking pipe. */
static void
probe_pipes(struct probe *p, const struct sysinfo *si)
{
	int fds[2];

	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) {
		fact(p, "pipe_default_size", 1, "F_GETPIPE_SZ of a new pipe", "%d",
		    fcntl(fds[1], F_GETPIPE_SZ));
		fact(p, "pipe_capacity_bytes", 1, "1-byte writes until EAGAIN",
		    "%ld", fill(fds[1], false, 1L << 24));
		fact(p, "pipe_buf", 1, "fpathconf(_PC_PIPE_BUF)", "%ld",
		    fpathconf(fds[0], _PC_PIPE_BUF));
		close(fds[0]);
		close(fds[1]);
	}
	fact(p, "pipe_max_size", 1, "/proc/sys/fs/pipe-max-size", "%ld",
	    si->pipe_max_size);
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) {
		if (fcntl(fds[1], F_SETPIPE_SZ, 4096) == -1)
			fact(p, "pipe_setsize_4096_bytes", 0, "F_SETPIPE_SZ 4096",
			    "refused (%s)", strerror(errno));
		else
			fact(p, "pipe_setsize_4096_bytes", 1, "F_SETPIPE_SZ 4096, "
			    "then 1-byte writes until EAGAIN", "%ld",
			    fill(fds[1], false, 1L << 20));
		/* The pipe is full: on a blocking write end, does one
		 * RWF_NOWAIT write say EAGAIN rather than block? */
		struct iovec iov = { (void *)"", 1 };
		fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) & ~O_NONBLOCK);
		ssize_t r = pwritev2(fds[1], &iov, 1, -1, RWF_NOWAIT);
		fact(p, "rwf_nowait_pipe", 0, "pwritev2(RWF_NOWAIT) on a full "
		    "blocking pipe", "%s", r == -1 && errno == EAGAIN ? "yes" :
		    r == -1 && errno == EOPNOTSUPP ? "no" : "unknown");
		close(fds[0]);
		close(fds[1]);
	}
}

/* socketpair's capacity in one-byte pokes. */
static void
probe_socketpair(struct probe *p)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0) {
		int sndbuf = 0;
		socklen_t len = sizeof(sndbuf);
		getsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len);
		fact(p, "socketpair_capacity_writes", 1, "1-byte sends until EAGAIN "
		    "(AF_UNIX SOCK_STREAM)", "%ld", fill(sv[1], true, 1L << 24));
		fact(p, "socketpair_sndbuf", 1, "getsockopt(SO_SNDBUF)", "%d", sndbuf);
		close(sv[0]);
		close(sv[1]);
	}
}

/* eventfd: present, overflow, short writes, EFD_SEMAPHORE. */
static void
probe_eventfd(struct probe *p)
{
	int efd;

	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	fact(p, "eventfd", 0, "eventfd(0, EFD_NONBLOCK|EFD_CLOEXEC)", "%s",
	    efd != -1 ? "yes" : strerror(errno));
	if (efd != -1) {
		uint64_t v = 0xfffffffffffffffeULL, one = 1;
		int ok = write(efd, &v, 8) == 8;
		int full = write(efd, &one, 8) == -1 && errno == EAGAIN;
		int four = write(efd, &one, 4) == -1 && errno == EINVAL;
		fact(p, "eventfd_overflow", 0, "write past 2^64-2", "%s",
		    ok && full ? "EAGAIN" : "unknown");
		fact(p, "eventfd_short_write", 0, "a 4-byte write", "%s",
		    four ? "EINVAL" : "accepted");
		close(efd);
	}
	efd = eventfd(0, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
	if (efd == -1) {
		fact(p, "eventfd_semaphore", 0, "EFD_SEMAPHORE", "no (%s)", strerror(errno));
	} else {
		uint64_t three = 3, got = 0;
		int w = write(efd, &three, 8) == 8;
		int r = read(efd, &got, 8) == 8;
		fact(p, "eventfd_semaphore", 0, "write 3, one read returns 1", "%s",
		    w && r && got == 1 ? "yes" : "no");
		close(efd);
	}
}

/* epoll: the EPOLLET re-arms the never-read presets rely on, and
 * epoll_pwait2. */
static void
probe_epoll(struct probe *p)
{
	int fds[2], sv[2], efd;

	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) {
		fact(p, "epoll_et_rearms_pipe", 0, "EPOLLET, two writes, no read",
		    "%s", et_rearms(fds[0], fds[1], false));
		close(fds[0]);
		close(fds[1]);
	}
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) {
		fact(p, "epoll_et_full_pipe_wakes", 0, "EPOLLET on a full pipe: "
		    "does a write refused with EAGAIN still raise an event",
		    "%s", et_full_pipe(fds[0], fds[1]));
		close(fds[0]);
		close(fds[1]);
	}
	if ((efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) != -1) {
		fact(p, "epoll_et_rearms_eventfd", 0, "EPOLLET, two writes, no read",
		    "%s", et_rearms(efd, efd, true));
		close(efd);
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0) {
		fact(p, "epoll_et_rearms_socketpair", 0, "EPOLLET, two writes, no read",
		    "%s", et_rearms(sv[0], sv[1], false));
		close(sv[0]);
		close(sv[1]);
	}
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep != -1) {
		struct epoll_event out;
		struct timespec ts = { 0, 0 };
		int r = epoll_pwait2(ep, &out, 1, &ts, NULL);
		fact(p, "epoll_pwait2", 0, "epoll_pwait2 with a zero timeout", "%s",
		    r == 0 ? "yes" : errno == ENOSYS ? "no" : strerror(errno));
		close(ep);
	}
}

/* io_uring: the sysctl, and each operation the io_uring waits and
 * wakers use, tried on this kernel (lib/uring.c). */
static void
probe_uring(struct probe *p)
{
	static const char *const key[URING_NOPS] = {
		[URING_SETUP] = "io_uring_setup",
		[URING_POLL_MULTI] = "io_uring_poll_multishot",
		[URING_DEFER_TASKRUN] = "io_uring_defer_taskrun",
		[URING_READ] = "io_uring_read",
		[URING_MSG_RING] = "io_uring_msg_ring",
		[URING_SEND_MSG_RING] = "io_uring_send_msg_ring",
		[URING_FUTEX_WAIT] = "io_uring_futex_wait",
	};
	const struct uring_probe *u = uring_probe_get();

	if (u->disabled >= 0)
		fact(p, "io_uring_disabled", 1, "/proc/sys/kernel/io_uring_disabled",
		    "%d", u->disabled);
	else
		fact(p, "io_uring_disabled", 0, "/proc/sys/kernel/io_uring_disabled",
		    "unknown");
	for (int i = 0; i < URING_NOPS; i++)
		fact(p, key[i], 0, uring_op_name[i], "%s%s%s",
		    u->err[i] == 0 ? "yes" : "no (", u->err[i] == 0 ? "" :
		    strerror(u->err[i]), u->err[i] == 0 ? "" : ")");
}

/* Descriptor limits and the pipe pages a user may hold. */
static void
probe_limits(struct probe *p, const struct sysinfo *si)
{
	char buf[64];

	fact(p, "fd_setsize", 1, "FD_SETSIZE", "%d", FD_SETSIZE);
	fact(p, "nofile_limit", 1, "getrlimit(RLIMIT_NOFILE), soft", "%llu",
	    (unsigned long long)si->nofile_soft);
	fact(p, "nofile_hard_limit", 1, "getrlimit(RLIMIT_NOFILE), hard", "%llu",
	    (unsigned long long)si->nofile_hard);
	FILE *f = fopen("/proc/sys/fs/pipe-user-pages-soft", "re");
	if (f != NULL && fgets(buf, sizeof(buf), f) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		fact(p, "pipe_user_pages_soft", 1, "/proc/sys/fs/pipe-user-pages-soft",
		    "%s", buf);
	}
	if (f != NULL)
		fclose(f);
}

void
probe_run(struct probe *p)
{
	struct sysinfo si;

	memset(p, 0, sizeof(*p));
	sysinfo_read(&si);
	probe_system(p, &si);
	probe_pipes(p, &si);
	probe_socketpair(p);
	probe_eventfd(p);
	probe_epoll(p);
	probe_uring(p);
	probe_limits(p, &si);
}

int
probe_print(FILE *f, const struct probe *p)
{
	for (int i = 0; i < p->n; i++)
		fprintf(f, "%s: %s\n", p->f[i].key, p->f[i].value);
	return ferror(f) ? -1 : 0;
}

static void
jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

int
probe_json(FILE *f, const struct probe *p, const char *version)
{
	fprintf(f, "{\n  \"format\": \"wakebench-probe\",\n  \"format_version\": 1,\n"
	    "  \"version\": ");
	jstr(f, version);
	fprintf(f, ",\n  \"facts\": {");
	for (int i = 0; i < p->n; i++) {
		fprintf(f, "%s\n    ", i ? "," : "");
		jstr(f, p->f[i].key);
		fprintf(f, ": { \"value\": ");
		if (p->f[i].numeric)
			fprintf(f, "%s", p->f[i].value);
		else
			jstr(f, p->f[i].value);
		fprintf(f, ", \"how\": ");
		jstr(f, p->f[i].how);
		fprintf(f, " }");
	}
	fprintf(f, "\n  }\n}\n");
	return ferror(f) ? -1 : 0;
}
