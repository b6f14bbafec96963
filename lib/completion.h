/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * completion: `wakebench completion bash|zsh`, a shell completion script
 * generated at run time from config_opts[] and the tables behind it (the
 * same rows that drive the parser, --help and `list`), so it cannot go
 * stale.  The driver passes the subcommands, whose few options it parses
 * by hand.
 */
#ifndef WB_COMPLETION_H
#define WB_COMPLETION_H

#include <stdbool.h>
#include <stdio.h>

/* One subcommand besides `run`, whose options are config_opts[]. */
struct completion_sub {
	const char *name;	/* "compare" */
	const char *desc;	/* one line, for zsh */
	const char *file_opts;	/* its options taking a file, space-separated */
	const char *value_opts;	/* its options taking another value */
	const char *words;	/* its operands, space-separated, or NULL */
	bool files;		/* its operands are files */
};

/*
 * completion_write writes the script for shell ("bash" or "zsh") to f;
 * subs ends with a NULL name.  Returns 0, EINVAL for another shell, or
 * the stream's errno (EIO when it gives none).
 */
int completion_write(FILE *f, const char *shell, const char *version,
    const struct completion_sub *subs);

/* completion_shells: the shells completion_write knows, for messages. */
extern const char completion_shells[];

#endif
