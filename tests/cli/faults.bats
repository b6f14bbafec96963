#!/usr/bin/env bats
# Each injected fault is caught (finding, exit 3); the same run without it
# is clean (exit 0).  Every run is bounded by the helper's timeout.

load helper

F=(-c 0 -d 1 -n 1 --warmup 100ms -q)

# finding COLUMN FILE: the column's values must all be > 0.
positive() {
	run csv_col "$2" "$1"
	[ "$status" -eq 0 ] || fail "$output"
	for v in "${lines[@]}"; do [ "${v%.*}" -gt 0 ]; done
}

zero() {
	run csv_col "$2" "$1"
	[ "$status" -eq 0 ] || fail "$output"
	for v in "${lines[@]}"; do [ "$v" = 0 ]; done
}

@test "poke-first loses wakeups; the same run without it is ok" {
	wb --fault poke-first -m pipe,eventfd "${F[@]}" -o out.csv
	assert_failure 3
	assert_line --regexp "pipe poll always all p4 +LOST WAKEUPS [0-9]+ \(max stranded"
	positive lost_wakeups out.csv
	wb -m pipe,eventfd "${F[@]}"
	assert_success
	# ok, perhaps with a note about the machine (producers behind).
	assert_line --regexp "pipe poll always all p4 +ok( \(.*\))?$"
}

@test "dequeue-first loses wakeups" {
	wb --fault dequeue-first -m eventfd "${F[@]}" -o out.csv
	assert_failure 3
	assert_output --partial "LOST WAKEUPS"
	positive lost_wakeups out.csv
}

@test "clear-after-dequeue loses wakeups under coalesce" {
	wb --fault clear-after-dequeue -P coalesce -m eventfd,pipe "${F[@]}" -o out.csv
	assert_failure 3
	positive lost_wakeups out.csv
}

@test "a lost wakeup strands an item for the wait timeout when traffic pauses" {
	wb --fault poke-first -m eventfd -p 1 -r 20 -t 20ms "${F[@]}" -o out.csv
	assert_failure 3
	run csv_col out.csv stranded_ns_max
	[ "$output" -ge 15000000 ]
}

@test "correct strategies stay clean over several seconds with 8 producers" {
	WB_TIMEOUT=120 wb -c 4 -p 8 -d 3 -n 1 --warmup 100ms -q \
	    -P always,coalesce,transition -m pipe,eventfd -o out.csv
	completed
	refute_output --partial "LOST WAKEUPS"
	zero lost_wakeups out.csv
	zero items_lost out.csv
	zero seq_errors out.csv
}

@test "blocking-write: producers block on a full pipe; without it EAGAIN, no blocking" {
	wb --fault blocking-write -m pipe,eventfd --pipe-size 4096 --stall 200ms "${F[@]}" -o out.csv
	assert_failure 3
	assert_line --regexp "pipe poll always all p4 +PRODUCERS BLOCKED [0-9]+ \(max"
	assert_line --regexp "eventfd poll always all p4 +ok( \(.*\))?$"
	run csv_col out.csv poke_blocked
	[ "${lines[0]}" -gt 0 ] && [ "${lines[1]}" = 0 ]
	run csv_col out.csv blocked_ns_total
	[ "${lines[0]}" -gt 0 ]
	wb -m pipe,eventfd --pipe-size 4096 --stall 200ms "${F[@]}" -o ok.csv
	assert_success
	run csv_col ok.csv poke_eagain
	[ "${lines[0]}" -gt 0 ] && [ "${lines[1]}" = 0 ]
	zero poke_blocked ok.csv
	run csv_col ok.csv waker_peak_bytes
	[ "${lines[0]}" = 4096 ]
}

@test "a deadlock is detected, broken, reported, and the run ends" {
	WB_TIMEOUT=30 wb --fault poke-under-lock,blocking-write -m pipe \
	    --pipe-size 4096 --stall 300ms "${F[@]}" -o out.csv
	assert_failure 3
	assert_output --partial "DEADLOCK"
	run csv_col out.csv deadlock
	assert_output 1
	zero items_lost out.csv
}

@test "no-cloexec: spawned children hold the waker; with CLOEXEC they do not" {
	wb --fault no-cloexec --spawn 2 -m pipe,eventfd,socketpair "${F[@]}" -o out.csv
	assert_failure 3
	assert_line --regexp "pipe poll always all p4 +LEAKED FDS 2"
	assert_line --regexp "eventfd poll always all p4 +LEAKED FDS 1"
	wb --spawn 2 -m pipe,eventfd,socketpair "${F[@]}" -o ok.csv
	assert_success
	zero leaked_fds ok.csv
}

@test "no-drain under a level-triggered wait is a busy loop" {
	wb --fault no-drain -m eventfd -w poll "${F[@]}" -o out.csv
	assert_failure 3
	assert_output --regexp "BUSY LOOP main [0-9]+% CPU \([0-9]+ wakeups in [0-9.]+ms idle, one per [0-9.]+[a-z]+ of its CPU"
	# more than one wakeup per millisecond of the idle phase, whatever
	# CPU share a loaded machine leaves the main thread
	run csv_col out.csv idle_wakeups
	[ "$output" -gt 20 ]
	wb -m eventfd -w poll "${F[@]}" -o ok.csv
	assert_success
	run csv_col ok.csv idle_wakeups
	[ "$output" -le 20 ]
}

@test "drain none under epoll-et is clean for eventfd" {
	wb -D none -w epoll-et -m eventfd "${F[@]}"
	assert_success
}

@test "coalesce and transition cut writes per item against always" {
	wb -P always,coalesce,transition -m eventfd -p 8 "${F[@]}" -o out.csv
	assert_success
	run csv_col out.csv writes_per_item
	[ "${lines[0]}" = "1.000" ]
	awk -v c="${lines[1]}" -v t="${lines[2]}" 'BEGIN { exit !(c < 0.9 && t < 0.9) }'
}

@test "spurious wakeups are counted for each drain policy" {
	wb -D all,once,per-item -m eventfd-sem -p 8 "${F[@]}" -o out.csv
	run csv_col out.csv spurious_wakeups
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[1]}" -gt 0 ]
}

@test "the README's poke-first example shows lost wakeups" {
	cmd=$(sed -n 's/^    \.\/wakebench \(--fault poke-first [^#]*\)#.*/\1/p' "$BATS_TEST_DIRNAME/../../README.md")
	[ -n "$cmd" ] || fail "no poke-first example in the README"
	# shorter than the README's, the same workload
	wb $cmd -n 2 -d 100ms --warmup 50ms -m eventfd
	assert_failure 3
	assert_line --regexp "eventfd poll always all p1 +LOST WAKEUPS [0-9]+"
}
