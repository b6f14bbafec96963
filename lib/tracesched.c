/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "tracesched.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "rt.h"

/* ---- the joiner ---- */

void
ts_join_init(struct ts_join *j)
{
	j->on_cpu = -1;
	j->cut = 0;
	j->n = 0;
	j->joined = j->unjoined = 0;
	hist_reset(&j->kernel);
	hist_reset(&j->sched);
	hist_reset(&j->ret);
}

static void
apply(struct ts_join *j, const struct ts_event *e)
{
	if (e->kind == TS_SWITCH_IN)
		j->on_cpu = 1;
	else if (e->kind == TS_SWITCH_OUT)
		j->on_cpu = 0;
}

/* consume drops the first k events, their switches applied. */
static void
consume(struct ts_join *j, size_t k)
{
	for (size_t i = 0; i < k; i++)
		apply(j, &j->ev[i]);
	memmove(j->ev, j->ev + k, (j->n - k) * sizeof(j->ev[0]));
	j->n -= k;
}

void
ts_join_event(struct ts_join *j, uint64_t time, enum ts_kind kind)
{
	if (j->n == TS_EVENTS_MAX) {
		/* Bounded: the oldest goes, and every sample that began
		 * before it can no longer be joined (ts_join_sample). */
		j->cut = j->ev[0].time;
		consume(j, 1);
	}
	/* Insertion from the end: each CPU's buffer is in time order, so
	 * an event moves back past a few of other CPUs' at most. */
	size_t i = j->n;
	while (i > 0 && j->ev[i - 1].time > time) {
		j->ev[i] = j->ev[i - 1];
		i--;
	}
	j->ev[i] = (struct ts_event){ time, kind };
	j->n++;
}

bool
ts_join_sample(struct ts_join *j, uint64_t poke_ns, uint64_t ret_ns)
{
	size_t i = 0, w = SIZE_MAX, s = SIZE_MAX;
	int on_at_waking = -1;
	bool ok;

	/* Before the poke: only the thread's state matters. */
	while (i < j->n && j->ev[i].time < poke_ns)
		apply(j, &j->ev[i++]);
	int state = j->on_cpu;
	for (size_t k = i; k < j->n && j->ev[k].time <= ret_ns; k++) {
		const struct ts_event *e = &j->ev[k];
		if (w == SIZE_MAX && e->kind == TS_WAKING) {
			w = k;
			on_at_waking = state;
		} else if (w != SIZE_MAX && s == SIZE_MAX && e->kind == TS_SWITCH_IN) {
			s = k;
		}
		if (e->kind == TS_SWITCH_IN)
			state = 1;
		else if (e->kind == TS_SWITCH_OUT)
			state = 0;
	}
	ok = w != SIZE_MAX && poke_ns > j->cut &&
	    (on_at_waking == 1 || s != SIZE_MAX);
	if (ok) {
		uint64_t tw = j->ev[w].time;
		/* Still on its CPU when woken: it never queued. */
		uint64_t tin = on_at_waking == 1 ? tw : j->ev[s].time;
		hist_record(&j->kernel, tw - poke_ns);
		hist_record(&j->sched, tin - tw);
		hist_record(&j->ret, ret_ns - tin);
		j->joined++;
	} else {
		j->unjoined++;
	}
	size_t k = i;
	while (k < j->n && j->ev[k].time <= ret_ns)
		k++;
	consume(j, k);
	return ok;
}

/* num: the decimal number at s, or -1 (the files hold small integers). */
static int
num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return end == s || v < -1000000 || v > 1000000 ? -1 : (int)v;
}

int
ts_format_field(const char *text, const char *name, int *offset, int *size)
{
	size_t nl = strlen(name);

	for (const char *p = strstr(text, "field:"); p != NULL;
	    p = strstr(p + 1, "field:")) {
		const char *semi = strchr(p, ';');
		if (semi == NULL)
			break;
		/* The declaration's last word is the name: "pid_t pid". */
		const char *end = semi;
		const char *br = memchr(p, '[', (size_t)(semi - p));
		if (br != NULL)
			end = br;
		const char *b = end;
		while (b > p && b[-1] != ' ' && b[-1] != ':')
			b--;
		if ((size_t)(end - b) != nl || strncmp(b, name, nl) != 0)
			continue;
		const char *o = strstr(semi, "offset:"), *z = strstr(semi, "size:");
		const char *eol = strchr(semi, '\n');
		if (o == NULL || z == NULL || (eol != NULL && (o > eol || z > eol)))
			return ENOENT;
		*offset = num(o + 7);
		*size = num(z + 5);
		return *offset < 0 || *size <= 0 ? ENOENT : 0;
	}
	return ENOENT;
}

