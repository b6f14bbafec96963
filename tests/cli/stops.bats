#!/usr/bin/env bats
# Runs that must end, and end quickly, whatever the waker, the children
# or the signals do; memory bounded by design; a stopped or starved
# machine reported as such, never as the loop's finding.  Every wait is
# bounded, so a hang fails the test instead of stalling the suite.

load helper

# sanitized: an ASan or TSan build (no `ulimit -v`: they reserve
# terabytes of address space).
sanitized() {
	grep -qa -e __asan_init -e __tsan_init "$WAKEBENCH"
}

# wb_bg SECONDS ARGS...: start wakebench ARGS in the background, bounded
# by SECONDS, stdout in out.txt and stderr in err.txt; its own pid (not
# timeout's, whose -k would turn a slow stop into a SIGKILL) is in wb.pid
# once it runs.  `timeout` also gives it SIGINT back, which a background
# job of a script starts with ignored.
wb_bg() {
	rm -f wb.pid
	timeout -k 5 "$1" setsid bash -c 'echo $$ >wb.pid; exec "$0" "$@"' \
	    "$WAKEBENCH" "${@:2}" >out.txt 2>err.txt 3>&- &
	echo $! >bg.pid
	for _ in $(seq 200); do [ -s wb.pid ] && return 0; sleep 0.05; done
	return 1
}

# wb_wait: wait for the wakebench that wb_bg started; its status in st.
wb_wait() {
	wait "$(cat bg.pid)" && st=0 || st=$?
}

# proc_state PID: the process's threads by state, and where its main
# thread is: what a stop that hangs was doing.
proc_state() {
	local d=/proc/$1/task
	printf 'still running after 60 s, load average %s; threads by state:%s; main thread %s in %s, syscall %s' \
	    "$(cut -d' ' -f1-3 /proc/loadavg)" \
	    "$(cat "$d"/*/stat 2>/dev/null | awk '{ n[$3]++ } END { for (s in n) printf " %s %d", s, n[s] }')" \
	    "$(cut -d' ' -f3 "$d/$1/stat" 2>/dev/null)" "$(cat "$d/$1/wchan" 2>/dev/null)" \
	    "$(cut -d' ' -f1 "$d/$1/syscall" 2>/dev/null)"
}

# elapsed_since FILE: seconds since the date +%s.%N stored in FILE.
elapsed_since() {
	echo "$(date +%s.%N) - $(cat "$1")" | bc
}

# --- a blocking waker that fills and is never emptied -------------------

@test "a blocking socketpair never read under epoll-et ends the trial: PRODUCERS STUCK, exit 3" {
	# nginx's strategy on a socketpair: blocking writes, EPOLLET, never
	# read.  The buffer fills, every producer blocks for good while the
	# loop runs on; before the watchdog covered this it hung forever.
	WB_TIMEOUT=30 wb --preset nginx -m socketpair -c 0 -d 500ms -n 1 -q
	[ "$status" -eq 3 ] || fail "exit $status: $stderr"
	assert_output --partial "PRODUCERS STUCK"
}

@test "a blocking pipe never drained (--fault no-drain,blocking-write): the run ends, PRODUCERS STUCK" {
	WB_TIMEOUT=30 wb -m pipe --fault no-drain,blocking-write -r max -c 0 \
	    -d 1s -n 1 -q -o out.csv
	[ "$status" -eq 3 ] || fail "exit $status: $stderr"
	assert_output --partial "PRODUCERS STUCK"
	[ "$(csv_col out.csv stuck)" = 1 ]
	[[ $(csv_col out.csv findings) == *stuck* ]]
}

@test "-D none under epoll-et with a blocking pipe: the run ends, PRODUCERS STUCK" {
	WB_TIMEOUT=30 wb -m pipe -D none -w epoll-et --fault blocking-write \
	    -r max -c 0 -d 1s -n 1 -q
	[ "$status" -eq 3 ] || fail "exit $status: $stderr"
	assert_output --partial "PRODUCERS STUCK"
}

