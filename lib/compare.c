/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"
#include "report.h"
#include "stats.h"

static const char *const env_keys[ENV_N] = {
	"kernel", "cpu", "cpus", "clocksource", "cpuidle", "pm_qos", "placement",
};

/* The identity columns, in the order of the key; burst and net_rate come
 * from the "# config:" line (they are run-wide). */
enum { ID_MECH, ID_WAIT, ID_POKE, ID_DRAIN, ID_PRESET, ID_FAULT,
    ID_PRODUCERS, ID_RATE, ID_CONNECTIONS, ID_LABEL, ID_CONFIG, ID_TRIAL,
    ID_N };
static const char *const id_cols[ID_N] = {
	"mechanism", "wait", "poke", "drain", "preset", "fault", "producers",
	"rate", "connections", "label", "config", "trial",
};

/* The figures printed with 3 decimals that must follow from the counters
 * beside them in the same row. */
static const char *const derived[] = {
	"items_per_s", "writes_per_item", "main_cpu_pct", NULL
};

#define MAX_COLS	256

/* The columns the headline figures and the row checks read: a file
 * without one is refused; any other column may be missing (a file of an
 * older wakebench of the same format version). */
static const char *const needed[] = {
	"duration_ns", "items", "items_per_s", "writes", "wakeups",
	"spurious_wakeups", "lat_p50_ns", "lat_p99_ns", "lat_max_ns",
	"wake_p50_ns", "wake_p99_ns", "wake_samples", "net_rtt_p50_ns",
	"net_rtt_p99_ns", "net_rtt_samples", "main_cpu_pct", "main_cpu_ns",
	"main_wall_ns", "writes_per_item", "partial", NULL
};

static bool
is_needed(const char *name)
{
	for (const char *const *n = needed; *n; n++)
		if (strcmp(*n, name) == 0)
			return true;
	return false;
}

