/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * JSON: environment, configuration, and every trial of every
 * configuration, with strings escaped (the command line and paths may hold
 * anything).  Integers are nanoseconds or counts, as in the CSV.
 */
#include "report.h"

#include <math.h>
#include <string.h>

#include "drain.h"
#include "fault.h"
#include "poke.h"
#include "preset.h"
#include "rt.h"
#include "units.h"
#include "wait.h"
#include "waker.h"

static void
jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void
jkey(FILE *f, const char *indent, const char *k, bool first)
{
	fprintf(f, "%s\n%s", first ? "" : ",", indent);
	jstr(f, k);
	fputs(": ", f);
}

static void
jkstr(FILE *f, const char *indent, const char *k, const char *v, bool first)
{
	jkey(f, indent, k, first);
	if (v == NULL)
		fputs("null", f);
	else
		jstr(f, v);
}

static void
jkint(FILE *f, const char *indent, const char *k, long long v, bool first)
{
	jkey(f, indent, k, first);
	fprintf(f, "%lld", v);
}

static void
jkreal(FILE *f, const char *indent, const char *k, double v)
{
	jkey(f, indent, k, false);
	fprintf(f, "%.3f", isfinite(v) ? v : 0.0);
}

static void
environment(FILE *f, const struct run *r)
{
	const struct sysinfo *s = r->sys;
	const char *in = "    ";
	char q[128];

	fputs("  \"environment\": {", f);
	jkstr(f, in, "date", s->date, true);
	jkstr(f, in, "kernel", s->kernel, false);
	jkstr(f, in, "cpu_model", s->cpu_model, false);
	jkint(f, in, "cpus_online", s->cpus_online, false);
	jkstr(f, in, "cpus_allowed", s->cpus_list, false);
	jkstr(f, in, "clocksource", s->clocksource, false);
	jkint(f, in, "clock_resolution_ns", (long long)s->clock_res_ns, false);
	jkstr(f, in, "cpuidle_driver", s->cpuidle_driver, false);
	jkstr(f, in, "cpuidle_governor", s->cpuidle_governor, false);
	jkint(f, in, "cpu_dma_latency_us", s->dma_latency_us, false);
	jkint(f, in, "pm_qos_held_us", s->pm_qos_held_us, false);
	jkstr(f, in, "pm_qos", sysinfo_pm_qos(s, q, sizeof(q)), false);
	jkint(f, in, "pipe_max_size", s->pipe_max_size, false);
	jkint(f, in, "pipe_default_size", s->pipe_default_size, false);
	jkint(f, in, "nofile_soft", (long long)s->nofile_soft, false);
	jkint(f, in, "nofile_hard", (long long)s->nofile_hard, false);
	jkstr(f, in, "loadavg", s->loadavg, false);
	jkstr(f, in, "cpufreq_governor", s->cpufreq_governor, false);
	jkstr(f, in, "boot_knobs", s->boot_knobs, false);
	jkstr(f, in, "mitigations", s->mitigations, false);
	jkstr(f, in, "counters_missing", s->counters_missing, false);
	jkint(f, in, "sched_rt_runtime_us", s->rt_runtime_us, false);
	jkint(f, in, "sched_rt_period_us", s->rt_period_us, false);
	fputs("\n  },\n", f);
}

static void
names(FILE *f, const struct name_list *l, size_t name_off)
{
	fputc('[', f);
	for (unsigned i = 0; i < l->n; i++) {
		const char *const *np = (const char *const *)(const void *)
		    ((const char *)l->v[i] + name_off);
		fputs(i ? ", " : "", f);
		jstr(f, *np);
	}
	fputc(']', f);
}

