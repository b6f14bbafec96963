/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * The client side of the loopback traffic, in a child process (see net.h
 * for why).  Each thread owns a share of the connections and its own epoll
 * loop; it sends one request per connection every 1/rate seconds, the
 * connections' slots spread evenly over the period, on an absolute
 * schedule (open loop), pipelining when replies are late.  Round trips
 * count from the scheduled send, so a stalled server shows.
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "schedstat.h"

#define RING	256	/* outstanding requests per connection */

struct cconn {
	int fd;
	uint64_t out;		/* request bytes still to send */
	uint64_t in;		/* reply bytes received toward the oldest request */
	uint64_t sched[RING];	/* due times of outstanding requests */
	unsigned head, n;
	bool want_out;
};

struct cthread {
	pthread_t tid;
	struct cshared *sh;
	struct cconn *c;
	unsigned n;
	struct cconn **byfd;	/* descriptor -> connection */
	int nbyfd;
	uint64_t phase;
	struct waitset ws;	/* its epoll set, open once ev is allocated */
	struct wait_event *ev;
	/* The schedule and the window, client_run's. */
	uint64_t period, slot, last, delay0;
	bool in_window;
	struct net_result r;
};

enum { WAITING, GO, STOP };

struct cshared {
	const struct net_client_conf *conf;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned ready;		/* threads done connecting */
	int state;		/* WAITING, then GO or STOP */
	uint64_t t0, ms, me;
	atomic_bool stop;
	char zeros[16384];
};

/* run_delay_ns: the calling thread's run-queue delay so far, or
 * SCHED_UNKNOWN (lib/schedstat.h). */
static uint64_t
run_delay_ns(void)
{
	struct sched_thread s;

	schedstat_thread(&s);
	return s.delay_ns;
}

static int
connect_one(uint16_t port, int *out)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = htons(port) };
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd == -1)
		return errno;
	/* Blocking connect: setup, before any schedule starts. */
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		if (errno == EINTR)
			continue;
		int e = errno;
		close(fd);
		return e;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	*out = fd;
	return 0;
}

static void
fail(struct net_result *r, int e, const char *step)
{
	if (r->error == 0) {
		r->error = e;
		strncpy(r->step, step, sizeof(r->step) - 1);
	}
}

static void
send_some(struct cthread *t, struct cconn *c, struct waitset *ws)
{
	while (c->out > 0) {
		size_t len = c->out < sizeof(t->sh->zeros) ? c->out : sizeof(t->sh->zeros);
		ssize_t n = send(c->fd, t->sh->zeros, len, MSG_NOSIGNAL);
		if (n > 0) {
			c->out -= (uint64_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno != EAGAIN) {
			t->r.errors++;
			c->out = 0;
		}
		break;
	}
	bool want = c->out > 0;
	if (want != c->want_out) {
		ws->ops->mod(ws, c->fd, WAIT_IN | (want ? WAIT_OUT : 0));
		c->want_out = want;
	}
}

/* receive takes reply bytes and completes requests msg_size at a time. */
static void
receive(struct cthread *t, struct cconn *c)
{
	const struct cshared *sh = t->sh;
	uint64_t size = sh->conf->msg_size;
	char buf[16384];

	for (;;) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || errno != EAGAIN) {
				t->r.errors++;	/* the server closed or failed */
				close(c->fd);
				c->fd = -1;
				t->r.unanswered += c->n;
				c->n = 0;
			}
			return;
		}
		c->in += (uint64_t)n;
		uint64_t now = clock_ns();
		while (c->in >= size && c->n > 0) {
			uint64_t due = c->sched[c->head];
			c->head = (c->head + 1) % RING;
			c->n--;
			c->in -= size;
			uint64_t rtt = now > due ? now - due : 0;
			if (due >= sh->ms && due < sh->me) {
				hist_record(&t->r.rtt, rtt);
				t->r.requests++;
			}
			if (rtt > NET_TIMEOUT_NS)
				t->r.timeouts++;
		}
	}
}

/* client_connect: connect the thread's share and watch it in its own
 * epoll set; the first failure is kept in t->r (fail). */
