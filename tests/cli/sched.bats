#!/usr/bin/env bats
# --sched: the main thread and the producers under a real-time policy,
# refused with the reason where not permitted, and a loop that spins under
# SCHED_FIFO still ends with its finding.

load helper

# nobody ARGS...: wakebench as user 65534, no groups, no capabilities.
nobody() {
	run --separate-stderr timeout -k 5 60 setpriv --reuid=65534 \
	    --regid=65534 --clear-groups "$WAKEBENCH" "$@"
}

# refused_sched WHY: exit 2, one line naming --sched and matching WHY,
# nothing on stdout, no output file.
refused_sched() {
	[ "$status" -eq 2 ] || { echo "exit $status: $stderr"; return 1; }
	[ -z "$output" ] || { echo "stdout: $output"; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "stderr: $stderr"; return 1; }
	[[ $stderr =~ ^wakebench:\ --sched:\ $1 ]] || { echo "$stderr"; return 1; }
	[ ! -e out.csv ]
}

@test "--sched fifo: the header, the CSV preamble and the JSON say so" {
	[ "$(id -u)" -eq 0 ] || skip "needs root (CAP_SYS_NICE, CAP_IPC_LOCK)"
	wb "${SHORT[@]}" -p 1 -r 1k -m eventfd --sched fifo:10 -o out.csv --json out.json
	completed
	assert_line --regexp '^realtime   SCHED_FIFO priority 10 for the main thread and producers \(watchdog 11\), memory locked; RT throttling (-?[0-9]+ us of every [0-9]+ us|off.*|unknown)$'
	grep -qx '# sched: fifo:10' out.csv
	grep -q '^# rt_throttling: ' out.csv
	grep -q '"sched": "fifo:10"' out.json
	grep -q '"sched_rt_runtime_us": ' out.json
}

@test "--sched other is the default and prints no realtime line" {
	wb "${SHORT[@]}" -p 1 -r 1k -m eventfd -o out.csv
	completed
	refute_line --regexp '^realtime'
	grep -qx '# sched: other' out.csv
}

@test "--sched refused as nobody: RLIMIT_MEMLOCK, before anything is written" {
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(id -u)" -eq 0 ] || skip "needs root to become nobody"
	[ "$(ulimit -l)" != unlimited ] || skip "RLIMIT_MEMLOCK is unlimited here"
	cd /tmp
	nobody "${SHORT[@]}" --sched fifo -o "$BATS_TEST_TMPDIR/out.csv"
	cd "$BATS_TEST_TMPDIR"
	refused_sched 'fifo:49: RLIMIT_MEMLOCK is [0-9]+ KiB: .*CAP_IPC_LOCK or ulimit -l unlimited$'
}

@test "--sched refused without CAP_SYS_NICE: RLIMIT_RTPRIO named" {
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(id -u)" -eq 0 ] || skip "needs root to drop the capability"
	[ "$(ulimit -r)" = 0 ] || skip "RLIMIT_RTPRIO is not 0 here"
	run --separate-stderr timeout -k 5 60 setpriv --bounding-set=-sys_nice \
	    --inh-caps=-sys_nice "$WAKEBENCH" "${SHORT[@]}" --sched rr:5 -o out.csv
	refused_sched 'rr:5: sched_setscheduler: Operation not permitted: .*RLIMIT_RTPRIO of at least 6 .*it is 0\)$'
}

@test "--sched: bad syntax is a usage error naming what is accepted" {
	for v in fifo:0 fifo:99 rr: other:1 deadline fifo:4x; do
		wb "${SHORT[@]}" --sched "$v" -o out.csv
		[ "$status" -eq 2 ] || { echo "$v: exit $status"; return 1; }
		[[ $stderr == "wakebench: --sched: $v: "* ]] || { echo "$stderr"; return 1; }
		[ ! -e out.csv ]
	done
}

@test "--sched fifo with a loop that spins on one CPU still ends, with its finding" {
	[ "$(id -u)" -eq 0 ] || skip "needs root (CAP_SYS_NICE, CAP_IPC_LOCK)"
	command -v taskset >/dev/null || skip "no taskset"
	# One CPU for all: the main thread spins at priority 49 (its waker
	# is never read and poll returns at once) beside producers of the
	# same priority.  Without the yield past the window they never reach
	# their end and the run never ends: timeout kills it (exit 124/137).
	run --separate-stderr timeout -k 5 60 taskset -c 0 "$WAKEBENCH" \
	    "${SHORT[@]}" -p 2 -m pipe --fault no-drain --sched fifo
	[ "$status" -eq 3 ] || { echo "exit $status: $stderr"; return 1; }
	assert_line --regexp 'BUSY LOOP main'
}
