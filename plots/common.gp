# Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause
# common.gp: the part every wakebench plot script shares; loaded by them
# (load PLOTDIR.'/common.gp'), not run alone.
#
# Expects:  in      one or more CSV files written by wakebench, separated
#                   by spaces (file names without spaces or quotes)
#           out     the picture: *.png (pngcairo) or *.svg (svg)
#           outext  optional: ".png" or ".svg" where out's name has neither
#           SCRIPT  the calling script's name, for messages
#           NEED    the columns the script reads, separated by spaces
#           PLOTDIR the folder holding these scripts
# Checks that every input is readable, has a header row and has every
# column in NEED, and stops with `exit error` (gnuplot exits non-zero)
# naming the file and the missing column.  Then defines:
#   NFILES_IN        the number of input files
#   AGG(opts)        the load command that runs aggregate.awk on the inputs
#   term(w, h)       the commands that open `out` at w x h pixels
#   nstics(ax, lo, hi)  the command that labels a log axis holding
#                    nanoseconds with readable units (ns, µs, ms, s)
#   nsrange(ax, lo, hi) the command that sets such an axis's range out to
#                    the labelled tics around lo..hi
#   nsl(v)           v nanoseconds as a label ("2 µs")
#   LC(i), DT(i)     colour and dash type of the i-th line
#   runinfo(0)       a line about the run (two when long) from its
#                    "# config:" preamble and, where every row agrees,
#                    its producer count (ROWS_producers)

set encoding utf8
set datafile separator comma
set termoption noenhanced

USAGE = sprintf("usage: gnuplot -e \"in='FILE.csv'; out='FILE.png'\" %s/%s", PLOTDIR, SCRIPT)
if (!exists("in") || strlen(in) == 0) {
	print USAGE
	exit error sprintf("%s: no input: set in='FILE.csv'", SCRIPT)
}
if (!exists("out")) {
	print USAGE
	exit error sprintf("%s: no output: set out='FILE.png' or out='FILE.svg'", SCRIPT)
}
# outext: the format when out's name does not say it (wakebench --plot
# writes a temporary file, renamed once complete).
OUTEXT = exists("outext") ? outext : strlen(out) > 4 ? out[strlen(out) - 3:] : ""
if (OUTEXT ne ".png" && OUTEXT ne ".svg") {
	exit error sprintf("%s: out='%s': the name must end in .png or .svg", SCRIPT, out)
}

# The inputs, single-quoted for the shell, and the column checks.
NFILES_IN = words(in)
QIN = ""
do for [F in in] {
	if (system(sprintf("test -r '%s' && echo ok", F)) ne "ok") {
		exit error sprintf("%s: %s: cannot read the file", SCRIPT, F)
	}
	HEADER = system(sprintf("awk '!/^#/ { print; exit }' '%s'", F))
	if (strlen(HEADER) == 0) {
		exit error sprintf("%s: %s: no header row: not a wakebench CSV", SCRIPT, F)
	}
	do for [C in NEED] {
		if (!strstrt(",".HEADER.",", ",".C.",")) {
			print sprintf("%s reads these columns of wakebench's CSV: %s", SCRIPT, NEED)
			exit error sprintf("%s: %s: missing column \"%s\"", SCRIPT, F, C)
		}
	}
	QIN = QIN . sprintf(" '%s'", F)
}

AGG(opts) = sprintf("< awk -F, -f '%s/aggregate.awk' -v what='%s' %s%s", \
    PLOTDIR, SCRIPT, opts, QIN)

term(w, h) = (OUTEXT eq ".svg" ? \
    sprintf("set terminal svg size %d,%d dynamic noenhanced font 'DejaVu Sans,11' background '#ffffff'", w, h) : \
    sprintf("set terminal pngcairo size %d,%d noenhanced font 'DejaVu Sans,10' background '#ffffff'", w, h)) \
    . sprintf("; set output '%s'", out)

# Tic label for v nanoseconds.
nsl(v) = v < 1e3 ? sprintf("%g ns", v) : v < 1e6 ? sprintf("%g µs", v / 1e3) : \
    v < 1e9 ? sprintf("%g ms", v / 1e6) : sprintf("%g s", v / 1e9)

# Labelled tics at 1, 2, 5 per decade when the data spans under three
# decades, else at each power of ten; unlabelled minor tics in between.
# (1 ns .. 900 s: 12 decades of 9 tics.)
nsmajor(m, lo, hi) = m == 1 || (hi / lo < 1000 && (m == 2 || m == 5))
nsentry(m, e, lo, hi) = sprintf("\"%s\" %.0f %d", \
    nsmajor(m, lo, hi) ? nsl(m * 10.0**e) : "", m * 10.0**e, nsmajor(m, lo, hi) ? 0 : 1)
