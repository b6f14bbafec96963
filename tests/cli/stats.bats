#!/usr/bin/env bats
# Statistics: intervals on every headline figure, every row against the
# baseline, outliers marked, and `wakebench compare`.  Assertions that
# depend on measurements are built to hold on a loaded machine: a
# difference that cannot be otherwise (writes per item of -P always,
# exactly 1, against -P coalesce at --rate max, far below it), or an A/A
# comparison whose two samples are interleaved trials of one run.

load helper

Q=(-c 0 -d 100ms --warmup 20ms -q)

@test "every headline figure has an interval; 6 trials bound it, 5 do not" {
	# 8 trials: on a starved machine a trial may take no wake sample,
	# which leaves its wake figures out; 6 must remain.
	wb "${Q[@]}" -m eventfd -n 8
	completed
	assert_output --regexp 'items/s +wake p50'
	# items/s, wake p50/p99, item p50/p99, writes/item, spurious, main cpu.
	row=$(grep -E '^1 ' <<<"$output")
	[ "$(grep -o '±[0-9inf]*%' <<<"$row" | wc -l)" -eq 8 ] || { echo "$row"; false; }
	refute_output --partial '±?'
	assert_output --partial '±: the 95% confidence interval of the median'
	wb "${Q[@]}" -m eventfd -n 5
	completed
	[ "$(grep -E '^1 ' <<<"$output" | grep -o '±?' | wc -l)" -eq 8 ]
	assert_output --partial '±?: too few trials for an interval: 5, and an interval of the median needs at least 6 (-n 6)'
}

@test "a certain difference is significant: writes/item of always against coalesce at --rate max" {
	wb "${Q[@]}" -r max -p 2 -m eventfd -P always,coalesce -n 6 -o out.csv
	completed
	# 6 against 6 with every coalesce trial below every always trial:
	# p = 2/924, the smallest there is.
	row=$(awk '/^against the baseline/ { on = 1; next } on && /^2 /' <<<"$output")
	[ -n "$row" ] || { echo "$output"; false; }
	[[ "$row" =~ -[0-9.]+%\ p=0\.002 ]] || { echo "$row"; false; }
	assert_output --regexp 'eventfd poll coalesce all p2 vs eventfd poll always all p2:.* writes/item -[0-9.]+% \[-[0-9.]+%, -[0-9.]+%\], p = 0\.00216'
	# The summary CSV keeps every trial, with the outlier column last.
	[ "$(csv_rows out.csv | wc -l)" -eq 12 ]
	grep -v '^#' out.csv | head -1 | grep -q ',flags,findings,label,outlier$'
	grep -q '^# config: .* baseline=1 alpha=0.05 precision_pct=0 max_time_ns=60000000000$' out.csv
}

@test "too few trials for a significant p: the change and ?, and the closing line says so" {
	wb "${Q[@]}" -r max -p 2 -m eventfd -P always,coalesce -n 3
	completed
	assert_output --regexp '3 and 3 trials cannot show a difference at alpha 0.05 \(the smallest p they can give is 0.100\); run -n 4 or more'
	row=$(awk '/^against the baseline/ { on = 1; next } on && /^2 /' <<<"$output")
	[[ "$row" =~ -[0-9.]+%\ \? ]] || { echo "$row"; false; }
	refute_output --regexp '^2 .*~'
}

@test "--baseline by number or label, --alpha; bad values are refused in one line" {
	wb "${Q[@]}" -r max -p 2 -m eventfd -P always,coalesce -n 4 \
	    --baseline 'eventfd poll coalesce all p2' --alpha 0.1
	completed
	assert_output --partial 'against the baseline, 2 eventfd poll coalesce all p2'
	assert_output --partial '(p >= 0.1)'
	assert_output --partial 'eventfd poll always all p2 vs eventfd poll coalesce all p2:'
	wb "${Q[@]}" -m eventfd -P always,coalesce -n 1 --baseline 3
	assert_failure 2
	[ "$stderr" = "wakebench: --baseline: 3: no such configuration; expected 1-2 or a label: eventfd poll always all p4, eventfd poll coalesce all p4" ]
	[ -z "$output" ]
	# Checked before the machine: no --pm-qos warning (or refusal) and
	# no output file ahead of it (argfuzz found the warning first).
	wb -c 0 -d 100ms --warmup 20ms -m eventfd -P always,coalesce -n 1 \
	    --baseline 3 --pm-qos 4 -o out.csv
	assert_failure 2
	[ "$stderr" = "wakebench: --baseline: 3: no such configuration; expected 1-2 or a label: eventfd poll always all p4, eventfd poll coalesce all p4" ]
	[ ! -e out.csv ]
	wb "${Q[@]}" --alpha 1
	assert_failure 2
	[ "$stderr" = "wakebench: --alpha: 1: expected a probability between 0.0001 and 0.5" ]
}

