#!/usr/bin/env bats
# The core run contract: the summary CSV, the percentiles CSV, the JSON,
# the run header and table, every mechanism under every wait, and an
# interrupted run (wakebench(1), OUTPUT and EXIT STATUS).

load helper

# The summary columns every CSV must have (docs/DESIGN.md#measurements).
BASE_COLUMNS="config,mechanism,wait,poke,drain,preset,fault,producers,rate,connections,trial,duration_ns,items,items_lost,items_per_s,pokes,writes,poke_eagain,poke_blocked,blocked_ns_total,blocked_ns_max,waker_peak_bytes,wakeups,wakeups_nosleep,spurious_wakeups,lost_wakeups,stranded_ns_max,lat_min_ns,lat_p50_ns,lat_p90_ns,lat_p99_ns,lat_p999_ns,lat_p9999_ns,lat_max_ns,wake_p50_ns,wake_p99_ns,wake_max_ns,net_requests,net_errors,net_rtt_p50_ns,net_rtt_p99_ns,main_cpu_pct,leaked_fds"
PCT_COLUMNS="config,mechanism,wait,poke,drain,producers,metric,percentile,value_ns,count,inv_tail"

# One run that every output test below reads: 2 mechanisms x 2 waits,
# 2 trials each, all three output files.  Made once for the file.
setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	timeout -k 5 60 "${WAKEBENCH:-$BATS_TEST_DIRNAME/../../wakebench}" \
	    -c 0 -d 100ms -n 2 --warmup 50ms -q -m pipe,eventfd -w poll,epoll \
	    -o run.csv --json run.json --percentiles run-pct.csv \
	    >run.out 2>run.err
	echo $? >run.status
}

# shared: the shared run succeeded; its files are in $BATS_FILE_TMPDIR.
shared() {
	S=$BATS_FILE_TMPDIR
	[ "$(cat "$S/run.status")" = 0 ] ||
	    fail "shared run exited $(cat "$S/run.status"): $(cat "$S/run.err")"
}

# csv_header FILE: the header row.
csv_header() {
	grep -v '^#' "$1" | head -n 1
}

# csv_rows_ok FILE: every row of FILE has the header's number of fields,
# items produced (in the whole trial: a 100 ms window on a starved
# machine may hold none), items_lost 0 and produced == consumed.
csv_rows_ok() {
	awk -F, '
		/^#/ { next }
		!nf { nf = NF; for (i = 1; i <= NF; i++) c[$i] = i; next }
		NF != nf { print "row " NR ": " NF " fields, header has " nf; bad = 1 }
		$c["produced"] + 0 <= 0 { print "row " NR ": no items produced"; bad = 1 }
		$c["items_lost"] != "0" {
			print "row " NR ": items_lost " $c["items_lost"]; bad = 1 }
		$c["produced"] != $c["consumed"] {
			print "row " NR ": produced " $c["produced"] " consumed " $c["consumed"]
			bad = 1 }
		END { exit bad }' "$1"
}

