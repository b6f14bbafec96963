/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "leak.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "spawnattr.h"

extern char **environ;

/* How often a wait for the child looks at the cancel flag. */
#define LEAK_POLL_MS	20

static int
fd_name(int fd, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if ((n = readlink(path, buf, len - 1)) == -1)
		return errno;
	buf[n] = '\0';
	return 0;
}

int
leak_target(int fd, struct leak_target *t)
{
	t->fd = fd;
	return fd_name(fd, t->name, sizeof(t->name));
}

/* matches: does the child's line "fd name" name one of the targets? */
static bool
matches(char *line, const struct leak_target *targets, int n)
{
	char *end, *name = strchr(line, ' ');
	long fd = strtol(line, &end, 10);

	if (name == NULL || end != name)
		return false;
	name++;
	name[strcspn(name, "\n")] = '\0';
	for (int i = 0; i < n; i++)
		if (fd == targets[i].fd && strcmp(name, targets[i].name) == 0)
			return true;
	return false;
}

/* spawn_lister starts the child with its stdout on a pipe: 0 or errno. */
static int
spawn_lister(const char *exe, pid_t *pid, int *rfd)
{
	char *argv[] = { "wakebench", LEAK_LIST_FDS, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int out[2], e;

	if (pipe2(out, O_CLOEXEC) == -1)
		return errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	/* Its own process group: a Ctrl-C must not kill it halfway
	 * through its list. */
	spawn_attr_init(&attr);
	e = posix_spawn(pid, exe, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(out[1]);
	if (e != 0) {
		close(out[0]);
		return e;
	}
	*rfd = out[0];
	return 0;
}

int
leak_count(const char *exe, const struct leak_target *targets, int n,
    uint64_t deadline_ns, const atomic_bool *cancel, struct leak_status *st)
{
	char buf[4096], line[PATH_MAX + 32];
	size_t have = 0;
	int rfd = -1, e, status = 0, found = 0, why = 0;
	pid_t pid;

	st->why[0] = '\0';
	st->signal = 0;
	if ((e = spawn_lister(exe, &pid, &rfd)) != 0)
		return -e;
	/* Read the list as it comes, never blocking past the deadline or a
	 * cancel: a stopped child must not hold the trial. */
	for (bool eof = false; !eof;) {
		if (atomic_load_explicit(cancel, memory_order_relaxed)) {
			why = ECANCELED;
			break;
		}
		uint64_t now = clock_ns();
		if (now >= deadline_ns) {
			why = ETIMEDOUT;
			break;
		}
		struct pollfd p = { .fd = rfd, .events = POLLIN };
		uint64_t left_ms = (deadline_ns - now) / 1000000 + 1;
		if (poll(&p, 1, left_ms < LEAK_POLL_MS ? (int)left_ms : LEAK_POLL_MS) <= 0)
			continue;
		ssize_t k = read(rfd, buf + have, sizeof(buf) - 1 - have);
		if (k < 0 && errno == EINTR)
			continue;
		eof = k <= 0;
		have += k > 0 ? (size_t)k : 0;
		buf[have] = '\0';
		/* Whole lines only; a line longer than buf is dropped. */
		char *s = buf, *nl;
		while ((nl = strchr(s, '\n')) != NULL) {
			*nl = '\0';
			snprintf(line, sizeof(line), "%s", s);
			found += matches(line, targets, n);
			s = nl + 1;
		}
		have = strlen(s);
		memmove(buf, s, have + 1);
		if (have == sizeof(buf) - 1)
			have = 0;
	}
	close(rfd);
	if (why != 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (why != 0)
		return -why;
	if (WIFSIGNALED(status)) {
		st->signal = WTERMSIG(status);
		snprintf(st->why, sizeof(st->why), "killed by signal %d",
		    WTERMSIG(status));
		return -ECHILD;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(st->why, sizeof(st->why), "exited %d",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -ECHILD;
	}
	return found;
}

int
leak_list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	char name[PATH_MAX];

	if (d == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		if (de->d_name[0] == '.' || *end != '\0' || fd == dirfd(d))
			continue;
		if (fd_name((int)fd, name, sizeof(name)) == 0)
			printf("%ld %s\n", fd, name);
	}
	closedir(d);
	return fflush(stdout) == 0 ? 0 : 1;
}
