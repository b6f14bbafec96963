/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * net: the loopback TCP traffic the main thread serves while wakeups flow,
 * because the technique exists for a thread that must wait for sockets and
 * pokes in one select/poll/epoll.
 *
 * The server side lives in the main thread's wait (lib/net_server.c): a
 * listener on 127.0.0.1:0 and non-blocking echo connections.  The client
 * side (lib/net_client.c) runs in a child process forked before any
 * producer exists, with its own descriptor table: both ends of 10,000
 * connections in one process would need more descriptors than a common
 * hard RLIMIT_NOFILE of 20,000 allows.  Its threads send requests on an
 * absolute schedule and time each round trip from the scheduled send.
 */
#ifndef WB_NET_H
#define WB_NET_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hist.h"
#include "wait.h"

/* A reply slower than this counts as a timeout: the server starved. */
#define NET_TIMEOUT_NS	(1000ULL * 1000000ULL)
/* After the schedule ends, how long clients wait for outstanding replies. */
#define NET_GRACE_NS	(500ULL * 1000000ULL)
/* After being told to stop, how long the client process has to report:
 * a stopped one is killed after NET_FINISH_NS, a running one (closing
 * thousands of connections on a busy machine) after NET_FINISH_MAX_NS. */
#define NET_FINISH_NS	(2000ULL * 1000000ULL)
#define NET_FINISH_MAX_NS	(60000ULL * 1000000ULL)

struct net_conn;

struct net_server {
	struct waitset *ws;
	bool edge;		/* edge-triggered: read and write until EAGAIN */
	int lfd;		/* listener, 127.0.0.1 only */
	uint16_t port;
	struct net_conn **conn;	/* by descriptor */
	int nconn;
	unsigned accepted, open;
	uint64_t syscalls;	/* accept, read, write, close, epoll_ctl */
	uint64_t errors;	/* unexpected read/write/accept errors */
	char buf[16384];
};

/* net_server_open listens on 127.0.0.1:0 (never a wildcard) and adds the
 * listener to ws: 0 or errno. */
int net_server_open(struct net_server *s, struct waitset *ws, unsigned backlog);

/* net_server_event handles one readiness event and returns true, or
 * returns false when fd is not the server's. */
bool net_server_event(struct net_server *s, int fd, unsigned events);

/* net_server_close closes every connection and the listener. */
void net_server_close(struct net_server *s);

/* The client side, seen from the parent. */
struct net_clients {
	pid_t pid;
	int ctl;		/* parent -> child: start times, then EOF = stop */
	int res;		/* child -> parent: struct net_result */
};

struct net_client_conf {
	uint16_t port;
	unsigned conns;
	unsigned threads;
	uint64_t rate;		/* requests/s per connection */
	size_t msg_size;
	cpu_set_t cpus;		/* where the client process may run */
};

struct net_result {
	int error;		/* errno of a failed connect or thread, or 0 */
	char step[64];		/* the call that failed */
	unsigned connected;
	uint64_t requests;	/* completed, scheduled in the window */
	uint64_t errors;	/* I/O errors, connections closed under us */
	uint64_t dropped;	/* not sent: RING replies outstanding already */
	uint64_t unanswered;	/* sent, no reply by the end of the grace time */
	uint64_t timeouts;	/* replies slower than NET_TIMEOUT_NS */
	uint64_t sent;
	/* Whether the clients themselves could run: the longest gap between
	 * two turns of one client thread's loop (which never sleeps over
	 * 10 ms) in the window, and the most run-queue delay one client
	 * thread had over the window (UINT64_MAX if the kernel does not
	 * say).  A stopped or starved client makes slow replies that are not
	 * the server's doing. */
	uint64_t stall_ns_max;
	uint64_t run_delay_ns;
	struct hist rtt;	/* from the scheduled send to the whole reply */
};

/*
 * net_clients_start forks the client process, which connects conf->conns
 * connections to 127.0.0.1:conf->port and waits for net_clients_go.  Call
 * it while the process has one thread.  0 or errno.
 */
int net_clients_start(struct net_clients *nc, const struct net_client_conf *conf);

/* net_clients_go starts the schedule: requests due from t0 on, measured in
 * [ms, me), none sent from me on.  0 or errno. */
int net_clients_go(struct net_clients *nc, uint64_t t0, uint64_t ms, uint64_t me);

/* net_clients_stop asks the clients to stop now (idempotent). */
void net_clients_stop(struct net_clients *nc);

/*
 * net_clients_finish collects the result and reaps the process: 0, or
 * errno with r->step naming what failed ("killed by signal 9").  It waits
 * for the result at most NET_FINISH_NS while the client process is
 * stopped, NET_FINISH_MAX_NS while it runs; then it is killed, and the
 * step says so.  Idempotent on nc.
 */
int net_clients_finish(struct net_clients *nc, struct net_result *r);

#endif
