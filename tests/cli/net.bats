#!/usr/bin/env bats
# The main thread serves loopback TCP while wakeups flow.

load helper

NET=(-d 300ms -n 1 --warmup 50ms -q -m eventfd)

@test "traffic flows under every wait: requests > 0, no errors" {
	wb "${NET[@]}" -c 8 -w select,poll,epoll,epoll-et -o out.csv
	completed
	run csv_col out.csv net_requests
	[ "${#lines[@]}" -eq 4 ]
	for v in "${lines[@]}"; do [ "$v" -gt 0 ]; done
	run csv_col out.csv net_errors
	for v in "${lines[@]}"; do [ "$v" -eq 0 ]; done
	run csv_col out.csv net_rtt_p50_ns
	for v in "${lines[@]}"; do [ "$v" -gt 0 ]; done
	run csv_col out.csv items_lost
	for v in "${lines[@]}"; do [ "$v" -eq 0 ]; done
}

@test "the table shows network round trips beside wakeup latency" {
	wb "${NET[@]}" -c 4 -w poll,epoll
	completed
	assert_output --partial "rtt p50"
	assert_output --partial "4 connections at 1k req/s each"
}

@test "-c 0 is the no-network baseline" {
	wb "${NET[@]}" -c 0 -o out.csv
	assert_success
	refute_output --partial "rtt p50"
	assert_output --partial "no connections"
	run csv_col out.csv net_requests
	assert_output 0
}

@test "select with more descriptors than FD_SETSIZE is refused, naming it" {
	wb -w select -c 2000 -o out.csv
	assert_failure 2
	[[ "$stderr" == *"--connections: 2000:"*"FD_SETSIZE (1024)"* ]]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[ ! -e out.csv ]
}

@test "more connections than RLIMIT_NOFILE allows is refused, naming both limits" {
	run --separate-stderr bash -c "ulimit -n 200; '$WAKEBENCH' -c 500 -o out.csv"
	assert_failure 2
	[[ "$stderr" == *"--connections: 500:"*"RLIMIT_NOFILE allows 200 (soft limit 200, raised to the hard limit 200)"* ]]
	[ ! -e out.csv ]
}

@test "5000 connections under epoll complete with every descriptor closed" {
	WB_TIMEOUT=120 wb -w epoll -m eventfd -c 5000 --net-rate 20 -d 500ms -n 1 -q -o out.csv
	completed
	run csv_col out.csv net_requests
	[ "$output" -gt 0 ]
	run csv_col out.csv fd_delta
	assert_output 0
	run csv_col out.csv items_lost
	assert_output 0
}

@test "no descriptor is left open across trials" {
	wb "${NET[@]}" -c 16 -n 3 -m pipe,socketpair -w poll,epoll -o out.csv
	completed
	run csv_col out.csv fd_delta
	[ "${#lines[@]}" -eq 12 ]
	for v in "${lines[@]}"; do [ "$v" -eq 0 ]; done
}

@test "the server listens on 127.0.0.1 only" {
	"$WAKEBENCH" -c 4 -d 2s -n 1 -q -m eventfd >/dev/null &
	pid=$!
	listeners=""
	for _ in $(seq 50); do
		sleep 0.1
		# our socket inodes, then their LISTEN (0A) rows in /proc/net/tcp*
		inodes=$(ls -l /proc/$pid/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]/\1/p')
		[ -n "$inodes" ] || continue
		listeners=$(for i in $inodes; do
			awk -v ino="$i" '$4 == "0A" && $10 == ino { print $2 }' \
			    /proc/net/tcp /proc/net/tcp6
		done)
		[ -n "$listeners" ] && break
	done
	wait $pid
	[ -n "$listeners" ]
	for l in $listeners; do
		[[ "$l" == 0100007F:* ]]
	done
}
