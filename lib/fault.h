/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * fault: known bugs of the technique, injected on purpose so the
 * diagnostics can be seen to catch them.  Each is one row of fault_table[]
 * and one bit; the place that honours the bit is named in the row.
 */
#ifndef WB_FAULT_H
#define WB_FAULT_H

#define FAULT_POKE_FIRST	0x01	/* producer: poke, then enqueue */
#define FAULT_DEQUEUE_FIRST	0x02	/* main: dequeue, then drain */
#define FAULT_CLEAR_AFTER_DEQUEUE 0x04	/* main: re-arm the poke after the dequeue */
#define FAULT_BLOCKING_WRITE	0x08	/* waker: write end blocking */
#define FAULT_NO_CLOEXEC	0x10	/* waker: inherited by children */
#define FAULT_NO_DRAIN		0x20	/* main: never read the waker */
#define FAULT_POKE_UNDER_LOCK	0x40	/* both: the queue lock held across poke and drain */

struct fault {
	const char *name;
	unsigned bit;
	const char *desc;
};

extern const struct fault fault_table[];	/* ends with a NULL name */

/* fault_find returns the row named name, or NULL. */
const struct fault *fault_find(const char *name);

/* fault_names writes the names of the bits in mask, comma-separated
 * ("none" for 0), into buf and returns buf. */
char *fault_names(unsigned mask, char *buf, unsigned long len);

#endif