static void
configuration(FILE *f, const struct run *r)
{
	const struct config *c = r->cfg;
	const char *in = "    ";
	char fl[128], cpus[256];

	fputs("  \"config\": {", f);
	jkey(f, in, "mechanism", true);
	names(f, &c->waker, 0);
	jkey(f, in, "wait", false);
	names(f, &c->wait, 0);
	jkey(f, in, "poke", false);
	names(f, &c->poke, 0);
	jkey(f, in, "drain", false);
	names(f, &c->drain, 0);
	jkey(f, in, "preset", false);
	names(f, &c->preset, 0);
	jkey(f, in, "producers", false);
	fputc('[', f);
	for (unsigned i = 0; i < c->producers.n; i++)
		fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)c->producers.v[i]);
	fputc(']', f);
	if (c->rate)
		jkint(f, in, "rate", (long long)c->rate, false);
	else
		jkstr(f, in, "rate", "max", false);
	jkint(f, in, "burst", (long long)c->burst, false);
	jkint(f, in, "connections", (long long)c->connections, false);
	jkint(f, in, "net_rate", (long long)c->net_rate, false);
	jkint(f, in, "msg_size", (long long)c->msg_size, false);
	jkint(f, in, "duration_ns", (long long)c->duration_ns, false);
	jkint(f, in, "trials", (long long)c->trials, false);
	jkint(f, in, "warmup_ns", (long long)c->warmup_ns, false);
	jkint(f, in, "timeout_ns", (long long)c->timeout_ns, false);
	jkint(f, in, "pipe_size", (long long)c->pipe_size, false);
	jkint(f, in, "stall_ns", (long long)c->stall_ns, false);
	jkint(f, in, "stall_period_ns", (long long)c->stall_period_ns, false);
	jkstr(f, in, "fault", fault_names(c->faults, fl, sizeof(fl)), false);
	jkint(f, in, "spawn", (long long)c->spawn, false);
	jkey(f, in, "pin", false);
	fputs(c->pin ? "true" : "false", f);
	jkey(f, in, "cpus", false);	/* --cpus, in order; null: not given */
	if (c->cpus.n)
		fprintf(f, "\"%s\"", config_cpus(&c->cpus, 0, cpus, sizeof(cpus)));
	else
		fputs("null", f);
	jkint(f, in, "pm_qos_us", c->pm_qos_us, false);
	jkstr(f, in, "sched", rt_format(c->sched_policy, c->sched_prio, fl,
	    sizeof(fl)), false);
	jkey(f, in, "counters", false);
	fputs(c->no_counters ? "false" : "true", f);
	jkey(f, in, "trace_sched", false);
	fputs(c->trace_sched ? "true" : "false", f);
	jkint(f, in, "baseline", (long long)r->res[r->baseline].setup.index, false);
	jkey(f, in, "alpha", false);
	fprintf(f, "%g", c->alpha);
	jkey(f, in, "precision_pct", false);
	fprintf(f, "%g", c->precision_pct);
	jkint(f, in, "max_time_ns", (long long)c->max_time_ns, false);
	fputs("\n  },\n", f);
}

/* idle_states: the allowed CPUs' cpuidle states over the window, summed
 * ([] without cpuidle). */
static void
idle_states(FILE *f, const struct trial_result *t)
{
	const char *in = "              ";

	jkey(f, "          ", "cpuidle_states", false);
	fputc('[', f);
	for (unsigned k = 0; k < t->idle_nstates; k++) {
		const struct sched_idle_state *st = &t->idle_states[k];
		const uint64_t v[] = { st->exit_latency_ns, st->target_residency_ns,
		    st->entries, st->time_ns, st->above, st->below };
		const char *name[] = { "exit_latency_ns", "target_residency_ns",
		    "entries", "time_ns", "above", "below" };
		fprintf(f, "%s\n            {", k ? "," : "");
		jkstr(f, in, "name", st->name, true);
		for (size_t j = 0; j < sizeof(v) / sizeof(v[0]); j++) {
			jkey(f, in, name[j], false);
			if (v[j] == RESULT_UNKNOWN)
				fputs("null", f);
			else
				fprintf(f, "%llu", (unsigned long long)v[j]);
		}
		fputs("\n            }", f);
	}
	fputc(']', f);
}

/* jnum: a finite number, or null. */
static void
jnum(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.15g", v);
	else
		fputs("null", f);
}

/* statistics: per headline figure the median, its interval (null bounds
 * when unbounded) and n; against the baseline, the change and p. */
static void
statistics(FILE *f, const struct run *r, size_t i)
{
	const struct setup_result *sr = &r->res[i];
	const char *in = "        ";
	struct stats_summary s;
	struct report_diff d;

	jkey(f, "      ", "statistics", false);
	fputc('{', f);
	for (int h = 0; h < HL_N; h++) {
		report_summary(sr, h, &s);
		jkey(f, in, result_headlines[h].key, h == 0);
		fputs("{\"median\": ", f);
		jnum(f, s.median);
		fputs(", \"low\": ", f);
		jnum(f, s.low);
		fputs(", \"high\": ", f);
		jnum(f, s.high);
		fprintf(f, ", \"n\": %zu}", s.n);
	}
	fputs("\n      }", f);
	if (i == r->baseline || r->res[r->baseline].done == 0)
		return;
	jkey(f, "      ", "vs_baseline", false);
	fprintf(f, "{\n%s\"baseline\": %u", in, r->res[r->baseline].setup.index);
	for (int h = 0; h < HL_N; h++) {
		report_diff(&r->res[r->baseline], sr, h, r->cfg->alpha, &d);
		jkey(f, in, result_headlines[h].key, false);
		fputs("{\"change_pct\": ", f);
		jnum(f, d.valid ? d.change_pct : NAN);
		fputs(", \"low_pct\": ", f);
		jnum(f, d.lo_pct);
		fputs(", \"high_pct\": ", f);
		jnum(f, d.hi_pct);
		fputs(", \"p\": ", f);
		jnum(f, d.valid ? d.u.p : NAN);
		fprintf(f, ", \"significant\": %s}", d.significant ? "true" : "false");
	}
	fputs("\n      }", f);
}

/* jfindings: the names of the FIND_* bits as a list, [] for none: the
 * same shape for a configuration and for one trial (format version 2;
 * version 1 wrote a trial's as a '+'-joined string). */
