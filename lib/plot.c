/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "plot.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "report.h"
#include "spawnattr.h"
#include "units.h"

extern char **environ;

#define PLOT_STACK	(8u << 20)

const struct plot_metric plot_metric_table[] = {
	{ "wake", "wakeup latency: poke -> return from the wait", false },
	{ "item", "item latency: scheduled time -> taken off the queue", false },
	{ "net_rtt", "request round trip at the client (needs -c)", true },
	{ NULL, NULL, false },
};

int
plot_find_gnuplot(char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char dir[PATH_MAX];

	/* POSIX: an unset PATH searches an implementation-defined list;
	 * take the usual one. */
	if (path == NULL)
		path = "/usr/bin:/bin";
	for (const char *p = path; ; ) {
		size_t n = strcspn(p, ":");
		/* An empty element is the current folder. */
		snprintf(dir, sizeof(dir), "%.*s", (int)n, n ? p : ".");
		if ((size_t)snprintf(buf, len, "%s/gnuplot", dir) < len &&
		    access(buf, X_OK) == 0)
			return 0;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	buf[0] = '\0';
	return ENOENT;
}

int
plot_find_scripts(const char *const *dirs, char *buf, size_t len)
{
	char f[PATH_MAX];

	for (; *dirs != NULL; dirs++) {
		snprintf(f, sizeof(f), "%s/" PLOT_SCRIPT, *dirs);
		if (access(f, R_OK) == 0 &&
		    (size_t)snprintf(buf, len, "%s", *dirs) < len)
			return 0;
	}
	return ENOENT;
}

const char *
plot_extension(const char *path)
{
	size_t n = strlen(path);

	if (n > 4 && strcmp(path + n - 4, ".png") == 0)
		return ".png";
	if (n > 4 && strcmp(path + n - 4, ".svg") == 0)
		return ".svg";
	return NULL;
}

/* wrap appends line to buf (at n), broken at spaces before width
 * characters, continuations indented; returns the new length. */
static size_t
wrap(char *buf, size_t len, size_t n, const char *line, size_t width)
{
	size_t col = 0;

	for (const char *p = line; *p && n + 4 < len; ) {
		size_t w = strcspn(p, " ");
		if (col > 0 && col + 1 + w > width) {
			n += (size_t)snprintf(buf + n, len - n, "\n   ");
			col = 3;
		} else if (col > 0) {
			buf[n++] = ' ';
			col++;
		}
		n += (size_t)snprintf(buf + n, len - n, "%.*s", (int)w, p);
		if (n >= len)
			n = len - 1;
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	buf[n] = '\0';
	return n;
}

char *
plot_note(const struct run *r, char *buf, size_t len)
{
	const struct sysinfo *s = r->sys;
	char line[1024], q[128], res[32];
	size_t n = 0;

	buf[0] = '\0';
	snprintf(line, sizeof(line), "wakebench %s, %s: %s, %s, %d CPUs online "
	    "(%s allowed)", r->version, s->date, s->kernel, s->cpu_model,
	    s->cpus_online, s->cpus_list);
	n = wrap(buf, len, n, line, PLOT_NOTE_WIDTH);
	snprintf(line, sizeof(line), "\nclock %s (resolution %s); cpuidle "
	    "driver %s, governor %s; %s; %s", s->clocksource,
	    units_format(UNIT_TIME, s->clock_res_ns, res, sizeof(res)),
	    s->cpuidle_driver, s->cpuidle_governor,
	    sysinfo_pm_qos(s, q, sizeof(q)), r->cfg->pin ?
	    "pinned round-robin" : "unpinned");
	n = wrap(buf, len, n, line, PLOT_NOTE_WIDTH);
	n = wrap(buf, len, n, "\n$", PLOT_NOTE_WIDTH);
	if (n + 1 < len)
		buf[n++] = ' ';
	wrap(buf, len, n, r->command, PLOT_NOTE_WIDTH);
	return buf;
}

/* gp_string appends s to buf as a gnuplot double-quoted string ("\n" for
 * a newline; \ and " escaped); false when it does not fit. */
static bool
gp_string(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	if (n + 1 >= len)
		return false;
	buf[n++] = '"';
	for (; *s && n + 3 < len; s++) {
		if (*s == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else if (*s == '\\' || *s == '"') {
			buf[n++] = '\\';
			buf[n++] = *s;
		} else if ((unsigned char)*s >= 0x20) {
			buf[n++] = *s;
		}
	}
	if (*s != '\0' || n + 2 > len)
		return false;
	buf[n++] = '"';
	buf[n] = '\0';
	return true;
}

/* gp_set appends `name=VALUE; ` to buf. */
static bool
gp_set(char *buf, size_t len, const char *name, const char *value)
{
	size_t n = strlen(buf);

	if ((size_t)snprintf(buf + n, len - n, "%s=", name) >= len - n)
		return false;
	if (!gp_string(buf, len, value))
		return false;
	n = strlen(buf);
	return (size_t)snprintf(buf + n, len - n, "; ") < len - n;
}

/* wait_for reaps pid within timeout_s, killing it past that or on an
 * interrupt: 0, or ECHILD / ETIMEDOUT / EINTR with why. */
static int
wait_for(pid_t pid, const struct plot_job *job, char *why, size_t len)
{
	uint64_t deadline = clock_ns() + (uint64_t)job->timeout_s * 1000000000ULL;
	int status, e = 0;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w == -1 && errno != EINTR) {
			snprintf(why, len, "waitpid: %s", strerror(errno));
			return ECHILD;
		}
		if (e == 0 && job->interrupted != NULL && *job->interrupted)
			e = EINTR;
		if (e == 0 && clock_ns() >= deadline)
			e = ETIMEDOUT;
		if (e != 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			snprintf(why, len, e == EINTR ? "interrupted: gnuplot "
			    "killed" : "gnuplot took over %u s: killed",
			    job->timeout_s);
			return e;
		}
		clock_sleep_until(clock_ns() + 10000000);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(why, len, "gnuplot exited with status %d",
		    WEXITSTATUS(status));
	else
		snprintf(why, len, "gnuplot died of signal %d",
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return ECHILD;
}

int
plot_run(const struct plot_job *job, char *why, size_t len)
{
	/* On the heap: the caller's stack may be small. */
	const size_t elen = 16384;
	char *expr = calloc(1, elen);
	char *argv[] = { "gnuplot", "-e", expr, (char *)job->script, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	pid_t pid;
	int e;

	if (expr == NULL) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		return ENOMEM;
	}
	/* outext: the picture's name is a temporary file's. */
	if (!gp_set(expr, elen, "in", job->in) ||
	    !gp_set(expr, elen, "out", job->out) ||
	    !gp_set(expr, elen, "outext", job->ext) ||
	    !gp_set(expr, elen, "metric", job->metric) ||
	    !gp_set(expr, elen, "note", job->note)) {
		free(expr);
		snprintf(why, len, "the gnuplot parameters are too long");
		return E2BIG;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	spawn_attr_init(&attr);	/* a Ctrl-C is ours: wait_for kills it */
	/* gnuplot gets an ordinary stack (8 MiB, within the hard limit),
	 * whatever small one we run under: it inherits RLIMIT_STACK. */
	struct rlimit rl, was;
	bool raised = false;
	if (getrlimit(RLIMIT_STACK, &was) == 0 && was.rlim_cur != RLIM_INFINITY &&
	    was.rlim_cur < PLOT_STACK) {
		rl = was;
		rl.rlim_cur = was.rlim_max == RLIM_INFINITY ||
		    was.rlim_max > PLOT_STACK ? PLOT_STACK : was.rlim_max;
		raised = setrlimit(RLIMIT_STACK, &rl) == 0;
	}
	e = posix_spawn(&pid, job->gnuplot, &fa, &attr, argv, environ);
	if (raised)
		setrlimit(RLIMIT_STACK, &was);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(expr);
	if (e != 0) {
		snprintf(why, len, "%s: %s", job->gnuplot, strerror(e));
		return e;
	}
	return wait_for(pid, job, why, len);
}
