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
	{ NULL, FIELD_U64, NULL, 0 }
};

uint64_t
report_field_u64(const struct report_field *f, const struct trial_result *t)
{
	const char *p = (const char *)t + f->off;

	switch (f->kind) {
	case FIELD_U64:
		return *(const uint64_t *)(const void *)p;
	case FIELD_I64:
		return (uint64_t)*(const int64_t *)(const void *)p;
	case FIELD_BOOL:
		return *(const bool *)(const void *)p;
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

/* Busy loop: in the idle phase after the producers end (lib/trial.c), the
 * main thread woke, and found nothing to drain, more than once a
 * millisecond: a level-triggered waker that is never, or only partly,
 * emptied.  Measured as a rate, so the idle phase's length is free. */
#define BUSY_IDLE_PER_MS	1

/*
 * contended: could the machine run the loop and its clients in trial t
 * (see REPORT_CONTENDED_PCT)?  Keeps the worst figures seen.
 */
static bool
contended(const struct trial_result *t, double *main_pct, double *client_pct,
    uint64_t *stall_max)
{
	double window = (double)t->duration_ns;
	bool yes = false;

	if (t->client_stall_ns_max * 2 >= NET_TIMEOUT_NS) {
		if (t->client_stall_ns_max > *stall_max)
			*stall_max = t->client_stall_ns_max;
		yes = true;
	}
	if (window <= 0)
		return yes;
	if (t->main_run_delay_ns != RESULT_UNKNOWN) {
		double p = 100.0 * (double)t->main_run_delay_ns / window;
		if (p > *main_pct)
			*main_pct = p;
		yes |= p >= REPORT_CONTENDED_PCT;
	}
	if (t->client_run_delay_ns != RESULT_UNKNOWN) {
		double p = 100.0 * (double)t->client_run_delay_ns / window;
		if (p > *client_pct)
			*client_pct = p;
	}
	return yes;
}

void
report_verdict(const struct setup_result *sr, const struct config *c,
    struct verdict *v)
{
	uint64_t lost = 0, stranded = 0, items_lost = 0, seq = 0, leaked = 0;
	uint64_t blocked = 0, blocked_max = 0, errors = 0, net_errors = 0;
	uint64_t net_timeouts = 0, fd_leak = 0;
	uint64_t pokes_short = 0, pokes_over = 0;
	int first_errno = 0;
	double busy = 0;
	uint64_t busy_wakeups = 0, busy_ns = 0;
	uint64_t contended_starved = 0, stall_max = 0;
	double main_delay_pct = 0, client_delay_pct = 0;
	uint64_t spawned = 0, spawn_due = 0;
	bool deadlock = false, stuck = false;
	size_t n = 0;
	char a[32];

	v->findings = 0;
	for (unsigned i = 0; i < sr->done; i++) {
		const struct trial_result *t = &sr->trials[i];
		lost += t->lost_wakeups;
		if (t->stranded_ns_max > stranded)
			stranded = t->stranded_ns_max;
		items_lost += (uint64_t)(t->items_lost < 0 ? -t->items_lost : t->items_lost);
		seq += t->seq_errors;
		if (t->leaked_fds > leaked)
			leaked = t->leaked_fds;
		blocked += t->poke_blocked;
		if (t->blocked_ns_max > blocked_max)
			blocked_max = t->blocked_ns_max;
		errors += t->poke_errors;
		if (first_errno == 0)
			first_errno = t->poke_errno;
		net_errors += t->net_errors;
		uint64_t starved = t->net_timeouts + t->net_dropped + t->net_unanswered;
		if (starved && contended(t, &main_delay_pct, &client_delay_pct,
		    &stall_max))
			contended_starved += starved;
		else
			net_timeouts += starved;
		if (c != NULL && c->spawn > 0 && !t->partial) {
			spawned += t->spawned;
			spawn_due += c->spawn;
		}
		stuck |= t->stuck;
		if (t->fd_delta != 0 && t->fd_delta != RESULT_FD_UNKNOWN)
			fd_leak++;
		deadlock |= t->deadlock;
		if (t->pokes_unaccounted < 0)
			pokes_short += (uint64_t)-t->pokes_unaccounted;
		else
			pokes_over += (uint64_t)t->pokes_unaccounted;
		if (t->idle_ns > 0 &&
		    t->idle_wakeups * 1000000 > BUSY_IDLE_PER_MS * t->idle_ns &&
		    t->idle_wakeups > busy_wakeups) {
			busy_wakeups = t->idle_wakeups;
			busy = result_idle_cpu_pct(t);
			busy_ns = t->idle_ns;
		}
	}

	v->text[0] = '\0';
#define ADD(bit, ...) do {						\
	v->findings |= (bit);						\
	n += (size_t)snprintf(v->text + n, n < sizeof(v->text) ?	\
	    sizeof(v->text) - n : 0, "%s", n ? ", " : "");		\
	if (n < sizeof(v->text))					\
		n += (size_t)snprintf(v->text + n, sizeof(v->text) - n,	\
		    __VA_ARGS__);					\
} while (0)
	if (deadlock)
		ADD(FIND_DEADLOCK, "DEADLOCK");
	if (stuck)
		ADD(FIND_STUCK, "PRODUCERS STUCK (every producer blocked in a "
		    "poke for %s while the loop ran on: the waker is never emptied)",
		    units_format(UNIT_TIME, TRIAL_STUCK_NS, a, sizeof(a)));
	if (items_lost)
		ADD(FIND_ITEMS_LOST, "ITEMS LOST %llu", (unsigned long long)items_lost);
	if (seq)
		ADD(FIND_SEQUENCE, "SEQUENCE ERRORS %llu", (unsigned long long)seq);
	if (lost)
		ADD(FIND_LOST_WAKEUPS, "LOST WAKEUPS %llu (max stranded %s)",
		    (unsigned long long)lost, units_format(UNIT_TIME, stranded, a, sizeof(a)));
	if (leaked)
		ADD(FIND_LEAKED_FDS, "LEAKED FDS %llu", (unsigned long long)leaked);
	if (busy_wakeups > 0)
		ADD(FIND_BUSY_LOOP, "BUSY LOOP main %.0f%% CPU (%llu wakeups in %s idle)",
		    busy, (unsigned long long)busy_wakeups,
		    units_format(UNIT_TIME, busy_ns, a, sizeof(a)));
	if (blocked)
		ADD(FIND_BLOCKED, "PRODUCERS BLOCKED %llu (max %s)",
		    (unsigned long long)blocked, units_format(UNIT_TIME, blocked_max, a, sizeof(a)));
	if (errors)
		ADD(FIND_POKE_ERRORS, "POKE ERRORS %llu (%s)", (unsigned long long)errors,
		    strerror(first_errno));
	if (net_errors)
		ADD(FIND_NET_ERRORS, "NET ERRORS %llu", (unsigned long long)net_errors);
	if (net_timeouts)
		ADD(FIND_NET_STARVED, "NET STARVED %llu requests (replies over "
		    "%s, not sent with 256 outstanding, or never answered)",
		    (unsigned long long)net_timeouts,
		    units_format(UNIT_TIME, NET_TIMEOUT_NS, a, sizeof(a)));
	if (pokes_short)
		ADD(FIND_POKES_LOST, "POKES LOST %llu", (unsigned long long)pokes_short);
	if (pokes_over)
		ADD(FIND_POKES_LOST, "POKES EXCESS %llu", (unsigned long long)pokes_over);
	if (fd_leak)
		ADD(FIND_FD_LEAK, "DESCRIPTORS LEFT OPEN in %llu trials",
		    (unsigned long long)fd_leak);
#undef ADD
	if (v->findings == 0)
		snprintf(v->text, sizeof(v->text), "ok");
	/* Not a finding of the waker, but no figure above means much when
	 * the load generator itself could not keep its schedule. */
	uint64_t behind = 0, due = 0;
	for (unsigned i = 0; i < sr->done; i++) {
		behind += sr->trials[i].items_behind;
		due += sr->trials[i].produced + sr->trials[i].items_behind;
	}
	if (due > 0 && behind * 100 > due) {
		n = strlen(v->text);
		snprintf(v->text + n, sizeof(v->text) - n, " (producers behind "
		    "schedule: %.0f%% of the items due never made; lower -r or -p)",
		    100.0 * (double)behind / (double)due);
	}
	if (contended_starved) {
		n = strlen(v->text);
		if (stall_max * 2 >= NET_TIMEOUT_NS)
			snprintf(v->text + n, sizeof(v->text) - n, " (machine "
			    "contended: %llu requests starved while a client thread "
			    "did not run for %s, stopped or starved; not the loop's "
			    "finding)", (unsigned long long)contended_starved,
			    units_format(UNIT_TIME, stall_max, a, sizeof(a)));
		else
			snprintf(v->text + n, sizeof(v->text) - n, " (machine "
			    "contended: %llu requests starved while the main thread "
			    "waited %.0f%% and a client thread %.0f%% of the window "
			    "for a CPU; not the loop's finding)",
			    (unsigned long long)contended_starved, main_delay_pct,
			    client_delay_pct);
	}
	if (spawned < spawn_due) {
		n = strlen(v->text);
		snprintf(v->text + n, sizeof(v->text) - n, " (--spawn: %llu of "
		    "%llu children ran in the window; each took longer than its "
		    "share of it)", (unsigned long long)spawned,
		    (unsigned long long)spawn_due);
	}
}

const char *const report_finding_names[] = {
	"items_lost", "sequence", "lost_wakeups", "leaked_fds", "busy_loop",
	"producers_blocked", "deadlock", "poke_errors", "net_errors",
	"net_starved", "fd_leak", "stuck", "pokes_lost", NULL
};

char *
report_trial_findings(const struct trial_result *t, char *buf, size_t len)
{
	struct setup_result one = { .trials = (struct trial_result *)t, .done = 1 };
	struct verdict v;
	size_t n = 0;

	report_verdict(&one, NULL, &v);
	buf[0] = '\0';
	for (unsigned b = 0; report_finding_names[b] != NULL; b++)
		if ((v.findings & (1u << b)) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n ? "+" : "", report_finding_names[b]);
	if (n == 0)
		snprintf(buf, len, "none");
	return buf;
}

unsigned
report_findings(const struct run *r)
{
	unsigned all = 0;
	struct verdict v;

	for (size_t i = 0; i < r->n; i++) {
		report_verdict(&r->res[i], r->cfg, &v);
		all |= v.findings;
	}
	return all;
}
