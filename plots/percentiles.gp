# Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause
# percentiles.gp: latency by percentile, HdrHistogram style, one line per
# configuration, from either of wakebench's CSV files:
#
#   the percentiles CSV (--percentiles FILE): the full distribution, about
#       a hundred percentiles per configuration, its trials pooled;
#   the summary CSV (-o FILE): seven percentiles per configuration and
#       trial (min, p50, p90, p99, p99.9, p99.99, max; net_rtt has no
#       p99.99), of which each point is the median over the trials.
#
#   wakebench --preset libuv,asyncio,nginx -o sum.csv --percentiles pct.csv
#   gnuplot -e "in='pct.csv'; out='wake.png'" plots/percentiles.gp
#   gnuplot -e "in='sum.csv'; out='wake.png'" plots/percentiles.gp
#   gnuplot -e "in='a.csv b.csv'; out='item.svg'; metric='item'" plots/percentiles.gp
#
# Parameters (-e):
#   in      percentiles or summary CSV file(s), separated by spaces, all of
#           one kind (required); the kind is read from the header row
#   out     picture to write; .png (pngcairo) or .svg (required)
#   metric  wake (default): poke -> return from the wait;
#           item: scheduled (or enqueue) time -> taken off the queue;
#           net_rtt: request round trip at the client (runs with -c N)
#   title   replaces the default title
#   note    lines printed small under the plot ("\n"-separated): wakebench
#           --plot puts the environment and the exact command there, so
#           that a pasted picture explains itself
#
# x is 1/(1-p) on a log axis, labelled as percentiles: the inv_tail column
# of a percentiles CSV, 2, 10, 100, 1000, 10000 for a summary CSV's p50 ..
# p99.99 columns.  The minimum is drawn at 0%; the maximum (p=1, whose
# 1/(1-p) is infinite) at x = its sample count, where a 1/(1-p) axis puts
# the largest of N samples: the pooled count of a percentiles CSV, or for
# a summary CSV the median over the trials of each trial's count (items;
# wakeups less wakeups_nosleep; net_requests).  From a summary CSV a
# percentile finer than 1/N of N samples is only the maximum again and is
# left out (the plot says so).  y is latency on a log axis with unit tics,
# scaled to the percentiles above 0: a minimum far below them (a wakeup
# that found the waker already written, say) leaves the plot through the
# bottom edge rather than squeezing the rest.  The legend is the label
# column, followed by the file's name when several files are given.
# Reads columns by name; stops with an error naming any missing column.

SCRIPT = 'percentiles.gp'
PLOTDIR = system(sprintf("dirname '%s'", ARG0))

if (!exists("metric")) metric = 'wake'
if (metric ne 'wake' && metric ne 'item' && metric ne 'net_rtt') {
	exit error sprintf("%s: metric='%s': must be wake, item or net_rtt", SCRIPT, metric)
}

# The kind of each input, from its header row: a percentiles CSV has
# metric/percentile/value_ns/inv_tail columns, a summary CSV per-trial
# percentile columns.  Unreadable files and anything else are left to
# common.gp's checks, which then name the columns of a percentiles CSV;
# the two kinds at once are refused (their points mean different things).
hascol(h, c) = strstrt(",".h.",", ",".c.",") > 0
NLONG = 0
NSUM = 0
if (exists("in")) {
	do for [F in in] {
		H = system(sprintf("awk '!/^#/ { print; exit }' '%s' 2>/dev/null", F))
		if (hascol(H, "metric") || hascol(H, "percentile") || hascol(H, "value_ns") || hascol(H, "inv_tail")) {
			NLONG = NLONG + 1
		} else {
			if (hascol(H, "wake_p50_ns") || hascol(H, "lat_p50_ns") || hascol(H, "items_per_s")) {
				NSUM = NSUM + 1
			} else {
				if (strlen(H)) {
					print sprintf("%s: %s is neither a percentiles CSV (--percentiles) nor a summary CSV (-o)", SCRIPT, F)
				}
			}
		}
	}
}
if (NLONG > 0 && NSUM > 0) {
	exit error sprintf("%s: in mixes percentiles CSVs (--percentiles) and summary CSVs (-o): plot each kind on its own", SCRIPT)
}
SUMMARY = NSUM > 0

