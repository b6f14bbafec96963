#!/usr/bin/env bats
# The io_uring waits and the ring wakers: clean runs with socket traffic,
# each ordering fault caught, leaks found, and the main thread sleeping in
# io_uring_enter alone.  Skipped,
# with the reason, only where the kernel has io_uring disabled.

load helper

U=(-c 16 -d 300ms -n 1 --warmup 50ms -q)

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	local d
	d=$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)
	[ "$d" = 0 ] || skip "kernel.io_uring_disabled is $d"
}

zero() {
	run csv_col "$2" "$1"
	[ "$status" -eq 0 ] || fail "$output"
	for v in "${lines[@]}"; do [ "$v" = 0 ] || fail "$1: $v"; done
}

# clean: exit 0, or exit 3 where every finding is NET STARVED (a loaded
# machine leaving the clients' replies late, no waker at fault); the
# waker's own counts are checked by the caller.
clean() {
	[ "$status" -eq 0 ] && return 0
	[ "$status" -eq 3 ] || fail "exit $status: $stderr"
	local bad
	bad=$(printf '%s\n' "$output" | grep -E '^ +[0-9]+ +[a-z].* p[0-9]+ +[A-Z]' |
	    grep -v -E ' p[0-9]+ +(ok|NET STARVED)( |$)' || true)
	[ -z "$bad" ] || fail "findings: $bad"
}

some() {
	run csv_col "$2" "$1"
	[ "$status" -eq 0 ] || fail "$output"
	local v
	for v in "${lines[@]}"; do [ "${v%.*}" -gt 0 ] && return 0; done
	fail "$1: 0 in every row"
}

positive() {
	run csv_col "$2" "$1"
	[ "$status" -eq 0 ] || fail "$output"
	for v in "${lines[@]}"; do [ "${v%.*}" -gt 0 ] || fail "$1: $v"; done
}

@test "the descriptor wakers run clean under both io_uring waits with 16 connections" {
	wb -m pipe,eventfd,eventfd-sem,socketpair -w io_uring,io_uring-defer \
	    "${U[@]}" -o out.csv
	clean
	zero lost_wakeups_total out.csv
	zero items_lost out.csv
	zero seq_errors out.csv
	# Served: a row whose clients were starved (clean allows it) may
	# have none, the run as a whole must have answers.
	some net_requests out.csv
	zero net_errors out.csv
}

RING=eventfd-read,msg-ring,msg-ring-sync,futex

# eventfd-read under coalesce once reported LOST WAKEUPS here on a loaded
# machine: its readable() missed a count the kernel had already read into
# a posted, unreaped completion (tests/unit/test_uring.c, readable_posted).
@test "every ring waker x io_uring wait x poke policy runs clean with 16 connections" {
	WB_TIMEOUT=120 wb -m "$RING" -w io_uring,io_uring-defer \
	    -P always,coalesce,coalesce-lock,transition,handshake "${U[@]}" -o out.csv
	clean
	[ "$(csv_rows out.csv | wc -l)" -eq 40 ]
	zero lost_wakeups_total out.csv
	zero items_lost out.csv
	zero seq_errors out.csv
	zero pokes_unaccounted out.csv
	some net_requests out.csv
}

@test "each ordering fault is caught on each ring waker" {
	# 1 s each, no connections: a race window of 50 us needs a few
	# hundred chances on a slow (sanitized) build, as faults.bats gives.
	for f in poke-first dequeue-first "clear-after-dequeue -P coalesce"; do
		# shellcheck disable=SC2086
		wb --fault $f -m "$RING" -w io_uring,io_uring-defer -c 0 -d 1 -n 1 \
		    --warmup 100ms -q -o out.csv
		assert_failure 3
		[ "$(csv_rows out.csv | wc -l)" -eq 8 ]
		positive lost_wakeups_total out.csv
	done
}

