/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "net.h"
#include "units.h"

#define U64(n, m)	{ n, FIELD_U64, NULL, offsetof(struct trial_result, m) }
#define I64(n, m)	{ n, FIELD_I64, NULL, offsetof(struct trial_result, m) }
#define BOOL(n, m)	{ n, FIELD_BOOL, NULL, offsetof(struct trial_result, m) }
#define REAL(n, fn)	{ n, FIELD_REAL, fn, 0 }

static double
writes_per_item(const struct trial_result *t)
{
	return result_per_item(t, t->writes);
}

static double
wakeups_per_item(const struct trial_result *t)
{
	return result_per_item(t, t->wakeups);
}

/* contended: the CONTENDED note's rule for one trial (lib/verdict.h). */
static double
contended(const struct trial_result *t)
{
	double share;

	return verdict_contended(t, &share);
}

/* The columns tests/cli/core.bats requires first, in a fixed order
 * (defined in docs/DESIGN.md#measurements); then the extras. */
const struct report_field report_fields[] = {
	U64("duration_ns", duration_ns),
	U64("items", items),
	I64("items_lost", items_lost),
	REAL("items_per_s", result_items_per_s),
	U64("pokes", pokes),
	U64("writes", writes),
	U64("poke_eagain", poke_eagain),
	U64("poke_blocked", poke_blocked),
	U64("blocked_ns_total", blocked_ns_total),
	U64("blocked_ns_max", blocked_ns_max),
	U64("waker_peak_bytes", waker_peak_bytes),
	U64("wakeups", wakeups),
	U64("wakeups_nosleep", wakeups_nosleep),
	U64("spurious_wakeups", spurious_wakeups),
	U64("lost_wakeups", lost_wakeups),
	U64("stranded_ns_max", stranded_ns_max),
	U64("lat_min_ns", lat[PCT_MIN]),
	U64("lat_p50_ns", lat[PCT_P50]),
	U64("lat_p90_ns", lat[PCT_P90]),
	U64("lat_p99_ns", lat[PCT_P99]),
	U64("lat_p999_ns", lat[PCT_P999]),
	U64("lat_p9999_ns", lat[PCT_P9999]),
	U64("lat_max_ns", lat[PCT_MAX]),
	U64("wake_p50_ns", wake[PCT_P50]),
	U64("wake_p99_ns", wake[PCT_P99]),
	U64("wake_max_ns", wake[PCT_MAX]),
	U64("net_requests", net_requests),
	U64("net_errors", net_errors),
	U64("net_rtt_p50_ns", rtt[PCT_P50]),
	U64("net_rtt_p99_ns", rtt[PCT_P99]),
	REAL("main_cpu_pct", result_main_cpu_pct),
	U64("leaked_fds", leaked_fds),
	/* extras */
	BOOL("partial", partial),
	BOOL("deadlock", deadlock),
	U64("produced", produced),
	U64("consumed", consumed),
	U64("seq_errors", seq_errors),
	U64("poke_errors", poke_errors),
	U64("pool_waits", pool_waits),
	U64("items_behind", items_behind),
	U64("waker_peak_pokes", waker_peak_pokes),
	U64("waits", waits),
	U64("reads", reads),
	U64("timeouts", timeouts),
	U64("wakeups_fed", wakeups_fed),
	REAL("writes_per_item", writes_per_item),
	REAL("wakeups_per_item", wakeups_per_item),
	REAL("prod_syscalls_per_item", result_prod_syscalls_per_item),
	REAL("main_syscalls_per_item", result_main_syscalls_per_item),
	U64("main_cpu_ns", main_cpu_ns),
	U64("main_wall_ns", main_wall_ns),
	U64("idle_ns", idle_ns),
	U64("idle_wakeups", idle_wakeups),
	REAL("idle_cpu_pct", result_idle_cpu_pct),
	U64("in_flight_at_stop", in_flight_at_stop),
	U64("setup_ns", setup_ns),
	U64("teardown_ns", teardown_ns),
	U64("wake_min_ns", wake[PCT_MIN]),
	U64("wake_p90_ns", wake[PCT_P90]),
	U64("wake_p999_ns", wake[PCT_P999]),
	U64("wake_p9999_ns", wake[PCT_P9999]),
	U64("wake_samples", wake_count),
	U64("net_rtt_min_ns", rtt[PCT_MIN]),
	U64("net_rtt_p90_ns", rtt[PCT_P90]),
	U64("net_rtt_p999_ns", rtt[PCT_P999]),
	U64("net_rtt_p9999_ns", rtt[PCT_P9999]),
	U64("net_rtt_samples", rtt_count),
	U64("net_rtt_max_ns", rtt[PCT_MAX]),
	U64("net_syscalls", net_syscalls),
	U64("net_sent", net_sent),
	U64("net_timeouts", net_timeouts),
	U64("net_dropped", net_dropped),
	U64("net_unanswered", net_unanswered),
	I64("fd_delta", fd_delta),
	BOOL("stuck", stuck),
	U64("spawned", spawned),
	U64("main_run_delay_ns", main_run_delay_ns),
	U64("client_run_delay_ns", client_run_delay_ns),
	U64("client_stall_ns_max", client_stall_ns_max),
	I64("pokes_unaccounted", pokes_unaccounted),
	/* where the wakeups' time went (lib/schedstat.h) */
	U64("main_timeslices", main_timeslices),
	U64("main_vcsw", main_vcsw),
	U64("main_ivcsw", main_ivcsw),
	U64("main_migrations", main_migrations),
	U64("prod_run_delay_ns", prod_run_delay_ns),
	U64("prod_ivcsw", prod_ivcsw),
	U64("rq_wait_per_wake_ns", rq_wait_per_wake_ns),
	U64("ipi_resched", ipi_resched),
	U64("ipi_call", ipi_call),
	U64("idle_entries", idle_entries),
	U64("idle_time_ns", idle_time_ns),
	{ "contended", FIELD_BOOL, contended, 0 },
	U64("lost_wakeups_total", lost_wakeups_total),
	U64("stranded_ns_max_total", stranded_ns_max_total),
	U64("poke_eagain_total", poke_eagain_total),
	U64("waker_full", waker_full),
	U64("waker_not_emptied", waker_not_emptied),
	/* --trace-sched (lib/tracesched.h) */
	U64("wake_kernel_p50_ns", wake_kernel_p50_ns),
	U64("wake_sched_p50_ns", wake_sched_p50_ns),
	U64("wake_return_p50_ns", wake_return_p50_ns),
	U64("wake_joined", wake_joined),
	U64("wake_unjoined", wake_unjoined),
	U64("trace_lost", trace_lost),
	U64("items_taken", taken),
	U64("cq_overflow", cq_overflow),
	U64("cq_dropped", cq_dropped),
	{ NULL, FIELD_U64, NULL, 0 }
};