/* ---- the kernel side ---- */

#define RING_PAGES	256		/* data pages per CPU: 1 MiB */
#define SAMPLES_MAX	(1u << 16)	/* samples waiting for the aux thread */
#define PUMP_NS		(5 * 1000000ULL)

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing/events/sched",
	"/sys/kernel/debug/tracing/events/sched",
};

/* One tracepoint: its id and the raw fields we read. */
struct tp {
	int id;
	int off_a, size_a;	/* pid, or prev_pid */
	int off_b, size_b;	/* next_pid (switch only) */
};

struct cpu_ring {
	int fd_switch, fd_waking;
	void *base;
	size_t len;
};

struct tracesched {
	int tid;
	struct tp waking, sw;
	struct cpu_ring *ring;
	int nring;
	size_t page;
	pthread_t aux;
	bool aux_running;
	atomic_bool stop;
	/* The main thread's samples: a single-producer ring. */
	_Atomic uint64_t head, tail, overflow;
	uint64_t (*samples)[2];
	uint64_t lost;
	struct ts_join join;	/* the aux thread's alone until it is joined */
};

static int
read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = 0, got = 0;

	if (fd == -1)
		return errno;
	while ((size_t)got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	int e = n < 0 ? errno : 0;
	close(fd);
	buf[got] = '\0';
	return e;
}

/*
 * load_tp reads one tracepoint's id and fields under the first tracefs
 * root that has it.  0, or an errno value with why naming the path.
 */
static int
load_tp(const char *event, const char *a, const char *b, struct tp *tp,
    char *why, size_t len)
{
	char path[256], text[8192];
	int e = ENOENT;

	for (size_t r = 0; r < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]); r++) {
		snprintf(path, sizeof(path), "%s/%s/id", tracefs_roots[r], event);
		if ((e = read_file(path, text, sizeof(text))) == 0)
			break;
		/* Report the first root: it is where tracefs belongs. */
		if (r == 0)
			snprintf(why, len, "%s: %s%s", path, strerror(e),
			    e == ENOENT ? " (tracefs not mounted there, nor under "
			    "/sys/kernel/debug/tracing)" : e == EACCES ?
			    " (tracefs is root's: needs root)" : "");
	}
	if (e != 0)
		return e;
	if ((tp->id = num(text)) < 0) {
		snprintf(why, len, "%s: not a tracepoint id", path);
		return EINVAL;
	}
	snprintf(path + strlen(path) - 2, 8, "format");
	if ((e = read_file(path, text, sizeof(text))) != 0) {
		snprintf(why, len, "%s: %s", path, strerror(e));
		return e;
	}
	if (ts_format_field(text, a, &tp->off_a, &tp->size_a) != 0 ||
	    (b != NULL && ts_format_field(text, b, &tp->off_b, &tp->size_b) != 0) ||
	    tp->size_a != 4 || (b != NULL && tp->size_b != 4)) {
		snprintf(why, len, "%s: no 4-byte field %s%s%s", path, a,
		    b ? " or " : "", b ? b : "");
		return ENOENT;
	}
	return 0;
}

static int
paranoid(void)
{
	char buf[32];

	return read_file("/proc/sys/kernel/perf_event_paranoid", buf,
	    sizeof(buf)) == 0 ? num(buf) : 99;
}

static int
open_tp(const struct tp *tp, int cpu, int *fd)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.size = sizeof(a);
	a.config = (uint64_t)tp->id;
	a.sample_period = 1;
	a.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW;
	/* The clock the main thread stamps with, so times compare. */
	a.use_clockid = 1;
	a.clockid = CLOCK_MONOTONIC;
	*fd = (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1,
	    PERF_FLAG_FD_CLOEXEC);
	return *fd == -1 ? errno : 0;
}

static void
open_why(int e, char *why, size_t len)
{
	snprintf(why, len, "perf_event_open sched tracepoints: %s (needs root "
	    "or CAP_PERFMON; kernel.perf_event_paranoid is %d)", strerror(e),
	    paranoid());
}

