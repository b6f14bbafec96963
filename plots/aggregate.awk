# Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause
# aggregate.awk: group the rows of wakebench CSV files and write gnuplot
# commands (variables, arrays and a datablock) for the plot scripts, which
# run it as  load '< awk -F, -f plots/aggregate.awk -v ... FILE...'.
# Reads only wakebench's own CSV files (summary or percentiles); works in
# mawk and gawk.
#
#   -v key=COLS    rows with equal values of these columns form one line
#                  (one curve or one bar); lines are numbered 1.. in the
#                  order they first appear
#   -v name=COLS   the line's legend name: these columns' values, joined
#                  with spaces (default: key)
#   -v x=COL       optional: one point per (line, x), sorted by numeric x
#   -v med=COLS    columns whose median over the rows of a point is taken
#                  (several trials of one configuration -> one value); an
#                  entry NAME=COL takes COL and calls it NAME in the output
#   -v where=COL=VAL[,COL=VAL]  keep only matching rows
#   -v range=COLS  emit RMIN/RMAX: the smallest and largest positive
#                  median of these columns (for log axis tics)
#   -v rangex=X    count only points whose x is above X in RMIN/RMAX
#   -v melt=COL:P[,COL:P]  turn each row into one row per COL, for a
#                  summary CSV's percentile columns (wake_p50_ns:0.5, ...):
#                  that row's x is P (use with x=_p) and its derived
#                  columns are _p (P), _value (the row's COL) and
#                  _inv_tail (1/(1-P), empty for P = 1, the maximum)
#   -v trim=A,B    drop the points whose median A is at or above their
#                  median B (A and B: med output names); e.g. percentiles
#                  finer than 1/N of a trial's N samples, which are only
#                  its maximum again.  NTRIMMED counts the points dropped
#   -v what=NAME   the calling script, for messages
#
# COLS are comma-separated column names from the header row, or these
# derived columns:
#   _path    the file's path            _file    its base name
#   _tag     "(base name)", to tell files apart in a legend
#   _series  label without its trailing " pN" (producers) part
#   _write   "blocking write()" under --fault blocking-write, else
#            "non-blocking write()"
#   A-B      column A's value less column B's (wakeups-wakeups_nosleep)
#   pipe_size  the pipe_size column if the file has one, else the value
#            of pipe_size= on the "# config:" preamble line; 0 (the system
#            default) is reported as 65536, Linux's default pipe size
#
# Output, as gnuplot commands:
#   NLINES, NFILES, TRIALS_MIN, TRIALS_MAX, NAMELEN (longest name), RMIN,
#   RMAX, XMIN, XMAX, NTRIMMED, MAX_<med column> (its largest median);
#   ROWS_<column> = "value" for producers, connections and rate when every
#   row has the same value (absent otherwise); the arrays
#   LNAME[line] (legend names) and LK1[line], LK2[line], ... (the line's
#   values of each key column); CFG_<key> = "value" for each key=value
#   of the "# config:" preamble lines that all the files agree on; and
#   the datablock $AGG: a header "line,name,x,trials,<med columns>" then
#   one row per point.  With no matching rows it writes an `exit error`.

