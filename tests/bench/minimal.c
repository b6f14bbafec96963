/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * minimal: the smallest correct program of wakebench's shape, kept as a
 * yardstick for `make bench` (tests/bench/run), never linked with lib/.
 *
 * N producer threads push items on a mutex-protected singly linked list
 * and poke a main thread sleeping in poll(2) through a pipe (one byte) or
 * an eventfd (one 8-byte add).  With -W io_uring the main thread sleeps
 * in io_uring_enter instead, the waker under one multishot poll, or with
 * -m msg-ring each producer pokes from a ring of its own with
 * IORING_OP_MSG_RING (raw system calls, as wakebench's own).  The main thread drains the waker, clears
 * the coalescing flag, takes the whole list and gives the items back to
 * their producers' pools.  It measures only what the comparison needs:
 * items/s consumed in the measured window and the wakeup latency (the
 * stamp taken just before the write that woke the main thread -> poll's
 * return), and checks at the end that every item produced was consumed.
 *
 * usage: minimal [-m pipe|eventfd|msg-ring] [-W poll|io_uring]
 *                [-P always|coalesce] [-p N] [-r N|max] [-d SECONDS] [-w SECONDS]
 *
 * Prints one line of key=value pairs on stdout (waits: the main thread's
 * waits, wakeups: those that found the waker ready, over the whole run).  Exit 0, 1 when items were
 * lost or a system call failed, 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define POOL_ITEMS	16384	/* items one producer may have in flight */
#define TIMEOUT_MS	50	/* poll timeout: bounds the end of the run */

struct item {
	struct item *next;
	uint64_t enq_ns;	/* just before the push */
	uint32_t producer;
};

struct producer {
	/* Items the main thread gave back: a stack it pushes to and the
	 * producer empties with one exchange (no ABA: one side only pops
	 * everything). */
	alignas(64) _Atomic(struct item *) returned;
	alignas(64) struct item *free;	/* producer only */
	struct item *mem;
	uint64_t produced;		/* read by main after the join */
	unsigned id;
	pthread_t tid;
};

static bool use_eventfd, use_uring, use_msg, coalesce;
static unsigned nprod = 1;
static uint64_t rate;			/* items/s per producer, 0 = max */
static uint64_t t0, ms, me;		/* start, measured window [ms, me) */

static int rfd, wfd;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct item *head, *tail;
static alignas(64) atomic_int pending;	/* coalesce: a write is on its way */
static alignas(64) _Atomic uint64_t poke_ns;	/* first write since the drain */
static atomic_uint done;		/* producers finished */

static void
die(const char *what)
{
	fprintf(stderr, "minimal: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
sleep_until(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000u),
	    .tv_nsec = (long)(ns % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* A ring: one mapping for SQ and CQ (IORING_FEAT_SINGLE_MMAP), one for
 * the SQEs, an identity index array. */
struct ring {
	int fd;
	unsigned *sq_tail, *sq_array, sq_mask;
	unsigned *cq_head, *cq_tail, cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

#define UD_WAKER	1	/* the waker's poll, or a message */
static struct ring main_ring;
static unsigned armed;			/* SQEs main has submitted */
static _Thread_local struct ring own;	/* a msg-ring producer's */

static void
ring_open(struct ring *r)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	if ((r->fd = (int)syscall(__NR_io_uring_setup, 8, &p)) == -1)
		die("io_uring_setup");
	size_t len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.sq_off.array + p.sq_entries * sizeof(unsigned) > len)
		len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
	    r->fd, IORING_OFF_SQ_RING);
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (m == MAP_FAILED || r->sqes == MAP_FAILED)
		die("mmap");
	r->sq_tail = (unsigned *)(m + p.sq_off.tail);
	r->sq_array = (unsigned *)(m + p.sq_off.array);
	r->sq_mask = *(unsigned *)(m + p.sq_off.ring_mask);
	r->cq_head = (unsigned *)(m + p.cq_off.head);
	r->cq_tail = (unsigned *)(m + p.cq_off.tail);
	r->cq_mask = *(unsigned *)(m + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(m + p.cq_off.cqes);
	for (unsigned i = 0; i < p.sq_entries; i++)
		r->sq_array[i] = i;
}

/* ring_sqe: the next SQE, zeroed and published at once (one at a time:
 * the caller enters before it asks for another). */
static struct io_uring_sqe *
ring_sqe(struct ring *r)
{
	unsigned t = *r->sq_tail;
	struct io_uring_sqe *sqe = &r->sqes[t & r->sq_mask];

	memset(sqe, 0, sizeof(*sqe));
	__atomic_store_n(r->sq_tail, t + 1, __ATOMIC_RELEASE);
	return sqe;
}

/* ring_enter: submit n and wait for one completion or timeout_ns. */
static void
ring_enter(struct ring *r, unsigned n, uint64_t timeout_ns)
{
	struct __kernel_timespec ts = { .tv_sec = (long long)(timeout_ns / 1000000000u),
	    .tv_nsec = (long long)(timeout_ns % 1000000000u) };
	struct io_uring_getevents_arg arg = { .ts = (uint64_t)(uintptr_t)&ts };

	if (syscall(__NR_io_uring_enter, r->fd, n, 1, IORING_ENTER_GETEVENTS |
	    IORING_ENTER_EXT_ARG, &arg, sizeof(arg)) == -1 &&
	    errno != ETIME && errno != EINTR)
		die("io_uring_enter");
}

static void
arm_poll(void)
{
	struct io_uring_sqe *sqe = ring_sqe(&main_ring);

	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = rfd;
	sqe->poll32_events = POLLIN;
	sqe->len = IORING_POLL_ADD_MULTI;
	sqe->user_data = UD_WAKER;
}

/* message: one MSG_RING from this producer's ring into the main ring,
 * submitted and its own completion reaped in one enter. */
static void
message(void)
{
	if (own.sqes == NULL)
		ring_open(&own);
	struct io_uring_sqe *sqe = ring_sqe(&own);
	sqe->opcode = IORING_OP_MSG_RING;
	sqe->fd = main_ring.fd;
	sqe->addr = IORING_MSG_DATA;
	sqe->off = UD_WAKER;
	ring_enter(&own, 1, 1000000000u);
	unsigned h = *own.cq_head;
	if (h == __atomic_load_n(own.cq_tail, __ATOMIC_ACQUIRE))
		return;
	if (own.cqes[h & own.cq_mask].res < 0) {
		errno = -own.cqes[h & own.cq_mask].res;
		die("IORING_OP_MSG_RING");
	}
	__atomic_store_n(own.cq_head, h + 1, __ATOMIC_RELEASE);
}

/* wake: one write to the waker.  EAGAIN (pipe full) is harmless: the
 * waker is readable already. */
static void
wake(void)
{
	uint64_t one = 1;
	ssize_t n;

	if (use_msg) {
		message();
		return;
	}
	do
		n = use_eventfd ? write(wfd, &one, sizeof(one)) : write(wfd, "x", 1);
	while (n == -1 && errno == EINTR);
	if (n == -1 && errno != EAGAIN)
		die("write");
}

/* poke: after the push.  The first writer since the drain stamps the
 * time just before its write: that write is the one that wakes main. */
static void
poke(void)
{
	uint64_t zero = 0;

	if (coalesce && atomic_exchange(&pending, 1) != 0)
		return;
	if (atomic_load_explicit(&poke_ns, memory_order_relaxed) == 0)
		atomic_compare_exchange_strong(&poke_ns, &zero, now_ns());
	wake();
}

static struct item *
get_item(struct producer *pr)
{
	while (pr->free == NULL) {
		pr->free = atomic_exchange_explicit(&pr->returned, NULL,
		    memory_order_acquire);
		if (pr->free == NULL)	/* all in flight: main is behind */
			sleep_until(now_ns() + 20000);
	}
	struct item *it = pr->free;
	pr->free = it->next;
	return it;
}

static void *
producer_main(void *arg)
{
	struct producer *pr = arg;
	/* Spread the producers' slots over one period. */
	uint64_t phase = rate ? 1000000000u / rate * pr->id / nprod : 0;

	for (uint64_t slot = 0;; slot++) {
		if (rate != 0) {
			/* Absolute schedule: a late slot does not push
			 * the later ones back. */
			uint64_t due = t0 + phase + slot / rate * 1000000000u +
			    slot % rate * 1000000000u / rate;
			if (due >= me)
				break;
			if (now_ns() < due)
				sleep_until(due);
		} else if (now_ns() >= me) {
			break;
		}
		struct item *it = get_item(pr);
		it->producer = pr->id;
		it->next = NULL;
		it->enq_ns = now_ns();
		pthread_mutex_lock(&lock);
		if (head == NULL)
			head = it;
		else
			tail->next = it;
		tail = it;
		pthread_mutex_unlock(&lock);
		poke();
		pr->produced++;
	}
	atomic_fetch_add(&done, 1);
	wake();		/* so main notices the end without a timeout */
	return NULL;
}

/* wait_ring: io_uring_enter once (submitting a re-arm if the kernel
 * ended the multishot poll), then reap: 1 when the waker's poll or a
 * message completed, else 0. */
static int
wait_ring(bool last)
{
	unsigned submit = *main_ring.sq_tail - armed;
	int ready = 0;

	armed = *main_ring.sq_tail;
	ring_enter(&main_ring, submit, last ? 0 : TIMEOUT_MS * 1000000ull);
	unsigned h = *main_ring.cq_head;
	for (; h != __atomic_load_n(main_ring.cq_tail, __ATOMIC_ACQUIRE); h++) {
		struct io_uring_cqe *c = &main_ring.cqes[h & main_ring.cq_mask];
		if (c->user_data != UD_WAKER)
			continue;
		ready = 1;
		if (!use_msg && !(c->flags & IORING_CQE_F_MORE))
			arm_poll();
	}
	__atomic_store_n(main_ring.cq_head, h, __ATOMIC_RELEASE);
	return ready;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* pct: nearest-rank percentile of the sorted v[0..n). */
static uint64_t
pct(const uint64_t *v, size_t n, double p)
{
	if (n == 0)
		return 0;
	size_t k = (size_t)(p * (double)n + 0.999999);
	return v[k == 0 ? 0 : k - 1];
}

static void
usage(void)
{
	fprintf(stderr, "usage: minimal [-m pipe|eventfd|msg-ring] [-W poll|io_uring] "
	    "[-P always|coalesce] [-p N] [-r N|max] [-d SECONDS] [-w SECONDS]\n");
	exit(2);
}

static double
seconds(const char *opt, const char *s, double lo, double hi)
{
	char *end;

	errno = 0;
	double v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi)) {
		fprintf(stderr, "minimal: -%s: %s: must be seconds from %g to %g\n",
		    opt, s, lo, hi);
		exit(2);
	}
	return v;
}

static uint64_t
count(const char *opt, const char *s, uint64_t lo, uint64_t hi)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || v < lo || v > hi) {
		fprintf(stderr, "minimal: -%s: %s: must be between %llu and %llu\n",
		    opt, s, (unsigned long long)lo, (unsigned long long)hi);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	double dur = 1, warm = 0.2;
	int ch;

	while ((ch = getopt(argc, argv, "d:m:P:p:r:W:w:")) != -1) {
		switch (ch) {
		case 'd':
			dur = seconds("d", optarg, 0.001, 3600);
			break;
		case 'm':
			if (strcmp(optarg, "pipe") != 0 && strcmp(optarg, "eventfd") != 0 &&
			    strcmp(optarg, "msg-ring") != 0) {
				fprintf(stderr, "minimal: -m: %s: pipe, eventfd or msg-ring\n", optarg);
				exit(2);
			}
			use_eventfd = optarg[0] == 'e';
			use_msg = optarg[0] == 'm';
			break;
		case 'W':
			if (strcmp(optarg, "poll") != 0 && strcmp(optarg, "io_uring") != 0) {
				fprintf(stderr, "minimal: -W: %s: poll or io_uring\n", optarg);
				exit(2);
			}
			use_uring = optarg[0] == 'i';
			break;
		case 'P':
			if (strcmp(optarg, "always") != 0 && strcmp(optarg, "coalesce") != 0) {
				fprintf(stderr, "minimal: -P: %s: always or coalesce\n", optarg);
				exit(2);
			}
			coalesce = optarg[0] == 'c';
			break;
		case 'p':
			nprod = (unsigned)count("p", optarg, 1, 4096);
			break;
		case 'r':
			rate = strcmp(optarg, "max") == 0 ? 0 :
			    count("r", optarg, 1, 100000000);
			break;
		case 'w':
			warm = seconds("w", optarg, 0, 3600);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (use_msg && !use_uring) {
		fprintf(stderr, "minimal: -m msg-ring: needs -W io_uring\n");
		exit(2);
	}

	if (use_eventfd) {
		if ((rfd = wfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
			die("eventfd");
	} else {
		int p[2];
		if (pipe2(p, O_NONBLOCK | O_CLOEXEC) == -1)
			die("pipe2");
		rfd = p[0];
		wfd = p[1];
	}

	if (use_uring) {
		ring_open(&main_ring);
		if (!use_msg)
			arm_poll();
	}

	struct producer *prod = calloc(nprod, sizeof(*prod));
	if (prod == NULL)
		die("calloc");
	for (unsigned i = 0; i < nprod; i++) {
		prod[i].id = i;
		if ((prod[i].mem = calloc(POOL_ITEMS, sizeof(struct item))) == NULL)
			die("calloc");
		for (size_t k = 0; k < POOL_ITEMS; k++)
			prod[i].mem[k].next = k + 1 < POOL_ITEMS ? &prod[i].mem[k + 1] : NULL;
		prod[i].free = prod[i].mem;
	}
	/* Per producer, the chain of items to give back after one take. */
	struct item **ret_head = calloc(nprod, sizeof(*ret_head));
	struct item **ret_tail = calloc(nprod, sizeof(*ret_tail));
	size_t nsamp = 0, capsamp = 4096;
	uint64_t *samp = malloc(capsamp * sizeof(*samp));
	if (ret_head == NULL || ret_tail == NULL || samp == NULL)
		die("malloc");

	t0 = now_ns();
	ms = t0 + (uint64_t)(warm * 1e9);
	me = ms + (uint64_t)(dur * 1e9);
	for (unsigned i = 0; i < nprod; i++)
		if ((errno = pthread_create(&prod[i].tid, NULL, producer_main,
		    &prod[i])) != 0)
			die("pthread_create");

	uint64_t consumed = 0, items = 0, waits = 0, wakeups = 0;
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	bool last = false;
	for (;;) {
		/* One more turn after the last producer's end, to take what
		 * it queued before it said so. */
		if (atomic_load(&done) == nprod) {
			if (last)
				break;
			last = true;
		}
		uint64_t t_enter = now_ns();
		int n = use_uring ? wait_ring(last) : poll(&pfd, 1, last ? 0 : TIMEOUT_MS);
		uint64_t t_ret = now_ns();
		if (n == -1 && errno != EINTR)
			die("poll");
		waits++;
		if (n > 0) {
			wakeups++;
			/* Only a write stamped after we entered poll woke us:
			 * an earlier one found us awake (it would read ~0). */
			uint64_t fp = atomic_load_explicit(&poke_ns,
			    memory_order_relaxed);
			if (fp >= t_enter && fp <= t_ret && t_ret >= ms && t_ret < me) {
				if (nsamp == capsamp) {
					capsamp *= 2;
					if ((samp = realloc(samp, capsamp * sizeof(*samp))) == NULL)
						die("realloc");
				}
				samp[nsamp++] = t_ret - fp;
			}
			/* Drain first, then clear the flag, then take: a poke
			 * landing after the drain leaves the waker readable,
			 * and a producer that found the flag set pushed before
			 * the clear, so before the take. */
			if (use_msg) {
				;	/* the messages were the completions */
			} else if (use_eventfd) {
				uint64_t v;
				if (read(rfd, &v, sizeof(v)) == -1 && errno != EAGAIN)
					die("read");
			} else {
				/* Until EAGAIN, or a short read, which proves
				 * the pipe was empty (as wakebench's drain all
				 * stops): one syscall fewer per wakeup. */
				char buf[4096];
				ssize_t r;
				while ((r = read(rfd, buf, sizeof(buf))) == (ssize_t)sizeof(buf) ||
				    (r == -1 && errno == EINTR))
					;
				if (r == -1 && errno != EAGAIN)
					die("read");
			}
			atomic_store_explicit(&poke_ns, 0, memory_order_relaxed);
			atomic_store(&pending, 0);
		}
		pthread_mutex_lock(&lock);
		struct item *list = head;
		head = tail = NULL;
		pthread_mutex_unlock(&lock);

		for (struct item *it = list, *next; it != NULL; it = next) {
			next = it->next;
			if (it->enq_ns >= ms && it->enq_ns < me)
				items++;
			consumed++;
			uint32_t p = it->producer;
			it->next = ret_head[p];
			if (ret_head[p] == NULL)
				ret_tail[p] = it;
			ret_head[p] = it;
		}
		for (unsigned p = 0; p < nprod && list != NULL; p++) {
			if (ret_head[p] == NULL)
				continue;
			struct item *old = atomic_load_explicit(&prod[p].returned,
			    memory_order_relaxed);
			do
				ret_tail[p]->next = old;
			while (!atomic_compare_exchange_weak_explicit(&prod[p].returned,
			    &old, ret_head[p], memory_order_release,
			    memory_order_relaxed));
			ret_head[p] = NULL;
		}
	}

	uint64_t produced = 0;
	for (unsigned i = 0; i < nprod; i++) {
		if ((errno = pthread_join(prod[i].tid, NULL)) != 0)
			die("pthread_join");
		produced += prod[i].produced;
	}
	qsort(samp, nsamp, sizeof(*samp), cmp_u64);
	printf("items_per_s=%.0f items=%llu wake_samples=%zu wake_p50_ns=%llu "
	    "wake_p99_ns=%llu produced=%llu consumed=%llu waits=%llu wakeups=%llu\n",
	    (double)items / dur, (unsigned long long)items, nsamp,
	    (unsigned long long)pct(samp, nsamp, 0.50),
	    (unsigned long long)pct(samp, nsamp, 0.99),
	    (unsigned long long)produced, (unsigned long long)consumed,
	    (unsigned long long)waits, (unsigned long long)wakeups);
	for (unsigned i = 0; i < nprod; i++)
		free(prod[i].mem);
	free(prod);
	free(ret_head);
	free(ret_tail);
	free(samp);
	if (produced != consumed) {
		fprintf(stderr, "minimal: %llu items produced, %llu consumed\n",
		    (unsigned long long)produced, (unsigned long long)consumed);
		return 1;
	}
	return 0;
}
