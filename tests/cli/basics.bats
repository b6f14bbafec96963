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
	    pipe-size stall fault spawn pin pm-qos sched no-counters trace-sched precision max-time baseline alpha csv percentiles json \
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
		assert_line --regexp "^  $name "
	done
}
