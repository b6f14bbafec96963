#!/usr/bin/env bats
# --trace-sched: each wakeup split by the kernel's sched tracepoints into
# wake_kernel, wake_sched and wake_return; refused with the reason where
# the kernel or the privileges do not allow it.

load helper

# can_trace: root, and tracefs where --trace-sched looks.
can_trace() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (or CAP_PERFMON)"
	[ -r /sys/kernel/tracing/events/sched/sched_waking/id ] ||
	    [ -r /sys/kernel/debug/tracing/events/sched/sched_waking/id ] ||
	    skip "no tracefs"
}

# refused_trace WHY: exit 2, one line naming --trace-sched and matching
# WHY, nothing on stdout, no output file.
refused_trace() {
	[ "$status" -eq 2 ] || { echo "exit $status: $stderr"; return 1; }
	[ -z "$output" ] || { echo "stdout: $output"; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "stderr: $stderr"; return 1; }
	[[ $stderr =~ ^wakebench:\ --trace-sched:\ $1 ]] || { echo "$stderr"; return 1; }
	[ ! -e "$BATS_TEST_TMPDIR/out.csv" ]
}

# sanitized: $WAKEBENCH is an ASan or TSan build.
sanitized() {
	grep -qa -e __asan_init -e __tsan_init "$WAKEBENCH"
}

# median FILE METRIC: the 0.5 row's value_ns of METRIC in a percentiles CSV.
median() {
	awk -F, -v m="$2" '!/^#/ && $7 == m && $8 == 0.5 { print $9 }' "$1"
}

@test "--trace-sched: every sample joined or counted, and the parts add up" {
	can_trace
	wb -c 0 -d 500ms -n 3 --warmup 50ms -q -p 1 -r 2k -m eventfd \
	    --trace-sched -o out.csv --percentiles p.csv
	completed
	# Every wakeup sample is either split or counted unjoined: none lost.
	joined=$(csv_col out.csv wake_joined)
	unjoined=$(csv_col out.csv wake_unjoined)
	samples=$(csv_col out.csv wake_samples)
	paste <(echo "$joined") <(echo "$unjoined") <(echo "$samples") |
	    while read -r j u s; do
		[ $((j + u)) -eq "$s" ] || { echo "$j + $u != $s"; exit 1; }
		# most are joined (up to 13 % were not on a loaded machine:
		# counted, never dropped); a joiner that fails outright
		# joins none
		[ "$j" -ge $((s * 2 / 3)) ] || { echo "joined $j of $s"; exit 1; }
	done
	for col in wake_kernel_p50_ns wake_sched_p50_ns wake_return_p50_ns trace_lost; do
		v=$(csv_col out.csv "$col")
		[[ "$(echo $v)" =~ ^[0-9]+( [0-9]+)*$ ]] || { echo "$col=$v"; return 1; }
	done
	# The medians of the parts add up to about the wake median (a median
	# of sums is not a sum of medians; the parts of each sample add up
	# exactly: tests/unit/test_tracesched.c).  Seen on a quiet machine:
	# 0.86-1.01 (0.887-0.888 in three runs of this very command), so the
	# bound is 0.8-1.2: a part counted twice (+0.4 here) or left out
	# (-0.25 at least) breaks it.  Not under a sanitizer: its slower
	# return path (0.76 seen under TSan) skews the parts apart.  On a
	# machine the run found CONTENDED the wakeups queue behind other
	# threads in two modes and the sum was seen at 0.66-0.88: there the
	# bound is 0.5-1.5.
	lo=0.8 hi=1.2
	if csv_col out.csv contended | grep -qx 1; then lo=0.5 hi=1.5; fi
	k=$(median p.csv wake_kernel) s=$(median p.csv wake_sched)
	r=$(median p.csv wake_return) w=$(median p.csv wake)
	[ -n "$k" ] && [ -n "$s" ] && [ -n "$r" ] && [ -n "$w" ]
	sanitized || awk -v k="$k" -v s="$s" -v r="$r" -v w="$w" \
	    -v lo="$lo" -v hi="$hi" 'BEGIN {
		q = (k + s + r) / w
		printf "kernel %d + sched %d + return %d = %.3f x wake %d\n", k, s, r, q, w
		exit !(q >= lo && q <= hi) }'
	# and the table under the main one says so
	wb -c 0 -d 200ms -n 1 --warmup 50ms -p 1 -r 1k -m eventfd --trace-sched -v
	completed
	assert_line --regexp '^wake parts \(--trace-sched'
	assert_line --regexp '^#  kernel p50   sched p50  return p50  kernel p99'
}

@test "without --trace-sched the parts are empty cells, and no table" {
	wb "${SHORT[@]}" -p 1 -r 1k -m eventfd -o out.csv --percentiles p.csv
	completed
	for col in wake_kernel_p50_ns wake_joined wake_unjoined trace_lost; do
		[ -z "$(csv_col out.csv "$col")" ] || { echo "$col not empty"; return 1; }
	done
	! grep -q ',wake_kernel,' p.csv
	refute_line --regexp '^wake parts'
}

@test "--trace-sched refused as nobody, naming tracefs or perf_event_paranoid" {
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(id -u)" -eq 0 ] || skip "needs root to become nobody"
	cd /tmp
	run --separate-stderr timeout -k 5 60 setpriv --reuid=65534 \
	    --regid=65534 --clear-groups "$WAKEBENCH" "${SHORT[@]}" --trace-sched \
	    -o "$BATS_TEST_TMPDIR/out.csv"
	cd "$BATS_TEST_TMPDIR"
	refused_trace '(/sys/kernel/(debug/)?tracing/events/sched/sched_waking/id: .+|perf_event_open sched tracepoints: .*perf_event_paranoid is -?[0-9]+\))$'
}

@test "--trace-sched refused as root without CAP_PERFMON and CAP_SYS_ADMIN" {
	can_trace
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 0 ] ||
	    skip "perf_event_paranoid allows everyone"
	run --separate-stderr timeout -k 5 60 setpriv \
	    --bounding-set=-perfmon,-sys_admin --inh-caps=-perfmon,-sys_admin \
	    "$WAKEBENCH" "${SHORT[@]}" --trace-sched -o out.csv
	refused_trace 'perf_event_open sched tracepoints: Permission denied \(needs root or CAP_PERFMON; kernel.perf_event_paranoid is [0-9]+\)$'
}
