/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * drain: how the main thread empties the waker once a wait reports it
 * readable.  Each policy is one row of drain_table[].
 */
#ifndef WB_DRAIN_H
#define WB_DRAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "waker.h"

struct drain_out;

struct drain_ops {
	const char *name;
	const char *desc;
	/* Runs after the dequeue, because it needs the number of items
	 * taken (per-item); the others run before, as the technique asks. */
	bool after_take;
	/* Only sane when the wait is edge-triggered. */
	bool needs_edge;
	/*
	 * run reads from w.  items is the number just taken (per-item only).
	 * It returns the pokes it took (>= 0), or -errno, and fills *out.
	 * NULL: never read.
	 */
	long (*run)(struct waker *w, uint64_t items, struct drain_out *out);
};

struct drain_out {
	uint64_t reads;		/* syscalls made (added to) */
	uint64_t found;		/* pokes the waker held when the drain began */
	bool empty;		/* the drain proved the waker empty at its end */
};

extern const struct drain_ops *const drain_table[];
const struct drain_ops *drain_find(const char *name);

/*
 * A combination in which a drain policy is unsafe by design, whatever the
 * machine: one row of drain_unsafe_table[] (lib/drain.c).  NULL or -1
 * matches anything.
 */
struct drain_unsafe {
	const char *drain;
	const char *poke;	/* a poke policy's name, or NULL */
	int read_all;		/* the waker's read_all: 0, 1, or -1 */
	int edge;		/* the wait's edge: 0, 1, or -1 */
	const char *when;	/* for list and the header: "-P coalesce" */
	const char *finding;	/* what it shows: "LOST WAKEUPS" */
	const char *why;	/* one line */
};
extern const struct drain_unsafe drain_unsafe_table[];	/* NULL drain ends */

/* drain_unsafe returns the first row matching the combination, or NULL. */
const struct drain_unsafe *drain_unsafe(const char *drain, const char *poke,
    bool read_all, bool edge);

#endif