# A summary CSV: the metric's percentile columns (COL:p for aggregate.awk's
# melt), and the sample count of one trial: wake latency is recorded for
# the wakeups that found the main thread asleep (wakeups less
# wakeups_nosleep, give or take the few at the window's edges).
PFX = metric eq 'wake' ? 'wake' : metric eq 'item' ? 'lat' : 'net_rtt'
array PCOL[7] = ['min', 'p50', 'p90', 'p99', 'p999', 'p9999', 'max']
array PVAL[7] = ['0', '0.5', '0.9', '0.99', '0.999', '0.9999', '1']
MELT = ''
PCOLS = ''
NPCT = 0
do for [k=1:7] {
	if (!(metric eq 'net_rtt' && PCOL[k] eq 'p9999')) {
		MELT = MELT . (strlen(MELT) ? ',' : '') . sprintf('%s_%s_ns:%s', PFX, PCOL[k], PVAL[k])
		PCOLS = PCOLS . sprintf(' %s_%s_ns', PFX, PCOL[k])
		NPCT = NPCT + 1
	}
}
SAMPLES = metric eq 'wake' ? 'wakeups-wakeups_nosleep' : metric eq 'item' ? 'items' : 'net_requests'
if (SUMMARY) {
	NEED = 'config label' . PCOLS . (metric eq 'wake' ? ' wakeups wakeups_nosleep' : ' ' . SAMPLES)
} else {
	NEED = 'config metric percentile value_ns count inv_tail label'
}
load PLOTDIR.'/common.gp'

if (SUMMARY) {
	load AGG(sprintf("-v key=_path,config -v name=label%s -v x=_p -v melt=%s " . \
	    "-v med=value_ns=_value,inv_tail=_inv_tail,count=%s -v trim=inv_tail,count " . \
	    "-v range=value_ns -v rangex=0", NFILES_IN > 1 ? ",_tag" : "", MELT, SAMPLES))
} else {
	load AGG(sprintf("-v key=_path,config -v name=label%s -v x=percentile " . \
	    "-v med=value_ns,inv_tail,count -v range=value_ns -v rangex=0 -v where=metric=%s", \
	    NFILES_IN > 1 ? ",_tag" : "", metric))
}
if (RMAX <= 0) {
	exit error sprintf("%s: every %s latency in %s is 0: nothing to plot", SCRIPT, metric, in)
}

# The kind of input, said between the title and the plot.
NTRIALS = TRIALS_MIN == TRIALS_MAX ? \
    sprintf("%d trial%s", TRIALS_MIN, TRIALS_MIN == 1 ? "" : "s") : \
    sprintf("%d-%d trials", TRIALS_MIN, TRIALS_MAX)
SOURCE = SUMMARY ? \
    sprintf("from the summary CSV (-o): %d percentiles per configuration, median of %s", NPCT, NTRIALS) . \
	(NTRIMMED > 0 ? " (a percentile finer than 1/N of N samples is the max: not drawn)" : "") : \
    "from the percentiles CSV (--percentiles): the full distribution, each configuration's trials pooled"

