/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* uring: a kernel without an operation, simulated by an injected probe
 * answer, refuses the io_uring waits with one line naming the operation
 * and the kernel's answer; and the probe of this kernel itself. */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "uring.h"
#include "wait.h"
#include "wait_uring.h"

static struct uring_probe
all_work(void)
{
	struct uring_probe p;

	memset(&p, 0, sizeof(p));
	p.disabled = 0;
	return p;
}

static void
refusals(void)
{
	const struct wait_ops *plain = wait_find("io_uring");
	const struct wait_ops *defer = wait_find("io_uring-defer");
	struct uring_probe p = all_work();
	char why[256] = "";

	ok(plain != NULL && defer != NULL, "both io_uring waits are in the table");
	ok(uring_refusal(&p, wait_uring_needs(defer), why, sizeof(why)) == 0,
	    "a kernel with every operation refuses nothing");

	p.err[URING_POLL_MULTI] = EINVAL;
	ok(uring_refusal(&p, wait_uring_needs(plain), why, sizeof(why)) == EINVAL &&
	    strcmp(why, "IORING_OP_POLL_ADD with IORING_POLL_ADD_MULTI: the "
	    "kernel answered Invalid argument") == 0,
	    "no multishot poll: one line naming it (%s)", why);

	p = all_work();
	p.err[URING_DEFER_TASKRUN] = EINVAL;
	ok(uring_refusal(&p, wait_uring_needs(plain), why, sizeof(why)) == 0,
	    "no DEFER_TASKRUN: io_uring still runs");
	ok(uring_refusal(&p, wait_uring_needs(defer), why, sizeof(why)) == EINVAL &&
	    strcmp(why, "IORING_SETUP_DEFER_TASKRUN: the kernel answered "
	    "Invalid argument") == 0,
	    "no DEFER_TASKRUN: io_uring-defer refused (%s)", why);

	p = all_work();
	for (int i = 0; i < URING_NOPS; i++)
		p.err[i] = EPERM;
	p.disabled = 2;
	ok(uring_refusal(&p, wait_uring_needs(plain), why, sizeof(why)) == EPERM &&
	    strcmp(why, "io_uring_setup: the kernel answered Operation not "
	    "permitted (kernel.io_uring_disabled = 2)") == 0,
	    "io_uring disabled: the sysctl is named (%s)", why);
}

/* this_kernel: where /proc says io_uring is enabled, a ring can be set up
 * and the waits' own operations work (Linux 6.1 has them all). */
static void
this_kernel(void)
{
	const struct uring_probe *p = uring_probe_get();

	if (p->disabled != 0) {
		ok(1, "# SKIP kernel.io_uring_disabled is %d", p->disabled);
		return;
	}
	ok(p->err[URING_SETUP] == 0, "io_uring_setup works here (%s)",
	    strerror(p->err[URING_SETUP]));
	ok(p->err[URING_POLL_MULTI] == 0, "multishot poll works here (%s)",
	    strerror(p->err[URING_POLL_MULTI]));
	ok(p->err[URING_MSG_RING] == 0, "MSG_RING works here (%s)",
	    strerror(p->err[URING_MSG_RING]));
}

int
main(void)
{
	refusals();
	this_kernel();
	return tap_done();
}