int
tracesched_check(int cpu, char *why, size_t len)
{
	struct tp w, s;
	int fd, e;

	if ((e = load_tp("sched_waking", "pid", NULL, &w, why, len)) != 0 ||
	    (e = load_tp("sched_switch", "prev_pid", "next_pid", &s, why, len)) != 0)
		return e;
	if ((e = open_tp(&w, cpu, &fd)) != 0) {
		open_why(e, why, len);
		return e;
	}
	close(fd);
	return 0;
}

static int
open_ring(struct tracesched *ts, struct cpu_ring *r, int cpu)
{
	int e;

	r->fd_switch = r->fd_waking = -1;
	r->base = MAP_FAILED;
	/* No PERF_EVENT_IOC_SET_FILTER: "prev_pid == T || next_pid == T"
	 * was seen to drop most switches into a SCHED_FIFO main thread
	 * (Linux 6.18), so every switch on the CPU comes, and record()
	 * keeps the main thread's. */
	if ((e = open_tp(&ts->sw, cpu, &r->fd_switch)) != 0 ||
	    (e = open_tp(&ts->waking, cpu, &r->fd_waking)) != 0)
		return e;
	r->len = (1 + RING_PAGES) * ts->page;
	r->base = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_SHARED,
	    r->fd_switch, 0);
	if (r->base == MAP_FAILED)
		return errno;
	/* One buffer per CPU: the waking events go to the switch's. */
	if (ioctl(r->fd_waking, PERF_EVENT_IOC_SET_OUTPUT, r->fd_switch) != 0)
		return errno;
	return 0;
}

static uint32_t
rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* record: one sample's raw tracepoint data, as the joiner's events. */
static void
record(struct tracesched *ts, uint64_t time, const unsigned char *raw,
    uint32_t size)
{
	uint16_t type;
	int tid = ts->tid;

	if (size < 2)
		return;
	memcpy(&type, raw, sizeof(type));
	if (type == ts->waking.id && (uint32_t)ts->waking.off_a + 4 <= size) {
		if ((int)rd32(raw + ts->waking.off_a) == tid)
			ts_join_event(&ts->join, time, TS_WAKING);
	} else if (type == ts->sw.id && (uint32_t)ts->sw.off_b + 4 <= size &&
	    (uint32_t)ts->sw.off_a + 4 <= size) {
		if ((int)rd32(raw + ts->sw.off_a) == tid)
			ts_join_event(&ts->join, time, TS_SWITCH_OUT);
		if ((int)rd32(raw + ts->sw.off_b) == tid)
			ts_join_event(&ts->join, time, TS_SWITCH_IN);
	}
}

/* drain_ring reads every record in one CPU's buffer. */
static void
drain_ring(struct tracesched *ts, struct cpu_ring *r)
{
	struct perf_event_mmap_page *mp = r->base;
	const unsigned char *data = (const unsigned char *)r->base + ts->page;
	uint64_t size = (uint64_t)RING_PAGES * ts->page;
	uint64_t head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = mp->data_tail;
	unsigned char rec[4096];

	while (tail < head) {
		struct perf_event_header h;
		for (size_t i = 0; i < sizeof(h); i++)
			((unsigned char *)&h)[i] = data[(tail + i) % size];
		if (h.size < sizeof(h) || h.size > sizeof(rec))
			break;
		for (size_t i = 0; i < h.size; i++)
			rec[i] = data[(tail + i) % size];
		tail += h.size;
		if (h.type == PERF_RECORD_LOST && h.size >= 24) {
			uint64_t n;
			memcpy(&n, rec + 16, sizeof(n));
			ts->lost += n;
		} else if (h.type == PERF_RECORD_SAMPLE && h.size >= 28) {
			/* TID (pid, tid), TIME, then RAW: size and data. */
			uint64_t time;
			memcpy(&time, rec + 16, sizeof(time));
			uint32_t rs = rd32(rec + 24);
			if (28 + (size_t)rs <= h.size)
				record(ts, time, rec + 28, rs);
		}
	}
	__atomic_store_n(&mp->data_tail, head, __ATOMIC_RELEASE);
}

/*
 * pump: the samples handed over so far, joined.  Their events are all in
 * the buffers by now (each was written before the main thread ran on
 * after its wait), so the samples are taken first, then the buffers read.
 */