@test "CSV: # key: value preamble lines, then the header" {
	shared
	local f=$S/run.csv
	head -n 1 "$f" | grep -qx '# wakebench-csv: 1'
	grep -q '^# version: [0-9]\+\.[0-9]\+\.[0-9]\+$' "$f"
	grep -q "^# kernel: .*$(uname -r)" "$f"
	grep -q '^# command: .*-m pipe,eventfd -w poll,epoll' "$f"
	# Every preamble line is `# key: value`, and all come before the table.
	run grep '^#' "$f"
	for line in "${lines[@]}"; do
		[[ $line =~ ^#\ [A-Za-z0-9_-]+:\ . ]] || fail "preamble line: $line"
	done
	run awk '!/^#/ { t = 1 } t && /^#/' "$f"
	[ -z "$output" ] || fail "# lines after the header: $output"
}

@test "CSV: one header row with every base column the man page names" {
	shared
	local header col
	header=$(csv_header "$S/run.csv")
	[[ $header == config,* ]]
	for col in ${BASE_COLUMNS//,/ }; do
		[[ ",$header," == *",$col,"* ]] || fail "no column $col in: $header"
	done
	# One header: no data row repeats it.
	[ "$(grep -c '^config,' "$S/run.csv")" = 1 ]
	# LF line ends, no CR.
	! grep -q $'\r' "$S/run.csv"
}

@test "CSV: one row per configuration and trial, all the same width" {
	shared
	local f=$S/run.csv
	[ "$(csv_rows "$f" | wc -l)" = 8 ]
	# Each (mechanism, wait) has trials 1 and 2.
	run awk -F, '
		/^#/ { next }
		!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; next }
		{ print $c["mechanism"], $c["wait"], $c["trial"] }' "$f"
	assert_success
	for m in pipe eventfd; do
		for w in poll epoll; do
			assert_line "$m $w 1"
			assert_line "$m $w 2"
		done
	done
	[ "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" = 8 ]
	# Four configurations, numbered 1-4.
	[ "$(csv_col "$f" config | sort -un | tr '\n' ' ')" = "1 2 3 4 " ]
	run csv_rows_ok "$f"
	assert_success
}

@test "CSV: nothing lost, produced == consumed, counts are integers" {
	shared
	local f=$S/run.csv col
	run csv_rows_ok "$f"
	assert_success
	for col in lost_wakeups items pokes writes wakeups \
	    lat_p50_ns lat_max_ns wake_p50_ns duration_ns; do
		run csv_col "$f" "$col"
		assert_success
		for v in "${lines[@]}"; do
			[[ $v =~ ^[0-9]+$ ]] || fail "$col: not an integer: $v"
		done
	done
	# No --spawn, no child: leaked_fds is empty, not a 0 that pretends.
	run csv_col "$f" leaked_fds
	assert_success
	for v in "${lines[@]}"; do [ -z "$v" ] || fail "leaked_fds '$v' without --spawn"; done
	local vals
	vals=$(csv_col "$f" lost_wakeups)
	for v in $vals; do
		[ "$v" = 0 ] || fail "lost_wakeups $v"
	done
	vals=$(csv_col "$f" items_per_s)
	for v in $vals; do
		[[ $v =~ ^[0-9]+(\.[0-9]+)?$ ]] || fail "items_per_s: $v"
	done
}

@test "-o - writes pure CSV to stdout and the table to stderr" {
	wb "${SHORT[@]}" -d 100ms -m pipe -o -
	assert_success
	[[ ${lines[0]} == "#"* ]]
	[[ ${lines[0]} == "# wakebench-csv: 1" ]]
	# stdout holds only preamble, one header and one data row.
	local hdr=0 data=0 line
	for line in "${lines[@]}"; do
		case $line in
		"#"*) ;;
		config,*) hdr=$((hdr + 1)) ;;
		*) data=$((data + 1)) ;;
		esac
	done
	[ "$hdr" = 1 ]
	[ "$data" = 1 ]
	[[ $output != *"mechanism  wait"* ]]
	# The human report is on stderr instead.
	[[ $stderr == *"wakebench "[0-9]* ]]
	[[ $stderr =~ mechanism\ +wait ]]
	[[ $stderr =~ pipe\ poll\ always\ all\ p4\ +ok ]]
	printf '%s\n' "$output" >out.csv
	run csv_rows_ok out.csv
	assert_success
}

@test "--percentiles: long CSV with the documented header, item and wake metrics" {
	shared
	local f=$S/run-pct.csv header
	header=$(csv_header "$f")
	[[ $header == "$PCT_COLUMNS" || $header == "$PCT_COLUMNS",* ]] ||
	    fail "header: $header"
	# Both metrics for each of the four configurations.
	run awk -F, '
		/^#/ { next }
		!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; nf = NF; next }
		NF != nf { print "bad width: " $0 }
		{ print $c["config"], $c["metric"] }' "$f"
	refute_line --partial "bad width"
	for cfg in 1 2 3 4; do
		assert_line "$cfg item"
		assert_line "$cfg wake"
	done
	for line in "${lines[@]}"; do
		[[ $line =~ ^[1-4]\ (item|wake|net_rtt)$ ]] || fail "row: $line"
	done
}

@test "--percentiles: values, counts and percentiles never decrease" {
	shared
	run awk -F, '
		/^#/ { next }
		!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; next }
		{
			k = $c["config"] " " $c["metric"]
			p = $c["percentile"] + 0; v = $c["value_ns"] + 0
			n = $c["count"] + 0; t = $c["inv_tail"]
			if (p < 0 || p > 1) print k ": percentile " p " outside 0-1"
			if ((k in lp) && (p < lp[k] || v < lv[k] || n < ln[k]))
				print k ": decreases at p " p ": " $0
			if (p < 1 && t != "" && (t / (1 / (1 - p)) > 1.001 ||
			    t / (1 / (1 - p)) < 0.999))
				print k ": inv_tail " t " is not 1/(1-" p ")"
			lp[k] = p; lv[k] = v; ln[k] = n; rows[k]++
		}
		END { for (k in rows) if (rows[k] < 5) print k ": only " rows[k] " rows" }' \
	    "$S/run-pct.csv"
	assert_success
	[ -z "$output" ] || fail "$output"
}

