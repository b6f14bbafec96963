/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * preset: how a real event loop builds its waker, as one row of
 * preset_table[] (lib/preset.c) with the library, the version it follows
 * and the source it was read from.
 */
#ifndef WB_PRESET_H
#define WB_PRESET_H

struct preset {
	const char *name;
	const char *library;	/* "libuv 1.x (v1.x 6179e7af8)" */
	const char *waker;	/* names in the waker, wait, poke, drain tables */
	const char *wait;
	const char *poke;
	const char *drain;
	unsigned flags;		/* FAULT_* bits that are the library's own design
				 * (a blocking or inheritable waker, a poke under
				 * the queue lock), not injected bugs */
	const char *source;	/* one line: file and function */
	const char *caveat;	/* NULL, or where the strategy is unsafe */
};

extern const struct preset preset_table[];	/* ends with a NULL name */

/* preset_find returns the row named name, or NULL. */
const struct preset *preset_find(const char *name);

#endif