static void
pump(struct tracesched *ts)
{
	uint64_t head = atomic_load_explicit(&ts->head, memory_order_acquire);
	uint64_t tail = atomic_load_explicit(&ts->tail, memory_order_relaxed);

	for (int i = 0; i < ts->nring; i++)
		drain_ring(ts, &ts->ring[i]);
	for (; tail < head; tail++) {
		const uint64_t *s = ts->samples[tail % SAMPLES_MAX];
		ts_join_sample(&ts->join, s[0], s[1]);
	}
	atomic_store_explicit(&ts->tail, tail, memory_order_release);
}

static void *
aux_main(void *arg)
{
	struct tracesched *ts = arg;

	while (!atomic_load_explicit(&ts->stop, memory_order_acquire)) {
		clock_sleep_until(clock_ns() + PUMP_NS);
		pump(ts);
	}
	pump(ts);
	return NULL;
}

void
tracesched_sample(struct tracesched *ts, uint64_t poke_ns, uint64_t ret_ns)
{
	uint64_t head = atomic_load_explicit(&ts->head, memory_order_relaxed);

	if (head - atomic_load_explicit(&ts->tail, memory_order_acquire) >=
	    SAMPLES_MAX) {
		atomic_fetch_add_explicit(&ts->overflow, 1, memory_order_relaxed);
		return;
	}
	ts->samples[head % SAMPLES_MAX][0] = poke_ns;
	ts->samples[head % SAMPLES_MAX][1] = ret_ns;
	atomic_store_explicit(&ts->head, head + 1, memory_order_release);
}

static void
free_ts(struct tracesched *ts)
{
	for (int i = 0; i < ts->nring; i++) {
		struct cpu_ring *r = &ts->ring[i];
		if (r->base != MAP_FAILED)
			munmap(r->base, r->len);
		if (r->fd_waking != -1)
			close(r->fd_waking);
		if (r->fd_switch != -1)
			close(r->fd_switch);
	}
	free(ts->ring);
	free(ts->samples);
	free(ts);
}

int
tracesched_open(struct tracesched **out, int tid, const int *cpus, int ncpus,
    int policy, int prio, char *why, size_t len)
{
	struct tracesched *ts = calloc(1, sizeof(*ts));
	int e;

	if (ts == NULL)
		return ENOMEM;
	ts->tid = tid;
	ts->page = (size_t)sysconf(_SC_PAGESIZE);
	ts_join_init(&ts->join);
	atomic_init(&ts->head, 0);
	atomic_init(&ts->tail, 0);
	atomic_init(&ts->overflow, 0);
	atomic_init(&ts->stop, false);
	if ((e = load_tp("sched_waking", "pid", NULL, &ts->waking, why, len)) != 0 ||
	    (e = load_tp("sched_switch", "prev_pid", "next_pid", &ts->sw, why,
	    len)) != 0) {
		free_ts(ts);
		return e;
	}
	if ((ts->samples = calloc(SAMPLES_MAX, sizeof(*ts->samples))) == NULL ||
	    (ts->ring = calloc((size_t)ncpus, sizeof(*ts->ring))) == NULL) {
		free_ts(ts);
		return ENOMEM;
	}
	for (int i = 0; i < ncpus; i++) {
		ts->nring = i + 1;
		if ((e = open_ring(ts, &ts->ring[i], cpus[i])) != 0) {
			open_why(e, why, len);
			free_ts(ts);
			return e;
		}
	}
	/* Signals are the main thread's (its wait must return EINTR). */
	pthread_attr_t attr;
	sigset_t all;
	sigfillset(&all);
	pthread_attr_init(&attr);
	pthread_attr_setsigmask_np(&attr, &all);
	if ((e = rt_attr(&attr, policy, prio)) == 0)
		e = pthread_create(&ts->aux, &attr, aux_main, ts);
	pthread_attr_destroy(&attr);
	if (e != 0) {
		snprintf(why, len, "pthread_create: %s", strerror(e));
		free_ts(ts);
		return e;
	}
	*out = ts;
	return 0;
}

void
tracesched_close(struct tracesched *ts, struct hist *kernel, struct hist *sched,
    struct hist *ret, struct tracesched_result *r)
{
	atomic_store_explicit(&ts->stop, true, memory_order_release);
	pthread_join(ts->aux, NULL);
	hist_merge(kernel, &ts->join.kernel);
	hist_merge(sched, &ts->join.sched);
	hist_merge(ret, &ts->join.ret);
	r->joined = ts->join.joined;
	r->unjoined = ts->join.unjoined + atomic_load(&ts->overflow);
	r->lost = ts->lost;
	free_ts(ts);
}
