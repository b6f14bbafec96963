/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * wakebench: how fast, and how correctly, can producer threads wake an
 * event loop's main thread through a pipe, an eventfd or a socketpair?
 *
 * This file only drives: parse options, build the list of configurations,
 * run their trials interleaved, hand the results to the reporters.
 * Everything else is in lib/.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "compare.h"
#include "completion.h"
#include "config.h"
#include "drain.h"
#include "fault.h"
#include "outfile.h"
#include "plot.h"
#include "poke.h"
#include "preset.h"
#include "probe.h"
#include "rt.h"
#include "report.h"
#include "leak.h"
#include "sysinfo.h"
#include "tracesched.h"
#include "trial.h"
#include "units.h"
#include "wait.h"
#include "waker.h"

#define WAKEBENCH_VERSION	"0.1.0"
/* The commit it was built from (the Makefile's git describe), if any. */
#ifdef WB_COMMIT
#define WAKEBENCH_BUILT	" (commit " WB_COMMIT ")"
#else
#define WAKEBENCH_BUILT	""
#endif

#define EXIT_USAGE	2

static volatile sig_atomic_t interrupted;

/* die_of: remove the temporary files, then die of sig as if it had never
 * been caught.  Async-signal-safe. */
static void
die_of(int sig)
{
	outfile_unlink_temps();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * on_signal: the first SIGINT, SIGTERM or SIGHUP stops the run cleanly.  A
 * second one more than a second later kills at once, whatever the run is
 * stuck in; one sooner is the same signal delivered twice (timeout(1) sends
 * it to the child and then to its process group) and is ignored.
 */
static void
on_signal(int sig)
{
	static struct timespec first;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!interrupted) {
		first = now;
		interrupted = sig;
		return;
	}
	if (now.tv_sec - first.tv_sec > 1 ||
	    (now.tv_sec - first.tv_sec == 1 && now.tv_nsec >= first.tv_nsec))
		die_of(sig);
}

/*
 * The signals whose default action ends the process and that nothing here
 * expects: they still end it, but not before the temporary files are gone.
 * (SIGKILL cannot be caught; temporary files exist only while the outputs
 * are written, which keeps that window short.)
 */
static const int fatal_signals[] = {
	SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
	SIGIO, SIGPWR, SIGSTKFLT,
};

/* catch installs handler for sig, unless sig was ignored when we started
 * (nohup, a background job): that choice was the user's. */
static void
catch(int sig, void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler }, old;

	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
		return;
	/* No SA_RESTART: the main thread's wait must return EINTR. */
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void
usage_lines(FILE *f)
{
	fprintf(f,
	    "usage: wakebench [run] [options]\n"
	    "       wakebench probe [--json FILE]\n"
	    "       wakebench compare [--alpha P] [--threshold PCT] [--markdown FILE] OLD NEW\n"
	    "       wakebench list\n"
	    "       wakebench completion bash|zsh\n");
}

/* The subcommands besides run, for the completion scripts (their options
 * are parsed by hand in probe() and compare()). */
static const struct completion_sub subcommands[] = {
	{ "probe", "this platform's facts, measured", "--json", NULL, NULL, false },
	{ "compare", "is the difference between two runs real?", "--markdown",
	  "--alpha --threshold", NULL, true },
	{ "list", "every mechanism, wait, policy, preset and fault", NULL, NULL,
	  NULL, false },
	{ "completion", "a completion script for bash or zsh", NULL, NULL,
	  "bash zsh", false },
	{ NULL, NULL, NULL, NULL, NULL, false },
};


/*
 * shown_in: s as a message may show it, on one line: control bytes escaped
 * (\n, \xHH), cut after cut bytes; written to buf, which is returned.
 */
static const char *
shown_in(const char *s, char *buf, size_t len, size_t cut)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && n + 8 < len; p++) {
		if (n > cut) {
			snprintf(buf + n, len - n, "...");
			return buf;
		}
		if (*p == '\n')
			n += (size_t)snprintf(buf + n, len - n, "\\n");
		else if (*p < 0x20 || *p == 0x7f)
			n += (size_t)snprintf(buf + n, len - n, "\\x%02x", *p);
		else
			buf[n++] = (char)*p;
	}
	buf[n] = '\0';
	return buf;
}

static const char *
shown(const char *s)
{
	static char buf[1024];

	return shown_in(s, buf, sizeof(buf), 200);
}

/* bad: the one-line refusal of bad input, exit 2. */
static void __attribute__((noreturn))
bad(const char *opt, const char *val, const char *why)
{
	char w[1024];

	/* The reason may quote the value (a list element), so it is escaped
	 * as well; it is ours, and may run longer (a list of accepted
	 * names), but never past its buffer. */
	if (val != NULL)
		fprintf(stderr, "wakebench: --%s: %s: %s\n", opt, shown(val),
		    shown_in(why, w, sizeof(w), 400));
	else
		fprintf(stderr, "wakebench: --%s: %s\n", opt,
		    shown_in(why, w, sizeof(w), 400));
	exit(EXIT_USAGE);
}

/*
 * stdout_status: status, or 1 when what was written to standard output did
 * not all get there (a full disk, a closed pipe: SIGPIPE is ignored, so
 * that is EPIPE here, not a death by signal).
 */
static int
stdout_status(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	warn("stdout");
	return 1;
}

static void
help(void)
{
	char names[512], left[64];

	usage_lines(stdout);
	printf("\nProducer threads queue items and poke a main thread that sleeps in\n"
	    "select/poll/epoll or an io_uring; wakebench measures wakeup latency, lost\n"
	    "and spurious wakeups and pipe-full blocking, and compares mechanisms side\n"
	    "by side.\n\n"
	    "options (LIST = comma-separated; lists form a cross product):\n");
	for (const struct config_opt *o = config_opts; o->name != NULL; o++) {
		if (o->chr)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->chr,
			    o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
			    o->arg ? " " : "", o->arg ? o->arg : "");
		printf("  %-27s %s", left, o->help);
		if (o->dflt != NULL)
			printf(" [%s]", o->dflt);
		switch (o->kind) {
		case OPT_LIST:
		case OPT_WORD:
			config_names(o->axis, names, sizeof(names));
			printf("\n  %-27s %s", "", names[0] ? names : "(none yet)");
			break;
		case OPT_COUNTS: case OPT_COUNT: case OPT_RATE: case OPT_PMQOS:
			printf(" (%llu-%llu)", (unsigned long long)o->min,
			    (unsigned long long)o->max);
			break;
		case OPT_SIZE: case OPT_TIME: case OPT_STALL: {
			char a[32], b[32];
			enum unit_kind u = o->kind == OPT_SIZE ? UNIT_SIZE : UNIT_TIME;
			printf(" (%s-%s)", units_format(u, o->min, a, sizeof(a)),
			    units_format(u, o->max, b, sizeof(b)));
			break;
		}
		default:
			break;
		}
		printf("\n");
	}
	printf("\nCounts take k, M, G, any case (x1000); sizes k, M, G (x1024); times ns, us,\n"
	    "ms, s (a bare number is seconds).  Exit status: 0 nothing found,\n"
	    "1 runtime failure, 2 usage error, 3 a problem found, 129/130/143\n"
	    "interrupted by SIGHUP/SIGINT/SIGTERM.\n"
	    "See wakebench(1).\n");
}