/* no_samples: f is a percentile of a latency that has no sample in t. */
static bool
no_samples(const struct report_field *f, const struct trial_result *t)
{
#define IN(a)	(f->off >= offsetof(struct trial_result, a) && \
	    f->off < offsetof(struct trial_result, a) + sizeof(t->a))
	return (IN(lat) && t->lat_count == 0) ||
	    (IN(wake) && t->wake_count == 0) || (IN(rtt) && t->rtt_count == 0);
#undef IN
}

uint64_t
report_field_u64(const struct report_field *f, const struct trial_result *t)
{
	const char *p = (const char *)t + f->off;

	switch (f->kind) {
	case FIELD_U64:
		/* No sample is no latency, not a latency of 0. */
		if (no_samples(f, t))
			return RESULT_UNKNOWN;
		return *(const uint64_t *)(const void *)p;
	case FIELD_I64:
		return (uint64_t)*(const int64_t *)(const void *)p;
	case FIELD_BOOL:
		return f->real != NULL ? f->real(t) != 0 :
		    *(const bool *)(const void *)p;
	case FIELD_REAL:
		break;
	}
	return 0;
}

char *
report_fault_names(unsigned faults, char *buf, size_t len)
{
	fault_names(faults, buf, len);
	for (char *p = buf; *p != '\0'; p++)
		if (*p == ',')
			*p = '+';
	return buf;
}