function median(list,    n, a, i, j, t) {
	n = split(list, a, " ")
	if (n == 0)
		return ""
	for (i = 2; i <= n; i++) {
		t = a[i] + 0
		for (j = i - 1; j >= 1 && a[j] + 0 > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
	if (n % 2)
		return a[(n + 1) / 2] + 0
	return (a[n / 2] + a[n / 2 + 1]) / 2
}

# value of column (or derived column) c in the current row
function val(c,    s, p, a, b) {
	if ((p = index(c, "-")) > 1) {
		a = val(substr(c, 1, p - 1))
		b = val(substr(c, p + 1))
		return a == "" || b == "" ? "" : a - b
	}
	if (c == "_p")
		return meltp[mi]
	if (c == "_value")
		return val(meltc[mi])
	if (c == "_inv_tail")
		return meltp[mi] + 0 >= 1 ? "" : sprintf("%.10g", 1 / (1 - meltp[mi]))
	if (c == "_path")
		return FILENAME
	if (c == "_file")
		return base
	if (c == "_tag")
		return "(" base ")"
	if (c == "_series") {
		s = $(col["label"])
		sub(/ p[0-9]+$/, "", s)
		return s
	}
	if (c == "_write")
		return $(col["fault"]) ~ /blocking-write/ ? \
		    "blocking write()" : "non-blocking write()"
	if (c == "pipe_size" && !("pipe_size" in col))
		return pre_pipe == 0 ? 65536 : pre_pipe
	if (!(c in col)) {
		missing[c] = FILENAME
		return ""
	}
	return $(col[c])
}

function joined(cols, n, sep,    i, s) {
	s = ""
	for (i = 1; i <= n; i++)
		s = s (i > 1 ? sep : "") val(cols[i])
	return s
}

# a gnuplot double-quoted string
function q(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}

BEGIN {
	nkey = split(key, keys, ",")
	nname = split(name == "" ? key : name, names, ",")
	nmed = split(med, meds, ",")
	for (i = 1; i <= nmed; i++) {
		p = index(meds[i], "=")
		medname[i] = p ? substr(meds[i], 1, p - 1) : meds[i]
		medcol[i] = p ? substr(meds[i], p + 1) : meds[i]
	}
	nmelt = split(melt, mt, ",")
	for (i = 1; i <= nmelt; i++) {
		p = index(mt[i], ":")
		meltc[i] = substr(mt[i], 1, p - 1)
		meltp[i] = substr(mt[i], p + 1)
	}
	if (trim != "") {
		split(trim, tr, ",")
		for (i = 1; i <= nmed; i++) {
			if (medname[i] == tr[1])
				trima = i
			if (medname[i] == tr[2])
				trimb = i
		}
	}
	nrowcol = split("producers,connections,rate", rowcol, ",")
	nrange = split(range, ranges, ",")
	nwhere = split(where, wh, ",")
	for (i = 1; i <= nwhere; i++) {
		p = index(wh[i], "=")
		wcol[i] = substr(wh[i], 1, p - 1)
		wval[i] = substr(wh[i], p + 1)
	}
	if (what == "")
		what = "aggregate.awk"
}

FNR == 1 {
	nfiles++
	delete col
	hdr = 0
	base = FILENAME
	sub(/.*\//, "", base)
	pre_pipe = 0
}

/^#/ {
	if ($0 ~ /^# config:/) {
		if (match($0, /pipe_size=[0-9]+/))
			pre_pipe = substr($0, RSTART + 10, RLENGTH - 10) + 0
		# keep the settings all files share; drop those that differ
		ncfg = split(substr($0, 11), kv, " ")
		for (i = 1; i <= ncfg; i++) {
			p = index(kv[i], "=")
			if (p < 2)
				continue
			k = substr(kv[i], 1, p - 1)
			v = substr(kv[i], p + 1)
			if (!(k in cfg))
				cfg[k] = v
			else if (cfg[k] != v)
				cfgdiff[k] = 1
		}
	}
	next
}

!hdr {
	for (i = 1; i <= NF; i++)
		col[$i] = i
	hdr = 1
	next
}

# one point of the current row (for melt, the mi-th of its points)
function addrow(    lk, xv, g, i, v) {
	lk = joined(keys, nkey, SUBSEP)
	if (!(lk in lnum)) {
		lnum[lk] = ++nl
		lname[nl] = joined(names, nname, " ")
		for (i = 1; i <= nkey; i++)
			lkey[nl, i] = val(keys[i])
	}
	xv = (x == "" ? 0 : val(x))
	g = lnum[lk] SUBSEP xv
	if (!(g in gcount)) {
		ng++
		gkey[ng] = g
		gline[ng] = lnum[lk]
		gx[ng] = xv + 0
	}
	gcount[g]++
	for (i = 1; i <= nmed; i++) {
		v = val(medcol[i])
		if (v != "")
			gval[g, i] = gval[g, i] " " v
	}
}

{
	for (i = 1; i <= nwhere; i++)
		if (val(wcol[i]) != wval[i])
			next
	for (i = 1; i <= nrowcol; i++)
		if (rowcol[i] in col) {
			v = $(col[rowcol[i]])
			if (!(i in rowval))
				rowval[i] = v
			else if (rowval[i] != v)
				rowdiff[i] = 1
		}
	if (nmelt == 0) {
		mi = 0
		addrow()
	} else {
		for (mi = 1; mi <= nmelt; mi++)
			addrow()
	}
}

END {
	for (c in missing) {
		print "exit error " q(what ": " missing[c] ": missing column \"" c "\"")
		exit
	}
	if (nl == 0) {
		print "exit error " q(what ": no data rows" \
		    (where == "" ? "" : " with " where) " in the input")
		exit
	}
	# points in line order, then by numeric x (insertion sort: few rows)
	for (i = 1; i <= ng; i++)
		ord[i] = i
	for (i = 2; i <= ng; i++) {
		t = ord[i]
		for (j = i - 1; j >= 1 && (gline[ord[j]] > gline[t] ||
		    (gline[ord[j]] == gline[t] && gx[ord[j]] > gx[t])); j--)
			ord[j + 1] = ord[j]
		ord[j + 1] = t
	}

	print "NLINES = " nl
	print "NFILES = " nfiles
	print "array LNAME[" nl "]"
	namelen = 0
	for (i = 1; i <= nl; i++) {
		print "LNAME[" i "] = " q(lname[i])
		if (length(lname[i]) > namelen)
			namelen = length(lname[i])
	}
	print "NAMELEN = " namelen
	for (k = 1; k <= nkey; k++) {
		print "array LK" k "[" nl "]"
		for (i = 1; i <= nl; i++)
			print "LK" k "[" i "] = " q(lkey[i, k])
	}
	for (c in cfg)
		if (c ~ /^[A-Za-z_][A-Za-z_0-9]*$/ && !(c in cfgdiff))
			print "CFG_" c " = " q(cfg[c])

	for (i = 1; i <= nrowcol; i++)
		if ((i in rowval) && !(i in rowdiff))
			print "ROWS_" rowcol[i] " = " q(rowval[i])

	tmin = -1; tmax = 0; rmin = -1; rmax = 0; xmin = -1; xmax = 0
	ntrim = 0
	out = "line,name,x,trials"
	for (i = 1; i <= nmed; i++)
		out = out "," medname[i]
	rows = out
	for (n = 1; n <= ng; n++) {
		g = gkey[ord[n]]
		l = gline[ord[n]]
		for (i = 1; i <= nmed; i++)
			m[i] = median(gval[g, i])
		if (trima && trimb && m[trima] != "" && m[trimb] != "" &&
		    m[trima] + 0 >= m[trimb] + 0) {
			ntrim++
			continue
		}
		out = l "," lname[l] "," gx[ord[n]] "," gcount[g]
		if (tmin < 0 || gcount[g] < tmin)
			tmin = gcount[g]
		if (gcount[g] > tmax)
			tmax = gcount[g]
		if (xmin < 0 || gx[ord[n]] < xmin)
			xmin = gx[ord[n]]
		if (gx[ord[n]] > xmax)
			xmax = gx[ord[n]]
		for (i = 1; i <= nmed; i++) {
			out = out "," (m[i] == "" ? "" : sprintf("%.10g", m[i]))
			if (m[i] != "" && (!(i in cmax) || m[i] > cmax[i]))
				cmax[i] = m[i]
			for (r = 1; r <= nrange; r++)
				if (ranges[r] == medname[i] && m[i] != "" && m[i] > 0 &&
				    (rangex == "" || gx[ord[n]] > rangex + 0)) {
					if (rmin < 0 || m[i] < rmin)
						rmin = m[i]
					if (m[i] > rmax)
						rmax = m[i]
				}
		}
		rows = rows "\n" out
	}
	print "TRIALS_MIN = " tmin
	print "TRIALS_MAX = " tmax
	printf "XMIN = %.10g\nXMAX = %.10g\n", xmin, xmax
	printf "RMIN = %.10g\nRMAX = %.10g\n", (rmin < 0 ? 0 : rmin), rmax
	print "NTRIMMED = " ntrim
	for (i = 1; i <= nmed; i++)
		if (medname[i] ~ /^[A-Za-z_][A-Za-z_0-9]*$/)
			printf "MAX_%s = %.10g\n", medname[i], (i in cmax) ? cmax[i] : 0
	print "$AGG << EOD"
	print rows
	print "EOD"
}
