/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* waits: a timeout that is not a whole number of the API's unit is
 * rounded up, never down (lib/wait.h), so a wait never returns before the
 * time asked.  test_waker checks whole milliseconds; these are not. */
#include <sys/prctl.h>

#include "clock.h"
#include "tap.h"
#include "wait.h"
#include "waker.h"

int
main(void)
{
	/* Sub-millisecond and off-grid timeouts: poll and epoll_wait count
	 * in ms, select in us.  999us rounded down is poll(0). */
	static const uint64_t asks[] = { 999999, 1500000, 2000001 };

	/* The default 50us timer slack only makes a wait longer; turn it
	 * down so that a rounded-down wait cannot hide behind it. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	for (const struct wait_ops *const *o = wait_table; *o; o++) {
		const char *n = (*o)->name;
		struct waitset ws;
		struct waker w;
		struct wait_event ev[2];

		if (wait_open(&ws, *o, 2) != 0 ||
		    waker_open(&w, waker_find("pipe"), 0) != 0 ||
		    ws.ops->add(&ws, w.rfd, WAIT_IN) != 0) {
			ok(0, "%s: open, waker, add", n);
			continue;
		}
		for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
			uint64_t t0 = clock_ns();
			int r = ws.ops->wait(&ws, asks[i], ev, 2);
			uint64_t dt = clock_ns() - t0;
			ok(r == 0 && dt >= asks[i], "%s: a %lluns timeout waits "
			    "at least that long (%llu ns)", n,
			    (unsigned long long)asks[i], (unsigned long long)dt);
		}
		waker_close(&w);
		ws.ops->close(&ws);
	}
	return tap_done();
}
