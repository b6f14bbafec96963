/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/*
 * The temporary files that exist now, for outfile_unlink_temps.  A slot is
 * set only once its string is complete and cleared before the string is
 * freed, and only the main thread changes them (the run's threads are
 * joined by then), so a handler on that thread sees a whole path or none.
 */
#define TEMPS_MAX	4
static char *volatile temps[TEMPS_MAX];

static void
temp_add(char *path)
{
	for (int i = 0; i < TEMPS_MAX; i++)
		if (temps[i] == NULL) {
			temps[i] = path;
			return;
		}
}

static void
temp_del(const char *path)
{
	for (int i = 0; i < TEMPS_MAX; i++)
		if (temps[i] == path)
			temps[i] = NULL;
}

void
outfile_unlink_temps(void)
{
	for (int i = 0; i < TEMPS_MAX; i++) {
		char *p = temps[i];
		if (p != NULL)
			unlink(p);
	}
}

/* names_fd: path is one of the names Linux gives descriptor fd. */
static bool
names_fd(const char *path, int fd)
{
	char a[32], b[32];

	snprintf(a, sizeof(a), "/dev/fd/%d", fd);
	snprintf(b, sizeof(b), "/proc/self/fd/%d", fd);
	return strcmp(path, fd == 1 ? "/dev/stdout" : "/dev/stderr") == 0 ||
	    strcmp(path, a) == 0 || strcmp(path, b) == 0;
}

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* is_fd: st is the file behind descriptor fd. */
static bool
is_fd(const struct stat *st, int fd)
{
	struct stat fst;

	return fstat(fd, &fst) == 0 && same_file(st, &fst);
}

/*
 * resolve follows path while its last component is a symlink, so that the
 * rename replaces the file the link names and the link stays; a dangling
 * link resolves to the file it would create.  Sets *out (the caller frees
 * it); returns 0 or errno.
 */
static int
resolve(const char *path, char **out)
{
	char *p = strdup(path), *link = malloc(PATH_MAX);
	struct stat st;
	int e = 0;

	for (int hops = 0; p != NULL && link != NULL; hops++) {
		if (lstat(p, &st) == -1) {
			e = errno == ENOENT ? 0 : errno;
			break;
		}
		if (!S_ISLNK(st.st_mode))
			break;
		ssize_t n = readlink(p, link, PATH_MAX - 1);
		if (n == -1 || hops == 40) {
			e = n == -1 ? errno : ELOOP;
			break;
		}
		link[n] = '\0';
		char *next;
		if (link[0] == '/') {
			next = strdup(link);
		} else {
			char *d = dirname(p);	/* p is replaced anyway */
			size_t len = strlen(d) + strlen(link) + 2;
			if ((next = malloc(len)) != NULL)
				snprintf(next, len, "%s/%s", d, link);
		}
		free(p);
		p = next;
	}
	free(link);
	if (e == 0 && (p == NULL || link == NULL))
		e = ENOMEM;
	if (e != 0) {
		free(p);
		return e;
	}
	*out = p;
	return 0;
}

/* temp_name: "DIR/.NAME.wakebench-XXXXXX" beside o->final, or NULL. */
static char *
temp_name(const struct outfile *o)
{
	char *d = strdup(o->final), *b = strdup(o->final), *t = NULL;

	if (d != NULL && b != NULL) {
		size_t len = strlen(o->final) + 32;
		if ((t = malloc(len)) != NULL)
			snprintf(t, len, "%s/.%s.wakebench-XXXXXX", dirname(d),
			    basename(b));
	}
	free(d);
	free(b);
	return t;
}

/* in_groups: gid is the process's group or one of its supplementary ones. */
static bool
in_groups(gid_t gid)
{
	gid_t g[256];
	int n = getgroups(256, g);

	if (gid == getegid())
		return true;
	for (int i = 0; i < n; i++)
		if (g[i] == gid)
			return true;
	return false;
}

