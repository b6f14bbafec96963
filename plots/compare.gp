# Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause
# compare.gp: one row per configuration: wakeup latency p50, p99 and max
# (left, log scale) and writes per item (right), from wakebench's summary
# CSV (-o FILE).  Each value is the median over the configuration's trials.
#
#   gnuplot -e "in='sum.csv'; out='compare.png'" plots/compare.gp
#   gnuplot -e "in='a.csv b.csv'; out='compare.svg'" plots/compare.gp
#
# Parameters (-e):
#   in      summary CSV file(s), separated by spaces (required); with
#           several files each configuration is named "label (file)"
#   out     picture to write; .png (pngcairo) or .svg (required)
#   title   replaces the default title
#
# Rows keep wakebench's configuration order, top to bottom; a preset's
# row (--preset, e.g. `--preset all`) names under its label the strategy
# the preset stands for: "eventfd · epoll · coalesce · drain all".  The
# picture grows taller with the rows and wider with the names.  Reads
# columns by name; stops with an error naming any missing column.

SCRIPT = 'compare.gp'
NEED = 'config wake_p50_ns wake_p99_ns wake_max_ns writes_per_item label preset mechanism wait poke drain'
PLOTDIR = system(sprintf("dirname '%s'", ARG0))
load PLOTDIR.'/common.gp'

# key: LK1 _path, LK2 config (the line), LK3.. the strategy, for the names
load AGG(sprintf("-v key=_path,config,preset,mechanism,wait,poke,drain -v name=label%s " . \
    "-v med=wake_p50_ns,wake_p99_ns,wake_max_ns,writes_per_item " . \
    "-v range=wake_p50_ns,wake_p99_ns,wake_max_ns", NFILES_IN > 1 ? ",_tag" : ""))

if (RMAX <= 0) {
	exit error sprintf("%s: every wakeup latency in %s is 0: nothing to plot", SCRIPT, in)
}

# Row names: the label, and for a preset its strategy on a second line.
STRATEGY(i) = sprintf("%s · %s · %s · drain %s", LK4[i], LK5[i], LK6[i], LK7[i])
TWOLINE(i) = LK3[i] ne "none" && LK3[i] ne ""
ROWNAME(i) = TWOLINE(i) ? LNAME[i] . "\n" . STRATEGY(i) : LNAME[i]
ANYTWO = 0
NAMEW = NAMELEN
do for [i=1:NLINES] {
	if (TWOLINE(i)) {
		ANYTWO = 1
		NAMEW = strlen(STRATEGY(i)) > NAMEW ? strlen(STRATEGY(i)) : NAMEW
	}
}

# Height grows with the number of rows (taller ones for two-line names);
# the width with the names, so that the plots keep theirs.
NAMEPX = NAMEW * 6.6 + 24
W = 820 + int(NAMEPX > 180 ? NAMEPX : 180)
H = 170 + (ANYTWO ? 46 : 34) * (NLINES > 4 ? NLINES : 4)
NAMEFRAC = NAMEPX / W
SPLIT = 1 - 260.0 / W

if (!exists("title")) {
	title = sprintf("Wakeup latency and writes per item (median of %s)", \
	    TRIALS_MIN == TRIALS_MAX ? sprintf("%d trial%s", TRIALS_MIN, TRIALS_MIN == 1 ? "" : "s") : \
	    sprintf("%d-%d trials", TRIALS_MIN, TRIALS_MAX))
	title = title . (strlen(runinfo(0)) ? "\n" . runinfo(0) : "")
}
# The plots start below the title's lines (about 18 pixels each at 12
# points) and the legend row above them.
nlines(s) = strstrt(s, "\n") ? 1 + nlines(s[strstrt(s, "\n") + 1:]) : 1
H = H + 18 * (nlines(title) - 2)
eval term(W, H)
TOP = 1 - (34.0 + 18 * nlines(title)) / H
BOT = 58.0 / H

set multiplot title title font ',12'

# Left: latency, one row per configuration, first at the top.
set lmargin at screen NAMEFRAC
set rmargin at screen SPLIT
set tmargin at screen TOP
set bmargin at screen BOT
set yrange [NLINES + 0.6:0.4]
set ytics scale 0 nomirror
set logscale x
eval nstics('x', RMIN, RMAX)
set xtics nomirror
eval nsrange('x', RMIN, RMAX)
set xlabel "wakeup latency: poke → return from the wait (log scale)"
set grid xtics mxtics lc '#dddddd' lt 1, lc '#eeeeee' lt 1
set key at screen NAMEFRAC, screen (TOP + 8.0 / H) left bottom horizontal Left reverse \
    samplen 1 width 1 noautotitle
set style line 1 lc rgb '#0072b2' pt 7 ps 1.3
set style line 2 lc rgb '#d55e00' pt 9 ps 1.4
set style line 3 lc rgb '#000000' pt 2 ps 1.3 lw 1.5

plot $AGG using "wake_p50_ns":"line":(column("wake_max_ns") - column("wake_p50_ns")):(0):ytic(ROWNAME(int(column("line")))) \
	with vectors nohead lc rgb '#bbbbbb' lw 2 notitle, \
    '' using "wake_p50_ns":"line" with points ls 1 title "p50", \
    '' using "wake_p99_ns":"line" with points ls 2 title "p99", \
    '' using "wake_max_ns":"line" with points ls 3 title "max"

# Right: writes per item, bars with their values.
unset logscale x
unset key
unset grid
set lmargin at screen SPLIT + 50.0 / W
set rmargin at screen 1 - 30.0 / W
set ytics format ""
set xtics auto
set format x "%g"
WMAX = MAX_writes_per_item
set xrange [0:(WMAX > 1 ? WMAX : 1) * 1.3]
set xlabel "writes per item"
set grid xtics lc '#dddddd' lt 1
set style fill solid 0.6 noborder
plot $AGG using (0):"line":(0):"writes_per_item":(column("line") - 0.3):(column("line") + 0.3) \
	with boxxyerror lc rgb '#009e73' notitle, \
    '' using "writes_per_item":"line":(sprintf(" %.3g", column("writes_per_item"))) \
	with labels left notitle

unset multiplot
