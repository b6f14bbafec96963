/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "fault.h"

#include <stdio.h>
#include <string.h>

const struct fault fault_table[] = {
	{ "poke-first", FAULT_POKE_FIRST,
	  "producer pokes, then enqueues: the wakeup can come before the item" },
	{ "dequeue-first", FAULT_DEQUEUE_FIRST,
	  "main thread takes the queue, then drains: the drain eats a later item's poke" },
	{ "clear-after-dequeue", FAULT_CLEAR_AFTER_DEQUEUE,
	  "coalescing flag cleared after the dequeue: a poke in between is skipped for nothing" },
	{ "blocking-write", FAULT_BLOCKING_WRITE,
	  "the waker's write end is blocking: a full pipe blocks producers" },
	{ "no-cloexec", FAULT_NO_CLOEXEC,
	  "wakers created without CLOEXEC: exec'd children inherit them" },
	{ "no-drain", FAULT_NO_DRAIN,
	  "the waker is never read under a level-triggered wait: the loop spins" },
	{ "poke-under-lock", FAULT_POKE_UNDER_LOCK,
	  "producers write, and the main thread drains, holding the queue lock: "
	  "with blocking-write, a full waker deadlocks (libevent still writes under its lock; 17522d2a made it non-blocking)" },
	{ NULL, 0, NULL }
};

const struct fault *
fault_find(const char *name)
{
	for (const struct fault *f = fault_table; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

char *
fault_names(unsigned mask, char *buf, unsigned long len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (const struct fault *f = fault_table; f->name != NULL; f++)
		if ((mask & f->bit) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n ? "," : "", f->name);
	if (n == 0)
		snprintf(buf, len, "none");
	return buf;
}