/* try_temp creates the temporary file and removes it at once: whatever
 * stops that (a name too long once prefixed, a read-only or full file
 * system) is found before the run, not after it.  0 or errno. */
static int
try_temp(const struct outfile *o)
{
	char *t = temp_name(o);
	int fd, e = 0;

	if (t == NULL)
		return ENOMEM;
	if ((fd = mkostemp(t, O_CLOEXEC)) == -1) {
		e = errno;
	} else {
		temp_add(t);
		close(fd);
		unlink(t);
		temp_del(t);
	}
	free(t);
	return e;
}

/*
 * std_stream: path names standard output or standard error, by name
 * ("-", /dev/stdout, /proc/self/fd/1, ...) or by the file behind the
 * descriptor (`-o out.txt >out.txt`: renamed over, it would take the
 * table's place).  /dev/null can be both and harm neither (is_null).
 * True when o is complete.
 */
static bool
std_stream(struct outfile *o, const char *path)
{
	struct stat st;

	if (strcmp(path, "-") == 0 || names_fd(path, 1)) {
		o->kind = OUTFILE_STDOUT;
		return true;
	}
	if (names_fd(path, 2)) {
		o->is_stderr = true;
		return true;
	}
	if (stat(path, &st) == 0) {
		if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3))
			o->is_null = true;
		else if (is_fd(&st, 1)) {
			o->kind = OUTFILE_STDOUT;
			return true;
		} else if (is_fd(&st, 2)) {
			o->is_stderr = true;
			return true;
		}
	}
	return false;
}

/*
 * check_existing: what o->final is now.  A file that exists must be one
 * `>` could write, root or not; a file that is not regular (a FIFO, a
 * device) is written in place (o->kind).  0 or errno.
 */
static int
check_existing(struct outfile *o)
{
	struct stat st;

	if (stat(o->final, &st) == -1)
		return errno == ENOENT ? 0 : errno;
	o->exists = o->id_ok = true;
	o->dev = st.st_dev;
	o->ino = st.st_ino;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (faccessat(AT_FDCWD, o->final, W_OK, AT_EACCESS) == -1)
		return errno;
	if (!S_ISREG(st.st_mode)) {
		o->kind = OUTFILE_INPLACE;
		return 0;
	}
	o->mode = st.st_mode;
	o->uid = st.st_uid;
	o->gid = st.st_gid;
	return 0;
}

/*
 * may_replace: replacing a file takes its directory dir (dst, its stat),
 * and the right to give the replacement the old file's owner and group;
 * then a temporary file must be creatable there (try_temp).  0 or errno,
 * with o->why for EPERM.
 */
static int
may_replace(struct outfile *o, const char *dir, const struct stat *dst)
{
	uid_t me = geteuid();

	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == -1)
		return errno;
	if (o->exists && me != 0 && o->uid != me) {
		o->why = (dst->st_mode & S_ISVTX) && dst->st_uid != me ?
		    "owned by another user in a sticky directory: it cannot "
		    "be replaced" :
		    "owned by another user: a replacement could not keep its owner";
		return EPERM;
	}
	if (o->exists && me != 0 && !in_groups(o->gid) &&
	    !((dst->st_mode & S_ISGID) && dst->st_gid == o->gid)) {
		o->why = "its group is not one of yours: a replacement could "
		    "not keep its group";
		return EPERM;
	}
	return try_temp(o);
}

/*
 * check_dir: the directory the file is replaced in.  A new file takes the
 * directory's identity (for outfile_same) and keeps its base name.  0 or
 * errno.
 */
static int
check_dir(struct outfile *o)
{
	struct stat dst;
	int e = 0;

	char *d = strdup(o->final), *b = strdup(o->final);
	if (d == NULL || b == NULL) {
		e = ENOMEM;
		goto out;
	}
	const char *dir = dirname(d);
	if (stat(dir, &dst) == -1) {
		e = errno;
		goto out;
	}
	if (!o->exists) {
		o->id_ok = true;
		o->dev = dst.st_dev;
		o->ino = dst.st_ino;
		if ((o->base = strdup(basename(b))) == NULL) {
			e = ENOMEM;
			goto out;
		}
	}
	e = may_replace(o, dir, &dst);
out:
	free(d);
	free(b);
	return e;
}