/* completion: wakebench completion bash|zsh. */
static int
completion(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		usage_lines(stdout);
		return stdout_status(0);
	}
	if (argc != 2) {
		fprintf(stderr, "wakebench: completion: %s; expected one of: %s\n",
		    argc < 2 ? "needs a shell" : "one shell only", completion_shells);
		return EXIT_USAGE;
	}
	int e = completion_write(stdout, argv[1], WAKEBENCH_VERSION, subcommands);
	if (e == EINVAL) {
		fprintf(stderr, "wakebench: completion: %s: unknown shell; expected "
		    "one of: %s\n", shown(argv[1]), completion_shells);
		return EXIT_USAGE;
	}
	return stdout_status(0);
}

static void
list(void)
{
	printf("mechanisms (-m)\n");
	for (const struct waker_ops *const *w = waker_table; *w; w++)
		printf("  %-14s %s\n", (*w)->name, (*w)->desc);
	printf("waits (-w)\n");
	for (const struct wait_ops *const *w = wait_table; *w; w++)
		printf("  %-14s %s\n", (*w)->name, (*w)->desc);
	printf("pokes (-P)\n");
	for (const struct poke_ops *const *p = poke_table; *p; p++)
		printf("  %-14s %s\n", (*p)->name, (*p)->desc);
	printf("drains (-D; ! = unsafe in some combinations, listed)\n");
	for (const struct drain_ops *const *d = drain_table; *d; d++) {
		bool unsafe = false;
		for (const struct drain_unsafe *u = drain_unsafe_table; u->drain; u++)
			unsafe |= strcmp(u->drain, (*d)->name) == 0;
		printf("%s %-14s %s\n", unsafe ? "!" : " ", (*d)->name, (*d)->desc);
		for (const struct drain_unsafe *u = drain_unsafe_table; u->drain; u++)
			if (strcmp(u->drain, (*d)->name) == 0)
				printf("  %-14s unsafe with %s: %s (%s)\n", "", u->when,
				    u->finding, u->why);
	}
	printf("presets (--preset; ! = unsafe somewhere, see the caveat)\n");
	for (const struct preset *p = preset_table; p->name; p++) {
		char fl[128];
		printf("%s %-15s -m %s -w %s -P %s -D %s%s%s\n",
		    p->caveat ? "!" : " ", p->name, p->waker, p->wait, p->poke,
		    p->drain, p->flags ? ", " : "",
		    p->flags ? fault_names(p->flags, fl, sizeof(fl)) : "");
		printf("  %-15s %s\n  %-15s %s\n", "", p->library, "", p->source);
		if (p->caveat)
			printf("  %-15s caveat: %s\n", "", p->caveat);
	}
	printf("faults (--fault)\n");
	for (const struct fault *f = fault_table; f->name; f++)
		printf("  %-20s %s\n", f->name, f->desc);
}

/* probe: wakebench probe [--json FILE]. */
static int
probe(int argc, char **argv)
{
	const char *json = NULL;
	struct probe *p;	/* 7 KiB of facts: on the heap, off the stack */
	struct outfile out;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 && i + 1 < argc && argv[i + 1][0]) {
			json = argv[++i];
		} else if (strcmp(argv[i], "--json") == 0) {
			bad("json", NULL, "needs a value (FILE)");
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage_lines(stdout);
			return stdout_status(0);
		} else {
			fprintf(stderr, "wakebench: probe: %s: unexpected argument; "
			    "probe takes only --json FILE\n", shown(argv[i]));
			return EXIT_USAGE;
		}
	}
	if (json != NULL) {
		int e = outfile_check(&out, json);
		if (e == 0 && out.is_stderr) {
			outfile_abort(&out);
			bad("json", json, "is standard error, where messages go; "
			    "give a file, or - for standard output");
		}
		if (e != 0) {
			outfile_abort(&out);
			errno = e;
			if (out.why != NULL)
				errx(1, "--json: %s: %s", shown(json), out.why);
			err(1, "--json: %s", shown(json));
		}
	}
	if ((p = malloc(sizeof(*p))) == NULL)
		err(1, "malloc");
	probe_run(p);
	/* A signal during the measurements: stop before writing anything. */
	if (interrupted) {
		if (json != NULL)
			outfile_abort(&out);
		free(p);
		return 128 + interrupted;
	}
	bool facts_to_stderr = json != NULL && out.kind == OUTFILE_STDOUT;
	int status = probe_print(facts_to_stderr ? stderr : stdout, p) == 0 ? 0 : 1;
	if (json != NULL) {
		int e = outfile_open(&out);
		if (e == 0) {
			errno = 0;
			e = probe_json(out.f, p, WAKEBENCH_VERSION) == 0 ? 0 :
			    (errno ? errno : EIO);
			if (e != 0)
				outfile_abort(&out);
			else
				e = outfile_commit(&out);
		} else {
			outfile_abort(&out);
		}
		if (e != 0 && !(e == EINTR && interrupted)) {
			errno = e;
			warn("--json: %s", shown(json));
			status = 1;
		}
	}
	free(p);
	if (!facts_to_stderr)
		status = stdout_status(status);
	return interrupted ? 128 + interrupted : status;
}

/* check_markdown: compare's --markdown FILE, checked before the files are
 * read as the run's outputs are (exit 2 for standard error, 1 for a file
 * that cannot be written). */
static void
check_markdown(struct outfile *o, const char *path)
{
	int e = outfile_check(o, path);

	if (e == 0 && o->is_stderr) {
		outfile_abort(o);
		bad("markdown", path, "is standard error, where messages go; "
		    "give a file, or - for standard output");
	}
	if (e != 0) {
		outfile_abort(o);
		errno = e;
		if (o->why != NULL)
			errx(1, "--markdown: %s: %s", shown(path), o->why);
		err(1, "--markdown: %s", shown(path));
	}
}

/* write_markdown writes and commits compare's Markdown; false after
 * reporting a failure (the file is then complete or absent). */
static bool
write_markdown(struct outfile *o, const char *path, const struct cmp_file *a,
    const char *an, const struct cmp_file *b, const char *bn, double alpha,
    double threshold)
{
	int e = outfile_open(o);

	if (e == 0) {
		errno = 0;
		e = compare_markdown(o->f, a, an, b, bn, alpha, threshold) < 0 ||
		    fflush(o->f) != 0 || ferror(o->f) ? (errno ? errno : EIO) : 0;
		if (e != 0)
			outfile_abort(o);
		else
			e = outfile_commit(o);
	} else {
		outfile_abort(o);
	}
	if (e != 0) {
		errno = e;
		warn("--markdown: %s", shown(path));
		return false;
	}
	return true;
}

/*
 * compare: wakebench compare [--alpha P] [--threshold PCT] OLD NEW.
 * Bad options and bad files are exit 2 with one line; exit 3 when a
 * figure is significantly worse by more than --threshold.
 */
