/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "schedstat.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define U	SCHED_UNKNOWN

char *
schedstat_path(char *buf, size_t len, const char *path)
{
	const char *root = getenv("WAKEBENCH_SYSROOT");

	snprintf(buf, len, "%s%s", root != NULL ? root : "", path);
	return buf;
}

/* slurp reads up to len - 1 bytes of the file at path (under the sysroot)
 * into buf, NUL-ended; returns the length, or -1.  open/read/close rather
 * than stdio: no allocation, and these are read from busy threads. */
static ssize_t
slurp(const char *path, char *buf, size_t len)
{
	char p[512];
	int fd = open(schedstat_path(p, sizeof(p), path), O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* field returns the number after "key" (then spaces, ':' or tabs) in
 * text, or U. */
static uint64_t
field(const char *text, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = text; (p = strstr(p, key)) != NULL; p += k) {
		if (p != text && p[-1] != '\n')
			continue;
		const char *v = p + k;
		v += strspn(v, " \t:");
		char *end;
		/* sched prints se.* fields as "123.456789" in ms for times;
		 * the counters wanted here are plain integers. */
		uint64_t x = strtoull(v, &end, 10);
		return end == v ? U : x;
	}
	return U;
}

void
schedstat_thread(struct sched_thread *s)
{
	char buf[4096];

	s->run_ns = s->delay_ns = s->slices = U;
	s->vcsw = s->ivcsw = s->migrations = U;
	if (slurp("/proc/thread-self/schedstat", buf, sizeof(buf)) > 0 &&
	    sscanf(buf, "%" SCNu64 " %" SCNu64 " %" SCNu64, &s->run_ns,
	    &s->delay_ns, &s->slices) != 3)
		s->run_ns = s->delay_ns = s->slices = U;
	if (slurp("/proc/thread-self/status", buf, sizeof(buf)) > 0) {
		s->vcsw = field(buf, "voluntary_ctxt_switches");
		s->ivcsw = field(buf, "nonvoluntary_ctxt_switches");
	}
	/* Only with CONFIG_SCHED_DEBUG; its header line names the task. */
	if (slurp("/proc/thread-self/sched", buf, sizeof(buf)) > 0)
		s->migrations = field(buf, "se.nr_migrations");
}

static uint64_t
sub(uint64_t e, uint64_t b)
{
	return e == U || b == U || e < b ? U : e - b;
}

static uint64_t
add(uint64_t a, uint64_t b)
{
	return a == U || b == U ? U : a + b;
}

void
schedstat_thread_delta(struct sched_thread *out, const struct sched_thread *end,
    const struct sched_thread *begin)
{
	out->run_ns = sub(end->run_ns, begin->run_ns);
	out->delay_ns = sub(end->delay_ns, begin->delay_ns);
	out->slices = sub(end->slices, begin->slices);
	out->vcsw = sub(end->vcsw, begin->vcsw);
	out->ivcsw = sub(end->ivcsw, begin->ivcsw);
	out->migrations = sub(end->migrations, begin->migrations);
}

void
schedstat_thread_add(struct sched_thread *sum, const struct sched_thread *x)
{
	sum->run_ns = add(sum->run_ns, x->run_ns);
	sum->delay_ns = add(sum->delay_ns, x->delay_ns);
	sum->slices = add(sum->slices, x->slices);
	sum->vcsw = add(sum->vcsw, x->vcsw);
	sum->ivcsw = add(sum->ivcsw, x->ivcsw);
	sum->migrations = add(sum->migrations, x->migrations);
}

static uint64_t
read_u64(const char *path)
{
	char buf[64], *end;

	if (slurp(path, buf, sizeof(buf)) <= 0)
		return U;
	uint64_t v = strtoull(buf, &end, 10);
	return end == buf ? U : v;
}

/* ipis adds the RES and CAL counts of the allowed CPUs from
 * /proc/interrupts, whose first line names the column of each CPU. */
static void
ipis(struct sched_cpus *s, const int *cpus, int ncpus)
{
	char p[512], *line = NULL;
	size_t cap = 0;
	int *col = NULL, ncol = 0;
	FILE *f = fopen(schedstat_path(p, sizeof(p), "/proc/interrupts"), "re");

	if (f == NULL)
		return;
	if (getline(&line, &cap, f) > 0) {
		/* "           CPU0       CPU1": column i is CPU col[i]. */
		for (char *q = line; (q = strstr(q, "CPU")) != NULL; q += 3) {
			int *c = realloc(col, (size_t)(ncol + 1) * sizeof(*col));
			if (c == NULL)
				break;
			col = c;
			col[ncol++] = atoi(q + 3);
		}
	}
	while (ncol > 0 && getline(&line, &cap, f) > 0) {
		char *q = line + strspn(line, " ");
		uint64_t *to = strncmp(q, "RES:", 4) == 0 ? &s->ipi_resched :
		    strncmp(q, "CAL:", 4) == 0 ? &s->ipi_call : NULL;
		if (to == NULL)
			continue;
		q += 4;
		*to = 0;
		for (int i = 0; i < ncol; i++) {
			char *end;
			uint64_t v = strtoull(q, &end, 10);
			if (end == q)
				break;
			q = end;
			for (int j = 0; j < ncpus; j++)
				if (cpus[j] == col[i])
					*to += v;
		}
	}
	free(line);
	free(col);
	fclose(f);
}

void
schedstat_cpus(struct sched_cpus *s, const int *cpus, int ncpus)
{
	char path[128], buf[64];

	memset(s, 0, sizeof(*s));
	s->ipi_resched = s->ipi_call = s->idle_entries = s->idle_time_ns = U;
	ipis(s, cpus, ncpus);
	if (ncpus <= 0)
		return;
	/* The states of the first allowed CPU; the others have the same
	 * driver, hence the same table. */
	for (unsigned k = 0; k < SCHED_IDLE_STATES; k++) {
		snprintf(path, sizeof(path),
		    "/sys/devices/system/cpu/cpu%d/cpuidle/state%u/name", cpus[0], k);
		if (slurp(path, buf, sizeof(buf)) <= 0)
			break;
		struct sched_idle_state *st = &s->state[s->nstates++];
		buf[strcspn(buf, "\n")] = '\0';
		buf[sizeof(st->name) - 1] = '\0';	/* "POLL", "C1E": short */
		memcpy(st->name, buf, sizeof(st->name));
		snprintf(path, sizeof(path),
		    "/sys/devices/system/cpu/cpu%d/cpuidle/state%u/latency", cpus[0], k);
		uint64_t us = read_u64(path);
		st->exit_latency_ns = us == U ? U : us * 1000;
		snprintf(path, sizeof(path),
		    "/sys/devices/system/cpu/cpu%d/cpuidle/state%u/residency", cpus[0], k);
		us = read_u64(path);
		st->target_residency_ns = us == U ? U : us * 1000;
	}
	if (s->nstates == 0)
		return;
	s->idle_entries = s->idle_time_ns = 0;
	static const char *const file[] = { "usage", "time", "above", "below" };
	for (unsigned k = 0; k < s->nstates; k++) {
		struct sched_idle_state *st = &s->state[k];
		uint64_t *to[] = { &st->entries, &st->time_ns, &st->above, &st->below };
		for (int j = 0; j < 4; j++) {
			*to[j] = 0;
			for (int i = 0; i < ncpus && *to[j] != U; i++) {
				snprintf(path, sizeof(path), "/sys/devices/system/"
				    "cpu/cpu%d/cpuidle/state%u/%s", cpus[i], k, file[j]);
				*to[j] = add(*to[j], read_u64(path));
			}
		}
		if (st->time_ns != U)
			st->time_ns *= 1000;	/* sysfs says microseconds */
		s->idle_entries = add(s->idle_entries, st->entries);
		s->idle_time_ns = add(s->idle_time_ns, st->time_ns);
	}
}

void
schedstat_cpus_delta(struct sched_cpus *out, const struct sched_cpus *end,
    const struct sched_cpus *begin)
{
	*out = *end;
	out->ipi_resched = sub(end->ipi_resched, begin->ipi_resched);
	out->ipi_call = sub(end->ipi_call, begin->ipi_call);
	out->idle_entries = sub(end->idle_entries, begin->idle_entries);
	out->idle_time_ns = sub(end->idle_time_ns, begin->idle_time_ns);
	if (begin->nstates != end->nstates) {
		out->nstates = 0;
		return;
	}
	for (unsigned k = 0; k < end->nstates; k++) {
		const struct sched_idle_state *e = &end->state[k], *b = &begin->state[k];
		struct sched_idle_state *o = &out->state[k];
		o->entries = sub(e->entries, b->entries);
		o->time_ns = sub(e->time_ns, b->time_ns);
		o->above = sub(e->above, b->above);
		o->below = sub(e->below, b->below);
	}
}

int
schedstat_missing(char *buf, size_t len, int cpu)
{
	struct sched_thread t;
	struct sched_cpus c;
	size_t n = 0;
	int k = 0;

	buf[0] = '\0';
#define MISSING(...) do {						\
	if (n < len)							\
		n += (size_t)snprintf(buf + n, len - n, "%s", k ? "; " : ""); \
	if (n < len)							\
		n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__);	\
	k++;								\
} while (0)
	schedstat_thread(&t);
	schedstat_cpus(&c, &cpu, 1);
	if (t.delay_ns == U)
		MISSING("schedstat (/proc/thread-self/schedstat: run-queue "
		    "delay, timeslices)");
	if (t.vcsw == U)
		MISSING("context switches (/proc/thread-self/status)");
	if (t.migrations == U)
		MISSING("migrations (/proc/thread-self/sched: no SCHED_DEBUG)");
	if (c.nstates == 0)
		MISSING("cpuidle (/sys/devices/system/cpu/cpu%d/cpuidle)", cpu);
	if (c.ipi_resched == U)
		MISSING("rescheduling IPIs (/proc/interrupts RES)");
	if (c.ipi_call == U)
		MISSING("function-call IPIs (/proc/interrupts CAL)");
#undef MISSING
	return k;
}

char
schedstat_state(const char *path)
{
	char file[96], buf[512];
	int fd;

	snprintf(file, sizeof(file), "/proc/%s/stat", path);
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return '\0';
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '\0';
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');	/* the name may hold anything */
	return p != NULL && p[1] == ' ' ? p[2] : '\0';
}