@test "SIGINT while every producer is blocked on a full waker: exit 130 at once, complete CSV" {
	# The main thread is in a long --stall, so the watchdog waits; the
	# waker is never drained, so the producers stay blocked after the
	# stop unless something empties it for them.
	wb_bg 60 -m pipe --fault no-drain,blocking-write -r max -c 0 -d 20s \
	    --stall 15s --warmup 0 -n 1 -q -o out.csv
	sleep 1.5
	date +%s.%N >sent.at
	if ! kill -INT "$(cat wb.pid)" 2>/dev/null; then
		# A starved main thread reached its stall a second late: the
		# watchdog rightly found the producers stuck first.
		wb_wait
		[ "$st" -eq 3 ] && grep -q "PRODUCERS STUCK" out.txt ||
		    fail "ended before the signal: exit $st: $(cat err.txt)"
		skip "the producers were stuck before the stall began"
	fi
	wb_wait
	[ "$st" -eq 130 ] || fail "exit $st: $(cat err.txt)"
	# Well under the 15 s stall: a bound, generous for a loaded machine.
	(( $(echo "$(elapsed_since sent.at) < 10" | bc) )) ||
	    fail "took $(elapsed_since sent.at) s to stop"
	[ "$(csv_col out.csv partial)" = 1 ]
	[ "$(csv_col out.csv items_lost)" = 0 ]
}

@test "--stall with a small blocking pipe: producers block during the stall, no PRODUCERS STUCK" {
	# Blocked for the whole planned stall and more is the stall's doing,
	# not a waker that is never emptied.
	WB_TIMEOUT=60 wb -m pipe --fault blocking-write --pipe-size 4k \
	    --stall 1500ms -c 0 -d 2s -n 1 -q -o out.csv
	completed
	[ "$(csv_col out.csv stuck)" = 0 ]
	[[ $output != *"PRODUCERS STUCK"* ]] || fail "$output"
}

# --- memory bounded by design ------------------------------------------

@test "item pools do not grow with --timeout: -p 16 -t 60s fits in 512 MiB of address space" {
	sanitized && skip "sanitizers reserve terabytes of address space"
	# Sized by rate x timeout, the pools took 1 GiB and 14 s to set up.
	run --separate-stderr bash -c 'ulimit -v 524288; exec timeout -k 5 60 "$0" "$@"' \
	    "$WAKEBENCH" -m pipe -p 16 -t 60s -c 0 -d 50ms -n 1 --warmup 0 -q -o out.csv
	completed
	[ "$(csv_col out.csv producers)" = 16 ]
}

@test "item pools do not grow with the rate: -p 16 -r 100M fits in 512 MiB" {
	sanitized && skip "sanitizers reserve terabytes of address space"
	run --separate-stderr bash -c 'ulimit -v 524288; exec timeout -k 5 60 "$0" "$@"' \
	    "$WAKEBENCH" -m pipe -p 16 -r 100000000 -c 0 -d 50ms -n 1 --warmup 0 -q
	completed
}

@test "-p 64 -t 60s: setup takes well under the window's worth of seconds (pools bounded)" {
	wb -m pipe -p 64 -t 60s -c 0 -d 50ms -n 1 --warmup 0 -q -o out.csv
	completed
	# 4 GiB and 95 s when pools grew with the timeout; 20 s is a bound
	# a loaded machine meets, not a benchmark.
	[ "$(csv_col out.csv setup_ns)" -lt 20000000000 ] ||
	    fail "setup took $(csv_col out.csv setup_ns) ns"
}

# --- spawning ----------------------------------------------------------

@test "--spawn 1000 -d 50ms: no spawning after the window; the verdict says how many ran" {
	# Spawning went on for 9 s after a 50 ms window.
	WB_TIMEOUT=30 wb -m pipe -c 0 -d 50ms -n 1 --warmup 0 -q --spawn 1000 \
	    -o out.csv
	completed
	local ran
	ran=$(csv_col out.csv spawned)
	[ "$ran" -ge 0 ] && [ "$ran" -le 1000 ]
	if [ "$ran" -lt 1000 ]; then
		assert_output --partial "(--spawn: $ran of 1000 children ran in the window"
	fi
}