static int
compare(int argc, char **argv)
{
	struct config c;
	struct cmp_file f[2];
	const char *path[2] = { NULL, NULL }, *md = NULL;
	struct outfile mdout;
	double threshold = -1;
	char why[512];
	int npath = 0;

	config_init(&c);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_lines(stdout);
			return stdout_status(0);
		}
		if (strcmp(a, "--alpha") == 0 || strcmp(a, "--threshold") == 0) {
			if (i + 1 == argc)
				bad(a + 2, NULL, strcmp(a, "--alpha") == 0 ?
				    "needs a value (P)" : "needs a value (PCT)");
			const char *v = argv[++i];
			if (strcmp(a, "--alpha") == 0) {
				if (config_set(&c, config_opt_find(0, "alpha"), v,
				    why, sizeof(why)) != 0)
					bad("alpha", v, why);
				continue;
			}
			char *end;
			errno = 0;
			threshold = strtod(v, &end);
			if (end == v || *end != '\0' || errno != 0 ||
			    !(threshold >= 0) || !(threshold <= 1000000))
				bad("threshold", v, "expected a percentage between 0 "
				    "and 1000000");
			continue;
		}
		if (strcmp(a, "--markdown") == 0) {
			if (i + 1 == argc || argv[i + 1][0] == '\0')
				bad("markdown", NULL, "needs a value (FILE)");
			md = argv[++i];
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "wakebench: compare: %s: unknown option; "
			    "compare takes --alpha P, --threshold PCT and "
			    "--markdown FILE\n", shown(a));
			return EXIT_USAGE;
		}
		if (npath == 2) {
			fprintf(stderr, "wakebench: compare: %s: unexpected argument; "
			    "compare takes two files, OLD and NEW\n", shown(a));
			return EXIT_USAGE;
		}
		path[npath++] = a;
	}
	if (npath < 2) {
		fprintf(stderr, "wakebench: compare: needs two files, OLD and NEW "
		    "(summary CSV files of earlier runs)\n");
		return EXIT_USAGE;
	}
	if (md != NULL)
		check_markdown(&mdout, md);
	for (int i = 0; i < 2; i++)
		if (compare_load(path[i], &f[i], why, sizeof(why)) != 0) {
			char p[1024];
			fprintf(stderr, "wakebench: compare: %s: %s\n",
			    shown_in(path[i], p, sizeof(p), 200), shown(why));
			if (i == 1)
				compare_free(&f[0]);
			if (md != NULL)
				outfile_abort(&mdout);
			return EXIT_USAGE;
		}
	/* With the Markdown on stdout, the text goes to stderr. */
	bool md_stdout = md != NULL && mdout.kind == OUTFILE_STDOUT;
	long worse = compare_print(md_stdout ? stderr : stdout, &f[0], path[0],
	    &f[1], path[1], c.alpha, threshold);
	int status = 0;
	if (worse >= 0 && md != NULL && !write_markdown(&mdout, md, &f[0],
	    path[0], &f[1], path[1], c.alpha, threshold))
		status = 1;
	compare_free(&f[0]);
	compare_free(&f[1]);
	if (worse < 0)
		err(1, "compare");
	if (status == 0 && worse > 0)
		status = VERDICT_EXIT_FOUND;
	return stdout_status(status);
}

/*
 * command_line quotes argv for a shell, for the CSV preamble and JSON: in
 * pure printable ASCII on one line, whatever bytes the arguments hold, so
 * that neither file can be broken by them.  An argument with other bytes
 * becomes $'...' with \xHH escapes.
 */
static char *
command_line(int argc, char **argv)
{
	size_t len = 1;
	char *s, *p;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) * 4 + 4;
	if ((s = malloc(len)) == NULL)
		err(1, "malloc");
	p = s;
	for (int i = 0; i < argc; i++) {
		const unsigned char *a = (const unsigned char *)argv[i];
		bool plain = *a != '\0', printable = true;
		for (const unsigned char *q = a; *q; q++) {
			plain = plain && strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,/=@:+%", *q);
			printable = printable && *q >= 0x20 && *q < 0x7f;
		}
		if (i)
			*p++ = ' ';
		if (plain) {
			p = stpcpy(p, argv[i]);
		} else if (printable) {
			*p++ = '\'';
			for (; *a; a++)
				p = *a == '\'' ? stpcpy(p, "'\\''") : (*p = (char)*a, p + 1);
			*p++ = '\'';
		} else {
			p = stpcpy(p, "$'");
			for (; *a; a++)
				p += *a == '\'' || *a == '\\' ? sprintf(p, "\\%c", *a) :
				    *a >= 0x20 && *a < 0x7f ? sprintf(p, "%c", *a) :
				    sprintf(p, "\\x%02x", *a);
			*p++ = '\'';
		}
	}
	*p = '\0';
	return s;
}

/*
 * ambiguous: getopt_long says only '?' for "--w", a prefix of several long
 * options; name them (exit 2), or return when arg is simply unknown.
 */
static void
ambiguous(const char *arg, const struct option *longopts)
{
	const char *name = arg + 2;
	size_t len = strcspn(name, "="), n = 0;
	char list[512] = "";

	for (const struct option *l = longopts; l->name != NULL; l++) {
		if (len == 0 || strncmp(l->name, name, len) != 0)
			continue;
		size_t used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s--%s",
		    n++ ? ", " : "", l->name);
	}
	if (n < 2)
		return;
	char opt[256];
	snprintf(opt, sizeof(opt), "%.*s", (int)len + 2, arg);
	fprintf(stderr, "wakebench: %s: ambiguous option (%s)\n", shown(opt),
	    list);
	exit(EXIT_USAGE);
}

/* parse_options fills c from argv (after the subcommand) or exits 2.
 * Not inlined: its 2 KiB of tables need not stay on the stack under the
 * run. */
static void __attribute__((noinline))
parse_options(struct config *c, int argc, char **argv)
{
	struct option longopts[64];
	char shortopts[128] = ":";
	size_t n = 0, sn = 1;
	char why[512];

	for (const struct config_opt *o = config_opts; o->name != NULL; o++) {
		longopts[n++] = (struct option){ o->name,
		    o->arg ? required_argument : no_argument, NULL,
		    o->chr ? o->chr : 256 + (int)(o - config_opts) };
		if (o->chr) {
			shortopts[sn++] = (char)o->chr;
			if (o->arg)
				shortopts[sn++] = ':';
		}
	}
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[sn] = '\0';

	opterr = 0;
	for (;;) {
		int li = -1;
		int ch = getopt_long(argc, argv, shortopts, longopts, &li);
		if (ch == -1)
			break;
		if (ch == '?') {
			/* getopt_long sets optopt to the option's value when a
			 * long flag was given "=value". */
			const char *arg = argv[optind - 1];
			const struct config_opt *o = optopt >= 256 ?
			    &config_opts[optopt - 256] :
			    optopt ? config_opt_find(optopt, NULL) : NULL;
			if (o != NULL && strncmp(arg, "--", 2) == 0)
				bad(o->name, NULL, "takes no value");
			if (optopt == 0 && strncmp(arg, "--", 2) == 0)
				ambiguous(arg, longopts);
			/* An unknown letter of a cluster ("-xyz"): optopt is
			 * that byte, a negative one past 0x7f (glibc reads a
			 * char), and optind has not moved past its argument,
			 * so argv[optind - 1] would name the one before. */
			if (optopt != 0 && optopt < 256) {
				char letter[3] = { '-', (char)optopt, '\0' };
				fprintf(stderr, "wakebench: %s: unknown option; "
				    "see wakebench --help\n", shown(letter));
			} else
				fprintf(stderr, "wakebench: %s: unknown option; "
				    "see wakebench --help\n", shown(arg));
			exit(EXIT_USAGE);
		}
		if (ch == ':') {
			const struct config_opt *o = config_opt_find(optopt,
			    optopt >= 256 ? config_opts[optopt - 256].name : NULL);
			if (o == NULL)
				o = config_opt_find(0, argv[optind - 1] + 2);
			if (o == NULL)
				errx(EXIT_USAGE, "%s: needs a value", argv[optind - 1]);
			bad(o->name, NULL, o->arg ? (snprintf(why, sizeof(why),
			    "needs a value (%s)", o->arg), why) : "needs a value");
		}
		const struct config_opt *o = ch >= 256 ? &config_opts[ch - 256] :
		    config_opt_find(ch, NULL);
		if (o->kind == OPT_HELP) {
			help();
			exit(stdout_status(0));
		}
		if (o->kind == OPT_VERSION) {
			printf("wakebench %s%s\n", WAKEBENCH_VERSION, WAKEBENCH_BUILT);
			exit(stdout_status(0));
		}
		if (config_set(c, o, o->arg ? optarg : NULL, why, sizeof(why)) != 0)
			bad(o->name, optarg, why);
	}
	if (optind < argc) {
		fprintf(stderr, "wakebench: %s: unexpected argument; "
		    "see wakebench --help\n", shown(argv[optind]));
		exit(EXIT_USAGE);
	}
}

