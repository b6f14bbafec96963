/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
outfile_open(struct outfile *o, const char *path)
{
	struct stat st;
	int fd, e;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	/* "dir/" names a directory, never a file: say so now, not after the
	 * run when the rename fails. */
	if (path[0] != '\0' && path[strlen(path) - 1] == '/')
		return EISDIR;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return EISDIR;
		if ((o->f = fopen(path, "we")) == NULL)
			return errno;
		return 0;
	}
	/* Follow a symlink to the file it names, so the rename replaces the
	 * file rather than the link. */
	char *real = realpath(path, NULL);
	o->final = real != NULL ? real : strdup(path);
	char *dircopy = strdup(o->final), *basecopy = strdup(o->final);
	if (o->final == NULL || dircopy == NULL || basecopy == NULL) {
		free(dircopy);
		free(basecopy);
		free(o->final);
		o->final = NULL;
		return ENOMEM;
	}
	size_t len = strlen(o->final) + 32;
	if ((o->tmp = malloc(len)) == NULL) {
		e = ENOMEM;
		goto fail;
	}
	snprintf(o->tmp, len, "%s/.%s.wakebench-XXXXXX", dirname(dircopy),
	    basename(basecopy));
	if ((fd = mkostemp(o->tmp, O_CLOEXEC)) == -1) {
		e = errno;
		goto fail;
	}
	/* mkstemp makes 0600; give the file the mode a plain create would. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	if ((o->f = fdopen(fd, "w")) == NULL) {
		e = errno;
		close(fd);
		unlink(o->tmp);
		goto fail;
	}
	free(dircopy);
	free(basecopy);
	return 0;
fail:
	free(dircopy);
	free(basecopy);
	free(o->tmp);
	free(o->final);
	o->tmp = o->final = NULL;
	return e;
}

int
outfile_commit(struct outfile *o)
{
	int e = 0;

	if (o->f == NULL)
		return 0;
	errno = 0;
	if (o->f == stdout) {
		if (fflush(stdout) == EOF || ferror(stdout))
			e = errno ? errno : EIO;
		o->f = NULL;
		return e;
	}
	if (fflush(o->f) == EOF || ferror(o->f))
		e = errno ? errno : EIO;
	if (fclose(o->f) == EOF && e == 0)
		e = errno;
	o->f = NULL;
	if (o->tmp != NULL) {
		if (e == 0 && rename(o->tmp, o->final) == -1)
			e = errno;
		if (e != 0)
			unlink(o->tmp);
	}
	free(o->tmp);
	free(o->final);
	o->tmp = o->final = NULL;
	return e;
}

void
outfile_abort(struct outfile *o)
{
	if (o->f != NULL && o->f != stdout)
		fclose(o->f);
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->final);
	o->f = NULL;
	o->tmp = o->final = NULL;
}
