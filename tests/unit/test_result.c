/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* result: the derived figures every reporter prints, from hand-made
 * trial results: items/s over the measured window, per-item ratios, CPU
 * shares, and the CSV/JSON fields that expose them. */
#include <math.h>
#include <string.h>

#include "report.h"
#include "result.h"
#include "tap.h"

static bool
near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (fabs(b) > 1 ? fabs(b) : 1);
}

/* field: the REAL field of report_fields[] called name, or NULL. */
static const struct report_field *
field(const char *name)
{
	for (const struct report_field *f = report_fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

int
main(void)
{
	struct trial_result r;

	memset(&r, 0, sizeof(r));
	/* 1000 items due and 1000 taken in a 500 ms window; 1200 made over
	 * the trial, warm-up included: the window's items are what counts. */
	r.items = 1000;
	r.taken = 1000;
	r.produced = r.consumed = 1200;
	r.duration_ns = 500000000;
	r.pokes = 1000;
	r.writes = 250;
	r.wakeups = 200;
	r.waits = 300;
	r.reads = 400;
	r.net_syscalls = 100;
	r.main_cpu_ns = 25000000;
	r.main_wall_ns = 100000000;	/* ignored by items/s */
	r.idle_ns = 20000000;
	r.idle_cpu_ns = 5000000;

	ok(near(result_items_per_s(&r), 2000.0), "items/s = items taken in the "
	    "window / window (%g)", result_items_per_s(&r));
	ok(near(result_per_item(&r, 500), 0.5), "per item divides by items");
	ok(near(result_prod_syscalls_per_item(&r), 0.25),
	    "producer syscalls per item are the writes");
	ok(near(result_main_syscalls_per_item(&r), 0.8),
	    "main syscalls per item: waits + reads + net syscalls");
	ok(near(result_main_cpu_pct(&r), 25.0), "main cpu %% of its own window");
	ok(near(result_idle_cpu_pct(&r), 25.0), "idle cpu %% of the idle phase");

	const struct report_field *f = field("writes_per_item");
	ok(f != NULL && f->real != NULL && near(f->real(&r), 0.25),
	    "writes_per_item counts write syscalls, not poke decisions");
	f = field("wakeups_per_item");
	ok(f != NULL && f->real != NULL && near(f->real(&r), 0.2),
	    "wakeups_per_item");
	f = field("items_per_s");
	ok(f != NULL && f->real != NULL && near(f->real(&r), 2000.0),
	    "items_per_s column");

	/* Producers far behind: nothing due in the window was made in
	 * time, yet the main thread took 800 older items during it. */
	r.items = 0;
	r.taken = 800;
	ok(near(result_items_per_s(&r), 1600.0), "items/s counts what was "
	    "taken, not what was due (%g)", result_items_per_s(&r));

	memset(&r, 0, sizeof(r));
	ok(result_items_per_s(&r) == 0 && result_per_item(&r, 5) == 0 &&
	    result_main_cpu_pct(&r) == 0 && result_idle_cpu_pct(&r) == 0,
	    "an empty window divides by nothing");
	return tap_done();
}