@test "--json: median, low, high and n for every metric of every configuration" {
	wb "${Q[@]}" -m pipe,eventfd -n 6 --json out.json
	completed
	run python3 - out.json <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["config"]["baseline"] == 1 and d["config"]["alpha"] == 0.05
	keys = ["items_per_s", "wake_p50", "wake_p99", "item_p50", "item_p99",
	        "writes_per_item", "spurious_pct", "main_cpu_pct", "rtt_p50", "rtt_p99"]
	for c in d["configurations"]:
	    st = c["statistics"]
	    assert sorted(st) == sorted(keys), sorted(st)
	    assert st["items_per_s"]["n"] == 6, st["items_per_s"]
	    for k in keys[:8]:
	        # A trial with an empty histogram has no value: n can be
	        # lower, and below 6 the interval is unbounded (null).
	        s = st[k]
	        assert 1 <= s["n"] <= 6, (k, s)
	        if s["n"] == 6:
	            assert s["low"] <= s["median"] <= s["high"], (k, s)
	        else:
	            assert s["low"] is None and s["high"] is None, (k, s)
	    assert st["rtt_p50"]["n"] == 0 and st["rtt_p50"]["median"] is None
	    for t in c["trials"]:
	        assert t["outlier"] == "none" or set(t["outlier"].split("+")) <= set(keys)
	vs = d["configurations"][1]["vs_baseline"]
	assert vs["baseline"] == 1
	assert 0 < vs["wake_p50"]["p"] <= 1 and isinstance(vs["wake_p50"]["significant"], bool)
	assert "vs_baseline" not in d["configurations"][0]
	EOF
	assert_success
}

# run_once: one run of one configuration, 12 interleaved-in-time trials,
# in run.csv; odd.csv and even.csv hold its odd and even trials
# renumbered 1-6, two samples of the same thing taken side by side.
run_once() {
	wb "${Q[@]}" -m eventfd -n 12 -o run.csv
	completed
	for half in odd even; do
		awk -F, -v OFS=, -v half="$half" '
			/^#/ { print; next }
			!hdr { for (i = 1; i <= NF; i++) if ($i == "trial") c = i; print; hdr = 1; next }
			($c % 2 == 1) == (half == "odd") { $c = int(($c + 1) / 2); print }
		' run.csv >"$half.csv"
	done
}

@test "compare: A/A is mostly ~, environments side by side" {
	run_once
	# At --alpha 0.01 each figure is significant with probability 0.01
	# when nothing differs; even if the four latencies moved as one,
	# more than 3 of 8 figures would be a 1-in-100 event.
	wb compare --alpha 0.01 odd.csv even.csv
	assert_success
	assert_output --partial 'eventfd poll always all p4: 6 vs 6 trials'
	assert_output --regexp '  kernel +Linux'
	assert_output --partial '(* differs between the runs)'
	refute_output --regexp '^\* '
	lines=$(grep -cE '^  (items/s|wake p[0-9]+|item p[0-9]+|writes/item|spurious|main cpu) ' <<<"$output")
	[ "$lines" -eq 8 ] || { echo "$output"; false; }
	sig=$(grep -cE '^  (items/s|wake p[0-9]+|item p[0-9]+|writes/item|spurious|main cpu) .* p=0' <<<"$output" || true)
	[ "$sig" -le 3 ] || { echo "$output"; false; }
	# A file against itself: p = 1 everywhere.
	wb compare run.csv run.csv
	assert_success
	refute_output --partial 'p=0'
}