/* raise_nofile lifts the soft RLIMIT_NOFILE to the hard limit: thousands
 * of connections need thousands of descriptors, and the hard limit is what
 * the administrator allows. */
static uint64_t nofile_soft_before;

static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	nofile_soft_before = rl.rlim_cur;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* too_many refuses a cross product beyond CONFIG_SETUPS_MAX, naming the
 * longest list and the product. */
static void __attribute__((noreturn))
too_many(const struct config *c)
{
	struct { const char *opt; unsigned n; } l[] = {
		{ "mechanism", c->waker.n }, { "wait", c->wait.n },
		{ "poke", c->poke.n }, { "drain", c->drain.n },
		{ "preset", c->preset.n }, { "producers", c->producers.n },
	};
	unsigned longest = 0;
	size_t total = c->preset.n ? (size_t)c->preset.n * c->producers.n :
	    (size_t)c->waker.n * c->wait.n * c->poke.n * c->drain.n * c->producers.n;
	char why[256];

	for (unsigned i = 1; i < sizeof(l) / sizeof(l[0]); i++)
		if (l[i].n > l[longest].n)
			longest = i;
	snprintf(why, sizeof(why), "the lists make %zu configurations; at most "
	    "%d fit in one run", total, CONFIG_SETUPS_MAX);
	fprintf(stderr, "wakebench: --%s: %u values: %s\n", l[longest].opt,
	    l[longest].n, why);
	exit(EXIT_USAGE);
}

/*
 * check_fds refuses connections the waits or RLIMIT_NOFILE cannot hold.
 * The main process holds the served ends (plus stdio, output files, the
 * waker, the listener and the client pipes); the client process the other
 * ends.  select can only watch descriptors below FD_SETSIZE.
 */
static void
check_fds(const struct config *c, const struct setup *s, size_t n,
    const struct sysinfo *si)
{
	char val[64], why[256];
	uint64_t need = c->connections + 16;

	if (c->connections == 0)
		return;
	snprintf(val, sizeof(val), "%llu", (unsigned long long)c->connections);
	for (size_t i = 0; i < n; i++) {
		int limit = s[i].wait->fd_limit;
		if (limit > 0 && need > (uint64_t)limit) {
			snprintf(why, sizeof(why), "%s watches descriptors below "
			    "FD_SETSIZE (%d) only, and %s connections need about "
			    "%llu; use -w poll or epoll", s[i].wait->name, limit,
			    val, (unsigned long long)need);
			bad("connections", val, why);
		}
	}
	if (need + c->clients > si->nofile_hard) {
		snprintf(why, sizeof(why), "needs about %llu descriptors per "
		    "process, and RLIMIT_NOFILE allows %llu (soft limit %llu, "
		    "raised to the hard limit %llu)",
		    (unsigned long long)(need + c->clients),
		    (unsigned long long)si->nofile_hard,
		    (unsigned long long)nofile_soft_before,
		    (unsigned long long)si->nofile_hard);
		bad("connections", val, why);
	}
}

/* check_proc: both descriptor checks read /proc/self/fd, and a hidden
 * /proc must not pass for "no leak". */
static void
check_proc(const struct config *c)
{
	char val[64], why[256];

	if (access("/proc/self/fd", R_OK) == 0)
		return;
	int e = errno;
	if (c->spawn > 0) {
		snprintf(val, sizeof(val), "%llu", (unsigned long long)c->spawn);
		snprintf(why, sizeof(why), "/proc/self/fd: %s: the leak "
		    "check lists each child's descriptors there; mount /proc",
		    strerror(e));
		bad("spawn", val, why);
	}
	if (c->verbose >= 0)
		warnx("/proc/self/fd: %s: descriptors a trial leaves open "
		    "cannot be counted (fd_delta is empty)", strerror(e));
}

/* check_size: --pipe-size measured, not assumed: tried on a scratch waker
 * of every kind that has a size. */
static void
check_size(const struct config *c, const struct setup *s, size_t n,
    const struct sysinfo *si)
{
	char val[64], why[256];
	bool used = false;

	if (c->pipe_size == 0)
		return;
	units_format(UNIT_SIZE, c->pipe_size, val, sizeof(val));
	for (const struct waker_ops *const *o = waker_table; *o != NULL; o++) {
		struct waker w;
		size_t actual = 0;
		int e;
		if ((*o)->set_size == NULL)
			continue;
		if ((e = waker_open(&w, *o, 0)) == 0) {
			e = waker_set_size(&w, c->pipe_size, &actual);
			waker_close(&w);
		}
		if (e == EPERM)
			snprintf(why, sizeof(why), "the kernel refused it: above "
			    "fs.pipe-max-size (%ld) without CAP_SYS_RESOURCE",
			    si->pipe_max_size);
		else if (e != 0)
			snprintf(why, sizeof(why), "the kernel refused it: %s",
			    strerror(e));
		if (e != 0)
			bad("pipe-size", val, why);
		if (actual != c->pipe_size && c->verbose >= 0)
			warnx("--pipe-size: %s: the kernel rounds it up to %zu bytes",
			    val, actual);
	}
	for (size_t i = 0; i < n; i++)
		used |= s[i].waker->set_size != NULL;
	if (!used && c->verbose >= 0)
		warnx("--pipe-size: no pipe waker in this run; it has no effect");
}

/*
 * check_memory: the item pools fit in a quarter of the memory this process
 * may use (MemAvailable, or its memory cgroup's room), never more than
 * TRIAL_POOL_BUDGET items; the budget in items is returned.  A trial whose
 * least need (trial_min_bytes: the smallest pools and the threads) is over
 * half that memory is refused, with the figures: an OOM kill tells nobody
 * anything.
 */
static uint64_t
check_memory(const struct config *c, const struct setup *s, size_t n,
    const struct sysinfo *si)
{
	char val[32], why[256], a[32], b[32];
	unsigned most = 0;

	if (si->mem_avail == UINT64_MAX)
		return TRIAL_POOL_BUDGET;
	for (size_t i = 0; i < n; i++)
		if (s[i].producers > most)
			most = s[i].producers;
	uint64_t need = trial_min_bytes(most);
	if (need > si->mem_avail / 2) {
		snprintf(val, sizeof(val), "%u", most);
		snprintf(why, sizeof(why), "needs at least %s (%u items of %u B "
		    "and ~%u KiB of thread per producer), over half of the %s "
		    "this process may use (%s); lower -p", units_format(UNIT_SIZE,
		    need, a, sizeof(a)), TRIAL_POOL_MIN, TRIAL_ITEM_BYTES,
		    TRIAL_THREAD_BYTES / 1024, units_format(UNIT_SIZE,
		    si->mem_avail, b, sizeof(b)), si->mem_source);
		bad("producers", val, why);
	}
	(void)c;
	uint64_t budget = si->mem_avail / 4 / TRIAL_ITEM_BYTES;
	return budget < TRIAL_POOL_BUDGET ? budget : TRIAL_POOL_BUDGET;
}

/* check_kernel: a ring waker needs an io_uring wait; and every wait and
 * waker of the run tried on this kernel (an io_uring operation it lacks,
 * say), refused with the operation and the kernel's answer. */