@test "--percentiles: exact 0.99 and 0.999 rows for every metric" {
	shared
	run awk -F, '
		/^#/ { next }
		!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; next }
		{ k = $c["config"] " " $c["metric"]; rows[k] = 1 }
		$c["percentile"] == "0.99" { p99[k]++ }
		$c["percentile"] == "0.999" { p999[k]++ }
		END { for (k in rows) if (p99[k] != 1 || p999[k] != 1)
			print k ": " p99[k] + 0 " rows at 0.99, " p999[k] + 0 " at 0.999" }' \
	    "$S/run-pct.csv"
	assert_success
	[ -z "$output" ] || fail "$output"
}

@test "a latency without samples is an empty cell and null, never 0; compare reads both" {
	wb -c 0 -d 50ms -n 1 --warmup 0 -q -m eventfd -o out.csv --json out.json
	completed
	run csv_col out.csv net_rtt_samples
	assert_output 0
	for col in net_rtt_min_ns net_rtt_p50_ns net_rtt_p99_ns net_rtt_max_ns; do
		run csv_col out.csv "$col"
		assert_output ""
	done
	python3 -c '
import json, sys
t = json.load(open("out.json"))["configurations"][0]["trials"][0]
assert t["net_rtt_samples"] == 0, t["net_rtt_samples"]
for k in ("net_rtt_min_ns", "net_rtt_p50_ns", "net_rtt_max_ns"):
    assert t[k] is None, (k, t[k])
assert t["lat_p50_ns"] is not None
'
	wb compare out.csv out.csv
	assert_success
	wb compare out.json out.json
	assert_success
}

@test "--json: parses, with environment, config and per-trial results" {
	shared
	python3 -m json.tool "$S/run.json" >/dev/null
	run python3 - "$S/run.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert isinstance(d["format_version"], int), "format_version"
	assert isinstance(d["environment"], dict) and d["environment"], "environment"
	assert isinstance(d["config"], dict) and d["config"], "config"
	confs = d["configurations"]
	assert len(confs) == 4, "%d configurations" % len(confs)
	seen = set()
	for c in confs:
	    seen.add((c["mechanism"], c["wait"]))
	    assert len(c["trials"]) == 2, "%d trials" % len(c["trials"])
	    for t in c["trials"]:
	        assert t["items"] > 0, "no items"
	        assert t["items_lost"] == 0, "items lost"
	assert seen == {(m, w) for m in ("pipe", "eventfd")
	                for w in ("poll", "epoll")}, seen
	EOF
	assert_success
}

@test "--json - writes the JSON alone to stdout" {
	wb "${SHORT[@]}" -d 50ms -m eventfd --json -
	assert_success
	printf '%s\n' "$output" | python3 -m json.tool >/dev/null
	[[ $stderr =~ mechanism\ +wait ]]
}

@test "every mechanism under every wait runs clean" {
	wb "${SHORT[@]}" -d 100ms --warmup 20ms \
	    -m pipe,eventfd,eventfd-sem,socketpair -w select,poll,epoll,epoll-et \
	    -o out.csv
	assert_success
	[ "$(csv_rows out.csv | wc -l)" = 16 ]
	run awk -F, '
		/^#/ { next }
		!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; next }
		{ print $c["mechanism"], $c["wait"], $c["items_lost"],
		    $c["lost_wakeups"], ($c["produced"] == $c["consumed"]) }' out.csv
	for m in pipe eventfd eventfd-sem socketpair; do
		for w in select poll epoll epoll-et; do
			assert_line "$m $w 0 0 1"
		done
	done
}

@test "--rate max runs clean" {
	wb "${SHORT[@]}" -d 100ms -m eventfd -r max -o out.csv
	assert_success
	[ "$(csv_col out.csv rate)" = max ]
	run csv_rows_ok out.csv
	assert_success
}

