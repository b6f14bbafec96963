/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe: this platform's facts that the technique depends on, measured on
 * the running system rather than assumed (several known bugs hinge on
 * them: the EPOLLET re-arm that mio and nginx rely on, a 278-poke
 * socketpair, an 8 KiB pipe past pipe-user-pages-soft).
 */
#ifndef WB_PROBE_H
#define WB_PROBE_H

#include <stdio.h>

#define PROBE_MAX	80

struct probe_fact {
	const char *key;
	char value[160];
	int numeric;		/* value is a number (for JSON) */
	const char *how;	/* how it was measured */
};

struct probe {
	struct probe_fact f[PROBE_MAX];
	int n;
};

/* probe_run measures every fact into p.  Facts that cannot be measured
 * read "unknown" or "no" with the reason in the value; never fails. */
void probe_run(struct probe *p);

/* probe_print writes "key: value" lines; probe_json one JSON object.
 * Each returns 0, or -1 on a stream error. */
int probe_print(FILE *f, const struct probe *p);
int probe_json(FILE *f, const struct probe *p, const char *version);

#endif