static void
check_kernel(const struct setup *s, size_t n)
{
	char why[256];

	for (size_t i = 0; i < n; i++) {
		if (s[i].waker->ring && !s[i].wait->ring) {
			snprintf(why, sizeof(why), "completes in an io_uring "
			    "ring: needs --wait io_uring or io_uring-defer, "
			    "and %s has no ring", s[i].wait->name);
			bad("mechanism", s[i].waker->name, why);
		}
		if (s[i].wait->check != NULL &&
		    s[i].wait->check(why, sizeof(why)) != 0)
			bad("wait", s[i].wait->name, why);
		if (s[i].waker->check != NULL &&
		    s[i].waker->check(why, sizeof(why)) != 0)
			bad("mechanism", s[i].waker->name, why);
	}
}

/* check_machine refuses what this machine cannot do, before anything
 * starts: exit 2 naming the option, the value and the reason. */
static void __attribute__((noinline))
check_machine(const struct config *c, const struct setup *s, size_t n,
    const struct sysinfo *si)
{
	check_kernel(s, n);
	check_fds(c, s, n, si);
	check_proc(c);
	check_size(c, s, n, si);
}

#define OUTPUTS_N	5
#define OUT_PLOT	4

struct outputs {
	struct outfile of[OUTPUTS_N];	/* csv, percentiles, json, markdown, plot */
	bool used[OUTPUTS_N];
};

static const char *const output_opts[OUTPUTS_N] = {
	"csv", "percentiles", "json", "markdown", "plot",
};

/* --plot: gnuplot and the scripts, found before the run (check_plot). */
static struct {
	char gnuplot[PATH_MAX];
	char scripts[PATH_MAX];
	char why[256];
} plotter;

/*
 * check_plot: --plot needs gnuplot in PATH and the project's scripts:
 * next to the binary (plots/, a build in the source tree), in
 * ../share/wakebench/plots from it (an installed tree moved whole),
 * where make install put them (WB_PLOTDIR), or in the source tree it was
 * built from (WB_SRCPLOTDIR: the sanitizer builds under build/).  Either
 * missing is refused before anything is measured (exit 2), with what to
 * do.
 */
static void __attribute__((noinline))
check_plot(const struct config *c)
{
	/* Static: 16 KiB the main thread's stack need not hold (STACK_NEED). */
	static char exe[PATH_MAX], here[PATH_MAX + 32], up[PATH_MAX + 32];
	static char why[PATH_MAX * 4 + 256];
	ssize_t n;

	if (c->plot == NULL)
		return;
	if (plot_find_gnuplot(plotter.gnuplot, sizeof(plotter.gnuplot)) != 0)
		bad("plot", c->plot, "needs gnuplot, and there is none in PATH; "
		    "install it (Debian, Ubuntu: sudo apt-get install gnuplot-nox; "
		    "Fedora: sudo dnf install gnuplot)");
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		n = 0;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash != NULL)
		*slash = '\0';
	snprintf(here, sizeof(here), "%s/plots", exe);
	snprintf(up, sizeof(up), "%s/../share/wakebench/plots", exe);
	const char *dirs[] = { here, up, WB_PLOTDIR, WB_SRCPLOTDIR, NULL };
	if (plot_find_scripts(dirs, plotter.scripts, sizeof(plotter.scripts)) != 0) {
		snprintf(why, sizeof(why), "the plot scripts (" PLOT_SCRIPT ") are "
		    "in none of %s, %s, %s, %s; run make install, or wakebench "
		    "from its source tree", here, up, WB_PLOTDIR, WB_SRCPLOTDIR);
		bad("plot", c->plot, why);
	}
}

/*
 * draw_plot: gnuplot draws the run's percentiles CSV into of's temporary
 * file, which the caller then renames (complete or absent).  The CSV is
 * a temporary file beside it, removed afterwards.  Returns 0 or an errno
 * value, with gnuplot's failure in of->why.
 */
static int __attribute__((noinline))
draw_plot(struct outfile *of, const struct run *r)
{
	const struct plot_metric *m = r->cfg->plot_metric;
	/* Static, as check_plot's: drawn once, after the deepest path. */
	static char script[PATH_MAX + 32], note[2048];
	struct outfile csv;
	int e;

	if ((e = outfile_check(&csv, of->path)) != 0 ||
	    (e = outfile_open(&csv)) != 0) {
		outfile_abort(&csv);
		return e;
	}
	errno = 0;
	if (report_percentiles(csv.f, r) != 0 || fflush(csv.f) != 0) {
		e = errno ? errno : EIO;
		outfile_abort(&csv);
		return e;
	}
	snprintf(script, sizeof(script), "%s/" PLOT_SCRIPT, plotter.scripts);
	/* A run already cut short by a signal still gets its picture; a
	 * signal during the drawing kills gnuplot. */
	struct plot_job job = { .gnuplot = plotter.gnuplot, .script = script,
	    .in = csv.tmp, .out = of->tmp, .ext = plot_extension(of->path),
	    .metric = m->name, .note = plot_note(r, note, sizeof(note)),
	    .timeout_s = 60, .interrupted = interrupted ? NULL : &interrupted };
	e = plot_run(&job, plotter.why, sizeof(plotter.why));
	outfile_abort(&csv);
	if (e != 0)
		of->why = plotter.why;
	return e;
}

/* output_failed reports a failure of output i: the option, the path, and
 * the reason (o->why, or errno e). */
static void
output_failed(const struct outfile *o, size_t i, int e)
{
	if (o->why != NULL) {
		warnx("--%s: %s: %s", output_opts[i], shown(o->path), o->why);
	} else {
		errno = e;
		warn("--%s: %s", output_opts[i], shown(o->path));
	}
}

/*
 * check_outputs decides, before the run, how each output will be written,
 * and refuses what would go wrong after it: two outputs that are the same
 * file (whatever the spelling: D/x.csv and D/./x.csv, a link, a hard link,
 * /dev/stdout and -) or an output on standard error are bad input (exit
 * 2); a file that cannot be written or replaced is exit 1.  Nothing is
 * left behind either way.
 */
static void __attribute__((noinline))
check_outputs(const struct config *c, struct outputs *o)
{
	const char *paths[OUTPUTS_N] = { c->csv, c->percentiles, c->json,
	    c->markdown, c->plot };
	int e[OUTPUTS_N] = { 0 };
	char why[512];

	for (size_t i = 0; i < OUTPUTS_N; i++)
		if ((o->used[i] = paths[i] != NULL))
			e[i] = outfile_check(&o->of[i], paths[i]);
	for (size_t i = 0; i < OUTPUTS_N; i++) {
		if (!o->used[i])
			continue;
		if (o->of[i].is_stderr) {
			for (size_t k = 0; k < OUTPUTS_N; k++)
				if (o->used[k])
					outfile_abort(&o->of[k]);
			bad(output_opts[i], paths[i], "is standard error, where "
			    "messages go; give a file, or - for standard output");
		}
		if (i == OUT_PLOT && o->of[i].kind != OUTFILE_REPLACE) {
			for (size_t k = 0; k < OUTPUTS_N; k++)
				if (o->used[k])
					outfile_abort(&o->of[k]);
			bad("plot", paths[i], "must be a regular file (gnuplot "
			    "writes it; not standard output or a device)");
		}
		for (size_t j = 0; j < i; j++) {
			if (!o->used[j] || !outfile_same(&o->of[j], &o->of[i]))
				continue;
			if (o->of[i].kind == OUTFILE_STDOUT)
				snprintf(why, sizeof(why), "standard output, as "
				    "--%s %s is: only one of --csv, --percentiles, "
				    "--json and --markdown can write to stdout", output_opts[j],
				    paths[j]);
			else
				snprintf(why, sizeof(why), "the same file as --%s %s",
				    output_opts[j], paths[j]);
			for (size_t k = 0; k < OUTPUTS_N; k++)
				if (o->used[k])
					outfile_abort(&o->of[k]);
			bad(output_opts[i], paths[i], why);
		}
	}
	for (size_t i = 0; i < OUTPUTS_N; i++) {
		if (!o->used[i] || e[i] == 0)
			continue;
		output_failed(&o->of[i], i, e[i]);
		for (size_t k = 0; k < OUTPUTS_N; k++)
			if (o->used[k])
				outfile_abort(&o->of[k]);
		exit(1);
	}
}

