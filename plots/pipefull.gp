# Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause
# pipefull.gp: what a full pipe costs the producers, against the pipe
# size: time blocked in write() (blocking write end) and pokes refused with
# EAGAIN (non-blocking write end), from summary CSVs of pipe runs at
# several --pipe-size values (one wakebench run per size: the size is a
# run option), with the main thread stalling so that the pipe fills:
#
#   for s in 4096 8192 16384 32768 65536; do
#     wakebench -c 0 -m pipe -p 4 -r 100k --stall 50ms@100ms --pipe-size $s -o nb-$s.csv
#     wakebench -c 0 -m pipe -p 4 -r 100k --stall 50ms@100ms --pipe-size $s \
#         --fault blocking-write -o bw-$s.csv     # exits 3: producers blocked
#   done
#   gnuplot -e "in='$(echo nb-*.csv bw-*.csv)'; out='pipefull.png'" plots/pipefull.gp
#
# Parameters (-e):
#   in      summary CSV files, separated by spaces (required)
#   out     picture to write; .png (pngcairo) or .svg (required)
#   title   replaces the default title
#
# The pipe size of a row is its file's pipe_size column when it has one
# (a merged CSV), else pipe_size=N on the file's "# config:" preamble line;
# pipe_size=0 (the system default, no --pipe-size) is drawn at 64 KiB,
# Linux's default.  Only pipe rows are drawn (--pipe-size changes nothing
# else).  One line per configuration label and write mode (blocking under
# --fault blocking-write, else non-blocking); each point is the median over
# that configuration's trials at that size.  Reads columns by name; stops
# with an error naming any missing column or a file without a pipe size.

SCRIPT = 'pipefull.gp'
NEED = 'mechanism fault poke_eagain poke_blocked blocked_ns_total blocked_ns_max label'
PLOTDIR = system(sprintf("dirname '%s'", ARG0))
load PLOTDIR.'/common.gp'

do for [F in in] {
	if (system(sprintf("awk -F, '/^# config:.* pipe_size=[0-9]/ { print \"y\"; exit } " . \
	    "/^#/ { next } { for (i = 1; i <= NF; i++) if ($i == \"pipe_size\") print \"y\"; exit }' '%s'", F)) ne "y") {
		print "pipefull.gp takes the pipe size from a pipe_size column or from pipe_size=N on the \"# config:\" preamble line"
		exit error sprintf("%s: %s: no pipe size", SCRIPT, F)
	}
}

load AGG("-v key=label,_write -v name=label -v x=pipe_size -v where=mechanism=pipe " . \
    "-v med=blocked_ns_total,blocked_ns_max,poke_eagain,poke_blocked")

eval term(1000, 800)

if (!exists("title")) {
	title = sprintf("Full pipe: producers blocked or refused, by pipe size (median of %s)", \
	    TRIALS_MIN == TRIALS_MAX ? sprintf("%d trial%s", TRIALS_MIN, TRIALS_MIN == 1 ? "" : "s") : \
	    sprintf("%d-%d trials", TRIALS_MIN, TRIALS_MAX))
	RUN = runpart_rate(0) . runpart_stall(0) . (!cfgis("trials") || !cfgis("duration_ns") ? "" : \
	    sprintf(", %s × %s per pipe size", cfgv("trials"), nsl(real(cfgv("duration_ns")))))
	title = title . (strlen(RUN) > 2 ? "\n" . RUN[3:] : "")
}

# x: pipe size in bytes, log2 axis with KiB/MiB tics
set logscale x 2
set xrange [XMIN / 1.3 : XMAX * 1.3]
set xtics ("1 KiB" 1024, "2 KiB" 2048, "4 KiB" 4096, "8 KiB" 8192, "16 KiB" 16384, \
    "32 KiB" 32768, "64 KiB" 65536, "128 KiB" 131072, "256 KiB" 262144, \
    "512 KiB" 524288, "1 MiB" 1048576, "2 MiB" 2097152) nomirror
set ytics nomirror
set grid xtics ytics lc '#dddddd' lt 1
set key inside top right Left reverse box opaque samplen 3 width 1

set multiplot layout 2,1 title title font ',12' margins 0.09, 0.97, 0.08, 0.88 spacing 0, 0.1

# The plot command for the lines of one write mode (LK2, the _write key),
# each with colour and legend entry per line, built so that a mode absent
# from the input gives an empty panel saying so instead of an error.
pick(i, c) = column("line") == i ? column(c) : NaN
PLOTCMD(mode, c, scale, extra) = (cmd = "", sum [i=1:NLINES] (LK2[i] eq mode ? \
    (cmd = cmd . (strlen(cmd) ? ", " : "") . sprintf("$AGG using \"x\":(pick(%d, \"%s\") / %g) " . \
	"with linespoints lw 2 pt 7 ps 0.9 lc rgb '%s' dt 1 title LNAME[%d]", i, c, scale, LC(i), i) . \
	(strlen(extra) ? sprintf(extra, i, LC(i)) : ""), 1) : 0), cmd)
EMPTY(mode) = sprintf("set label 1 'no %s runs in the input' at graph 0.5, 0.5 center; " . \
    "set key off; set yrange [0:1]; plot NaN notitle; unset label 1; set key on", mode)

# 1: time blocked in write()
set title "blocking write() (--fault blocking-write): producer time blocked on a full pipe, per trial" font ',11'
set ylabel "blocked (ms, all producers)"
set yrange [0:*]
set format y "%g"
set xlabel ""
C = PLOTCMD("blocking write()", "blocked_ns_total", 1e6, \
    ", $AGG using \"x\":(pick(%d, \"blocked_ns_max\") / 1e6) with linespoints lw 1.5 pt 6 ps 0.9 lc rgb '%s' dt 2 notitle")
if (strlen(C)) {
	eval "plot " . C . ", NaN with linespoints lw 2 pt 7 lc rgb '#000000' dt 1 title 'total', " . \
	    "NaN with linespoints lw 1.5 pt 6 lc rgb '#000000' dt 2 title 'longest single write()'"
} else {
	eval EMPTY("--fault blocking-write")
}

# 2: pokes refused with EAGAIN
set title "non-blocking write(): pokes refused with EAGAIN (harmless: the pipe is already readable), per trial" font ',11'
set ylabel "EAGAIN (count)"
set yrange [0:*]
set xlabel "pipe size (--pipe-size, log scale)"
C = PLOTCMD("non-blocking write()", "poke_eagain", 1, "")
if (strlen(C)) {
	eval "plot " . C
} else {
	eval EMPTY("non-blocking")
}

unset multiplot
