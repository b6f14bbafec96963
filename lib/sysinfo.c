/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "sysinfo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "rt.h"
#include "schedstat.h"

/* read_line copies the first line of path into buf, or "unknown". */
static void
read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	snprintf(buf, len, "unknown");
	if (f == NULL)
		return;
	if (fgets(buf, (int)len, f) == NULL)
		snprintf(buf, len, "unknown");
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static void
cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[256];

	snprintf(buf, len, "unknown");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "model name", 10) != 0)
			continue;
		char *colon = strchr(line, ':');
		if (colon != NULL) {
			colon += strspn(colon + 1, " \t") + 1;
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(buf, len, "%s", colon);
		}
		break;
	}
	fclose(f);
}

int
sysinfo_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == -1)
		return 0;
	for (int i = 0; i < CPU_SETSIZE && n < max; i++)
		if (CPU_ISSET(i, &set))
			cpus[n++] = i;
	return n;
}

/* cpus_list writes the CPUs of set as ranges: "0-3,6"; returns how many. */
static int
cpus_list(const cpu_set_t *set, char *buf, size_t len)
{
	size_t o = 0;
	int n = 0;

	buf[0] = '\0';
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, set))
			continue;
		int j = i;
		while (j + 1 < CPU_SETSIZE && CPU_ISSET(j + 1, set))
			j++;
		n += j - i + 1;
		if (o < len && j == i)
			o += (size_t)snprintf(buf + o, len - o, "%s%d", o ? "," : "", i);
		else if (o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%d-%d", o ? "," : "", i, j);
		i = j;
	}
	return n;
}

/* read_root: read_line of path under $WAKEBENCH_SYSROOT. */
static void
read_root(const char *path, char *buf, size_t len)
{
	char p[512];

	read_line(schedstat_path(p, sizeof(p), path), buf, len);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * mitigations: the CPU vulnerabilities the kernel mitigates (each one a
 * cost on every kernel entry and exit, hence on every wakeup), and those
 * it leaves open, from /sys/devices/system/cpu/vulnerabilities.
 */
static void
mitigations(char *buf, size_t len)
{
	char p[512], line[256], *name[64];
	int n = 0;
	size_t o = 0, v = 0;
	char vuln[320] = "";
	DIR *d = opendir(schedstat_path(p, sizeof(p),
	    "/sys/devices/system/cpu/vulnerabilities"));

	snprintf(buf, len, "unknown");
	if (d == NULL)
		return;
	for (struct dirent *e; (e = readdir(d)) != NULL && n < 64;)
		if (e->d_name[0] != '.' && (name[n] = strdup(e->d_name)) != NULL)
			n++;
	closedir(d);
	qsort(name, (size_t)n, sizeof(name[0]), cmp_str);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "/sys/devices/system/cpu/vulnerabilities/%s",
		    name[i]);
		read_root(p, line, sizeof(line));
		if (strncmp(line, "Mitigation", 10) == 0 && o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
			    o ? ", " : "", name[i]);
		else if (strncmp(line, "Vulnerable", 10) == 0 && v < sizeof(vuln))
			v += (size_t)snprintf(vuln + v, sizeof(vuln) - v, "%s%s",
			    v ? ", " : "", name[i]);
		free(name[i]);
	}
	if (o == 0)
		snprintf(buf, len, "none");
	o = strlen(buf);
	snprintf(buf + o, len - o, "; vulnerable: %s", v ? vuln : "none");
}

/*
 * boot_knobs: the kernel command-line parameters that move wakeups (idle
 * states, tickless and isolated CPUs, mitigations, guest halt-polling),
 * or "none".
 */
static void
boot_knobs(char *buf, size_t len)
{
	static const char *const knob[] = { "idle=", "isolcpus=", "nohz_full=",
	    "nohz=", "mitigations=", "processor.max_cstate=",
	    "intel_idle.max_cstate=", "cpuidle.off=", "cpuidle_haltpoll.",
	    "haltpoll.", "rcu_nocbs=", "threadirqs", "preempt=", NULL };
	char line[4096], *save = NULL;
	size_t o = 0;

	read_root("/proc/cmdline", line, sizeof(line));
	buf[0] = '\0';
	for (char *w = strtok_r(line, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		if (strcmp(w, "--") == 0)
			break;		/* init's arguments from here */
		for (int i = 0; knob[i] != NULL; i++)
			if (strncmp(w, knob[i], strlen(knob[i])) == 0 && o < len) {
				o += (size_t)snprintf(buf + o, len - o, "%s%s",
				    o ? " " : "", w);
				break;
			}
	}
	if (o == 0)
		snprintf(buf, len, "none");
}

/* cpufreq: the distinct scaling governors of the CPUs in set. */
static void
cpufreq(const cpu_set_t *set, char *buf, size_t len)
{
	char path[128], g[32];
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, set))
			continue;
		snprintf(path, sizeof(path),
		    "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", i);
		read_root(path, g, sizeof(g));
		if (strcmp(g, "unknown") == 0)
			continue;
		/* "performance", or "schedutil, performance" when mixed */
		char *hit = strstr(buf, g);
		size_t gl = strlen(g);
		if (hit != NULL && (hit[gl] == '\0' || hit[gl] == ','))
			continue;
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "", g);
	}
	if (o == 0)
		snprintf(buf, len, "none (no cpufreq: a VM, or a fixed clock)");
}

