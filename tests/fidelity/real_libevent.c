/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* The libevent preset's library: producers activate one event from their
 * thread (event_active, which notifies the base), its callback takes the
 * queue. */
#include <event2/event.h>
#include <event2/thread.h>

#include "common.h"

static struct event_base *base;
static struct event *ev;

static void
poke_loop(void)
{
	event_active(ev, EV_READ, 1);
}

static void
cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (fid_take())
		event_base_loopbreak(base);
}

int
main(int argc, char **argv)
{
	evthread_use_pthreads();
	base = event_base_new();
	ev = event_new(base, -1, 0, cb, NULL);
	fprintf(stderr, "libevent %s, %s\n", event_get_version(),
	    event_base_get_method(base));
	fid_start(argc, argv, poke_loop);
	event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	fid_finish();
	return 0;
}