@test "-b 4 bursts run clean" {
	wb "${SHORT[@]}" -d 100ms -m pipe -b 4 -o out.csv
	assert_success
	grep -q '^# config: .*burst=4' out.csv
	run csv_rows_ok out.csv
	assert_success
}

@test "numbers and times take their suffixes; a bare -d is seconds" {
	wb -c 0 -n 1 -q -m pipe -d 0.1 --warmup 20000us -t 50ms -r 20k \
	    --pipe-size 64KiB -o out.csv
	assert_success
	grep -q '^# config: .*rate=20000 ' out.csv
	grep -q '^# config: .*duration_ns=100000000 ' out.csv
	grep -q '^# config: .*warmup_ns=20000000 ' out.csv
	grep -q '^# config: .*timeout_ns=50000000 ' out.csv
	grep -q '^# config: .*pipe_size=65536 ' out.csv
}

@test "the run header names kernel, clock, cpuidle, PM QoS and placement" {
	wb -c 0 -d 100ms -n 2 --warmup 20ms
	assert_success
	assert_line --regexp '^wakebench [0-9]+\.[0-9]+\.[0-9]+'
	assert_output --partial "$(uname -r)"
	assert_output --regexp 'CLOCK_MONOTONIC'
	assert_output --partial "resolution"
	assert_output --partial "cpuidle"
	assert_output --partial "cpu_dma_latency"
	assert_line --regexp '^placement '
}

@test "the table has one row per configuration and an ok verdict for each" {
	wb -c 0 -d 100ms -n 2 --warmup 20ms -q -m pipe,eventfd,socketpair
	assert_success
	assert_line --regexp '^ *# +mechanism +wait +poke +drain '
	# One row per configuration (the median of its trials), not per trial.
	[ "$(grep -cE '^ *[0-9]+\*? +[a-z-]+ +[a-z-]+ +[a-z-]+ +[a-z-]+ +[0-9]+ ' \
	    <<<"$output")" = 3 ]
	assert_line --regexp '^ *1 +pipe +poll +always +all +4 '
	assert_line --regexp '^ *2 +eventfd +poll +always +all +4 '
	assert_line --regexp '^ *3 +socketpair +poll +always +all +4 '
	# One verdict line per configuration.
	# ok, maybe with a note about the machine (producers behind).
	assert_line --regexp '^ +1 +pipe poll always all p4 +ok( \(.*\))?$'
	assert_line --regexp '^ +2 +eventfd poll always all p4 +ok( \(.*\))?$'
	assert_line --regexp '^ +3 +socketpair poll always all p4 +ok( \(.*\))?$'
	[ "$(grep -cE ' ok( \(.*\))?$' <<<"$output")" = 3 ]
}

# interrupted SIGNAL AFTER: a 2 x 5s run sent SIGNAL after AFTER seconds.
interrupted() {
	run --separate-stderr timeout -k 5 --preserve-status -s "$1" "$2" \
	    "$WAKEBENCH" -c 0 -d 5s -n 2 --warmup 50ms -q -m pipe,eventfd \
	    -o out.csv --json out.json --percentiles p.csv
}

@test "SIGINT: exit 130, the table marks the partial trial, outputs complete" {
	interrupted INT 1.5
	[ "$status" -eq 130 ] || fail "status $status: $stderr"
	# The table still comes, with the partial marker.
	assert_line --regexp '^ *# +mechanism +wait'
	assert_line --regexp '^ *1\* +pipe +poll '
	assert_line --regexp '^ +1 +pipe poll always all p4 '
	# A complete CSV whose last row is the partial trial.
	run csv_rows_ok out.csv
	assert_success
	local last
	last=$(csv_col out.csv partial | tail -n 1)
	[ "$last" = 1 ]
	# The interrupted trial closed what it opened, and nothing else
	# (a zeroed client struct once closed stdin here: fd_delta -1).
	[ "$(csv_col out.csv fd_delta | tail -n 1)" = 0 ]
	[ "$(csv_col out.csv partial | grep -c 1)" = 1 ]
	python3 -m json.tool out.json >/dev/null
	python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["interrupted"]' out.json
	[[ $(csv_header p.csv) == "$PCT_COLUMNS"* ]]
}

@test "SIGTERM: exit 143 with complete output files" {
	interrupted TERM 1
	[ "$status" -eq 143 ] || fail "status $status: $stderr"
	assert_line --regexp '^ *1\* +pipe +poll '
	[ "$(csv_col out.csv partial | tail -n 1)" = 1 ]
	python3 -m json.tool out.json >/dev/null
}