static void
client_connect(struct cthread *t)
{
	const struct net_client_conf *conf = t->sh->conf;
	int e;

	for (unsigned i = 0; i < t->n; i++)
		t->c[i].fd = -1;
	for (unsigned i = 0; i < t->n; i++) {
		if ((e = connect_one(conf->port, &t->c[i].fd)) != 0) {
			fail(&t->r, e, "connect");
			break;
		}
		t->r.connected++;
	}
	if (t->r.error == 0 && (e = wait_open(&t->ws, wait_find("epoll"), (int)t->n)) != 0)
		fail(&t->r, e, "epoll_create1");
	else if (t->r.error == 0)
		for (unsigned i = 0; i < t->n; i++)
			if ((e = t->ws.ops->add(&t->ws, t->c[i].fd, WAIT_IN)) != 0)
				fail(&t->r, e, "epoll_ctl");
	if (t->r.error == 0 && (t->ev = calloc(t->n, sizeof(*t->ev))) == NULL)
		fail(&t->r, ENOMEM, "calloc");
	for (unsigned i = 0; i < t->n && t->r.error == 0; i++)
		if (t->c[i].fd >= t->nbyfd)
			t->nbyfd = t->c[i].fd + 1;
	if (t->r.error == 0 && (t->byfd = calloc((size_t)t->nbyfd, sizeof(*t->byfd))) == NULL)
		fail(&t->r, ENOMEM, "calloc");
	for (unsigned i = 0; i < t->n && t->r.error == 0; i++)
		t->byfd[t->c[i].fd] = &t->c[i];
}

/* client_await: report this thread ready (connected or failed), then wait
 * for the parent's word.  True for go, false for stop. */
static bool
client_await(struct cthread *t)
{
	struct cshared *sh = t->sh;

	pthread_mutex_lock(&sh->mu);
	sh->ready++;
	pthread_cond_broadcast(&sh->cv);
	while (sh->state == WAITING)
		pthread_cond_wait(&sh->cv, &sh->mu);
	bool go = sh->state == GO;
	pthread_mutex_unlock(&sh->mu);
	return go;
}

/* slot_due: slot k goes to connection k % n at t0 + phase + k * period / n. */
static inline uint64_t
slot_due(const struct cthread *t, uint64_t slot)
{
	return t->sh->t0 + t->phase +
	    (uint64_t)((unsigned __int128)slot * t->period / t->n);
}

/* client_window_end: the thread's run-queue delay over the window. */
static void
client_window_end(struct cthread *t)
{
	uint64_t delay1 = run_delay_ns();

	t->in_window = false;
	t->r.run_delay_ns = t->delay0 == UINT64_MAX ||
	    delay1 == UINT64_MAX ? UINT64_MAX : delay1 - t->delay0;
}

/* client_window: each turn, the longest gap between turns inside the
 * window, and the run-queue delay at the window's edges. */
static inline void
client_window(struct cthread *t, uint64_t now)
{
	const struct cshared *sh = t->sh;

	/* A turn never sleeps over 10 ms: a longer gap inside the window is
	 * this thread stopped or starved, not the server. */
	if (now >= sh->ms && t->last < sh->me && now - t->last > t->r.stall_ns_max)
		t->r.stall_ns_max = now - t->last;
	t->last = now;
	if (!t->in_window && now >= sh->ms && now < sh->me) {
		t->in_window = true;
		t->delay0 = run_delay_ns();
	} else if (t->in_window && now >= sh->me) {
		client_window_end(t);
	}
}

/*
 * send_due: send every request due by now, *due being the next slot's
 * due time (updated).  A connection closed, or RING replies behind, drops
 * its request.  Returns false once the schedule reached me: nothing more
 * is sent.
 */
static inline bool
send_due(struct cthread *t, uint64_t now, uint64_t *due)
{
	const struct cshared *sh = t->sh;

	while (*due <= now) {
		if (*due >= sh->me)
			return false;
		struct cconn *c = &t->c[t->slot % t->n];
		if (c->fd == -1 || c->n == RING) {
			t->r.dropped++;
		} else {
			c->sched[(c->head + c->n) % RING] = *due;
			c->n++;
			c->out += sh->conf->msg_size;
			t->r.sent++;
			send_some(t, c, &t->ws);
		}
		t->slot++;
		*due = slot_due(t, t->slot);
	}
	return true;
}

