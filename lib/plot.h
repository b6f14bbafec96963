/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * plot: --plot FILE.png|FILE.svg.  After the run, gnuplot (run as a
 * program, never linked) draws the run's percentiles CSV with the
 * project's own plots/percentiles.gp, the environment and the command in
 * the picture.  Finding gnuplot and the scripts is done before the run,
 * so that a missing one is refused before anything is measured.
 */
#ifndef WB_PLOT_H
#define WB_PLOT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <signal.h>
#include <stddef.h>

/* The latencies --plot-metric names, as percentiles.gp's metric. */
struct plot_metric {
	const char *name;	/* "wake": first, as config_axis needs */
	const char *desc;
	bool net;		/* needs connections (-c) */
};
extern const struct plot_metric plot_metric_table[];	/* NULL-name ended */

#define PLOT_SCRIPT	"percentiles.gp"

/* plot_find_gnuplot writes the path of gnuplot in PATH to buf: 0, or
 * ENOENT when no executable gnuplot is there. */
int plot_find_gnuplot(char *buf, size_t len);

/*
 * plot_find_scripts writes to buf the first folder holding PLOT_SCRIPT of
 * these: dirs (NULL-ended; the driver passes the folders next to the
 * binary, its source tree's and the installed one); 0, or ENOENT.
 */
int plot_find_scripts(const char *const *dirs, char *buf, size_t len);

/* plot_extension: ".png" or ".svg" when path ends in one, else NULL. */
const char *plot_extension(const char *path);

struct run;

/*
 * plot_note writes the lines printed under the plot to buf: the
 * version, date, kernel and CPU; the clock, cpuidle, PM QoS and
 * placement; "$ " and the exact command; each wrapped before
 * PLOT_NOTE_WIDTH characters.  Returns buf.
 */
#define PLOT_NOTE_WIDTH	150
char *plot_note(const struct run *r, char *buf, size_t len);

/* One gnuplot run. */
struct plot_job {
	const char *gnuplot;	/* its path */
	const char *script;	/* DIR/percentiles.gp */
	const char *in;		/* the percentiles CSV */
	const char *out;	/* the picture (any name) */
	const char *ext;	/* ".png" or ".svg": the format */
	const char *metric;
	const char *note;	/* lines under the plot, '\n'-separated */
	unsigned timeout_s;	/* killed past it */
	volatile sig_atomic_t *interrupted;	/* killed when it is set */
};

/*
 * plot_run runs gnuplot on job, its stdout and stderr on ours (stderr:
 * stdout may be a CSV), and waits for it.  Returns 0, or an errno value
 * with why filled: ECHILD it exited non-zero (its message is above),
 * ETIMEDOUT, EINTR (interrupted: killed), or posix_spawn's error.
 */
int plot_run(const struct plot_job *job, char *why, size_t len);

#endif