nslist(k, lo, hi) = nsentry(k % 9 + 1, int(k / 9), lo, hi) . \
    (k < 107 ? ", " . nslist(k + 1, lo, hi) : "")
nstics(ax, lo, hi) = lo > 0 ? sprintf("set %stics (%s)", ax, nslist(0, lo, hi > lo ? hi : 10 * lo)) : \
    sprintf("set %stics (%s)", ax, nslist(0, 1, hi > 1 ? hi : 10))

# The range of such an axis, out to the next labelled tic on either side
# so that both ends carry a unit.
nsdec(v) = 10.0**floor(log10(v) + 1e-9)
nsm(v) = v / nsdec(v)
nslo_(lo, hi) = hi / lo >= 1000 ? nsdec(lo) : \
    (nsm(lo) >= 5 ? 5 : nsm(lo) >= 2 ? 2 : 1) * nsdec(lo)
nshi_(lo, hi) = hi / lo >= 1000 ? (nsm(hi) > 1 + 1e-9 ? 10 : 1) * nsdec(hi) : \
    (nsm(hi) <= 1 + 1e-9 ? 1 : nsm(hi) <= 2 ? 2 : nsm(hi) <= 5 ? 5 : 10) * nsdec(hi)
nslo(lo, hi) = lo > 0 ? nslo_(lo, hi > lo ? hi : 10 * lo) : nslo_(1, hi > 1 ? hi : 10)
nshi(lo, hi) = lo > 0 ? nshi_(lo, hi > lo ? hi : 10 * lo) : nshi_(1, hi > 1 ? hi : 10)
nsrange(ax, lo, hi) = sprintf("set %srange [%.10g:%.10g]", ax, 0.999 * nslo(lo, hi), 1.001 * nshi(lo, hi))

# Colours that stay apart for most readers, then dashes for lines 9 and up.
array PALETTE[8] = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", \
    "#e69f00", "#56b4e9", "#000000", "#999999"]
LC(i) = PALETTE[(i - 1) % 8 + 1]
DT(i) = int((i - 1) / 8) % 4 + 1

# One line about the run, from the "# config:" preamble settings the
# inputs share (aggregate.awk sets CFG_* for those); "" when there are none.
cfgv(k) = value("CFG_".k)
cfgis(k) = exists("CFG_".k)
# The producer count, when every row has the same (aggregate.awk's
# ROWS_producers): "4 producers (p4)", the pN that ends each label.
runprod(d) = exists("ROWS_producers") ? sprintf("%s producer%s (p%s)", ROWS_producers, \
    ROWS_producers eq "1" ? "" : "s", ROWS_producers) : "producers"
runpart_rate(d) = !cfgis("rate") ? "" : cfgv("rate") eq "0" ? sprintf(", %s as fast as possible", runprod(0)) : \
    exists("ROWS_producers") ? sprintf(", %s at %s items/s each", runprod(0), gprintf("%.0s%c", real(cfgv("rate")))) : \
    sprintf(", %s items/s per producer", gprintf("%.0s%c", real(cfgv("rate"))))
runpart_trials(d) = !cfgis("trials") || !cfgis("duration_ns") ? "" : \
    sprintf(", %s × %s per configuration", cfgv("trials") eq "1" ? "1 trial" : cfgv("trials")." trials", \
	nsl(real(cfgv("duration_ns"))))
runpart_conn(d) = !cfgis("connections") ? "" : cfgv("connections") eq "0" ? ", no connections" : \
    sprintf(", %s loopback connection%s%s", cfgv("connections"), cfgv("connections") eq "1" ? "" : "s", \
	cfgis("net_rate") ? sprintf(" at %s req/s each", gprintf("%.0s%c", real(cfgv("net_rate")))) : "")
runpart_stall(d) = !cfgis("stall_ns") || !cfgis("stall_period_ns") || cfgv("stall_ns") eq "0" ? "" : \
    sprintf(", main thread stalls %s every %s", nsl(real(cfgv("stall_ns"))), nsl(real(cfgv("stall_period_ns"))))
runpart_fault(d) = !cfgis("fault") || cfgv("fault") eq "none" ? "" : ", fault ".cfgv("fault")
# The workload first, then the trials; on two lines when one would run
# wider than a picture's title (about 100 characters at 12 points).
runwork(d) = runpart_rate(d) . runpart_conn(d) . runpart_stall(d) . runpart_fault(d)
runparts(d) = strlen(runwork(d) . runpart_trials(d)) <= 100 || strlen(runwork(d)) < 3 || \
    strlen(runpart_trials(d)) < 3 ? runwork(d) . runpart_trials(d) : \
    runwork(d) . "\n" . runpart_trials(d)[3:]
runinfo(d) = strlen(runparts(d)) > 2 ? runparts(d)[3:] : ""