/*
 * write_outputs writes and commits every file, creating each temporary
 * file just before it is written; returns false after reporting a
 * failure (every file is then complete or absent).  A signal that stops
 * the opening of a FIFO nobody reads is no failure: the run's status says
 * it was interrupted.
 */
static bool
write_outputs(const struct run *r, struct outputs *o)
{
	int (*const fn[OUTPUTS_N])(FILE *, const struct run *) = {
		report_csv, report_percentiles, report_json, report_markdown,
		NULL,	/* draw_plot */
	};
	bool ok = true;

	for (size_t i = 0; i < OUTPUTS_N; i++) {
		struct outfile *of = &o->of[i];
		if (!o->used[i])
			continue;
		int e = outfile_open(of);
		if (e == 0) {
			errno = 0;
			if (i == OUT_PLOT)
				e = draw_plot(of, r);
			else
				e = fn[i](of->f, r) == 0 ? 0 : (errno ? errno : EIO);
			if (e != 0)
				outfile_abort(of);
			else
				e = outfile_commit(of);
		} else {
			outfile_abort(of);
		}
		o->used[i] = false;
		if (e == EINTR && interrupted)
			continue;
		if (e != 0) {
			output_failed(of, i, e);
			ok = false;
		}
	}
	return ok;
}

/*
 * more_trials: with --precision, whether round k (from 0) should run past
 * --trials: not once every headline interval is within the target, nor
 * when another round would overrun --max-time (judged by the mean round
 * so far), nor past 1000 trials.  Grows the trial arrays for it.  Sets
 * r->precision to what stopped the trials.
 */
static bool
more_trials(struct run *r, unsigned k, uint64_t spent)
{
	const struct config *c = r->cfg;

	if (c->precision_pct == 0)
		return false;
	if (report_precise(r, c->precision_pct, r->precision_why,
	    sizeof(r->precision_why))) {
		r->precision = PRECISION_REACHED;
		return false;
	}
	if (spent + spent / k > c->max_time_ns) {
		r->precision = PRECISION_BUDGET;
		return false;
	}
	if (k >= 1000) {
		r->precision = PRECISION_TRIALS;
		return false;
	}
	for (size_t i = 0; i < r->n; i++) {
		struct trial_result *t = realloc(r->res[i].trials,
		    (k + 1) * sizeof(*t));
		if (t == NULL)
			err(1, "realloc");
		memset(&t[k], 0, sizeof(*t));
		r->res[i].trials = t;
	}
	return true;
}

/* find_baseline: the index of --baseline N or LABEL (default the first
 * configuration), or exit 2 naming the labels. */
static size_t
find_baseline(const struct config *c, const struct setup *s, size_t n)
{
	char label[160], why[512];
	uint64_t v;
	size_t len;

	if (c->baseline == NULL)
		return 0;
	if (units_parse(UNIT_COUNT, c->baseline, &v) == 0 && v >= 1 && v <= n)
		return (size_t)v - 1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(setup_label(&s[i], label, sizeof(label)), c->baseline) == 0)
			return i;
	len = (size_t)snprintf(why, sizeof(why), "no such configuration; expected "
	    "1-%zu or a label: ", n);
	for (size_t i = 0; i < n && len < sizeof(why); i++)
		len += (size_t)snprintf(why + len, sizeof(why) - len, "%s%s",
		    i ? ", " : "", setup_label(&s[i], label, sizeof(label)));
	bad("baseline", c->baseline, why);
}

/* PROGRESS_EVERY_NS: how often a run whose stderr is not a terminal says
 * how far it is, the first time after as long. */
#define PROGRESS_EVERY_NS	(60 * 1000000000ULL)

/* eta: "about 4m10s left" from the trials done so far and their time. */
static char *
eta(char *buf, size_t len, uint64_t done, uint64_t total, uint64_t spent)
{
	char t[16];

	if (done == 0 || done >= total) {
		snprintf(buf, len, "%s", done ? "extra trials (--precision)" : "");
		return buf;
	}
	/* whole seconds: a sub-second estimate is noise */
	uint64_t left = (uint64_t)((double)spent / (double)done *
	    (double)(total - done)) / 1000000000ULL;
	if (left >= 60)
		snprintf(t, sizeof(t), "%llum%02llus", (unsigned long long)(left / 60),
		    (unsigned long long)(left % 60));
	else
		snprintf(t, sizeof(t), "%llus", (unsigned long long)left);
	snprintf(buf, len, "about %s left", t);
	return buf;
}

/*
 * progress: before each trial, on a terminal a status line (trial, the
 * configuration, the time left at the pace so far); otherwise a line at
 * most every PROGRESS_EVERY_NS, so a long sweep into a log shows it runs.
 */
static void
progress(const struct config *c, unsigned trial, const struct setup *s,
    size_t n, uint64_t done, uint64_t spent)
{
	static uint64_t said;
	uint64_t total = c->trials * n;
	char label[160], e[64];

	if (c->verbose < 0)
		return;
	eta(e, sizeof(e), done, total, spent);
	if (isatty(STDERR_FILENO)) {
		fprintf(stderr, "\r\033[K[trial %u/%llu] %u/%zu %s%s%s", trial + 1,
		    (unsigned long long)c->trials, s->index, n,
		    setup_label(s, label, sizeof(label)), e[0] ? "; " : "", e);
		return;
	}
	if (spent < said + PROGRESS_EVERY_NS)
		return;
	said = spent;
	fprintf(stderr, "wakebench: %llu of %llu trials done in %llus; %s\n",
	    (unsigned long long)done, (unsigned long long)total,
	    (unsigned long long)(spent / 1000000000ULL), e);
}

static void
free_results(struct setup_result *res, size_t n)
{
	for (size_t i = 0; res != NULL && i < n; i++) {
		free(res[i].trials);
		free(res[i].hists);
	}
	free(res);
}

/* trial_line: -v, one line per finished trial on stderr. */
static void
trial_line(const struct setup *s, unsigned k, const struct trial_result *t)
{
	char label[160], a[16], b[16], d[16], fnd[256];

	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K");
	fprintf(stderr, "trial %u %s: %.0f items/s, wake p50 %s p99 %s, item "
	    "p99 %s, %.2f writes/item; findings: %s%s\n", k + 1,
	    setup_label(s, label, sizeof(label)), result_items_per_s(t),
	    units_format(UNIT_TIME, t->wake[PCT_P50], a, sizeof(a)),
	    units_format(UNIT_TIME, t->wake[PCT_P99], b, sizeof(b)),
	    units_format(UNIT_TIME, t->lat[PCT_P99], d, sizeof(d)),
	    result_per_item(t, t->writes),
	    verdict_trial_findings(t, fnd, sizeof(fnd)),
	    t->partial ? " (partial)" : "");
}

/* What one run holds; session_free releases all of it, whatever the
 * path out of run(). */
