/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* compare: summary CSV files written here column by column from
 * report_fields[], loaded, and their configurations matched on every
 * identity column, burst and net_rate from the preamble included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "report.h"
#include "tap.h"

/* write_csv: a file of configurations "mech producers" (one trial each
 * and trials each) with burst and net_rate in its # config: line. */
static void
write_csv(const char *path, int burst, const char *const *mech,
    const int *producers, int n, int trials)
{
	FILE *f = fopen(path, "w");

	fprintf(f, "# wakebench-csv: 1\n# kernel: k\n# cpu: c\n# cpus: 2\n"
	    "# clocksource: tsc\n# cpuidle: none\n# pm_qos: none\n"
	    "# placement: unpinned\n# config: rate=20000 burst=%d "
	    "connections=0 net_rate=1000 msg_size=64\n", burst);
	fprintf(f, "config,mechanism,wait,poke,drain,preset,fault,producers,"
	    "rate,connections,trial");
	for (const struct report_field *fd = report_fields; fd->name; fd++)
		fprintf(f, ",%s", fd->name);
	fprintf(f, ",flags,findings,label,outlier\n");
	for (int i = 0; i < n; i++)
		for (int k = 1; k <= trials; k++) {
			fprintf(f, "%d,%s,poll,always,all,none,none,%d,20000,0,%d",
			    i + 1, mech[i], producers[i], k);
			for (const struct report_field *fd = report_fields; fd->name; fd++)
				fprintf(f, fd->kind == FIELD_REAL ? ",0.000" : ",%d",
				    strcmp(fd->name, "wake_p50_ns") == 0 ? 1000 * k :
				    strcmp(fd->name, "wake_samples") == 0 ? 10 :
				    /* a derived flag, which has no member
				     * (its offset 0 is partial's) */
				    strcmp(fd->name, "contended") == 0 ? 1 : 0);
			fprintf(f, ",none,none,%s poll always all p%d,none\n",
			    mech[i], producers[i]);
		}
	fclose(f);
}

int
main(void)
{
	char a[] = "/tmp/wb-test-compare-a-XXXXXX", b[] = "/tmp/wb-test-compare-b-XXXXXX";
	char why[512];
	struct cmp_file fa, fb;
	long map[8];
	int fd;

	if ((fd = mkstemp(a)) >= 0)
		close(fd);
	if ((fd = mkstemp(b)) >= 0)
		close(fd);
	static const char *const ma[] = { "pipe", "eventfd", "pipe", "socketpair" };
	static const int pa[] = { 4, 4, 1, 4 };
	static const char *const mb[] = { "eventfd", "pipe", "pipe" };
	static const int pb[] = { 4, 4, 2 };
	write_csv(a, 1, ma, pa, 4, 3);
	write_csv(b, 1, mb, pb, 3, 2);
	ok(compare_load(a, &fa, why, sizeof(why)) == 0, "load a: %s", why);
	ok(compare_load(b, &fb, why, sizeof(why)) == 0, "load b: %s", why);
	ok(fa.n == 4 && fa.c[0].n == 3 && fb.n == 3 && fb.c[0].n == 2,
	    "4 configurations of 3 trials, 3 of 2");
	ok(fa.c[1].t[2].v[HL_WAKE_P50] == 3000, "wake p50 of trial 3 read");
	ok(!fa.c[0].t[0].partial && !fa.c[3].t[2].partial,
	    "a derived flag set does not mark the trial partial");
	ok(compare_match(&fa, &fb, map) == 2, "two configurations match");
	ok(map[0] == 1 && map[1] == 0 && map[2] == -1 && map[3] == -1,
	    "pipe p4 <-> 2, eventfd p4 <-> 1, pipe p1 and socketpair unmatched "
	    "(%ld %ld %ld %ld)", map[0], map[1], map[2], map[3]);
	ok(compare_match(&fa, &fa, map) == 4 && map[2] == 2, "a file matches itself");
	compare_free(&fb);

	/* Same rows, another burst: nothing matches. */
	write_csv(b, 8, ma, pa, 4, 3);
	ok(compare_load(b, &fb, why, sizeof(why)) == 0, "load b again: %s", why);
	ok(compare_match(&fa, &fb, map) == 0, "another --burst matches nothing");
	compare_free(&fb);
	compare_free(&fa);

	ok(compare_load("/nonexistent/x.csv", &fa, why, sizeof(why)) == -1 &&
	    strstr(why, "No such file") != NULL, "a missing file: %s", why);
	unlink(a);
	unlink(b);
	return tap_done();
}
