/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * outfile: an output file that is complete or absent.  Written to a
 * temporary file in the same directory and renamed over the target at the
 * end, so a reader never sees half a CSV and an error leaves the old file
 * (or nothing).  "-" is stdout.  A target that exists and is not a regular
 * file (/dev/null, a FIFO, /dev/full) is written in place, since renaming
 * over a device would replace the device.
 */
#ifndef WB_OUTFILE_H
#define WB_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile {
	const char *path;	/* as given, for messages */
	char *final;		/* where it ends up */
	char *tmp;		/* the temporary file, or NULL in place */
	FILE *f;
};

/* outfile_open creates the temporary file: 0 or errno (nothing created). */
int outfile_open(struct outfile *o, const char *path);

/* outfile_commit flushes, closes and renames: 0 or errno, in which case
 * the temporary file is removed. */
int outfile_commit(struct outfile *o);

/* outfile_abort closes and removes the temporary file. */
void outfile_abort(struct outfile *o);

#endif