struct session {
	struct config c;
	struct sysinfo si;
	struct setup *setups;
	size_t n;
	size_t baseline;		/* --baseline, resolved (find_baseline) */
	struct setup_result *res;
	int *cpus;
	int ncpus;
	int *pin;			/* --pin: the allowed CPUs; --cpus: its list */
	int npin;
	int qos_fd;			/* --pm-qos, or -1 */
	uint64_t pool_budget;		/* items, see check_memory */
	struct outputs out;
};

static void
session_free(struct session *x)
{
	if (x->qos_fd != -1)
		close(x->qos_fd);
	x->qos_fd = -1;
	free_results(x->res, x->n);
	free(x->setups);
	free(x->cpus);
	free(x->pin);
	x->res = NULL;
	x->setups = NULL;
	x->cpus = NULL;
	x->pin = NULL;
}

/* hold_pm_qos: --pm-qos, held until session_free closes it; exit 2 if
 * the kernel refuses. */
static void
hold_pm_qos(struct session *x)
{
	char val[32], why[256];
	int e;

	if (x->c.pm_qos_us < 0)
		return;
	if ((e = pmqos_hold((int32_t)x->c.pm_qos_us, &x->qos_fd)) != 0) {
		snprintf(val, sizeof(val), "%lld", (long long)x->c.pm_qos_us);
		snprintf(why, sizeof(why), "/dev/cpu_dma_latency: %s%s",
		    strerror(e), e == EACCES || e == EPERM ?
		    " (needs root or write access to it)" : "");
		bad("pm-qos", val, why);
	}
	x->si.pm_qos_held_us = x->c.pm_qos_us;
	/* Held, and said: without a cpuidle driver there is no idle state
	 * for the request to keep the CPUs out of. */
	if (x->c.verbose >= 0 && (strcmp(x->si.cpuidle_driver, "none") == 0 ||
	    strcmp(x->si.cpuidle_driver, "unknown") == 0))
		warnx("--pm-qos %lld: no cpuidle driver (current_driver %s): no idle "
		    "states to keep the CPUs out of, so it changes nothing",
		    (long long)x->c.pm_qos_us, x->si.cpuidle_driver);
}

/* check_cpus: every CPU of --cpus must be one this process may run on
 * (exit 2 naming the first that is not, and the allowed ones). */
static void
check_cpus(const struct config *c, const struct sysinfo *si)
{
	cpu_set_t set;
	char val[16], why[256];

	if (c->cpus.n == 0 || sched_getaffinity(0, sizeof(set), &set) == -1)
		return;
	for (unsigned i = 0; i < c->cpus.n; i++)
		if (!CPU_ISSET(c->cpus.v[i], &set)) {
			snprintf(val, sizeof(val), "%u", (unsigned)c->cpus.v[i]);
			snprintf(why, sizeof(why), "CPU %u is not one this process "
			    "may run on; allowed: %s", (unsigned)c->cpus.v[i],
			    si->cpus_list);
			bad("cpus", val, why);
		}
}

/* pin_main: --pin or --cpus, the main thread on the first CPU of the
 * list; the trials pin the producers over the rest. */
static void
pin_main(struct session *x)
{
	const struct cpu_list *cl = &x->c.cpus;

	if (!x->c.pin || x->ncpus == 0)
		return;
	x->npin = cl->n ? (int)cl->n : x->ncpus;
	if ((x->pin = calloc((size_t)x->npin, sizeof(*x->pin))) == NULL)
		err(1, "calloc");
	for (int i = 0; i < x->npin; i++)
		x->pin[i] = cl->n ? cl->v[i] : x->cpus[i];
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(x->pin[0], &set);
	if ((errno = pthread_setaffinity_np(pthread_self(), sizeof(set),
	    &set)) != 0)
		warn("--pin: main thread");
}

/*
 * enter_sched: --sched, tried here, before anything is measured, so that
 * a refusal is one line (exit 2, as --pm-qos's): the main thread takes
 * the policy now, and keeps it for the run; the producers and the
 * watchdog get theirs when each trial creates them (lib/trial.c).
 */
static void
enter_sched(const struct config *c)
{
	char val[32], why[320];
	const char *step = "";
	struct rlimit rl;
	int e;

	if ((e = rt_enter(c->sched_policy, c->sched_prio, &step)) == 0)
		return;
	rt_format(c->sched_policy, c->sched_prio, val, sizeof(val));
	if (strcmp(step, "RLIMIT_MEMLOCK") == 0 &&
	    getrlimit(RLIMIT_MEMLOCK, &rl) == 0)
		snprintf(why, sizeof(why), "RLIMIT_MEMLOCK is %llu KiB: memory "
		    "is locked for the run (mlockall MCL_FUTURE), which needs "
		    "CAP_IPC_LOCK or ulimit -l unlimited",
		    (unsigned long long)rl.rlim_cur / 1024);
	else if ((e == EPERM || e == EINVAL) && strcmp(step, "mlockall") != 0 &&
	    getrlimit(RLIMIT_RTPRIO, &rl) == 0)
		snprintf(why, sizeof(why), "%s: %s: needs CAP_SYS_NICE (root has it) or an "
		    "RLIMIT_RTPRIO of at least %d for the watchdog (ulimit -r; "
		    "it is %llu)", step, strerror(e), c->sched_prio + 1,
		    (unsigned long long)rl.rlim_cur);
	else
		snprintf(why, sizeof(why), "%s: %s", step, strerror(e));
	bad("sched", val, why);
}

/* check_trace: --trace-sched tried on the first allowed CPU before the
 * run, refused with the reason (exit 2) where the kernel or our
 * privileges do not allow it. */
static void
check_trace(const struct config *c, const struct sysinfo *si)
{
	char why[320];

	if (c->trace_sched &&
	    tracesched_check(si->cpus_allowed > 0 ? si->first_cpu : 0, why,
	    sizeof(why)) != 0)
		bad("trace-sched", NULL, why);
}

/* prepare: the options, the configurations and every check, before
 * anything is measured (exit 2 on bad input, 1 on failure). */
static void
prepare(struct session *x, int argc, char **argv)
{
	char val[128], why[256];
	const char *opt;

	config_init(&x->c);
	parse_options(&x->c, argc, argv);
	raise_nofile();
	if (config_check(&x->c, &opt, val, sizeof(val), why, sizeof(why)) != 0)
		bad(opt, val, why);
	if ((x->n = config_expand(&x->c, &x->setups)) == 0) {
		if (errno == E2BIG)
			too_many(&x->c);
		err(1, "configurations");
	}
	/* Bad input first: no warning from the checks below before it. */
	x->baseline = find_baseline(&x->c, x->setups, x->n);
	sysinfo_read(&x->si);
	check_cpus(&x->c, &x->si);
	check_machine(&x->c, x->setups, x->n, &x->si);
	x->pool_budget = check_memory(&x->c, x->setups, x->n, &x->si);
	check_plot(&x->c);
	enter_sched(&x->c);
	check_trace(&x->c, &x->si);
	check_outputs(&x->c, &x->out);
	hold_pm_qos(x);
	/* On the heap: 4 KiB of stack matters under a small RLIMIT_STACK. */
	if ((x->cpus = calloc(CPU_SETSIZE, sizeof(*x->cpus))) == NULL)
		err(1, "calloc");
	x->ncpus = sysinfo_cpus(x->cpus, CPU_SETSIZE);
	pin_main(x);
	if ((x->res = calloc(x->n, sizeof(*x->res))) == NULL)
		err(1, "calloc");
	for (size_t i = 0; i < x->n; i++) {
		struct setup_result *r = &x->res[i];
		r->setup = x->setups[i];
		if ((r->trials = calloc(x->c.trials, sizeof(*r->trials))) == NULL ||
		    (r->hists = malloc(sizeof(*r->hists))) == NULL)
			err(1, "calloc");
		hist_reset(&r->hists->item);
		hist_reset(&r->hists->wake);
		hist_reset(&r->hists->rtt);
		hist_reset(&r->hists->wake_kernel);
		hist_reset(&r->hists->wake_sched);
		hist_reset(&r->hists->wake_return);
	}
}