/* all_answered: no request of this thread is outstanding. */
static bool
all_answered(const struct cthread *t)
{
	uint64_t outstanding = 0;

	for (unsigned i = 0; i < t->n; i++)
		outstanding += t->c[i].n;
	return outstanding == 0;
}

/* serve_events: the wait's n events: send what is pending, receive. */
static inline void
serve_events(struct cthread *t, int n)
{
	for (int i = 0; i < n; i++) {
		struct cconn *c = t->ev[i].fd < t->nbyfd ? t->byfd[t->ev[i].fd] : NULL;
		if (c == NULL || c->fd == -1)
			continue;
		if (t->ev[i].events & WAIT_OUT)
			send_some(t, c, &t->ws);
		if (t->ev[i].events & (WAIT_IN | WAIT_ERR))
			receive(t, c);
	}
}

/*
 * client_run: the thread's loop from the parent's go: send on schedule
 * until me, then wait up to NET_GRACE_NS for the replies; a stop ends it
 * at once.  Every wait is bounded by 10 ms, to notice a stop.
 */
static void
client_run(struct cthread *t)
{
	const struct cshared *sh = t->sh;
	bool sending = true;

	t->period = 1000000000u / sh->conf->rate;
	t->last = clock_ns();
	for (;;) {
		uint64_t now = clock_ns();
		client_window(t, now);
		uint64_t due = slot_due(t, t->slot);
		if (atomic_load_explicit(&sh->stop, memory_order_relaxed))
			break;
		if (sending)
			sending = send_due(t, now, &due);
		if (!sending && (all_answered(t) || now >= sh->me + NET_GRACE_NS))
			break;
		uint64_t timeout = sending ? due - now : 10000000;
		if (timeout > 10000000)
			timeout = 10000000;	/* notice a stop within 10 ms */
		int n = t->ws.ops->wait(&t->ws, timeout, t->ev, (int)t->n);
		serve_events(t, n);
	}
	if (t->in_window)	/* stopped inside the window */
		client_window_end(t);
}

/* client_close: what is still outstanding is unanswered; close it all. */
static void
client_close(struct cthread *t)
{
	for (unsigned i = 0; i < t->n; i++) {
		t->r.unanswered += t->c[i].n;
		if (t->c[i].fd != -1)
			close(t->c[i].fd);
	}
	if (t->ev != NULL)
		t->ws.ops->close(&t->ws);
	free(t->ev);
	free(t->byfd);
}

/* client_main: a client thread: connect, wait for the go, run, close. */
static void *
client_main(void *arg)
{
	struct cthread *t = arg;

	/* Sends are due every few microseconds: no 50 us timer slack. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	client_connect(t);
	if (client_await(t) && t->r.error == 0)
		client_run(t);
	client_close(t);
	return NULL;
}

/*
 * child_detach: signals and CPUs of the client process.  Ctrl-C reaches
 * the whole process group: the parent decides when we stop, by closing
 * ctl.  If it dies, we die.
 */
static void
child_detach(const struct net_client_conf *conf)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (CPU_COUNT(&conf->cpus) > 0)
		sched_setaffinity(0, sizeof(conf->cpus), &conf->cpus);
}

/* share_out: the shared state, and each thread's share of the
 * connections and phase. */
static void
share_out(struct cshared *sh, struct cthread *th, struct cconn *conns,
    const struct net_client_conf *conf)
{
	sh->conf = conf;
	atomic_init(&sh->stop, false);
	pthread_mutex_init(&sh->mu, NULL);
	pthread_cond_init(&sh->cv, NULL);

	unsigned per = conf->conns / conf->threads, extra = conf->conns % conf->threads;
	struct cconn *next = conns;
	for (unsigned i = 0; i < conf->threads; i++) {
		th[i].sh = sh;
		th[i].c = next;
		th[i].n = per + (i < extra);
		next += th[i].n;
		hist_reset(&th[i].r.rtt);
		/* Threads' slots interleave evenly over one slot interval. */
		th[i].phase = th[i].n ? 1000000000u / conf->rate / th[i].n * i /
		    conf->threads : 0;
	}
}

