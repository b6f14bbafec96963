#!/usr/bin/env bats
# wakebench probe: every key, measured, with a plausible value.

load helper

@test "probe prints every documented key with a plausible value" {
	wb probe
	assert_success
	assert_line --regexp '^kernel: Linux [0-9]'
	assert_line --regexp '^cpus: [1-9][0-9]*$'
	assert_line --regexp '^clock_resolution_ns: [0-9]+$'
	assert_line --regexp '^pipe_capacity_bytes: [0-9]+$'
	assert_line --regexp '^pipe_max_size: [0-9]+$'
	assert_line --regexp '^socketpair_capacity_writes: [1-9][0-9]*$'
	assert_line --regexp '^eventfd: yes$'
	assert_line --regexp '^eventfd_semaphore: (yes|no)$'
	assert_line --regexp '^epoll_et_rearms_pipe: (yes|no)$'
	assert_line --regexp '^epoll_et_rearms_eventfd: (yes|no)$'
	assert_line --regexp '^fd_setsize: 1024$'
	assert_line --regexp '^nofile_limit: [0-9]+$'
	assert_line --regexp '^pipe_buf: 4096$'
	# measured: the pipe holds what F_GETPIPE_SZ says, at least 4 KiB
	cap=$(printf '%s\n' "$output" | sed -n 's/^pipe_capacity_bytes: //p')
	size=$(printf '%s\n' "$output" | sed -n 's/^pipe_default_size: //p')
	[ "$cap" -ge 4096 ] && [ "$cap" -eq "$size" ]
}

@test "probe --json writes the same facts as JSON" {
	wb probe --json facts.json
	assert_success
	python3 - <<'PY'
import json
d = json.load(open("facts.json"))
assert d["format"] == "wakebench-probe"
f = d["facts"]
for k in ["kernel", "cpus", "pipe_capacity_bytes", "socketpair_capacity_writes",
          "eventfd", "epoll_et_rearms_pipe", "fd_setsize", "nofile_limit", "pipe_buf"]:
    assert k in f, k
assert isinstance(f["pipe_capacity_bytes"]["value"], int)
PY
}

@test "probe refuses anything but --json FILE" {
	wb probe extra
	assert_failure 2
	[[ "$stderr" == *"probe: extra: unexpected argument"* ]]
}

@test "probe names the scheduler and idle counters it can read" {
	wb probe
	assert_success
	assert_line --regexp '^schedstat: (yes|no)$'
	assert_line --regexp '^sched_migrations: (yes|no)$'
	assert_line --regexp '^ipi_counts: (yes|no)$'
	assert_line --regexp '^cpuidle_states: [0-9]+$'
	assert_line --regexp '^perf_event_paranoid: (-?[0-9]+|unknown)$'
	assert_line --regexp '^sched_tracepoints: (yes|no: .+)$'
	assert_line --regexp '^sched_rt_runtime_us: -?[0-9]+$'
	assert_line --regexp '^mitigations: .+; vulnerable: .+$'
	n=$(printf '%s\n' "$output" | sed -n 's/^cpuidle_states: //p')
	[ "$(printf '%s\n' "$output" | grep -c '^cpuidle_state[0-9]: .* exit_latency_ns=[0-9]* target_residency_ns=[0-9]*$')" -eq "$n" ]
}

@test "probe: sched_tracepoints says yes as root, no with the reason as nobody" {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	command -v setpriv >/dev/null || skip "no setpriv"
	[ -r /sys/kernel/tracing/events/sched/sched_waking/id ] || skip "no tracefs"
	wb probe
	assert_success
	assert_line 'sched_tracepoints: yes'
	cd /tmp
	run --separate-stderr timeout -k 5 60 setpriv --reuid=65534 \
	    --regid=65534 --clear-groups "$WAKEBENCH" probe
	assert_success
	assert_line --regexp '^sched_tracepoints: no: .*(tracing|perf_event_paranoid).*$'
}

@test "every key probe prints is listed in the man page's probe entry" {
	wb probe
	assert_success
	# the .It Cm probe paragraph, up to the next subcommand
	doc=$(sed -n '/^\.It Cm probe$/,/^\.It Cm compare/p' "$BATS_TEST_DIRNAME/../../man/wakebench.1")
	for key in $(printf '%s\n' "$output" | sed -n 's/^\([a-z_0-9]*\): .*/\1/p' |
	    sed 's/^cpuidle_state[0-9][0-9]*$/cpuidle_stateK/' | sort -u); do
		printf '%s\n' "$doc" | grep -qE "^\.Va (.* )?$key( |\$)" ||
		    { echo "probe key not in the man page: $key"; return 1; }
	done
}