int
outfile_check(struct outfile *o, const char *path)
{
	int e;

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->kind = OUTFILE_REPLACE;
	if (std_stream(o, path))
		return 0;
	/* "dir/" names a directory, never a file. */
	if (path[0] != '\0' && path[strlen(path) - 1] == '/')
		return EISDIR;
	if ((e = resolve(path, &o->final)) != 0)
		return e;
	if ((e = check_existing(o)) != 0 || o->kind == OUTFILE_INPLACE)
		return e;
	return check_dir(o);
}

bool
outfile_same(const struct outfile *a, const struct outfile *b)
{
	if (a->is_null || b->is_null)
		return false;
	if (a->kind == OUTFILE_STDOUT || b->kind == OUTFILE_STDOUT)
		return a->kind == b->kind;
	if (!a->id_ok || !b->id_ok)
		return strcmp(a->path, b->path) == 0;
	if (a->dev != b->dev || a->ino != b->ino)
		return false;
	if (a->base == NULL || b->base == NULL)
		return a->base == b->base;
	return strcmp(a->base, b->base) == 0;
}

static void
release(struct outfile *o)
{
	if (o->tmp != NULL) {
		unlink(o->tmp);
		temp_del(o->tmp);
	}
	free(o->tmp);
	free(o->final);
	free(o->base);
	o->tmp = o->final = o->base = NULL;
	o->f = NULL;
}

int
outfile_open(struct outfile *o)
{
	struct stat st;
	int fd, e;

	o->why = NULL;
	if (o->kind == OUTFILE_STDOUT) {
		o->f = stdout;
		return 0;
	}
	if (o->kind == OUTFILE_INPLACE)
		return (o->f = fopen(o->final, "we")) != NULL ? 0 : errno;

	if ((o->tmp = temp_name(o)) == NULL)
		return ENOMEM;
	if ((fd = mkostemp(o->tmp, O_CLOEXEC)) == -1) {
		e = errno;
		free(o->tmp);
		o->tmp = NULL;
		return e;
	}
	temp_add(o->tmp);
	/* The replacement keeps the old file's owner, group and mode (chown
	 * first: it clears set-id bits); a new file gets what a plain
	 * create would, where mkstemp makes 0600. */
	mode_t mode;
	if (o->exists) {
		mode = o->mode & 07777;
		if (fstat(fd, &st) == -1 ||
		    ((st.st_uid != o->uid || st.st_gid != o->gid) &&
		    fchown(fd, o->uid, o->gid) == -1))
			goto fail;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(fd, mode) == -1 || (o->f = fdopen(fd, "w")) == NULL)
		goto fail;
	return 0;
fail:
	e = errno;
	close(fd);
	unlink(o->tmp);
	temp_del(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return e;
}

int
outfile_commit(struct outfile *o)
{
	int e = 0;

	errno = 0;
	if (o->f == stdout) {
		if (fflush(stdout) == EOF || ferror(stdout))
			e = errno ? errno : EIO;
		release(o);
		return e;
	}
	if (o->f != NULL) {
		if (fflush(o->f) == EOF || ferror(o->f))
			e = errno ? errno : EIO;
		if (fclose(o->f) == EOF && e == 0)
			e = errno;
		o->f = NULL;
	}
	if (o->tmp != NULL && e == 0) {
		if (rename(o->tmp, o->final) == -1) {
			e = errno;
		} else {
			temp_del(o->tmp);
			free(o->tmp);
			o->tmp = NULL;
		}
	}
	release(o);
	return e;
}

void
outfile_abort(struct outfile *o)
{
	if (o->f != NULL && o->f != stdout)
		fclose(o->f);
	release(o);
}