@test "--spawn: a child that inherited an unrelated eventfd is no leak of ours" {
	# The child matches descriptors by number and name: every eventfd is
	# anon_inode:[eventfd], so a name alone would count this one.
	run --separate-stderr timeout -k 5 60 python3 -c '
import os, subprocess, sys
fd = os.eventfd(0, 0)          # inheritable: no EFD_CLOEXEC
os.set_inheritable(fd, True)
p = subprocess.run(sys.argv[1:], pass_fds=(fd,))
sys.exit(p.returncode)' "$WAKEBENCH" -m eventfd -c 0 -d 200ms -n 1 --warmup 0 \
	    -q --spawn 5 -o out.csv
	completed
	[ "$(csv_col out.csv leaked_fds)" = 0 ] || fail "$output"
	[[ $output != *"LEAKED FDS"* ]] || fail "$output"
}

@test "--spawn with --fault no-cloexec still finds our own eventfd" {
	WB_TIMEOUT=60 wb -m eventfd -c 0 -d 200ms -n 1 --warmup 0 -q \
	    --spawn 5 --fault no-cloexec -o out.csv
	[ "$status" -eq 3 ] || fail "exit $status: $stderr"
	[ "$(csv_col out.csv leaked_fds)" = 1 ]
}

@test "without /proc, --spawn is refused with the reason, exit 2; nothing written" {
	[ "$(id -u)" = 0 ] || skip "needs root for a mount namespace"
	sanitized && skip "the sanitizers' runtime needs /proc itself"
	command -v unshare >/dev/null || skip "no unshare"
	unshare -m true 2>/dev/null || skip "mount namespaces not allowed here"
	cp "$WAKEBENCH" ./wb.bin
	run --separate-stderr timeout -k 5 60 unshare -m --propagation private \
	    sh -c 'mount -t tmpfs none /proc && exec ./wb.bin "$@"' sh \
	    -m eventfd -c 0 -d 100ms -n 1 -q --spawn 3 --fault no-cloexec -o out.csv
	[ "$status" -eq 2 ] || fail "exit $status: $stderr"
	[[ $stderr == "wakebench: --spawn: 3: /proc/self/fd: "*"mount /proc" ]] ||
	    fail "$stderr"
	[ ! -e out.csv ]
}

# --- the client process stopped or starved -------------------------------

