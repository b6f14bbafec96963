/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "rt.h"

#include <errno.h>
#include <stdbool.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

const char *const rt_names[] = { "other", "fifo", "rr", NULL };

static int
os_policy(int policy)
{
	return policy == RT_FIFO ? SCHED_FIFO : policy == RT_RR ? SCHED_RR :
	    SCHED_OTHER;
}

int
rt_parse(const char *s, int *policy, int *prio, char *why, size_t len)
{
	size_t n = strcspn(s, ":");
	int p = -1;

	for (int i = 0; rt_names[i] != NULL; i++)
		if (strlen(rt_names[i]) == n && strncmp(s, rt_names[i], n) == 0)
			p = i;
	if (p < 0 || (p == RT_OTHER && s[n] == ':')) {
		snprintf(why, len, "expected other, fifo[:PRIO] or rr[:PRIO]");
		return EINVAL;
	}
	if (s[n] != ':') {
		*policy = p;
		*prio = p == RT_OTHER ? 0 : RT_PRIO_DEFAULT;
		return 0;
	}
	char *end;
	errno = 0;
	long v = strtol(s + n + 1, &end, 10);
	if (end == s + n + 1 || *end != '\0' || s[n + 1] < '0' || s[n + 1] > '9') {
		snprintf(why, len, "expected other, fifo[:PRIO] or rr[:PRIO]");
		return EINVAL;
	}
	if (errno != 0 || v < 1 || v > RT_PRIO_MAX) {
		snprintf(why, len, "PRIO must be between 1 and %d", RT_PRIO_MAX);
		return ERANGE;
	}
	*policy = p;
	*prio = (int)v;
	return 0;
}

char *
rt_format(int policy, int prio, char *buf, size_t len)
{
	if (policy == RT_OTHER)
		snprintf(buf, len, "other");
	else
		snprintf(buf, len, "%s:%d", rt_names[policy], prio);
	return buf;
}

/*
 * may_lock_all: MCL_FUTURE locks every page mapped later (thread stacks,
 * item pools), which past a finite RLIMIT_MEMLOCK makes those mappings
 * fail in the middle of a trial: only an unlimited RLIMIT_MEMLOCK or
 * CAP_IPC_LOCK (bit 14 of CapEff) is enough.
 */
static bool
may_lock_all(void)
{
	struct rlimit rl;
	char line[128];
	unsigned long long cap = 0;
	FILE *f;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur == RLIM_INFINITY)
		return true;
	if ((f = fopen("/proc/self/status", "re")) == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "CapEff: %llx", &cap) == 1)
			break;
	fclose(f);
	return (cap >> 14) & 1;
}

int
rt_enter(int policy, int prio, const char **step)
{
	struct sched_param sp = { .sched_priority = prio + 1 };
	int p = os_policy(policy) | SCHED_RESET_ON_FORK;

	if (policy == RT_OTHER)
		return 0;
	/* Locked first, as cyclictest does: a page fault in the measured
	 * loop would be a latency that is not the waker's. */
	*step = "RLIMIT_MEMLOCK";
	if (!may_lock_all())
		return ENOMEM;
	*step = "mlockall";
	if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
		return errno;
	*step = "sched_setscheduler";
	if (sched_setscheduler(0, p, &sp) != 0 ||
	    (sp.sched_priority = prio, sched_setscheduler(0, p, &sp)) != 0) {
		int e = errno;
		munlockall();
		return e;
	}
	return 0;
}

int
rt_attr(pthread_attr_t *a, int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };
	int e;

	if (policy == RT_OTHER)
		return 0;
	if ((e = pthread_attr_setinheritsched(a, PTHREAD_EXPLICIT_SCHED)) != 0 ||
	    (e = pthread_attr_setschedpolicy(a, os_policy(policy))) != 0)
		return e;
	return pthread_attr_setschedparam(a, &sp);
}

void
rt_yield(int policy)
{
	if (policy != RT_OTHER)
		sched_yield();
}

static int64_t
read_i64(const char *path)
{
	FILE *f = fopen(path, "re");
	long long v;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

void
rt_throttling(int64_t *runtime_us, int64_t *period_us)
{
	*runtime_us = read_i64("/proc/sys/kernel/sched_rt_runtime_us");
	*period_us = read_i64("/proc/sys/kernel/sched_rt_period_us");
}
