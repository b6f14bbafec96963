/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* The libev preset's library: producers call ev_async_send, the async
 * watcher's callback takes the queue. */
#include <ev.h>

#include "common.h"

static struct ev_loop *loop;
static ev_async as;

static void
poke_loop(void)
{
	ev_async_send(loop, &as);
}

static void
cb(struct ev_loop *l, ev_async *w, int revents)
{
	(void)w;
	(void)revents;
	if (fid_take())
		ev_break(l, EVBREAK_ALL);
}

int
main(int argc, char **argv)
{
	loop = ev_loop_new(EVBACKEND_EPOLL);
	ev_async_init(&as, cb);
	ev_async_start(loop, &as);
	fprintf(stderr, "libev %d.%d\n", ev_version_major(),
	    ev_version_minor());
	fid_start(argc, argv, poke_loop);
	ev_run(loop, 0);
	fid_finish();
	return 0;
}
