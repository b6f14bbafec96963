/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * The server side of the loopback traffic: the main thread accepts and
 * echoes, all non-blocking, in the same wait as the waker.  Under a level-
 * triggered wait one read per ready connection per turn keeps the loop fair
 * between sockets and wakeups; under epoll-et a connection is read until
 * EAGAIN, since no second edge would come for what is left.
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct net_conn {
	int fd;
	char *out;		/* echo bytes the socket did not take yet */
	size_t out_len, out_off;
};

int
net_server_open(struct net_server *s, struct waitset *ws, unsigned backlog)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0 };
	socklen_t len = sizeof(sa);
	int e;

	memset(s, 0, sizeof(*s));
	s->ws = ws;
	s->edge = ws->ops->edge;
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd == -1)
		return errno;
	if (bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(s->lfd, (int)(backlog < 4096 ? backlog : 4096)) == -1 ||
	    getsockname(s->lfd, (struct sockaddr *)&sa, &len) == -1)
		goto fail;
	s->port = ntohs(sa.sin_port);
	if ((e = ws->ops->add(ws, s->lfd, WAIT_IN)) != 0) {
		errno = e;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	close(s->lfd);
	s->lfd = -1;
	return e;
}

static void
conn_close(struct net_server *s, struct net_conn *c)
{
	s->ws->ops->del(s->ws, c->fd);
	close(c->fd);
	s->syscalls += 2;
	s->conn[c->fd] = NULL;
	s->open--;
	free(c->out);
	free(c);
}

static void
accept_all(struct net_server *s)
{
	for (;;) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		s->syscalls++;
		if (fd == -1) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				s->errors++;
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		int one = 1;
		/* Small echoes must not wait for Nagle. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (fd >= s->nconn) {
			int n = s->nconn ? s->nconn : 64;
			while (n <= fd)
				n *= 2;
			struct net_conn **m = realloc(s->conn, (size_t)n * sizeof(*m));
			if (m == NULL) {
				close(fd);
				s->errors++;
				continue;
			}
			memset(m + s->nconn, 0, (size_t)(n - s->nconn) * sizeof(*m));
			s->conn = m;
			s->nconn = n;
		}
		struct net_conn *c = calloc(1, sizeof(*c));
		if (c == NULL || s->ws->ops->add(s->ws, fd, WAIT_IN) != 0) {
			free(c);
			close(fd);
			s->errors++;
			continue;
		}
		c->fd = fd;
		s->conn[fd] = c;
		s->accepted++;
		s->open++;
	}
}

/* flush writes what is left of an echo: 1 when nothing is left, 0 to
 * wait for room, -1 when the connection failed (the caller closes it). */
static int
flush(struct net_server *s, struct net_conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
		s->syscalls++;
		if (n > 0) {
			c->out_off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		return n == -1 && errno == EAGAIN ? 0 : -1;
	}
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	return 1;
}

/* echo reads and writes back until EAGAIN (edge) or once (level). */
static void
echo(struct net_server *s, struct net_conn *c)
{
	for (;;) {
		ssize_t n = read(c->fd, s->buf, sizeof(s->buf));
		s->syscalls++;
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
			if (n == -1 && errno != ECONNRESET)
				s->errors++;
			conn_close(s, c);
			return;
		}
		if (n == -1)
			return;
		ssize_t w = write(c->fd, s->buf, (size_t)n);
		s->syscalls++;
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			if (errno != ECONNRESET && errno != EPIPE)
				s->errors++;
			conn_close(s, c);
			return;
		}
		if (w < 0)
			w = 0;
		if (w < n) {
			/* The client is not reading fast enough: keep the rest,
			 * stop reading until it is written. */
			if ((c->out = malloc((size_t)(n - w))) == NULL) {
				s->errors++;
				conn_close(s, c);
				return;
			}
			memcpy(c->out, s->buf + w, (size_t)(n - w));
			c->out_len = (size_t)(n - w);
			c->out_off = 0;
			s->ws->ops->mod(s->ws, c->fd, WAIT_OUT);
			s->syscalls++;
			return;
		}
		if (!s->edge)
			return;
	}
}

bool
net_server_event(struct net_server *s, int fd, unsigned events)
{
	if (fd == s->lfd) {
		accept_all(s);
		return true;
	}
	if (fd < 0 || fd >= s->nconn || s->conn[fd] == NULL)
		return false;
	struct net_conn *c = s->conn[fd];
	if (c->out != NULL) {
		if (!(events & (WAIT_OUT | WAIT_ERR)))
			return true;
		int f = flush(s, c);
		if (f < 0) {
			conn_close(s, c);
			return true;
		}
		if (f == 0)
			return true;
		s->ws->ops->mod(s->ws, c->fd, WAIT_IN);
		s->syscalls++;
		if (!s->edge)
			return true;
		/* edge: what arrived while we were writing has no new edge */
	}
	echo(s, c);
	return true;
}

void
net_server_close(struct net_server *s)
{
	for (int fd = 0; fd < s->nconn; fd++)
		if (s->conn[fd] != NULL)
			conn_close(s, s->conn[fd]);
	free(s->conn);
	s->conn = NULL;
	s->nconn = 0;
	if (s->lfd != -1) {
		s->ws->ops->del(s->ws, s->lfd);
		close(s->lfd);
		s->lfd = -1;
	}
}