@test "compare: a run's JSON reads as its CSV does" {
	wb "${Q[@]}" -m pipe,eventfd -n 6 -o run.csv --json run.json
	completed
	wb compare run.csv run.json
	assert_success
	assert_output --partial 'pipe poll always all p4: 6 vs 6 trials'
	assert_output --partial 'eventfd poll always all p4: 6 vs 6 trials'
	refute_output --regexp '^\* '
	refute_output --partial 'p=0'
	refute_output --partial 'only in'
}

@test "compare: --threshold makes a significantly worse figure exit 3; unmatched listed" {
	run_once
	# NEW: every wake p50 1 s longer, beyond any measured one.
	awk -F, -v OFS=, '
		/^#/ { print; next }
		!hdr { for (i = 1; i <= NF; i++) if ($i == "wake_p50_ns") c = i; print; hdr = 1; next }
		{ $c += 1000000000; print }' odd.csv >slow.csv
	wb compare --threshold 50 odd.csv slow.csv
	assert_failure 3
	# 2/924 with all 6 trials a side; a loaded machine can leave a trial
	# with no wake sample (no figure), and 5 a side gives 2/252.
	assert_output --regexp '  wake p50 .* p=0\.00[0-9]  worse'
	assert_output --partial '1 figure significantly worse by more than 50%'
	# Better is never worse; without --threshold, no exit 3.
	wb compare slow.csv odd.csv --threshold 50
	assert_success
	assert_output --partial '0 figures significantly worse by more than 50%'
	wb compare odd.csv slow.csv
	assert_success
	# Another configuration: no match, both listed.
	sed 's/eventfd poll always all p4/eventfd poll always all p9/; s/^\([0-9]*\),eventfd,poll,always,all,none,none,4,/\1,eventfd,poll,always,all,none,none,9,/' odd.csv >other.csv
	wb compare odd.csv other.csv
	assert_success
	assert_output --partial 'only in odd.csv: eventfd poll always all p4'
	assert_output --partial 'only in other.csv: eventfd poll always all p9'
}

# refused_file FILE WHY: compare refuses FILE (as NEW) with exit 2, one
# line naming it and WHY, nothing on stdout.
refused_file() {
	wb compare good.csv "$1"
	assert_failure 2
	[ -z "$output" ] || { echo "stdout: $output"; return 1; }
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "$stderr"; return 1; }
	[[ "$stderr" == "wakebench: compare: $1: $2"* ]] || { echo "$stderr"; return 1; }
}