# client_pid: the client process of the wakebench in wb.pid (the child
# with more than one thread; a --spawn child has one).
client_pid() {
	local c st
	for _ in $(seq 100); do
		for c in $(cat /proc/"$(cat wb.pid)"/task/*/children 2>/dev/null); do
			read -r st <"/proc/$c/stat" || continue
			set -- ${st##*) }
			[ "${18}" -gt 1 ] && { echo "$c"; return 0; }
		done
		sleep 0.05
	done
	return 1
}

# stop_client DELAY: after DELAY seconds, SIGSTOP the client process,
# its pid in $c.  A child found before may have been a short-lived one
# (a sanitizer runtime's, or the fork before the client's exec): one
# that is gone by then is looked up again.
stop_client() {
	sleep "$1"
	for _ in $(seq 20); do
		c=$(client_pid) || fail "no client process"
		kill -STOP "$c" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "the client process $c would not stop"
}

@test "a client process stopped for 2 s: no NET STARVED finding, the verdict says the client did not run" {
	# 8 s: on a loaded machine this script can be held back for
	# seconds; in a 3 s run the client was gone before it was stopped
	# (CI, 1 run in 6 here beside a CI run: "no client process").
	wb_bg 60 -m pipe -c 4 -d 8s -n 1 --warmup 50ms -q -o out.csv
	local c
	c=$(client_pid) || fail "no client process"
	stop_client 0.5
	sleep 2
	kill -CONT "$c"
	wb_wait
	[[ $(cat out.txt) != *"NET STARVED"* ]] || fail "$(cat out.txt)"
	[ "$st" -eq 0 ] || [ "$st" -eq 3 ] || fail "exit $st: $(cat err.txt)"
	[ "$(csv_col out.csv client_stall_ns_max)" -ge 1000000000 ]
	grep -q "a client thread did not run for" out.txt ||
	    [ "$(csv_col out.csv net_timeouts)" = 0 ] || fail "$(cat out.txt)"
}

@test "a client process stopped for good: the run ends, exit 1 naming the client process" {
	# 3 s: on a loaded machine the client must still be there to stop
	# once it has been found (with 1 s it was gone, 1 run in 3).
	wb_bg 60 -m pipe -c 4 -d 3s -n 1 --warmup 50ms -q -o out.csv
	local c
	c=$(client_pid) || fail "no client process"
	stop_client 0.3
	wb_wait
	kill -KILL "$c" 2>/dev/null || true
	[ "$st" -eq 1 ] || fail "exit $st: $(cat err.txt)"
	grep -q "client process: stopped, no result 2 s after the run; killed" err.txt ||
	    fail "$(cat err.txt)"
}

# --- interrupts in every phase -----------------------------------------

@test "SIGINT while connecting 2000 connections: exit 130, no error message" {
	wb_bg 60 -m pipe -w epoll -c 2000 -d 2s -n 1 --warmup 0 -q -o out.csv
	sleep 0.3
	kill -INT "$(cat wb.pid)"
	wb_wait
	[ "$st" -eq 130 ] || fail "exit $st: $(cat err.txt)"
	[ ! -s err.txt ] || fail "stderr: $(cat err.txt)"
	! grep -q '^# error' out.csv || fail "$(cat out.csv)"
}

@test "SIGTERM between trials: the CSV does not claim a partial trial" {
	# A 1 ms trial per configuration, many of them: the signal lands
	# between trials or inside one; the note must match the rows.
	wb_bg 60 -m pipe,eventfd -c 0 -d 1ms --warmup 0 -n 1000 -q -o out.csv
	sleep 1
	kill -TERM "$(cat wb.pid)"
	wb_wait
	[ "$st" -eq 143 ] || fail "exit $st: $(cat err.txt)"
	if [ -z "$(csv_col out.csv partial | grep -x 1)" ]; then
		grep -q '^# interrupted: signal 15; between trials, none is partial' out.csv ||
		    fail "$(grep '^# interrupted' out.csv)"
	else
		grep -q '^# interrupted: signal 15; the last trial is partial' out.csv
	fi
}

@test "-p 4096: SIGTERM while the producer threads are created stops their creation, exit 143" {
	# Creation used to run with every signal blocked: the run went on
	# into its window and measured a partial trial.  Now the main thread
	# sees the signal at once and the trial never starts: no row.
	wb_bg 120 -m pipe -c 0 -p 4096 -d 5s -n 1 --warmup 0 -q -o out.csv
	local pid n=0 m=0
	pid=$(cat wb.pid)
	for _ in $(seq 2000); do
		n=$(ls "/proc/$pid/task" 2>/dev/null | wc -l)
		[ "$n" -gt 64 ] && break
		sleep 0.005
	done
	# Still growing: creating, not joining at the end (a starved
	# machine can hold this loop back for seconds).
	m=$(ls "/proc/$pid/task" 2>/dev/null | wc -l)
	[ "$n" -gt 64 ] && [ "$m" -gt "$n" ] && [ "$m" -lt 4000 ] ||
	    { kill -TERM "$pid"; wb_wait
	      skip "could not catch the run while its threads were created ($n, $m)"; }
	kill -TERM "$pid"
	wb_wait
	[ "$st" -eq 143 ] || fail "exit $st: $(cat err.txt)"
	[ -z "$(csv_rows out.csv)" ] || fail "a trial ran: $(csv_rows out.csv)"
	[ ! -s err.txt ] || fail "stderr: $(cat err.txt)"
}

@test "-p 4096: SIGTERM inside the window ends the run, exit 143, the trial partial" {
	# 4096 producers that keep waking up held the main thread and the
	# watchdog off both CPUs of a loaded machine for over a minute: the
	# producers now see the signal pending and end themselves.
	local pid state=
	wb_bg 120 -m pipe -c 0 -p 4096 -d 30s -n 1 --warmup 0 -q -o out.csv
	sleep 2
	pid=$(cat wb.pid)
	kill -TERM "$pid"
	# Should the stop hang, say where it was after 60 s.
	for _ in $(seq 600); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && state=$(proc_state "$pid")
	wb_wait
	[ "$st" -eq 143 ] || fail "exit $st: $(cat err.txt) $state"
	# Not the 30 s window: the exit status above came from the stop
	# (timeout(1) would have given 124 or 137 at 120 s).
	[ "$(csv_col out.csv partial)" = 1 ] || [ -z "$(csv_rows out.csv)" ]
}

@test "SIGTERM and SIGHUP blocked by the launcher are unblocked: the run still stops, exit 143" {
	# The signal mask survives exec; Python's and Java's launchers and
	# some supervisors leave signals blocked.
	WAKEBENCH=python3 wb_bg 60 -c 'import signal, os, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGHUP})
os.execv(sys.argv[1], sys.argv[1:])' "$WAKEBENCH" -m pipe -c 0 -d 20s -n 1 -q -o out.csv
	sleep 1.5
	kill -TERM "$(cat wb.pid)"
	wb_wait
	[ "$st" -eq 143 ] || fail "exit $st: $(cat err.txt)"
	[ "$(csv_col out.csv partial)" = 1 ]
}

@test "a symlink to /dev/null may be every output, as /dev/null may" {
	ln -s /dev/null null.link
	wb -m pipe -c 0 -d 50ms -n 1 --warmup 0 -q -o null.link --json null.link \
	    --percentiles /dev/null
	completed
	[ -L null.link ] && [ -c /dev/null ]
}

# in_memcg BYTES CMD...: run CMD in a new memory cgroup limited to BYTES
# (v1 or v2, whichever this machine has); status 200 when none can be made.
in_memcg() {
	local limit=$1 base cg
	shift
	[ "$(id -u)" = 0 ] || return 200
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		base=/sys/fs/cgroup$(awk -F: '$1 == 0 { print $3 }' /proc/self/cgroup)
		grep -qw memory "$base/cgroup.controllers" 2>/dev/null || return 200
		cg=$base/wbtest.$$
		mkdir "$cg" 2>/dev/null || return 200
		echo "$limit" >"$cg/memory.max" || { rmdir "$cg"; return 200; }
	else
		base=/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
		[ -d "$base" ] || return 200
		cg=$base/wbtest.$$
		mkdir "$cg" 2>/dev/null || return 200
		echo "$limit" >"$cg/memory.limit_in_bytes" || { rmdir "$cg"; return 200; }
	fi
	bash -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@"
	local st=$?
	for _ in 1 2 3 4 5; do rmdir "$cg" 2>/dev/null && break; sleep 0.2; done
	return $st
}

@test "in a 64 MiB memory cgroup: -p 4096 is refused with the figures, -p 256 fits" {
	sanitized && skip "sanitizers need far more memory than the program"
	run --separate-stderr in_memcg 64M timeout -k 5 60 "$WAKEBENCH" -m pipe \
	    -p 4096 -c 0 -d 100ms -n 1 -q -o out.csv
	[ "$status" -ne 200 ] || skip "no memory cgroup can be made here"
	[ "$status" -eq 2 ] || fail "exit $status: $stderr"
	[[ $stderr == "wakebench: --producers: 4096: needs at least "*"memory cgroup limit 64 MiB); lower -p" ]] ||
	    fail "$stderr"
	[ ! -e out.csv ]
	# Before, pools sized without regard to the limit: an OOM kill.
	run --separate-stderr in_memcg 64M timeout -k 5 60 "$WAKEBENCH" -m pipe \
	    -p 256 -c 0 -d 100ms -n 1 -q -o out.csv
	completed
	[ "$(csv_col out.csv producers)" = 256 ]
}
