/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * verdict: the judgement of a run, apart from its rendering.  Every
 * finding, its threshold and the exit status are decided here, from the
 * result structs; the reporters only print what this returns.
 */
#include "verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "report.h"
#include "units.h"

/*
 * contended: could the machine run the loop and its clients in trial t
 * (see VERDICT_CONTENDED_PCT)?  Keeps the worst figures seen.
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
		yes |= p >= VERDICT_CONTENDED_PCT;
	}
	if (t->client_run_delay_ns != RESULT_UNKNOWN) {
		double p = 100.0 * (double)t->client_run_delay_ns / window;
		if (p > *client_pct)
			*client_pct = p;
	}
	return yes;
}

bool
verdict_contended(const struct trial_result *t, double *share_pct)
{
	*share_pct = -1;
	if (t->rq_wait_per_wake_ns != RESULT_UNKNOWN && t->wake_count > 0 &&
	    t->wake[PCT_P50] > 0)
		*share_pct = 100.0 * (double)t->rq_wait_per_wake_ns /
		    (double)t->wake[PCT_P50];
	return (*share_pct >= VERDICT_RQ_SHARE_PCT &&
	    t->rq_wait_per_wake_ns >= VERDICT_RQ_FLOOR_NS) ||
	    (t->cpus_allowed > 0 && t->busy_threads > t->cpus_allowed);
}

/* A contended trial's share of wake p50 spent queueing, and its delay. */
struct share {
	double pct;
	uint64_t rq_ns;
};

static int
cmp_share(const void *a, const void *b)
{
	double x = ((const struct share *)a)->pct, y = ((const struct share *)b)->pct;

	return (x > y) - (x < y);
}

/*
 * contended_note appends the CONTENDED note to v->text when at least half
 * the trials that count (complete ones, or all when none is) are
 * contended: the median share of wake p50 spent queueing over those
 * trials (the upper one of an even count), its delay, and what to change.
 */
static void
contended_note(const struct setup_result *sr, struct verdict *v)
{
	struct share share[64];
	unsigned n = 0, yes = 0, ns = 0, any_complete = 0;
	uint64_t busy = 0, cpus = 0;

	for (unsigned i = 0; i < sr->done; i++)
		any_complete += !sr->trials[i].partial;
	for (unsigned i = 0; i < sr->done; i++) {
		const struct trial_result *t = &sr->trials[i];
		double s;
		if (any_complete && t->partial)
			continue;
		n++;
		if (!verdict_contended(t, &s))
			continue;
		yes++;
		if (s >= 0 && ns < 64)
			share[ns++] = (struct share){ s, t->rq_wait_per_wake_ns };
		if (t->busy_threads > t->cpus_allowed && t->cpus_allowed > 0) {
			busy = t->busy_threads;
			cpus = t->cpus_allowed;
		}
	}
	if (n == 0 || yes * 2 < n)
		return;
	size_t len = strlen(v->text);
	char a[32];
	snprintf(v->text + len, sizeof(v->text) - len, " (CONTENDED:");
	if (busy > 0) {
		len = strlen(v->text);
		snprintf(v->text + len, sizeof(v->text) - len, " %llu busy "
		    "threads (the main thread and producers at -r max) on %llu "
		    "allowed CPUs;", (unsigned long long)busy,
		    (unsigned long long)cpus);
	}
	if (ns > 0) {
		qsort(share, ns, sizeof(share[0]), cmp_share);
		double s = share[ns / 2].pct;
		/* The delay counts preemption as well as the wakeups' own
		 * queueing, so it can pass the whole p50. */
		len = strlen(v->text);
		snprintf(v->text + len, sizeof(v->text) - len, " waiting in a "
		    "run queue was %s%.0f%% of the wake p50 (%s per wakeup);",
		    s > 100 ? "over " : "", s > 100 ? 100.0 : s,
		    units_format(UNIT_TIME, share[ns / 2].rq_ns, a, sizeof(a)));
	}
	len = strlen(v->text);
	snprintf(v->text + len, sizeof(v->text) - len, " the machine, not the "
	    "waker, is measured: use fewer producers or clients, --pin, or a "
	    "machine with more CPUs)");
}

void
verdict_judge(const struct setup_result *sr, const struct config *c,
    struct verdict *v)
{
	uint64_t lost = 0, stranded = 0, items_lost = 0, seq = 0, leaked = 0;
	uint64_t lost_win = 0, stranded_win = 0, items = 0, full = 0;
	uint64_t not_emptied = 0, cq_overflow = 0, cq_waits = 0, cq_dropped = 0;
	uint64_t blocked = 0, blocked_max = 0, errors = 0, net_errors = 0;
	uint64_t net_timeouts = 0, fd_leak = 0;
	uint64_t pokes_short = 0, pokes_over = 0;
	int first_errno = 0;
	double busy = 0;
	uint64_t busy_wakeups = 0, busy_ns = 0, busy_cpu_ns = 0;
	uint64_t contended_starved = 0, stall_max = 0;
	double main_delay_pct = 0, client_delay_pct = 0;
	uint64_t spawned = 0, spawn_due = 0;
	bool deadlock = false, stuck = false;
	size_t n = 0;
	char a[32];