@test "a ring waker's descriptor leaks to a --spawn child under no-cloexec" {
	wb -m "$RING" -w io_uring -c 0 -d 300ms -n 1 --warmup 50ms -q \
	    --fault no-cloexec --spawn 2 -o out.csv
	assert_failure 3
	for m in ${RING//,/ }; do
		assert_line --regexp "^ +[0-9]+ +$m io_uring always all p4 +LEAKED FDS"
	done
	wb -m "$RING" -w io_uring -c 0 -d 300ms -n 1 --warmup 50ms -q --spawn 2
	assert_success
}

@test "a ring waker under a wait without a ring is refused, naming both" {
	for w in select poll epoll epoll-et; do
		wb -m futex -w "$w" -d 100ms
		assert_failure 2
		[ "$stderr" = "wakebench: --mechanism: futex: completes in an io_uring ring: needs --wait io_uring or io_uring-defer, and $w has no ring" ]
		[ -z "$output" ]
	done
}

@test "poke-first and dequeue-first lose wakeups under io_uring" {
	wb --fault poke-first -m eventfd -w io_uring,io_uring-defer "${U[@]}" -o a.csv
	assert_failure 3
	positive lost_wakeups_total a.csv
	wb --fault dequeue-first -m pipe -w io_uring,io_uring-defer "${U[@]}" -o b.csv
	assert_failure 3
	positive lost_wakeups_total b.csv
}

@test "clear-after-dequeue loses wakeups under io_uring with coalesce" {
	wb --fault clear-after-dequeue -P coalesce -m eventfd \
	    -w io_uring,io_uring-defer "${U[@]}" -o out.csv
	assert_failure 3
	positive lost_wakeups_total out.csv
}

# main_calls TRACE: the system calls of the main thread (the traced
# process's own pid) in an strace -f -y log.
main_calls() {
	local pid
	pid=$(awk 'NR == 1 { print $1 }' "$1")
	awk -v p="$pid" '$1 == p { sub(/\(.*/, "", $2); print $2 }' "$1" | sort -u
}

# main_sleeps TRACE: the main thread's poll-family calls that could sleep
# on the loop's descriptors.  Allowed: a zero-timeout poll (a readiness
# check, not a wait) and the harness's poll on the client process's
# result pipe (before the schedule and after it).  A call strace split
# (<unfinished ...>) is judged by its first half.
main_sleeps() {
	local pid
	pid=$(awk 'NR == 1 { print $1 }' "$1")
	awk -v p="$pid" '
		$1 != p || $2 !~ /^(poll|ppoll|select|pselect6|epoll_[a-z0-9]+)\(/ { next }
		$2 ~ /^poll\(/ && /\[\{fd=[0-9]+<pipe:/ && /, 1, [0-9]+(\) +=| <unfinished)/ { next }
		$2 ~ /^poll\(/ && /, 0(\) +=| <unfinished)/ { next }
		{ print }' "$1"
}

@test "under io_uring the main thread sleeps in io_uring_enter, never in poll, epoll or select" {
	command -v strace >/dev/null || skip "strace is not installed"
	for w in io_uring io_uring-defer; do
		# LeakSanitizer cannot run under ptrace: an ASan build is
		# traced with its leak check off.
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		    run timeout -k 5 60 strace -f -y -o "trace.$w" \
		    -e trace=execve,io_uring_enter,poll,ppoll,select,pselect6,epoll_create1,epoll_ctl,epoll_wait,epoll_pwait,epoll_pwait2 \
		    "$WAKEBENCH" -m eventfd -w "$w" -r 1k -c 4 -d 300ms -n 1 -q
		# Traced, the threads crawl: a finding about the pace is not
		# this test's business, the calls are.
		completed
		run main_calls "trace.$w"
		assert_line io_uring_enter
		refute_line --regexp '^(select|pselect6|epoll_[a-z0-9]+)$'
		run main_sleeps "trace.$w"
		assert_output ""
	done
}

@test "a full pipe under io_uring blocks its producers: PRODUCERS BLOCKED" {
	# 50 ms stalls fill a 4 KiB pipe at 400k pokes/s; the write end
	# blocks (--fault blocking-write), as it does under epoll.
	wb -m pipe -w io_uring,io_uring-defer -c 0 -p 4 -r 100k \
	    --stall 50ms@100ms --pipe-size 4096 --fault blocking-write \
	    -d 500ms -n 1 --warmup 50ms -q -o out.csv
	assert_failure 3
	run csv_col out.csv findings
	[ "${#lines[@]}" -eq 2 ] || fail "rows: $output"
	for v in "${lines[@]}"; do
		[[ "$v" == *producers_blocked* ]] || fail "findings: $v"
	done
}

@test "a main thread that stalls overflows the completion queue: cq_overflow and the CQ OVERFLOW note, never a finding" {
	# Each 50 ms stall leaves 10k sends, one completion each, for a CQ
	# of 256 entries (with -c 0): far over it even with the producers
	# 10x behind schedule.  Under io_uring-defer most sends wait as task
	# work instead, and a poll-armed eventfd's wakeups are coalesced
	# while its completion is pending, so neither is asserted; under
	# poll there is no ring and the cells are empty.
	wb -m msg-ring -w io_uring,io_uring-defer -P always -c 0 -p 2 \
	    -r 100k --stall 50ms@100ms -d 300ms -n 1 --warmup 50ms -q -o out.csv
	assert_success
	assert_output --regexp '1 +msg-ring +io_uring +always .* ok( \([^)]*\))* \(CQ OVERFLOW: [1-9][0-9]* of [0-9]+ waits found the completion queue full'
	run csv_col out.csv cq_overflow
	[ "${lines[0]}" -gt 0 ] || fail "msg-ring io_uring: $output"
	[[ "${lines[1]}" =~ ^[0-9]+$ ]] || fail "msg-ring io_uring-defer: $output"
	zero cq_dropped out.csv
	wb -m eventfd -w poll -P always -c 0 -p 1 -r 1k -d 50ms -n 1 \
	    --warmup 10ms -q -o poll.csv
	completed
	run csv_col poll.csv cq_overflow
	[ "${lines[0]}" = "" ] || fail "poll: cq_overflow '${lines[0]}'"
	run csv_col poll.csv cq_dropped
	[ "${lines[0]}" = "" ] || fail "poll: cq_dropped '${lines[0]}'"
}