/* read_u64: the first number in path, or UINT64_MAX ("max", absent). */
static uint64_t
read_u64(const char *path)
{
	unsigned long long v;
	FILE *f = fopen(path, "re");
	int ok = f != NULL && fscanf(f, "%llu", &v) == 1;

	if (f != NULL)
		fclose(f);
	return ok ? (uint64_t)v : UINT64_MAX;
}

/* cgroup_room: a memory cgroup's limit less its usage, or UINT64_MAX. */
static uint64_t
cgroup_room(const char *limit_path, const char *usage_path, uint64_t *limit)
{
	*limit = read_u64(limit_path);
	uint64_t usage = read_u64(usage_path);

	/* v1 says "no limit" with a huge number, not "max". */
	if (*limit == UINT64_MAX || *limit >= (1ULL << 60) || usage == UINT64_MAX)
		return UINT64_MAX;
	return usage < *limit ? *limit - usage : 0;
}

/* mem_avail fills si->mem_avail and si->mem_source. */
static void
mem_avail(struct sysinfo *si)
{
	char line[512], path[700];
	unsigned long long kb;
	FILE *f;

	si->mem_avail = UINT64_MAX;
	snprintf(si->mem_source, sizeof(si->mem_source), "unknown");
	if ((f = fopen("/proc/meminfo", "re")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
				si->mem_avail = (uint64_t)kb * 1024;
				snprintf(si->mem_source, sizeof(si->mem_source),
				    "MemAvailable");
			}
		fclose(f);
	}
	if ((f = fopen("/proc/self/cgroup", "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		char *ctrl = strchr(line, ':'), *cg;
		if (ctrl == NULL || (cg = strchr(ctrl + 1, ':')) == NULL)
			continue;
		*cg++ = '\0';
		ctrl++;
		uint64_t room, limit;
		if (*ctrl == '\0') {			/* v2: "0::/path" */
			char lim[700], use[700];
			snprintf(lim, sizeof(lim), "/sys/fs/cgroup%s/memory.max", cg);
			snprintf(use, sizeof(use), "/sys/fs/cgroup%s/memory.current", cg);
			room = cgroup_room(lim, use, &limit);
		} else if (strstr(ctrl, "memory") != NULL) {	/* v1 */
			char use[700];
			snprintf(path, sizeof(path),
			    "/sys/fs/cgroup/memory%s/memory.limit_in_bytes", cg);
			snprintf(use, sizeof(use),
			    "/sys/fs/cgroup/memory%s/memory.usage_in_bytes", cg);
			room = cgroup_room(path, use, &limit);
		} else {
			continue;
		}
		if (room < si->mem_avail) {
			si->mem_avail = room;
			snprintf(si->mem_source, sizeof(si->mem_source),
			    "memory cgroup limit %llu MiB",
			    (unsigned long long)(limit >> 20));
		}
	}
	fclose(f);
}

void
sysinfo_read(struct sysinfo *si)
{
	struct utsname u;
	struct timespec ts;
	struct rlimit rl;
	char buf[64];
	cpu_set_t set;
	int fds[2];

	memset(si, 0, sizeof(*si));
	mem_avail(si);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(si->date, sizeof(si->date), "%Y-%m-%dT%H:%M:%SZ", &tm);

	if (uname(&u) == 0)
		snprintf(si->kernel, sizeof(si->kernel), "%s %s %s", u.sysname,
		    u.release, u.machine);
	else
		snprintf(si->kernel, sizeof(si->kernel), "unknown");
	cpu_model(si->cpu_model, sizeof(si->cpu_model));
	si->cpus_online = (int)sysconf(_SC_NPROCESSORS_ONLN);
	/* The set, not an array of CPU_SETSIZE ints: 4 KiB less stack. */
	if (sched_getaffinity(0, sizeof(set), &set) == -1)
		CPU_ZERO(&set);
	si->cpus_allowed = cpus_list(&set, si->cpus_list, sizeof(si->cpus_list));
	for (int i = 0; i < CPU_SETSIZE && si->cpus_allowed > 0; i++)
		if (CPU_ISSET(i, &set)) {
			si->first_cpu = i;
			break;
		}

	if (clock_getres(CLOCK_MONOTONIC, &ts) == 0)
		si->clock_res_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
	    si->clocksource, sizeof(si->clocksource));
	read_root("/sys/devices/system/cpu/cpuidle/current_driver",
	    si->cpuidle_driver, sizeof(si->cpuidle_driver));
	read_root("/sys/devices/system/cpu/cpuidle/current_governor",
	    si->cpuidle_governor, sizeof(si->cpuidle_governor));
	if (strcmp(si->cpuidle_governor, "unknown") == 0)
		read_root("/sys/devices/system/cpu/cpuidle/current_governor_ro",
		    si->cpuidle_governor, sizeof(si->cpuidle_governor));

	/* Reading /dev/cpu_dma_latency gives the current target, a binary
	 * s32 in microseconds (2000000000 = no request). */
	si->dma_latency_us = -1;
	si->pm_qos_held_us = -1;
	int fd = open("/dev/cpu_dma_latency", O_RDONLY | O_CLOEXEC);
	if (fd != -1) {
		int32_t v;
		if (read(fd, &v, sizeof(v)) == sizeof(v))
			si->dma_latency_us = v;
		close(fd);
	}

	read_line("/proc/sys/fs/pipe-max-size", buf, sizeof(buf));
	si->pipe_max_size = strcmp(buf, "unknown") ? atol(buf) : -1;
	si->pipe_default_size = -1;
	if (pipe2(fds, O_CLOEXEC) == 0) {
		si->pipe_default_size = fcntl(fds[0], F_GETPIPE_SZ);
		close(fds[0]);
		close(fds[1]);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		si->nofile_soft = rl.rlim_cur;
		si->nofile_hard = rl.rlim_max;
	}

	read_root("/proc/loadavg", si->loadavg, sizeof(si->loadavg));
	/* "7.75 4.66 5.37 7/121 15717": the three averages only */
	char *sp = si->loadavg;
	for (int i = 0; i < 3 && sp != NULL; i++)
		sp = strchr(sp + (i > 0), ' ');
	if (sp != NULL)
		*sp = '\0';
	mitigations(si->mitigations, sizeof(si->mitigations));
	boot_knobs(si->boot_knobs, sizeof(si->boot_knobs));
	cpufreq(&set, si->cpufreq_governor, sizeof(si->cpufreq_governor));
	schedstat_missing(si->counters_missing, sizeof(si->counters_missing),
	    si->cpus_allowed > 0 ? si->first_cpu : 0);
	rt_throttling(&si->rt_runtime_us, &si->rt_period_us);
}

char *
sysinfo_pm_qos(const struct sysinfo *si, char *buf, unsigned long len)
{
	if (si->pm_qos_held_us >= 0)
		snprintf(buf, len, "cpu_dma_latency held at %lldus by wakebench",
		    (long long)si->pm_qos_held_us);
	else if (si->dma_latency_us < 0)
		snprintf(buf, len, "cpu_dma_latency unreadable");
	else if (si->dma_latency_us >= 2000000000)
		snprintf(buf, len, "cpu_dma_latency %lldus (no request)",
		    (long long)si->dma_latency_us);
	else
		snprintf(buf, len, "cpu_dma_latency %lldus (held by another process)",
		    (long long)si->dma_latency_us);
	return buf;
}

char *
sysinfo_rt_throttling(const struct sysinfo *si, char *buf, unsigned long len)
{
	if (si->rt_period_us < 0)
		snprintf(buf, len, "unknown");
	else if (si->rt_runtime_us < 0)
		snprintf(buf, len, "off (sched_rt_runtime_us -1)");
	else
		snprintf(buf, len, "%lld us of every %lld us",
		    (long long)si->rt_runtime_us, (long long)si->rt_period_us);
	return buf;
}

int
pmqos_hold(int32_t us, int *fd)
{
	int f = open("/dev/cpu_dma_latency", O_WRONLY | O_CLOEXEC);

	if (f == -1)
		return errno;
	if (write(f, &us, sizeof(us)) != sizeof(us)) {
		int e = errno;
		close(f);
		return e;
	}
	*fd = f;
	return 0;
}