static void
jfindings(FILE *f, unsigned bits)
{
	bool first = true;

	fputc('[', f);
	for (unsigned b = 0; verdict_finding_names[b] != NULL; b++)
		if (bits & (1u << b)) {
			fputs(first ? "" : ", ", f);
			jstr(f, verdict_finding_names[b]);
			first = false;
		}
	fputc(']', f);
}

static void
trial(FILE *f, const struct setup_result *sr, unsigned k)
{
	const struct trial_result *t = &sr->trials[k];
	const char *in = "          ";
	/* Judged alone, as the CSV's findings column is. */
	struct setup_result one = { .trials = (struct trial_result *)t, .done = 1 };
	struct verdict v;
	char fnd[256];

	verdict_judge(&one, NULL, &v);
	fprintf(f, "%s\n        {", k ? "," : "");
	jkint(f, in, "trial", k + 1, true);
	jkey(f, in, "findings", false);
	jfindings(f, v.findings);
	jkstr(f, in, "outlier", report_outlier_names(report_outliers(sr, k), fnd,
	    sizeof(fnd)), false);
	for (const struct report_field *fd = report_fields; fd->name; fd++) {
		switch (fd->kind) {
		case FIELD_REAL:
			jkreal(f, in, fd->name, fd->real(t));
			break;
		case FIELD_BOOL:
			jkey(f, in, fd->name, false);
			fputs(report_field_u64(fd, t) ? "true" : "false", f);
			break;
		case FIELD_I64:
			if ((int64_t)report_field_u64(fd, t) == RESULT_FD_UNKNOWN) {
				jkey(f, in, fd->name, false);
				fputs("null", f);
				break;
			}
			jkint(f, in, fd->name, (long long)(int64_t)report_field_u64(fd, t), false);
			break;
		case FIELD_U64:
			if (report_field_u64(fd, t) == RESULT_UNKNOWN) {
				jkey(f, in, fd->name, false);
				fputs("null", f);
				break;
			}
			jkint(f, in, fd->name, (long long)report_field_u64(fd, t), false);
			break;
		}
	}
	idle_states(f, t);
	fprintf(f, "\n        }");
}

int
report_json(FILE *f, const struct run *r)
{
	const char *in = "      ";
	char label[160], fl[128];
	struct verdict v;

	fprintf(f, "{\n  \"format\": \"wakebench-json\",\n  \"format_version\": %d,\n",
	    REPORT_JSON_VERSION);
	fputs("  \"version\": ", f);
	jstr(f, r->version);
	fputs(",\n  \"command\": ", f);
	jstr(f, r->command);
	fprintf(f, ",\n  \"interrupted\": %s,\n  \"signal\": %d,\n",
	    r->signal ? "true" : "false", r->signal);
	fputs("  \"error\": ", f);
	if (r->error != NULL)
		jstr(f, r->error);
	else
		fputs("null", f);
	fputs(",\n  \"precision\": ", f);
	jstr(f, r->precision == PRECISION_OFF ? "off" : r->precision ==
	    PRECISION_REACHED ? "reached" : r->precision == PRECISION_BUDGET ?
	    "max-time spent" : "1000 trials run");
	fputs(",\n", f);
	environment(f, r);
	configuration(f, r);
	fputs("  \"configurations\": [", f);
	for (size_t i = 0; i < r->n; i++) {
		const struct setup_result *sr = &r->res[i];
		const struct setup *s = &sr->setup;
		verdict_judge(sr, r->cfg, &v);
		fprintf(f, "%s\n    {", i ? "," : "");
		jkint(f, in, "config", s->index, true);
		jkstr(f, in, "label", setup_label(s, label, sizeof(label)), false);
		jkstr(f, in, "mechanism", s->waker->name, false);
		jkstr(f, in, "wait", s->wait->name, false);
		jkstr(f, in, "poke", s->poke->name, false);
		jkstr(f, in, "drain", s->drain->name, false);
		jkstr(f, in, "preset", s->preset ? s->preset->name : NULL, false);
		jkstr(f, in, "fault", fault_names(s->faults, fl, sizeof(fl)), false);
		jkstr(f, in, "flags", fault_names(s->flags, fl, sizeof(fl)), false);
		if (s->preset != NULL) {
			jkstr(f, in, "library", s->preset->library, false);
			jkstr(f, in, "source", s->preset->source, false);
			jkstr(f, in, "caveat", s->preset->caveat, false);
		}
		jkint(f, in, "producers", s->producers, false);
		jkstr(f, in, "verdict", v.text, false);
		jkey(f, in, "findings", false);
		jfindings(f, v.findings);
		statistics(f, r, i);
		jkey(f, in, "trials", false);
		fputc('[', f);
		for (unsigned k = 0; k < sr->done; k++)
			trial(f, sr, k);
		fputs("\n      ]\n    }", f);
	}
	fputs("\n  ]\n}\n", f);
	return ferror(f) ? -1 : 0;
}