static int __attribute__((format(printf, 4, 5)))
refuse(char *why, size_t len, size_t line, const char *fmt, ...)
{
	va_list ap;
	int n = line ? snprintf(why, len, "line %zu: ", line) : 0;

	if (n < 0 || (size_t)n >= len)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(why + n, len - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* split cuts s at commas in place; returns the field count (at most max). */
static size_t
split(char *s, char **f, size_t max)
{
	size_t n = 0;

	for (;;) {
		if (n == max)
			return max + 1;
		f[n++] = s;
		if ((s = strchr(s, ',')) == NULL)
			return n;
		*s++ = '\0';
	}
}

static bool
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *end == '\0' && errno == 0;
}

static bool
parse_i64(const char *s, int64_t *v)
{
	char *end;

	if (!((*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9')))
		return false;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return *end == '\0' && errno == 0;
}

static bool
parse_real(const char *s, double *v)
{
	char *end;

	if (!((*s >= '0' && *s <= '9') || *s == '-'))
		return false;
	errno = 0;
	*v = strtod(s, &end);
	return *end == '\0' && errno == 0 && isfinite(*v);
}

void
compare_free(struct cmp_file *f)
{
	for (int i = 0; i < ENV_N; i++)
		free(f->env[i]);
	for (size_t i = 0; i < f->n; i++) {
		free(f->c[i].key);
		free(f->c[i].label);
		free(f->c[i].t);
	}
	free(f->c);
	memset(f, 0, sizeof(*f));
}

/* config_value: the value of name= on the "# config:" line, or "". */
static void
config_value(const char *line, const char *name, char *out, size_t len)
{
	size_t n = strlen(name);

	out[0] = '\0';
	for (const char *p = line; (p = strstr(p, name)) != NULL; p += n)
		if ((p == line || p[-1] == ' ') && p[n] == '=') {
			snprintf(out, len, "%.*s", (int)strcspn(p + n + 1, " \n"),
			    p + n + 1);
			return;
		}
}

/* row: one data row into f, checked against the header's columns. */
static int
row(struct cmp_file *f, char **fld, const int *id, const int *col,
    const char *burst, const char *net_rate, size_t line, char *why, size_t len)
{
	struct trial_result t;
	const struct report_field *fd;
	size_t k = 0;
	char key[1024], label[256];
	uint64_t cfg, trial, producers;

	memset(&t, 0, sizeof(t));
	for (fd = report_fields; fd->name; fd++, k++) {
		if (col[k] < 0)
			continue;
		const char *s = fld[col[k]];
		char *p = (char *)&t + fd->off;
		uint64_t u;
		int64_t i;
		double r;
		switch (fd->kind) {
		case FIELD_U64:
			if (*s == '\0')
				u = RESULT_UNKNOWN;
			else if (!parse_u64(s, &u))
				return refuse(why, len, line, "%s: %.40s: not a "
				    "count", fd->name, s);
			memcpy(p, &u, sizeof(u));
			break;
		case FIELD_I64:
			if (*s == '\0')
				i = RESULT_FD_UNKNOWN;
			else if (!parse_i64(s, &i))
				return refuse(why, len, line, "%s: %.40s: not an "
				    "integer", fd->name, s);
			memcpy(p, &i, sizeof(i));
			break;
		case FIELD_BOOL:
			if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0)
				return refuse(why, len, line, "%s: %.40s: not 0 "
				    "or 1", fd->name, s);
			/* A derived flag (fd->real) has no member to set. */
			if (fd->real == NULL)
				*(bool *)(void *)p = s[0] == '1';
			break;
		case FIELD_REAL:
			if (!parse_real(s, &r))
				return refuse(why, len, line, "%s: %.40s: not a "
				    "number", fd->name, s);
			break;
		}
	}
	/* A latency without samples is an empty cell; in memory it is 0,
	 * as the run that wrote the file had it. */
	for (int i = 0; i < PCT_N; i++) {
		if (t.lat[i] == RESULT_UNKNOWN)
			t.lat[i] = 0;
		if (t.wake[i] == RESULT_UNKNOWN)
			t.wake[i] = 0;
		if (t.rtt[i] == RESULT_UNKNOWN)
			t.rtt[i] = 0;
	}
	/* The CSV has no item-latency sample count: a window with items
	 * has latencies. */
	t.lat_count = t.items + (t.lat[PCT_MAX] != 0);
	/* A file from before items_taken cannot show where its items/s came
	 * from (then items over duration_ns): that one check is skipped. */
	bool have_taken = false;
	k = 0;
	for (fd = report_fields; fd->name; fd++, k++)
		if (strcmp(fd->name, "items_taken") == 0)
			have_taken = col[k] >= 0 && fld[col[k]][0] != '\0';
	k = 0;
	for (fd = report_fields; fd->name; fd++, k++) {
		double r, want;
		if (fd->kind != FIELD_REAL || col[k] < 0 ||
		    (!have_taken && strcmp(fd->name, "items_per_s") == 0))
			continue;
		for (const char *const *d = derived; *d; d++)
			if (strcmp(*d, fd->name) == 0) {
				parse_real(fld[col[k]], &r);
				want = fd->real(&t);
				if (fabs(r - want) > 0.00051 + 1e-12 * fabs(want))
					return refuse(why, len, line, "%s %s does "
					    "not follow from the counters beside "
					    "it (%.3f; hand-edited?)", fd->name,
					    fld[col[k]], want);
			}
	}
	if (!parse_u64(fld[id[ID_CONFIG]], &cfg) || cfg == 0 ||
	    !parse_u64(fld[id[ID_TRIAL]], &trial) || trial == 0 ||
	    !parse_u64(fld[id[ID_PRODUCERS]], &producers))
		return refuse(why, len, line, "config, trial and producers must "
		    "be counts from 1");
	if (strcmp(fld[id[ID_PRESET]], "none") == 0) {
		snprintf(label, sizeof(label), "%s %s %s %s p%s", fld[id[ID_MECH]],
		    fld[id[ID_WAIT]], fld[id[ID_POKE]], fld[id[ID_DRAIN]],
		    fld[id[ID_PRODUCERS]]);
		if (strcmp(label, fld[id[ID_LABEL]]) != 0)
			return refuse(why, len, line, "label %.80s does not name "
			    "the row's configuration (%s; hand-edited?)",
			    fld[id[ID_LABEL]], label);
	}
	snprintf(key, sizeof(key), "%s|%s|%s|%s|%s|%s|%s|%s|burst=%s|%s|net_rate=%s|%s",
	    fld[id[ID_MECH]], fld[id[ID_WAIT]], fld[id[ID_POKE]],
	    fld[id[ID_DRAIN]], fld[id[ID_PRESET]], fld[id[ID_FAULT]],
	    fld[id[ID_PRODUCERS]], fld[id[ID_RATE]], burst,
	    fld[id[ID_CONNECTIONS]], net_rate, fld[id[ID_LABEL]]);

	struct cmp_config *c = f->n ? &f->c[f->n - 1] : NULL;
	if (c != NULL && c->index == cfg) {
		if (trial != c->n + 1)
			return refuse(why, len, line, "trial %llu of config %llu "
			    "follows trial %zu (rows missing or edited)",
			    (unsigned long long)trial, (unsigned long long)cfg, c->n);
		if (strcmp(c->key, key) != 0)
			return refuse(why, len, line, "config %llu is not the "
			    "configuration of its earlier rows (edited?)",
			    (unsigned long long)cfg);
	} else {
		if (cfg != (c ? c->index : 0) + 1 || trial != 1)
			return refuse(why, len, line, "config %llu trial %llu "
			    "where config %u trial 1 belongs (rows missing or "
			    "edited)", (unsigned long long)cfg,
			    (unsigned long long)trial, c ? c->index + 1 : 1);
		if (f->n == f->cap) {
			size_t cap = f->cap ? 2 * f->cap : 16;
			void *p = realloc(f->c, cap * sizeof(*f->c));
			if (p == NULL)
				return refuse(why, len, 0, "%s", strerror(ENOMEM));
			f->c = p;
			f->cap = cap;
		}
		c = &f->c[f->n++];
		memset(c, 0, sizeof(*c));
		c->index = (unsigned)cfg;
		if ((c->key = strdup(key)) == NULL ||
		    (c->label = strdup(fld[id[ID_LABEL]])) == NULL)
			return refuse(why, len, 0, "%s", strerror(ENOMEM));
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		void *p = realloc(c->t, cap * sizeof(*c->t));
		if (p == NULL)
			return refuse(why, len, 0, "%s", strerror(ENOMEM));
		c->t = p;
		c->cap = cap;
	}
	struct cmp_trial *ct = &c->t[c->n++];
	ct->partial = t.partial;
	for (int h = 0; h < HL_N; h++)
		ct->v[h] = result_headlines[h].get(&t);
	return 0;
}

/* jtext: the text of a JSON string or number member, or NULL. */
static const char *
jtext(const struct json *o, const char *key)
{
	const struct json *j = json_get(o, key);

	return j != NULL && (j->type == JSON_STRING || j->type == JSON_NUMBER) ?
	    j->text : NULL;
}

/* env_json: the environment lines as the CSV preamble has them. */
static int
env_json(struct cmp_file *f, const struct json *doc, char *why, size_t len)
{
	const struct json *e = json_get(doc, "environment");
	const struct json *c = json_get(doc, "config");
	const struct json *pin = json_get(c, "pin");
	const char *k = jtext(e, "kernel"), *cpu = jtext(e, "cpu_model"),
	    *on = jtext(e, "cpus_online"), *al = jtext(e, "cpus_allowed"),
	    *cs = jtext(e, "clocksource"), *res = jtext(e, "clock_resolution_ns"),
	    *dr = jtext(e, "cpuidle_driver"), *gov = jtext(e, "cpuidle_governor"),
	    *qos = jtext(e, "pm_qos");
	char buf[512];

	if (!k || !cpu || !on || !al || !cs || !res || !dr || !gov || !qos ||
	    pin == NULL || (pin->type != JSON_TRUE && pin->type != JSON_FALSE))
		return refuse(why, len, e ? e->line : 1, "an environment or "
		    "config object without the fields wakebench writes");
	f->env[ENV_KERNEL] = strdup(k);
	f->env[ENV_CPU] = strdup(cpu);
	snprintf(buf, sizeof(buf), "%s online, %s allowed", on, al);
	f->env[ENV_CPUS] = strdup(buf);
	snprintf(buf, sizeof(buf), "%s (resolution %s ns)", cs, res);
	f->env[ENV_CLOCK] = strdup(buf);
	snprintf(buf, sizeof(buf), "driver %s, governor %s", dr, gov);
	f->env[ENV_CPUIDLE] = strdup(buf);
	f->env[ENV_PMQOS] = strdup(qos);
	const char *cpus = jtext(c, "cpus");
	snprintf(buf, sizeof(buf), "%s%s%s", pin->type == JSON_TRUE ?
	    "pinned round-robin" : "unpinned", cpus ? ", cpus " : "",
	    cpus ? cpus : "");
	f->env[ENV_PLACEMENT] = strdup(buf);
	for (int i = 0; i < ENV_N; i++)
		if (f->env[i] == NULL)
			return refuse(why, len, 0, "%s", strerror(ENOMEM));
	return 0;
}

/*
 * load_json: a --json file, each trial turned into the fields of a CSV
 * row (identity columns, then report_fields[] in order) and checked by
 * row() as a CSV row is.
 */
static int
load_json(const char *text, size_t n, struct cmp_file *f, char *why, size_t len)
{
	struct json *doc;
	size_t line = 0, nf = 0;
	char msg[256];
	const char *fmt, *ver;
	int id[ID_N], col[128], rc = 0;

	if (json_parse(text, n, &doc, &line, msg, sizeof(msg)) != 0)
		return refuse(why, len, line, "%s", msg);
	for (const struct report_field *fd = report_fields; fd->name; fd++)
		col[nf] = ID_N + (int)nf, nf++;
	for (int i = 0; i < ID_N; i++)
		id[i] = i;
	const struct json *cfg = json_get(doc, "config"), *confs = NULL;
	if ((fmt = jtext(doc, "format")) == NULL ||
	    strcmp(fmt, "wakebench-json") != 0)
		rc = refuse(why, len, doc->line, "not a wakebench JSON file (no "
		    "\"format\": \"wakebench-json\")");
	/* Version 2 changed only a trial's findings, which are not read. */
	else if ((ver = jtext(doc, "format_version")) == NULL ||
	    (strcmp(ver, "1") != 0 && strcmp(ver, "2") != 0) ||
	    REPORT_JSON_VERSION != 2)
		rc = refuse(why, len, doc->line, "format version %.20s; this "
		    "wakebench reads versions 1 and %d", ver ? ver : "(none)",
		    REPORT_JSON_VERSION);
	else if (env_json(f, doc, why, len) != 0)
		rc = -1;
	else if ((confs = json_get(doc, "configurations")) == NULL ||
	    confs->type != JSON_ARRAY || !jtext(cfg, "rate") ||
	    !jtext(cfg, "burst") || !jtext(cfg, "connections") ||
	    !jtext(cfg, "net_rate"))
		rc = refuse(why, len, doc->line, "no configurations array, or a "
		    "config without rate, burst, connections and net_rate");
	for (const struct json *c = rc ? NULL : confs->child; c && rc == 0;
	    c = c->next) {
		const struct json *trials = json_get(c, "trials");
		const char *fld[ID_N + 128];
		char fault[128], producers[32];
		fld[ID_MECH] = jtext(c, "mechanism");
		fld[ID_WAIT] = jtext(c, "wait");
		fld[ID_POKE] = jtext(c, "poke");
		fld[ID_DRAIN] = jtext(c, "drain");
		fld[ID_PRESET] = json_get(c, "preset") &&
		    json_get(c, "preset")->type == JSON_NULL ? "none" :
		    jtext(c, "preset");
		fld[ID_FAULT] = jtext(c, "fault");
		fld[ID_PRODUCERS] = jtext(c, "producers");
		fld[ID_RATE] = jtext(cfg, "rate");
		fld[ID_CONNECTIONS] = jtext(cfg, "connections");
		fld[ID_LABEL] = jtext(c, "label");
		fld[ID_CONFIG] = jtext(c, "config");
		for (int i = 0; i < ID_TRIAL; i++)
			if (fld[i] == NULL)
				rc = refuse(why, len, c->line, "configuration "
				    "without %s", id_cols[i]);
		if (rc == 0 && (trials == NULL || trials->type != JSON_ARRAY))
			rc = refuse(why, len, c->line, "configuration without "
			    "trials");
		if (rc != 0)
			break;
		snprintf(fault, sizeof(fault), "%s", fld[ID_FAULT]);
		for (char *p = fault; *p; p++)
			if (*p == ',')
				*p = '+';
		fld[ID_FAULT] = fault;
		snprintf(producers, sizeof(producers), "%s", fld[ID_PRODUCERS]);
		fld[ID_PRODUCERS] = producers;
		for (const struct json *t = trials->child; t && rc == 0; t = t->next) {
			size_t k = 0;
			fld[ID_TRIAL] = jtext(t, "trial");
			if (fld[ID_TRIAL] == NULL)
				rc = refuse(why, len, t->line, "a trial without its "
				    "number");
			for (const struct report_field *fd = report_fields;
			    fd->name && rc == 0; fd++, k++) {
				const struct json *v = json_get(t, fd->name);
				if (v == NULL && !is_needed(fd->name))
					fld[ID_N + k] = fd->kind == FIELD_REAL ?
					    "0.000" : fd->kind == FIELD_BOOL ? "0" : "";
				else if (v == NULL)
					rc = refuse(why, len, t->line, "a trial "
					    "without %s", fd->name);
				else if (v->type == JSON_NULL)
					fld[ID_N + k] = "";
				else if (v->type == JSON_TRUE || v->type == JSON_FALSE)
					fld[ID_N + k] = v->type == JSON_TRUE ? "1" : "0";
				else if (v->type == JSON_NUMBER)
					fld[ID_N + k] = v->text;
				else
					rc = refuse(why, len, v->line, "%s: not a "
					    "number", fd->name);
			}
			if (rc == 0)
				rc = row(f, (char **)(void *)fld, id, col,
				    jtext(cfg, "burst"), jtext(cfg, "net_rate"),
				    t->line, why, len);
		}
	}
	if (rc == 0 && f->n == 0)
		rc = refuse(why, len, 0, "no trials in it");
	json_free(doc);
	return rc;
}

int
compare_load(const char *path, struct cmp_file *f, char *why, size_t len)
{
	FILE *in;
	char *line = NULL, *fld[MAX_COLS + 1];
	size_t cap = 0, lineno = 0, ncols = 0;
	ssize_t got;
	int id[ID_N], col[128], rc = 0;
	char burst[32] = "", net_rate[32] = "";
	bool header = false, ended = true;

	memset(f, 0, sizeof(*f));
	if ((in = fopen(path, "r")) == NULL)
		return refuse(why, len, 0, "%s", strerror(errno));
	/* A JSON document: read whole, parsed, then its trials checked as
	 * rows. */
	int ch;
	while ((ch = getc(in)) == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
		;
	if (ch == '{') {
		size_t n = 0, size = 1 << 16;
		char *text = malloc(size);
		rewind(in);
		while (text != NULL && (n += fread(text + n, 1, size - n, in)) == size) {
			char *p = realloc(text, size *= 2);
			if (p == NULL)
				free(text);
			text = p;
		}
		if (text == NULL)
			rc = refuse(why, len, 0, "%s", strerror(ENOMEM));
		else if (ferror(in))
			rc = refuse(why, len, 0, "%s", strerror(errno));
		else
			rc = load_json(text, n, f, why, len);
		free(text);
		fclose(in);
		if (rc != 0)
			compare_free(f);
		return rc;
	}
	rewind(in);
	while (rc == 0 && (got = getline(&line, &cap, in)) != -1) {
		lineno++;
		ended = got > 0 && line[got - 1] == '\n';
		if (ended)
			line[--got] = '\0';
		if (got > 0 && line[got - 1] == '\r')
			line[--got] = '\0';
		if (strlen(line) != (size_t)got) {
			rc = refuse(why, len, lineno, "a NUL byte: not a text file");
			break;
		}
		if (lineno == 1) {
			char *end;
			long v;
			if (strncmp(line, "# wakebench-percentiles:", 24) == 0)
				rc = refuse(why, len, 1, "a percentiles CSV; compare "
				    "reads the summary CSV (--csv FILE)");
			else if (strncmp(line, "# wakebench-csv: ", 17) != 0)
				rc = refuse(why, len, 1, "not a wakebench summary CSV "
				    "(it begins '# wakebench-csv: %d')",
				    REPORT_CSV_VERSION);
			else if ((v = strtol(line + 17, &end, 10)) !=
			    REPORT_CSV_VERSION || *end != '\0' || end == line + 17)
				rc = refuse(why, len, 1, "format version %.20s; this "
				    "wakebench reads version %d", line + 17,
				    REPORT_CSV_VERSION);
			continue;
		}
		if (line[0] == '#') {
			if (header) {
				rc = refuse(why, len, lineno, "a '#' line after the "
				    "header (edited?)");
				break;
			}
			for (int i = 0; i < ENV_N; i++) {
				size_t n = strlen(env_keys[i]);
				if (strncmp(line + 2, env_keys[i], n) == 0 &&
				    strncmp(line + 2 + n, ": ", 2) == 0) {
					free(f->env[i]);
					f->env[i] = strdup(line + 4 + n);
				}
			}
			if (strncmp(line, "# config: ", 10) == 0) {
				config_value(line, "burst", burst, sizeof(burst));
				config_value(line, "net_rate", net_rate, sizeof(net_rate));
			}
			continue;
		}
		size_t n = split(line, fld, MAX_COLS);
		if (!header) {
			if (n > MAX_COLS) {
				rc = refuse(why, len, lineno, "more than %d columns",
				    MAX_COLS);
				break;
			}
			ncols = n;
			for (int i = 0; i < ID_N && rc == 0; i++) {
				id[i] = -1;
				for (size_t j = 0; j < n; j++)
					if (strcmp(fld[j], id_cols[i]) == 0)
						id[i] = (int)j;
				if (id[i] < 0)
					rc = refuse(why, len, lineno, "no %s column in "
					    "the header", id_cols[i]);
			}
			size_t k = 0;
			for (const struct report_field *fd = report_fields;
			    fd->name && rc == 0; fd++, k++) {
				col[k] = -1;
				for (size_t j = 0; j < n; j++)
					if (strcmp(fld[j], fd->name) == 0)
						col[k] = (int)j;
				if (col[k] < 0 && is_needed(fd->name))
					rc = refuse(why, len, lineno, "no %s column in "
					    "the header", fd->name);
			}
			if (rc == 0 && (burst[0] == '\0' || net_rate[0] == '\0'))
				rc = refuse(why, len, lineno, "no '# config:' line "
				    "with burst and net_rate before the header");
			header = true;
			continue;
		}
		if (n != ncols) {
			rc = refuse(why, len, lineno, "%s%zu fields where the header "
			    "has %zu (%s)", n > MAX_COLS ? "over " : "",
			    n > MAX_COLS ? (size_t)MAX_COLS : n, ncols,
			    ended ? "edited?" : "truncated");
			break;
		}
		if (!ended) {
			rc = refuse(why, len, lineno, "no end of line: truncated");
			break;
		}
		rc = row(f, fld, id, col, burst, net_rate, lineno, why, len);
	}
	if (rc == 0 && ferror(in))
		rc = refuse(why, len, 0, "%s", strerror(errno));
	else if (rc == 0 && lineno == 0)
		rc = refuse(why, len, 0, "empty: not a wakebench summary CSV");
	else if (rc == 0 && f->n == 0)
		rc = refuse(why, len, 0, "no trials in it (a header%s only)",
		    header ? "" : "less preamble");
	for (int i = 0; rc == 0 && i < ENV_N; i++)
		if (f->env[i] == NULL)
			rc = refuse(why, len, 0, "no '# %s:' line in the preamble",
			    env_keys[i]);
	free(line);
	fclose(in);
	if (rc != 0)
		compare_free(f);
	return rc;
}

size_t
compare_match(const struct cmp_file *a, const struct cmp_file *b, long *map)
{
	size_t matched = 0;

	for (size_t i = 0; i < a->n; i++) {
		map[i] = -1;
		/* Runs of the same command line match in place. */
		if (i < b->n && strcmp(a->c[i].key, b->c[i].key) == 0)
			map[i] = (long)i;
		for (size_t j = 0; j < b->n && map[i] < 0; j++)
			if (strcmp(a->c[i].key, b->c[j].key) == 0)
				map[i] = (long)j;
		matched += map[i] >= 0;
	}
	return matched;
}

/* sample: headline h of c's complete trials (its partial ones where none
 * is complete), as the run's own table takes them. */
static size_t
sample(const struct cmp_config *c, int h, double *x)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		if (!c->t[i].partial && !isnan(c->t[i].v[h]))
			x[n++] = c->t[i].v[h];
	if (n == 0)
		for (size_t i = 0; i < c->n; i++)
			if (!isnan(c->t[i].v[h]))
				x[n++] = c->t[i].v[h];
	return n;
}

/* figure: "79.9k ±1%" of a sample (sorted in place). */
static char *
figure(char *out, size_t len, double *x, size_t n, int h)
{
	const struct result_headline *hl = &result_headlines[h];
	struct stats_summary s;
	char a[32], b[16];

	stats_summarise(x, n, STATS_CONFIDENCE, &s);
	report_value(a, sizeof(a), s.median, hl->unit, hl->fmt);
	report_halfwidth(b, sizeof(b), &s);
	snprintf(out, len, "%s %s", a, n ? b : "");
	return out;
}

/* The two files matched, and room for one figure's samples of each. */
struct walk {
	long *map;		/* old config -> new config, or -1 */
	bool *taken;		/* new configs matched */
	double *x, *y;
};

static void
walk_close(struct walk *w)
{
	free(w->map);
	free(w->taken);
	free(w->x);
	free(w->y);
}

/* walk_open: 0, or -1 with errno (nothing left allocated). */
static int
walk_open(struct walk *w, const struct cmp_file *old, const struct cmp_file *new)
{
	size_t most = 1;

	for (size_t i = 0; i < old->n; i++)
		most = old->c[i].n > most ? old->c[i].n : most;
	for (size_t i = 0; i < new->n; i++)
		most = new->c[i].n > most ? new->c[i].n : most;
	w->map = calloc(old->n ? old->n : 1, sizeof(*w->map));
	w->taken = calloc(new->n ? new->n : 1, sizeof(*w->taken));
	w->x = malloc(most * sizeof(*w->x));
	w->y = malloc(most * sizeof(*w->y));
	if (w->map == NULL || w->taken == NULL || w->x == NULL || w->y == NULL) {
		walk_close(w);
		errno = ENOMEM;
		return -1;
	}
	compare_match(old, new, w->map);
	for (size_t i = 0; i < old->n; i++)
		if (w->map[i] >= 0)
			w->taken[w->map[i]] = true;
	return 0;
}

/* One figure of one matched configuration, as both outputs show it. */
struct cell {
	char old[48], new[48];	/* median ± interval */
	char change[32], p[32];	/* "-" where no difference can be had */
	bool worse;		/* significantly worse by more than threshold */
};

/* cell: figure h of a against b; false when neither has a sample. */
static bool
cell(struct walk *w, const struct cmp_config *a, const struct cmp_config *b,
    int h, double alpha, double threshold, struct cell *c)
{
	const struct result_headline *hl = &result_headlines[h];
	size_t nx = sample(a, h, w->x), ny = sample(b, h, w->y);
	struct report_diff d;

	if (nx == 0 && ny == 0)
		return false;
	figure(c->old, sizeof(c->old), w->x, nx, h);
	figure(c->new, sizeof(c->new), w->y, ny, h);
	report_diff_samples(w->x, nx, w->y, ny, hl, alpha, &d);
	if (!d.valid) {
		snprintf(c->change, sizeof(c->change), "-");
		snprintf(c->p, sizeof(c->p), "-");
	} else {
		report_pct(c->change, sizeof(c->change), d.change_pct);
		if (d.significant)
			snprintf(c->p, sizeof(c->p), d.u.p < 0.001 ?
			    "p=%.1e" : "p=%.3f", d.u.p);
		else
			snprintf(c->p, sizeof(c->p), d.testable ? "~" : "?");
	}
	c->worse = threshold >= 0 && d.worse && fabs(d.change_pct) > threshold;
	return true;
}

static void
worse_line(FILE *out, long worse, double threshold)
{
	if (threshold >= 0)
		fprintf(out, "\n%ld figure%s significantly worse by more than "
		    "%g%%\n", worse, worse == 1 ? "" : "s", threshold);
}

long
compare_print(FILE *out, const struct cmp_file *old, const char *old_name,
    const struct cmp_file *new, const char *new_name, double alpha,
    double threshold)
{
	struct walk w;
	size_t width = strlen(old_name), only = 0;
	long worse = 0;

	if (walk_open(&w, old, new) != 0)
		return -1;
	for (int i = 0; i < ENV_N; i++)
		width = strlen(old->env[i]) > width ? strlen(old->env[i]) : width;
	fprintf(out, "  %-11s  %-*s  %s\n", "", (int)width, old_name, new_name);
	for (int i = 0; i < ENV_N; i++) {
		bool same = strcmp(old->env[i], new->env[i]) == 0;
		fprintf(out, "%c %-11s  %-*s  %s\n", same ? ' ' : '*', env_keys[i],
		    (int)width, old->env[i], new->env[i]);
	}
	fprintf(out, "(* differs between the runs)\n");
	fprintf(out, "\nper configuration and figure: old median ± interval, new "
	    "median ± interval, change of the median, p of a Mann-Whitney U "
	    "test; ~ no significant difference (p >= %g), ? too few trials for "
	    "p below it\n", alpha);

	for (size_t i = 0; i < old->n; i++) {
		const struct cmp_config *a = &old->c[i], *b;
		struct cell c;
		if (w.map[i] < 0)
			continue;
		b = &new->c[w.map[i]];
		fprintf(out, "\n%s: %zu vs %zu trials\n", a->label, a->n, b->n);
		for (int h = 0; h < HL_N; h++) {
			if (!cell(&w, a, b, h, alpha, threshold, &c))
				continue;
			worse += c.worse;
			fprintf(out, "  %-11s  %16s  %16s  %7s  %s%s\n",
			    result_headlines[h].name, c.old, c.new, c.change,
			    c.p, c.worse ? "  worse" : "");
		}
	}
	for (size_t i = 0; i < old->n; i++)
		if (w.map[i] < 0)
			fprintf(out, "%sonly in %s: %s\n", only++ ? "" : "\n",
			    old_name, old->c[i].label);
	for (size_t j = 0; j < new->n; j++)
		if (!w.taken[j])
			fprintf(out, "%sonly in %s: %s\n", only++ ? "" : "\n",
			    new_name, new->c[j].label);
	worse_line(out, worse, threshold);
	walk_close(&w);
	return worse;
}

long
compare_markdown(FILE *out, const struct cmp_file *old, const char *old_name,
    const struct cmp_file *new, const char *new_name, double alpha,
    double threshold)
{
	struct walk w;
	long worse = 0;

	if (walk_open(&w, old, new) != 0)
		return -1;
	fprintf(out, "### wakebench compare\n\n| | ");
	report_md_code(out, old_name);
	fprintf(out, " | ");
	report_md_code(out, new_name);
	fprintf(out, " |\n|---|---|---|\n");
	for (int i = 0; i < ENV_N; i++) {
		bool same = strcmp(old->env[i], new->env[i]) == 0;
		fprintf(out, same ? "| %s | " : "| **%s** (differs) | ", env_keys[i]);
		report_md_text(out, old->env[i]);
		fprintf(out, " | ");
		report_md_text(out, new->env[i]);
		fprintf(out, " |\n");
	}
	fprintf(out, "\nPer configuration and figure: the old and new median ± "
	    "the wider side of its 95%% interval, the change of the median, "
	    "the p of a Mann-Whitney U test; ~ no significant difference "
	    "(p >= %g), ? too few trials for p below it.\n\n"
	    "| configuration | trials | figure | old | new | change | p |\n"
	    "|---|--:|---|--:|--:|--:|---|\n", alpha);
	for (size_t i = 0; i < old->n; i++) {
		const struct cmp_config *a = &old->c[i], *b;
		struct cell c;
		if (w.map[i] < 0)
			continue;
		b = &new->c[w.map[i]];
		for (int h = 0; h < HL_N; h++) {
			if (!cell(&w, a, b, h, alpha, threshold, &c))
				continue;
			worse += c.worse;
			fprintf(out, "| ");
			report_md_text(out, a->label);
			fprintf(out, " | %zu / %zu | %s | %s | %s | %s | %s%s |\n",
			    a->n, b->n, result_headlines[h].name, c.old, c.new,
			    c.change, c.p, c.worse ? " **worse**" : "");
		}
	}
	fprintf(out, "\n");
	for (size_t i = 0; i < old->n; i++)
		if (w.map[i] < 0) {
			fprintf(out, "- only in the old run: ");
			report_md_text(out, old->c[i].label);
			fprintf(out, "\n");
		}
	for (size_t j = 0; j < new->n; j++)
		if (!w.taken[j]) {
			fprintf(out, "- only in the new run: ");
			report_md_text(out, new->c[j].label);
			fprintf(out, "\n");
		}
	worse_line(out, worse, threshold);
	walk_close(&w);
	return worse;
}