@test "compare: every bad input is exit 2 with one line naming the file, the line and the problem" {
	wb "${Q[@]}" -m eventfd -n 2 -o good.csv --json good.json --percentiles pct.csv
	completed
	hdr=$(grep -n -v '^#' good.csv | head -1 | cut -d: -f1)
	last=$(wc -l <good.csv)
	refused_file missing.csv "No such file or directory"
	mkdir dir.csv
	refused_file dir.csv "Is a directory"
	: >empty.csv
	refused_file empty.csv "empty: not a wakebench summary CSV"
	printf 'a,b\n1,2\n' >other.csv
	refused_file other.csv "line 1: not a wakebench summary CSV"
	printf '{"format": "wakebench-json",\n "format_version": 3}\n' >v3.json
	refused_file v3.json "line 1: format version 3; this wakebench reads versions 1 and 2"
	printf '{"a": 1}\n' >other.json
	refused_file other.json "line 1: not a wakebench JSON file"
	# Cut wherever 200 bytes from the end falls: in a string or not,
	# the message names the last line and says truncated.
	head -c -200 good.json >cut.json
	refused_file cut.json "line $(($(wc -l <cut.json) + 1)): "
	[[ "$stderr" == *": truncated" ]] || { echo "$stderr"; false; }
	sed '0,/"items_per_s": \([0-9][0-9]*\)/s//"items_per_s": 1\1/' good.json >edited.json
	ln=$(grep -n '"items_per_s": 1' edited.json | head -1 | cut -d: -f1)
	refused_file edited.json "line "
	[[ "$stderr" =~ ^wakebench:\ compare:\ edited.json:\ line\ [0-9]+:\ items_per_s ]] || { echo "$stderr (want near $ln)"; false; }
	sed '0,/"wake_p50_ns": [0-9]*/s//"wake_p50_ns": "12"/' good.json >str.json
	refused_file str.json "line "
	[[ "$stderr" == *"wake_p50_ns: not a number" ]] || { echo "$stderr"; false; }
	refused_file pct.csv "line 1: a percentiles CSV"
	sed '1s/: 1$/: 2/' good.csv >v2.csv
	refused_file v2.csv "line 1: format version 2; this wakebench reads version 1"
	head -c -30 good.csv >cut.csv
	refused_file cut.csv "line $last: "
	head -c -1 good.csv >noeol.csv
	refused_file noeol.csv "line $last: no end of line: truncated"
	sed '$d' good.csv | sed '$d' >norows.csv
	refused_file norows.csv "no trials in it"
	awk -F, -v OFS=, -v h="$hdr" 'NR == h { for (i = 1; i <= NF; i++) if ($i == "items_per_s") c = i }
		NR == h + 1 { $c = $c + 5 } { print }' good.csv >edited.csv
	refused_file edited.csv "line $((hdr + 1)): items_per_s "
	awk -F, -v OFS=, -v h="$hdr" 'NR == h { for (i = 1; i <= NF; i++) if ($i == "wake_p50_ns") c = i }
		NR == h + 2 { $c = "12x" } { print }' good.csv >nan.csv
	refused_file nan.csv "line $((hdr + 2)): wake_p50_ns: 12x: not a count"
	sed "$((hdr + 1))s/eventfd poll always all p4/pipe poll always all p4/" good.csv >label.csv
	refused_file label.csv "line $((hdr + 1)): label pipe poll always all p4 does not name"
	sed "$((hdr + 1))d" good.csv >gap.csv
	refused_file gap.csv "line $((hdr + 1)): config 1 trial 2 where config 1 trial 1 belongs"
	sed "$((hdr + 1))s/,none,/,x,/" good.csv >cols.csv
	sed -i "$((hdr + 1))s/^1,/1,extra,/" cols.csv
	refused_file cols.csv "line $((hdr + 1)): "
	# Options.
	wb compare good.csv
	assert_failure 2
	[ "$stderr" = "wakebench: compare: needs two files, OLD and NEW (summary CSV files of earlier runs)" ]
	wb compare --threshold -5 good.csv good.csv
	assert_failure 2
	[ "$stderr" = "wakebench: --threshold: -5: expected a percentage between 0 and 1000000" ]
	wb compare --alpha 2 good.csv good.csv
	assert_failure 2
	[ "$stderr" = "wakebench: --alpha: 2: expected a probability between 0.0001 and 0.5" ]
	wb compare --bogus good.csv good.csv
	assert_failure 2
	[ "$stderr" = "wakebench: compare: --bogus: unknown option; compare takes --alpha P, --threshold PCT and --markdown FILE" ]
	wb compare good.csv good.csv good.csv
	assert_failure 2
}

@test "--precision: more trials until the intervals are narrow or --max-time is spent, and says which" {
	WB_TIMEOUT=60 wb "${Q[@]}" -d 20ms --warmup 0 -m eventfd -n 6 \
	    --precision 50 --max-time 3s -o out.csv --json out.json
	completed
	assert_output --partial 'precision  more trials until every headline interval is within ±50% of its median, for at most 3s'
	assert_output --regexp 'precision: (reached, every headline interval within the target|not reached, --max-time spent) after [0-9]+ trials per configuration'
	n=$(grep -oE 'after [0-9]+ trials' <<<"$output" | grep -oE '[0-9]+')
	[ "$n" -ge 6 ]
	[ "$(csv_rows out.csv | wc -l)" -eq "$n" ]
	grep -qE '^# precision: (reached|max-time spent)$' out.csv
	grep -qE '"precision": "(reached|max-time spent)"' out.json
	if grep -q 'not reached' <<<"$output"; then
		assert_output --regexp 'still too wide, first: 1 eventfd poll always all p4 [a-z/ ]+[0-9]* ±([0-9]+%|\?|inf)'
	fi
}

@test "--precision and --max-time refuse bad values in one line" {
	wb --precision 0
	assert_failure 2
	[ "$stderr" = "wakebench: --precision: 0: expected a percentage between 0.1 and 100" ]
	wb --max-time 10ms
	assert_failure 2
	[ "$stderr" = "wakebench: --max-time: 10ms: must be between 1s and 86400s" ]
}
