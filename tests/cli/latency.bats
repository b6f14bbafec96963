#!/usr/bin/env bats
# Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause
# What the latencies count from (docs/DESIGN.md#wake-latency,
# #item-latency): a sparse schedule leaves the main thread asleep for
# 10 ms between items, so a latency that included the sleep would read
# milliseconds where a wakeup takes microseconds.

load helper

@test "wake latency counts from the poke, not from when the wait began" {
	wb -c 0 -m eventfd -p 1 -r 100 -t 50ms -d 1 -n 1 --warmup 50ms -q -o out.csv
	completed
	run csv_col out.csv wake_samples
	[ "$output" -gt 50 ]
	# 10 ms of sleep per wakeup; a wakeup, even on a loaded machine,
	# is far below 2 ms at the median.
	run csv_col out.csv wake_p50_ns
	[ "$output" -lt 2000000 ]
	run csv_col out.csv lat_p50_ns
	[ "$output" -lt 2000000 ]
}
