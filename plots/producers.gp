# Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause
# producers.gp: throughput and latency against the number of producer
# threads, from the summary CSV of a producer sweep:
#
#   wakebench -c 0 -m pipe,eventfd,socketpair -p 1,2,4,8,16 --rate max -o sweep.csv
#   gnuplot -e "in='sweep.csv'; out='producers.png'" plots/producers.gp
#
# Parameters (-e):
#   in      summary CSV file(s), separated by spaces (required); rows of
#           all files are pooled, so sweeps split over several runs can be
#           drawn together
#   out     picture to write; .png (pngcairo) or .svg (required)
#   title   replaces the default title
#
# Three panels over the producer count (log2 axis): items per second;
# wakeup latency p50 (solid) and p99 (dashed); item latency p50 and p99.
# One line per configuration without its producer count: the label column
# less its trailing " pN".  Each point is the median over the trials of
# that configuration.  Reads columns by name; stops with an error naming
# any missing column.

SCRIPT = 'producers.gp'
NEED = 'producers items_per_s wake_p50_ns wake_p99_ns lat_p50_ns lat_p99_ns label'
PLOTDIR = system(sprintf("dirname '%s'", ARG0))
load PLOTDIR.'/common.gp'

load AGG("-v key=_series -v x=producers " . \
    "-v med=items_per_s,wake_p50_ns,wake_p99_ns,lat_p50_ns,lat_p99_ns " . \
    "-v range=wake_p50_ns,wake_p99_ns,lat_p50_ns,lat_p99_ns")

if (RMAX <= 0) {
	exit error sprintf("%s: every latency in %s is 0: nothing to plot", SCRIPT, in)
}

eval term(1000, 1050)

if (!exists("title")) {
	title = sprintf("Producers: throughput and latency (median of %s)", \
	    TRIALS_MIN == TRIALS_MAX ? sprintf("%d trial%s", TRIALS_MIN, TRIALS_MIN == 1 ? "" : "s") : \
	    sprintf("%d-%d trials", TRIALS_MIN, TRIALS_MAX))
	title = title . (strlen(runinfo(0)) ? "\n" . runinfo(0) : "")
}

# x: producers, powers of two, with a little room on both sides
set logscale x 2
set xrange [XMIN / 1.25 : XMAX * 1.25]
set xtics 2 nomirror
set format x "%.0f"
set mxtics 1
set ytics nomirror
set grid xtics ytics mytics lc '#dddddd' lt 1, lc '#eeeeee' lt 1
set lmargin 11
set rmargin 3
set key at screen 0.75, graph 1 left top vertical Left reverse samplen 3 width 1

set multiplot layout 3,1 title title font ',12' margins 0.09, 0.72, 0.06, 0.91 spacing 0, 0.07

# column c of line i's points; latency 0 (no sample) cannot sit on a log axis
pick(i, c) = column("line") == i ? column(c) : NaN
pickpos(i, c) = column("line") == i && column(c) > 0 ? column(c) : NaN

# 1: throughput, in the unit its largest value asks for
TPUT = MAX_items_per_s >= 1e6 ? 1e6 : MAX_items_per_s >= 1e3 ? 1e3 : 1
set ylabel TPUT == 1e6 ? "million items per second" : TPUT == 1e3 ? "thousand items per second" : "items per second"
set format y "%g"
set yrange [0:*]
set xlabel ""
set title "throughput" font ',11'
plot for [i=1:NLINES] $AGG using "x":(pick(i, "items_per_s") / TPUT) \
	with linespoints lw 2 pt 7 ps 0.8 lc rgb LC(i) dt DT(i) title LNAME[i]

# 2: wakeup latency
set logscale y
set format y "%g"
RLO = RMIN
RHI = RMAX
eval nstics('y', RLO, RHI)
eval nsrange('y', RLO, RHI)
set ylabel "latency (log scale)"
set title "wakeup latency: poke → return from the wait" font ',11'
plot for [i=1:NLINES] $AGG using "x":(pickpos(i, "wake_p50_ns")) \
	with linespoints lw 2 pt 7 ps 0.8 lc rgb LC(i) dt 1 notitle, \
    for [i=1:NLINES] $AGG using "x":(pickpos(i, "wake_p99_ns")) \
	with linespoints lw 2 pt 9 ps 0.9 lc rgb LC(i) dt 2 notitle, \
    NaN with linespoints lw 2 pt 7 lc rgb '#000000' dt 1 title "p50", \
    NaN with linespoints lw 2 pt 9 lc rgb '#000000' dt 2 title "p99"

# 3: item latency
set title "item latency: scheduled (or, with --rate max, enqueue) time → taken off the queue" font ',11'
set xlabel "producer threads (log scale)"
plot for [i=1:NLINES] $AGG using "x":(pickpos(i, "lat_p50_ns")) \
	with linespoints lw 2 pt 7 ps 0.8 lc rgb LC(i) dt 1 notitle, \
    for [i=1:NLINES] $AGG using "x":(pickpos(i, "lat_p99_ns")) \
	with linespoints lw 2 pt 9 ps 0.9 lc rgb LC(i) dt 2 notitle, \
    NaN with linespoints lw 2 pt 7 lc rgb '#000000' dt 1 title "p50", \
    NaN with linespoints lw 2 pt 9 lc rgb '#000000' dt 2 title "p99"

unset multiplot