# Many lines: the legend goes to the right of the plot, out of the lines'
# way, and the picture widens by its width (about 7.4 pixels a character
# at 10 points) to keep the plot's.
KEYOUT = NLINES > 8
KEYTW = strlen(SUMMARY ? "configuration (median of 10 trials)" : "configuration (its trials pooled)")
KEYW = KEYOUT ? int(7.4 * (NAMELEN + 6 > KEYTW ? NAMELEN + 6 : KEYTW)) + 24 : 0
W = 1000 + KEYW
# A note gets its lines' room at the bottom, the picture growing by it.
NOTELINES = exists("note") && strlen(note) ? 1 : 0
if (NOTELINES) {
	NOTEREST = note
	while (strstrt(NOTEREST, "\n") > 0) {
		NOTELINES = NOTELINES + 1
		NOTEREST = NOTEREST[strstrt(NOTEREST, "\n") + 1:]
	}
}
NOTEH = 16 * NOTELINES
eval term(W, (KEYOUT ? 720 : 640) + NOTEH)
if (NOTELINES) {
	set bmargin at screen (60.0 + NOTEH) / ((KEYOUT ? 720 : 640) + NOTEH)
	set label 2 note at screen 0.01, screen (8.0 + NOTEH) / ((KEYOUT ? 720 : 640) + NOTEH) \
	    left front font ',9' textcolor rgb '#333333'
}

if (!exists("title")) {
	title = metric eq 'wake' ? "Wakeup latency by percentile (wake: poke → return from the wait)" : \
	    metric eq 'item' ? "Item latency by percentile (item: scheduled time → taken off the queue)" : \
	    "Network round-trip latency by percentile (net_rtt, at the client)"
	title = title . (strlen(runinfo(0)) ? "\n" . runinfo(0) : "")
}
# The kind of input, small and grey, between the title and the plot.
set title title font ',12' offset 0, 0.8
set label 1 SOURCE at graph 0, graph 1 offset 0, 0.8 left font ',9' textcolor rgb '#555555'

set logscale xy
if (SUMMARY) {
	set xrange [1:MAX_count * 1.4]
} else {
	set xrange [1:*]
	set autoscale xfixmax
}
set xtics ("0%%" 1, "50%%" 2, "90%%" 10, "99%%" 100, "99.9%%" 1000, \
    "99.99%%" 10000, "99.999%%" 100000, "99.9999%%" 1000000) nomirror
set xlabel "percentile (log scale of 1/(1-p)); each line runs from its minimum at 0% to its maximum"
set ylabel sprintf("%s latency (log scale)", metric eq 'wake' ? "wakeup" : metric eq 'item' ? "item" : "round-trip")
# A summary's few points get room around them, so that none sits on the
# frame.
RLO = SUMMARY ? RMIN / 1.25 : RMIN
RHI = SUMMARY ? RMAX * 1.25 : RMAX
eval nstics('y', RLO, RHI)
eval nsrange('y', RLO, RHI)
set grid xtics ytics mytics lc '#dddddd' lt 1, lc '#eeeeee' lt 1
KEYTITLE = SUMMARY ? sprintf("configuration (median of %s)", NTRIALS) : "configuration (its trials pooled)"
if (KEYOUT) {
	set rmargin at screen 1 - (KEYW + 20.0) / W
	set key at screen 1 - (KEYW + 5.0) / W, graph 1 left top Left reverse box opaque \
	    samplen 3 spacing 1.1 title KEYTITLE left
} else {
	# Bottom right: latency only grows with the percentile, so the lines
	# run from the bottom left to the top right and leave that corner free.
	set key bottom right Left reverse box opaque samplen 3 spacing 1.1 title KEYTITLE left
}

# x: 1/(1-p), or for the maximum (empty inv_tail) the number of samples
px(dummy) = strcol("inv_tail") eq "" ? column("count") : column("inv_tail")
py(i) = column("line") == i && column("value_ns") > 0 ? column("value_ns") : NaN
# A point type per line, so that a summary's few points show as such.
array PT[6] = [7, 5, 9, 13, 11, 15]

if (SUMMARY) {
	plot for [i=1:NLINES] $AGG using (px(0)):(py(i)) with linespoints lw 2 \
	    pt PT[(i - 1) % 6 + 1] ps 1.1 lc rgb LC(i) dt DT(i) title LNAME[i]
} else {
	plot for [i=1:NLINES] $AGG using (px(0)):(py(i)) with lines lw 2 lc rgb LC(i) dt DT(i) title LNAME[i]
}
