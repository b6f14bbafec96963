/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * outfile: an output file that is complete or absent.
 *
 * Two steps, so that a run is never thrown away for a file it could not
 * have written, and no temporary file exists during the run:
 *
 *   outfile_check, before the run: resolve the path, decide how it will be
 *   written, and refuse what cannot be (a missing directory, a file the
 *   user could not write with `>`, a file another user owns in a sticky
 *   directory, a name too long for the temporary file).  Creates nothing
 *   that outlives the call.
 *
 *   outfile_open, write, outfile_commit, after the run: a regular file (or
 *   a new one) is written to a temporary file in the same directory, given
 *   the existing file's owner and mode, and renamed over the target, so a
 *   reader never sees half a CSV and an error leaves the old file (or
 *   nothing).
 *
 * "-", /dev/stdout, /dev/fd/1, /proc/self/fd/1 and any path that is the
 * file behind descriptor 1 are standard output, written in place.  A
 * target that exists and is not a regular file (/dev/null, a FIFO,
 * /dev/full) is written in place too, since renaming over a device would
 * replace the device.  A symlink is followed: its target is written and
 * the link kept.
 *
 * Temporary files are listed where a signal handler can remove them
 * (outfile_unlink_temps).
 */
#ifndef WB_OUTFILE_H
#define WB_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

enum outfile_kind {
	OUTFILE_STDOUT,		/* standard output, in place */
	OUTFILE_INPLACE,	/* an existing device, FIFO: opened and written */
	OUTFILE_REPLACE,	/* a regular or new file: temporary + rename */
};

struct outfile {
	const char *path;	/* as given, for messages */
	const char *why;	/* after a failure: a reason errno cannot say, or NULL */
	enum outfile_kind kind;
	bool is_stderr;		/* the file behind descriptor 2 (and not 1) */
	bool is_null;		/* /dev/null, which may alias anything */
	bool exists;
	bool id_ok;		/* dev, ino (and base) identify the target */
	dev_t dev;		/* the file's, or for a new file its directory's */
	ino_t ino;
	char *base;		/* a new file's name in that directory; else NULL */
	mode_t mode;		/* of the existing file, kept on the replacement */
	uid_t uid;
	gid_t gid;
	char *final;		/* the resolved target */
	char *tmp;		/* the temporary file while it exists */
	FILE *f;
};

/*
 * outfile_check fills o for path: 0, or an errno value (o->why may then
 * say more).  On failure o still holds what identity it could find, for
 * outfile_same; outfile_abort frees it either way.
 */
int outfile_check(struct outfile *o, const char *path);

/* outfile_same: a and b would write the same file.  /dev/null is never
 * the same as anything. */
bool outfile_same(const struct outfile *a, const struct outfile *b);

/* outfile_open, after outfile_check: opens the stream (creating the
 * temporary file): 0 or errno (nothing left behind).  EINTR when a signal
 * came while opening a FIFO with no reader. */
int outfile_open(struct outfile *o);

/* outfile_commit flushes, closes and renames: 0 or errno, in which case
 * the temporary file is removed.  Frees what o holds. */
int outfile_commit(struct outfile *o);

/* outfile_abort closes, removes the temporary file and frees o. */
void outfile_abort(struct outfile *o);

/* outfile_unlink_temps removes every temporary file that exists now.
 * Async-signal-safe. */
void outfile_unlink_temps(void);

#endif
