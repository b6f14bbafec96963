/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "leak.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int
leak_target(int fd, char *buf, unsigned long len)
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
leak_count(const char *exe, char *const targets[], int ntargets)
{
	char *argv[] = { "wakebench", LEAK_LIST_FDS, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, def;
	int out[2], e, status = 0, found = 0;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) == -1)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawnattr_init(&attr);
	/* The calling thread blocks every signal, and SIGPIPE is ignored;
	 * the child gets neither. */
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &def);
	/* Its own process group: a Ctrl-C at the terminal is the parent's
	 * to handle, and must not kill a child halfway through its list. */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	e = posix_spawn(&pid, exe, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(out[1]);
	if (e != 0) {
		close(out[0]);
		return -e;
	}

	FILE *f = fdopen(out[0], "r");
	char line[PATH_MAX + 32];
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *target = strchr(line, ' ');
		if (target == NULL)
			continue;
		target++;
		target[strcspn(target, "\n")] = '\0';
		for (int i = 0; i < ntargets; i++)
			if (strcmp(target, targets[i]) == 0) {
				found++;
				break;
			}
	}
	if (f != NULL)
		fclose(f);
	else
		close(out[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -ECHILD;
	return found;
}

int
leak_list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	char target[PATH_MAX];

	if (d == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		if (de->d_name[0] == '.' || *end != '\0' || fd == dirfd(d))
			continue;
		if (leak_target((int)fd, target, sizeof(target)) == 0)
			printf("%ld %s\n", fd, target);
	}
	closedir(d);
	return fflush(stdout) == 0 ? 0 : 1;
}
