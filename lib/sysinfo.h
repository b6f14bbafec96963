/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * sysinfo: the machine state that decides wakeup latency as much as the
 * mechanism does (idle states alone can move it tenfold), read once per
 * run for the header, the CSV preamble and the JSON.
 */
#ifndef WB_SYSINFO_H
#define WB_SYSINFO_H

#include <stdbool.h>
#include <stdint.h>

struct sysinfo {
	char date[32];			/* UTC, ISO 8601 */
	char kernel[200];		/* "Linux 6.18.44 x86_64" */
	char cpu_model[128];
	int cpus_online;
	int cpus_allowed;		/* in this process's affinity mask */
	char cpus_list[128];		/* "0-1" */
	int first_cpu;			/* where --pin puts the main thread */
	uint64_t clock_res_ns;		/* clock_getres(CLOCK_MONOTONIC) */
	char clocksource[32];
	char cpuidle_driver[32];
	char cpuidle_governor[32];
	int64_t dma_latency_us;		/* current PM QoS target; -1 unknown */
	int64_t pm_qos_held_us;		/* what we hold, or -1 */
	long pipe_max_size;		/* fs.pipe-max-size; -1 unknown */
	long pipe_default_size;		/* F_GETPIPE_SZ of a new pipe */
	uint64_t nofile_soft, nofile_hard;
	/* Memory this process may still take: the smaller of MemAvailable
	 * and its memory cgroup's limit less its usage (v2 or v1); and what
	 * bound it, for messages.  UINT64_MAX when neither says. */
	uint64_t mem_avail;
	char mem_source[96];
	/* What moves wakeups besides the mechanism (read under
	 * $WAKEBENCH_SYSROOT, lib/schedstat.h): */
	char loadavg[64];		/* "7.75 4.66 5.37" at start, or "unknown" */
	char mitigations[640];		/* "spectre_v1, ...; vulnerable: mds" */
	char boot_knobs[256];		/* "idle=poll nohz_full=2-3", or "none" */
	char cpufreq_governor[96];	/* of the allowed CPUs, or "none (...)" */
	char counters_missing[512];	/* schedstat_missing(), "" if none */
	/* kernel.sched_rt_runtime_us and _period_us: RT throttling (-1 for
	 * runtime: off; both -1: unreadable). */
	int64_t rt_runtime_us, rt_period_us;
};

/* sysinfo_read fills si (fields it cannot read say "unknown" or -1). */
void sysinfo_read(struct sysinfo *si);

/* sysinfo_pm_qos writes "cpu_dma_latency held at 0us by wakebench" or
 * "cpu_dma_latency 2000000000us (no request)" into buf. */
char *sysinfo_pm_qos(const struct sysinfo *si, char *buf, unsigned long len);

/* sysinfo_rt_throttling writes "950000 us of every 1000000 us" (or "off",
 * "unknown") into buf. */
char *sysinfo_rt_throttling(const struct sysinfo *si, char *buf,
    unsigned long len);

/*
 * pmqos_hold opens /dev/cpu_dma_latency and writes us, as cyclictest
 * does; the request lasts while *fd stays open.  Returns 0 or errno.
 */
int pmqos_hold(int32_t us, int *fd);

/* sysinfo_cpus fills cpus with the CPUs this process may run on, in
 * order, and returns how many (at most max), or 0 on error. */
int sysinfo_cpus(int *cpus, int max);

#endif
