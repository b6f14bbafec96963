#!/usr/bin/env bats
# The benchmark yardstick (tests/bench): minimal.c builds with the
# project's flags and `tests/bench/run --smoke` runs both programs once.
# No timing is asserted here: `make bench` reports the ratios.

load helper

BENCH=$BATS_TEST_DIRNAME/../bench

@test "tests/bench/minimal.c builds clean and refuses bad options" {
	run cc -std=c11 -Wall -Wextra -Werror -pthread -D_GNU_SOURCE -O2 \
	    -o "$BATS_TEST_TMPDIR/minimal" "$BENCH/minimal.c"
	assert_success
	run "$BATS_TEST_TMPDIR/minimal" -p 0
	assert_failure 2
	run "$BATS_TEST_TMPDIR/minimal" -m nope
	assert_failure 2
}

@test "tests/bench/run --smoke runs wakebench and minimal once each" {
	run cc -std=c11 -Wall -Wextra -Werror -pthread -D_GNU_SOURCE -O2 \
	    -o "$BATS_TEST_TMPDIR/minimal" "$BENCH/minimal.c"
	assert_success
	run timeout -k 5 120 "$BENCH/run" --smoke "$WAKEBENCH" "$BATS_TEST_TMPDIR/minimal"
	assert_success
	assert_output --partial "smoke: ok"
	assert_line --regexp '^minimal: items_per_s=[0-9]+ items=[0-9]+ '
}