@test "--cpus pins the main thread to the first CPU and producers over the rest" {
	read -r a b < <(python3 -c 'import os; c = sorted(os.sched_getaffinity(0)); print(*c[:2])')
	[ -n "$b" ] || skip "needs two allowed CPUs"
	# no timeout(1) in between: $! must be wakebench (-d bounds it)
	"$WAKEBENCH" --cpus "$b,$a" -p 2 -c 0 -d 5s -n 1 --warmup 0 -q >out.txt 2>err.txt &
	pid=$!
	# wait (bounded) for the main thread, 2 producers and the watchdog
	for _ in $(seq 100); do
		[ "$(ls /proc/$pid/task 2>/dev/null | wc -l)" -ge 4 ] && break
		sleep 0.1
	done
	main=$(sed -n 's/^Cpus_allowed_list:\t//p' /proc/$pid/task/$pid/status)
	others=$(cat /proc/$pid/task/*/status | sed -n 's/^Cpus_allowed_list:\t//p' | sort | uniq -c)
	kill -INT $pid; wait $pid || true
	[ "$main" = "$b" ] || fail "main thread on $main, not $b"
	# the two producers on $a alone
	[[ $others =~ (^|$'\n')\ +2\ $a($'\n'|$) ]] || fail "threads: $others"
	grep -q "^placement  pinned (--cpus $b,$a): main thread on CPU $b, producers round-robin over CPUs $a$" out.txt
}

# table_head: the table's header row in $output.
table_head() {
	printf '%s\n' "$output" | tr -d '\r' | grep -m1 -E '^ *#  (preset  )?mechanism'
}

@test "not on a terminal the table is full width whatever COLUMNS says; --wide is the same" {
	COLUMNS=40 wb -c 0 -d 50ms -n 1 --warmup 0 -q -m eventfd
	completed
	head=$(table_head)
	[[ $head =~ ^#\ +mechanism\ +wait\ +poke\ +drain\ +p\ +items/s\ +wake\ p50\ +wake\ p99\ +rq\ wait\ +item\ p50\ +item\ p99\ +item\ max\ +writes/item\ +spurious\ +sys/item\ +main\ cpu$ ]] ||
	    fail "header: $head"
	refute_output --partial "fitted to"
	wb -c 0 -d 50ms -n 1 --warmup 0 -q -m eventfd --wide
	completed
	[ "$(table_head | tr -s ' ')" = "$(tr -s ' ' <<<"$head")" ]
}

@test "on an 80-column terminal the table keeps the headline columns and says what it left out" {
	command -v script >/dev/null || skip "no script(1)"
	run timeout 60 script -qec "stty cols 80; $WAKEBENCH -c 0 -d 50ms -n 1 --warmup 0 -q -m eventfd" /dev/null
	assert_success
	head=$(table_head)
	[[ $head =~ items/s\ +wake\ p50\ +wake\ p99\ +item\ p99$ ]] || fail "header: $head"
	row=$(printf '%s\n' "$output" | tr -d '\r' | grep -m1 '^1  ')
	[ "${#row}" -le 80 ] || fail "${#row} columns: $row"
	assert_output --partial "(fitted to 80 columns: sys/item, rq wait, item max"
	run timeout 60 script -qec "stty cols 80; $WAKEBENCH -c 0 -d 50ms -n 1 --warmup 0 -q -m eventfd --wide" /dev/null
	assert_success
	[[ $(table_head) == *"sys/item  main cpu" ]] || fail "--wide: $(table_head)"
	refute_output --partial "fitted to"
}

@test "--columns chooses the figures and their order, p90 and p99.9 included" {
	wb -c 2 -d 50ms -n 1 --warmup 0 -q -m eventfd --columns item_p999,items_per_s,wake_p90,rtt_p90
	completed
	[[ $(table_head) =~ ^#\ +mechanism\ +wait\ +poke\ +drain\ +p\ +item\ p99\.9\ +items/s\ +wake\ p90\ +rtt\ p90$ ]] ||
	    fail "header: $(table_head)"
	assert_line --regexp '^1  eventfd +poll +always +all +4 +[0-9.]+[mun]?s +[0-9.]+k? ±\? +[0-9.]+[mun]?s +[0-9.]+[mun]?s$'
}