	v->findings = 0;
	for (unsigned i = 0; i < sr->done; i++) {
		const struct trial_result *t = &sr->trials[i];
		/* Judged over the whole trial; the text also gives the
		 * window's share, which the row's items cover. */
		lost += t->lost_wakeups_total;
		if (t->stranded_ns_max_total > stranded)
			stranded = t->stranded_ns_max_total;
		lost_win += t->lost_wakeups;
		if (t->stranded_ns_max > stranded_win)
			stranded_win = t->stranded_ns_max;
		items += t->items;
		full += t->waker_full;
		not_emptied += t->waker_not_emptied;
		if (t->cq_overflow != RESULT_UNKNOWN) {
			cq_overflow += t->cq_overflow;
			cq_waits += t->waits;
		}
		if (t->cq_dropped != RESULT_UNKNOWN)
			cq_dropped += t->cq_dropped;
		items_lost += (uint64_t)(t->items_lost < 0 ? -t->items_lost : t->items_lost);
		seq += t->seq_errors;
		if (t->leaked_fds != RESULT_UNKNOWN && t->leaked_fds > leaked)
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
		    t->idle_wakeups * 1000000 > VERDICT_BUSY_PER_MS * t->idle_ns &&
		    t->idle_wakeups > busy_wakeups) {
			busy_wakeups = t->idle_wakeups;
			busy = result_idle_cpu_pct(t);
			busy_ns = t->idle_ns;
			busy_cpu_ns = t->idle_cpu_ns;
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
	if (lost) {
		char b[32];
		ADD(FIND_LOST_WAKEUPS, "LOST WAKEUPS %llu (max stranded %s) of "
		    "%llu items in the window; %llu in the whole trial, warmup "
		    "included (max stranded %s)", (unsigned long long)lost_win,
		    lost_win ? units_format(UNIT_TIME, stranded_win, a,
		    sizeof(a)) : "-", (unsigned long long)items,
		    (unsigned long long)lost,
		    units_format(UNIT_TIME, stranded, b, sizeof(b)));
	}
	if (full)
		ADD(FIND_WAKER_FULL, "WAKER FULL %llu (writes refused with EAGAIN "
		    "by a waker that is never read, over the whole trial: it "
		    "raises no edge again)", (unsigned long long)full);
	if (not_emptied)
		ADD(FIND_NOT_EMPTIED, "WAKER NEVER EMPTIED %llu (waits it stayed "
		    "readable through with an item stranded: a drain that does "
		    "not empty it)", (unsigned long long)not_emptied);
	if (cq_dropped)
		ADD(FIND_CQ_DROPPED, "CQ DROPPED %llu (completions the kernel "
		    "dropped for a full completion queue: what they carried is "
		    "lost)", (unsigned long long)cq_dropped);
	if (leaked)
		ADD(FIND_LEAKED_FDS, "LEAKED FDS %llu", (unsigned long long)leaked);
	/* The CPU share is what the machine left the spinning thread, so it
	 * swings with the load; the CPU per wakeup, what one turn of the
	 * spin costs, does not, and leads. */
	if (busy_wakeups > 0) {
		char b[32];
		ADD(FIND_BUSY_LOOP, "BUSY LOOP main %.0f%% CPU (%llu wakeups in "
		    "%s idle, one per %s of its CPU; the share is what the machine "
		    "left it)", busy, (unsigned long long)busy_wakeups,
		    units_format(UNIT_TIME, busy_ns, a, sizeof(a)),
		    units_format(UNIT_TIME, busy_cpu_ns / busy_wakeups, b,
		    sizeof(b)));
	}
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
	/* io_uring's full pipe: nothing lost, but the kernel queues what
	 * did not fit, and the loop lagged more than its ring holds. */
	if (cq_overflow) {
		n = strlen(v->text);
		snprintf(v->text + n, sizeof(v->text) - n, " (CQ OVERFLOW: %llu "
		    "of %llu waits found the completion queue full, completions "
		    "held in the kernel's overflow list; a larger ring or a main "
		    "thread that keeps up)", (unsigned long long)cq_overflow,
		    (unsigned long long)cq_waits);
	}
	contended_note(sr, v);
	if (spawned < spawn_due) {
		n = strlen(v->text);
		snprintf(v->text + n, sizeof(v->text) - n, " (--spawn: %llu of "
		    "%llu children ran in the window; each took longer than its "
		    "share of it)", (unsigned long long)spawned,
		    (unsigned long long)spawn_due);
	}
}

const char *const verdict_finding_names[] = {
	"items_lost", "sequence", "lost_wakeups", "leaked_fds", "busy_loop",
	"producers_blocked", "deadlock", "poke_errors", "net_errors",
	"net_starved", "fd_leak", "stuck", "pokes_lost", "waker_full",
	"waker_not_emptied", "cq_dropped", NULL
};

char *
verdict_trial_findings(const struct trial_result *t, char *buf, size_t len)
{
	struct setup_result one = { .trials = (struct trial_result *)t, .done = 1 };
	struct verdict v;
	size_t n = 0;

	verdict_judge(&one, NULL, &v);
	buf[0] = '\0';
	for (unsigned b = 0; verdict_finding_names[b] != NULL; b++)
		if ((v.findings & (1u << b)) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n ? "+" : "", verdict_finding_names[b]);
	if (n == 0)
		snprintf(buf, len, "none");
	return buf;
}

unsigned
verdict_findings(const struct run *r)
{
	unsigned all = 0;
	struct verdict v;

	for (size_t i = 0; i < r->n; i++) {
		verdict_judge(&r->res[i], r->cfg, &v);
		all |= v.findings;
	}
	return all;
}

int
verdict_exit_status(const struct run *r, int status)
{
	if (r->signal)
		return 128 + r->signal;
	if (status != 0)
		return status;
	return verdict_findings(r) ? VERDICT_EXIT_FOUND : 0;
}
