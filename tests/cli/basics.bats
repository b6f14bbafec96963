#!/usr/bin/env bats
# The command-line contract: help, version, list, the default run.

load helper

@test "--help and -h print usage to stdout and exit 0" {
	wb --help
	assert_success
	assert_output --partial "usage: wakebench [run] [options]"
	[ -z "$stderr" ]
	wb -h
	assert_success
	assert_output --partial "--mechanism LIST"
}

@test "--help names every option and its limits" {
	wb --help
	for opt in mechanism wait poke drain preset producers rate burst \
	    connections net-rate msg-size duration trials warmup timeout \
	    pipe-size stall fault spawn pin cpus wide columns pm-qos sched no-counters trace-sched precision max-time baseline alpha csv percentiles json \
	    markdown plot plot-metric quiet verbose help version; do
		assert_output --partial -- "--$opt"
	done
	assert_output --partial "(1-4096)"
	assert_output --partial "(1ms-3600s)"
}

@test "--version and -V print the version to stdout and exit 0" {
	wb --version
	assert_success
	# the commit when built from a git checkout (the Makefile's git describe)
	assert_output --regexp '^wakebench [0-9]+\.[0-9]+\.[0-9]+( \(commit [0-9a-f]+(-dirty)?\))?$'
	wb -V
	assert_success
}

@test "list names every mechanism, wait, poke, drain and fault" {
	wb list
	assert_success
	for name in pipe eventfd eventfd-sem socketpair select poll epoll \
	    epoll-et always coalesce transition all once per-item none \
	    poke-first dequeue-first clear-after-dequeue blocking-write \
	    no-cloexec no-drain; do
		assert_line --regexp "^[ !] $name "
	done
}

@test "a sweep of 8 configurations ends with a summary per verdict and figure; 4 do not" {
	wb -m pipe,eventfd -w poll,epoll -P always,coalesce -c 0 -d 20ms -n 1 --warmup 0 -q
	assert_success
	assert_line --regexp '^summary of 8 configurations: [0-9]+ ok'
	assert_line --regexp '^  items/s +best [0-9.]+k? \([1-8] [a-z]+ .*\), worst [0-9.]+k? \([1-8] '
	assert_line --regexp '^  writes/item +best [0-9.]+ \([1-8] .*\), worst '
	# the counts add up: 8 configurations, each ok or with findings
	n=$(printf '%s\n' "$output" | sed -n 's/^summary of 8 configurations: \([0-9]*\) ok.*/\1/p')
	[ "$n" -le 8 ]
	wb -m pipe,eventfd -w poll,epoll -c 0 -d 20ms -n 1 --warmup 0 -q
	assert_success
	refute_output --partial "summary of"
}

@test "on a terminal the progress line says how long is left" {
	command -v script >/dev/null || skip "no script(1)"
	run timeout 60 script -qec "$WAKEBENCH -m pipe,eventfd -w poll,epoll -c 0 -d 20ms -n 2 --warmup 0" /dev/null
	assert_success
	[[ $output =~ \[trial\ 2/2\]\ [1-4]/4\ [a-z]+\ [a-z]+\ always\ all\ p4\;\ about\ [0-9]+s\ left ]] ||
	    fail "no time left in: $(printf '%s' "$output" | tr '\r' '\n' | grep trial | head -3)"
}