/*
 * run_trials runs every configuration's trials, interleaved (A B C A B C,
 * so all share the machine's noise), until the end, a signal or the first
 * failure: 0, or 1 with the failure in errmsg.
 */
static int
run_trials(struct session *x, struct run *r, char *errmsg, size_t len)
{
	struct trial_env env = { .cfg = &x->c, .cpus = x->cpus,
	    .pin = x->pin, .npin = x->npin,
	    .ncpus = x->ncpus, .interrupted = &interrupted,
	    .self_exe = "/proc/self/exe", .pool_budget = x->pool_budget };
	const struct config *c = &x->c;

	uint64_t began = clock_ns(), done = 0;

	for (unsigned k = 0; !interrupted; k++) {
		if (k >= c->trials && !more_trials(r, k, clock_ns() - began))
			break;
		for (size_t i = 0; i < x->n && !interrupted; i++) {
			struct setup *s = &x->setups[i];
			struct trial_result *t = &x->res[i].trials[k];
			const char *step = "";
			char label[160];
			progress(c, k, s, x->n, done, clock_ns() - began);
			int e = trial_run(&env, s, t, x->res[i].hists, &step);
			if (e == ECANCELED)	/* interrupted before it began */
				break;
			if (e != 0) {
				if (isatty(STDERR_FILENO) && c->verbose >= 0)
					fprintf(stderr, "\r\033[K");
				snprintf(errmsg, len, "trial %u of %s: %s: %s",
				    k + 1, setup_label(s, label, sizeof(label)),
				    step, t->why[0] ? t->why : strerror(e));
				warnx("%s", errmsg);
				return 1;
			}
			x->res[i].done = k + 1;
			done++;
			if (c->verbose > 0)
				trial_line(s, k, t);
		}
	}
	return 0;
}

/* terminal_width: stdout's columns when it is a terminal (else 0: the
 * table keeps its full width for scripts); $COLUMNS, then 80, when the
 * terminal does not say. */
static unsigned
terminal_width(void)
{
	struct winsize ws;
	const char *s = getenv("COLUMNS");
	uint64_t v;

	if (!isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (s != NULL && units_parse(UNIT_COUNT, s, &v) == 0 && v > 0 &&
	    v < 10000)
		return (unsigned)v;
	return 80;
}

static int
run(int argc, char **argv, char *cmdline)
{
	struct session x = { .qos_fd = -1 };
	char errmsg[512] = "";
	bool table_to_stderr = false;

	prepare(&x, argc, argv);
	struct run r = { .cfg = &x.c, .sys = &x.si,
	    .version = WAKEBENCH_VERSION, .command = cmdline, .res = x.res,
	    .n = x.n, .baseline = x.baseline };
	for (size_t i = 0; i < OUTPUTS_N; i++)
		table_to_stderr |= x.out.used[i] &&
		    x.out.of[i].kind == OUTFILE_STDOUT;
	FILE *human = table_to_stderr ? stderr : stdout;
	r.width = human == stdout ? terminal_width() : 0;
	report_header(human, &r);
	fflush(human);

	int status = run_trials(&x, &r, errmsg, sizeof(errmsg));
	if (isatty(STDERR_FILENO) && x.c.verbose >= 0)
		fprintf(stderr, "\r\033[K");
	r.signal = interrupted;
	r.failed = status != 0;
	r.error = status != 0 ? errmsg : NULL;

	report_table(human, &r);
	report_verdicts(human, &r);
	report_comparison(human, &r);
	report_sweep(human, &r);
	if (!write_outputs(&r, &x.out))
		status = 1;
	if (human == stdout)
		status = stdout_status(status);
	else
		fflush(human);
	/* Read again: a signal while the reports were written still makes
	 * this an interrupted run. */
	r.signal = interrupted;
	status = verdict_exit_status(&r, status);
	session_free(&x);
	return status;
}

/*
 * STACK_NEED: the main thread's deepest path, measured under the normal
 * build (a -v run of nine configurations with -c 4 and every output,
 * with an empty environment: 20 KiB of RLIMIT_STACK runs it, 19 KiB does
 * not; no frame on it holds more than a 4 KiB buffer), with room for the
 * sanitizers' bigger frames, a large environment and a change.
 */
#define STACK_NEED_KIB	"48"
#define STACK_NEED	(48 * 1024)

/* check_stack refuses a RLIMIT_STACK too small for the main thread, which
 * would otherwise die of SIGSEGV with no word said.  The message is put
 * together by hand: printf's own frames are what such a stack lacks. */
static void
check_stack(void)
{
	struct rlimit rl;
	char msg[160], num[24];
	size_t n = 0;

	if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= STACK_NEED)
		return;
	const char *part[] = { "wakebench: RLIMIT_STACK: ", NULL,
	    " KiB: too small; wakebench needs at least " STACK_NEED_KIB
	    " KiB (ulimit -s " STACK_NEED_KIB ")\n" };
	char *p = num + sizeof(num);
	unsigned long long v = (unsigned long long)rl.rlim_cur / 1024;
	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	part[1] = p;
	for (size_t i = 0; i < 3; i++)
		for (const char *c = part[i]; *c && n < sizeof(msg); c++)
			msg[n++] = *c;
	ssize_t w = write(STDERR_FILENO, msg, n);
	(void)w;		/* nothing more to say if stderr fails */
	_exit(1);
}

int
main(int argc, char **argv)
{
	/* A --spawn child: list what it inherited, touch nothing else. */
	if (argc == 2 && strcmp(argv[1], LEAK_LIST_FDS) == 0)
		return leak_list_fds();
	/* Started with stdin, stdout or stderr closed, the next file opened
	 * would take its number and the table would land in the CSV.  The
	 * number is taken by /dev/null opened read-only, so that a write
	 * there fails with EBADF, as it would have, and is reported (as
	 * coreutils do) rather than lost. */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", O_RDONLY) != fd)
			return 1;
	check_stack();

	catch(SIGINT, on_signal);
	catch(SIGTERM, on_signal);
	catch(SIGHUP, on_signal);	/* a closed terminal: stop cleanly too */
	/* A launcher may have left them blocked (the mask survives exec):
	 * a run that cannot be stopped is worse than one it never asked for.
	 * An ignored one stays ignored (catch). */
	sigset_t stops;
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_UNBLOCK, &stops, NULL);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		catch(fatal_signals[i], die_of);
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		catch(sig, die_of);
	/* A poke into a socketpair whose reader is gone must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	/* Past RLIMIT_FSIZE a write fails with EFBIG, which names the file,
	 * rather than killing us with half the outputs renamed. */
	signal(SIGXFSZ, SIG_IGN);

	if (argc > 1 && strcmp(argv[1], "list") == 0) {
		if (argc > 2) {
			fprintf(stderr, "wakebench: list: %s: unexpected argument\n",
			    shown(argv[2]));
			return EXIT_USAGE;
		}
		list();
		return stdout_status(0);
	}
	if (argc > 1 && strcmp(argv[1], "probe") == 0)
		return probe(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "compare") == 0)
		return compare(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "completion") == 0)
		return completion(argc - 1, argv + 1);

	char *cmdline = command_line(argc, argv);
	bool sub = argc > 1 && strcmp(argv[1], "run") == 0;
	int status = run(argc - sub, argv + sub, cmdline);
	free(cmdline);
	return status;
}
