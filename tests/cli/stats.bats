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
	wb "${Q[@]}" -m eventfd -n 6
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
	grep -q '^# config: .* baseline=1 alpha=0.05$' out.csv
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