/* start_threads: the client threads, up to the first with no connection
 * or the first that fails (in r).  Returns how many started. */
static unsigned
start_threads(struct cthread *th, const struct net_client_conf *conf,
    struct net_result *r)
{
	unsigned started = 0;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (; started < conf->threads; started++) {
		int e;
		if (th[started].n == 0)
			break;
		if ((e = pthread_create(&th[started].tid, &attr, client_main,
		    &th[started])) != 0) {
			fail(r, e, "pthread_create");
			break;
		}
	}
	return started;
}

/*
 * give_word: wait until every thread has connected (or failed), then for
 * the parent's start times on ctl, and pass go (with the times) or stop
 * to the threads.  Returns true for go.
 */
static bool
give_word(struct cshared *sh, const struct cthread *th, unsigned started,
    int ctl, const struct net_result *r)
{
	const struct net_client_conf *conf = sh->conf;
	uint64_t times[3];

	pthread_mutex_lock(&sh->mu);
	while (sh->ready < started)
		pthread_cond_wait(&sh->cv, &sh->mu);
	pthread_mutex_unlock(&sh->mu);
	bool ok = started == conf->threads && r->error == 0;
	for (unsigned i = 0; i < started; i++)
		ok = ok && th[i].r.error == 0;
	if (ok)
		ok = read(ctl, times, sizeof(times)) == sizeof(times);
	pthread_mutex_lock(&sh->mu);
	if (ok) {
		sh->t0 = times[0];
		sh->ms = times[1];
		sh->me = times[2];
	}
	sh->state = ok ? GO : STOP;
	pthread_cond_broadcast(&sh->cv);
	pthread_mutex_unlock(&sh->mu);
	return ok;
}

/* sum_threads: join the threads and add up their results into r. */
static void
sum_threads(struct cthread *th, unsigned started, struct net_result *r)
{
	for (unsigned i = 0; i < started; i++) {
		pthread_join(th[i].tid, NULL);
		struct net_result *tr = &th[i].r;
		if (tr->error)
			fail(r, tr->error, tr->step);
		r->connected += tr->connected;
		r->requests += tr->requests;
		r->errors += tr->errors;
		r->dropped += tr->dropped;
		r->unanswered += tr->unanswered;
		r->timeouts += tr->timeouts;
		r->sent += tr->sent;
		if (tr->stall_ns_max > r->stall_ns_max)
			r->stall_ns_max = tr->stall_ns_max;
		if (tr->run_delay_ns > r->run_delay_ns)
			r->run_delay_ns = tr->run_delay_ns;
		hist_merge(&r->rtt, &tr->rtt);
	}
}

/* send_result: the whole of r to the parent, or as much as res takes. */
static void
send_result(int res, const struct net_result *r)
{
	const char *p = (const char *)r;
	size_t left = sizeof(*r);

	while (left > 0) {
		ssize_t n = write(res, p, left);
		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0) {
			p += n;
			left -= (size_t)n;
		}
	}
}

/* child: the whole life of the client process; never returns.  After the
 * go, EOF on ctl is the stop. */
static void __attribute__((noreturn))
child(int ctl, int res, const struct net_client_conf *conf)
{
	struct cshared *sh = calloc(1, sizeof(*sh));
	struct cthread *th = calloc(conf->threads, sizeof(*th));
	struct cconn *conns = calloc(conf->conns, sizeof(*conns));
	struct net_result *r = calloc(1, sizeof(*r));

	child_detach(conf);
	if (sh == NULL || th == NULL || conns == NULL || r == NULL)
		_exit(1);
	hist_reset(&r->rtt);
	share_out(sh, th, conns, conf);
	unsigned started = start_threads(th, conf, r);
	if (give_word(sh, th, started, ctl, r)) {
		char b;
		while (read(ctl, &b, 1) > 0)
			;
		atomic_store(&sh->stop, true);
	}
	sum_threads(th, started, r);
	send_result(res, r);
	_exit(0);
}

int
net_clients_start(struct net_clients *nc, const struct net_client_conf *conf)
{
	int ctl[2], res[2];

	nc->pid = -1;
	nc->ctl = nc->res = -1;
	if (pipe2(ctl, O_CLOEXEC) == -1)
		return errno;
	if (pipe2(res, O_CLOEXEC) == -1) {
		int e = errno;
		close(ctl[0]);
		close(ctl[1]);
		return e;
	}
	pid_t pid = fork();
	if (pid == -1) {
		int e = errno;
		close(ctl[0]);
		close(ctl[1]);
		close(res[0]);
		close(res[1]);
		return e;
	}
	if (pid == 0) {
		close(ctl[1]);
		close(res[0]);
		child(ctl[0], res[1], conf);
	}
	close(ctl[0]);
	close(res[1]);
	nc->pid = pid;
	nc->ctl = ctl[1];
	nc->res = res[0];
	return 0;
}

/* stopped: is pid stopped (SIGSTOP, a debugger)? */
static bool
stopped(pid_t pid)
{
	char proc[16];
	char st;

	snprintf(proc, sizeof(proc), "%d", (int)pid);
	st = schedstat_state(proc);
	return st == 'T' || st == 't';
}

int
net_clients_go(struct net_clients *nc, uint64_t t0, uint64_t ms, uint64_t me)
{
	uint64_t times[3] = { t0, ms, me };

	if (nc->ctl == -1)
		return EPIPE;
	return write(nc->ctl, times, sizeof(times)) == sizeof(times) ? 0 : errno;
}

void
net_clients_stop(struct net_clients *nc)
{
	if (nc->ctl != -1) {
		close(nc->ctl);
		nc->ctl = -1;
	}
}

int
net_clients_finish(struct net_clients *nc, struct net_result *r)
{
	char *p = (char *)r;
	size_t got = 0;
	int status = 0, e = 0;

	memset(r, 0, sizeof(*r));
	hist_reset(&r->rtt);
	if (nc->pid == -1)
		return 0;
	net_clients_stop(nc);
	/* Bounded: a stopped client process must not hold the run. */
	uint64_t start = clock_ns(), deadline = start + NET_FINISH_NS;
	char hung = 0;		/* 'T': found stopped; 'R': out of time */
	while (got < sizeof(*r)) {
		uint64_t now = clock_ns();
		if (now >= deadline) {
			hung = stopped(nc->pid) ? 'T' : 'R';
			if (hung == 'T' || now >= start + NET_FINISH_MAX_NS)
				break;
			hung = 0;
			deadline = now + NET_FINISH_NS;
			continue;
		}
		struct pollfd pf = { .fd = nc->res, .events = POLLIN };
		int pr = poll(&pf, 1, (int)((deadline - now) / 1000000 + 1));
		if (pr == 0 || (pr == -1 && errno == EINTR))
			continue;
		ssize_t n = read(nc->res, p + got, sizeof(*r) - got);
		if (n > 0)
			got += (size_t)n;
		else if (n == 0 || errno != EINTR)
			break;
	}
	close(nc->res);
	nc->res = -1;
	if (hung)
		kill(nc->pid, SIGKILL);
	while (waitpid(nc->pid, &status, 0) == -1 && errno == EINTR)
		;
	nc->pid = -1;
	if (got != sizeof(*r)) {
		memset(r, 0, sizeof(*r));
		hist_reset(&r->rtt);
		if (hung == 'T')
			snprintf(r->step, sizeof(r->step), "stopped, no result "
			    "%llu s after the run; killed",
			    (unsigned long long)(NET_FINISH_NS / 1000000000u));
		else if (hung)
			snprintf(r->step, sizeof(r->step), "no result %llu s after "
			    "the run; killed",
			    (unsigned long long)(NET_FINISH_MAX_NS / 1000000000u));
		else if (WIFSIGNALED(status))
			snprintf(r->step, sizeof(r->step), "killed by signal %d",
			    WTERMSIG(status));
		else
			snprintf(r->step, sizeof(r->step), "exited %d, no result",
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		e = ECHILD;
	} else if (r->error != 0) {
		e = r->error;
	}
	return e;
}
