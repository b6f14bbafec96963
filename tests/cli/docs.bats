#!/usr/bin/env bats
# The documentation matches the binary: every option of --help and every
# CSV column is in the man page, and the man page lints clean.

load helper

MAN="$BATS_TEST_DIRNAME/../../man/wakebench.1"

@test "every long option of --help is documented in the man page" {
	wb --help
	for o in $(printf '%s\n' "$output" | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
		grep -qE -- "(Fl Fl ${o#--}|${o})([^a-z0-9-]|$)" "$MAN" ||
		    { echo "not in the man page: $o"; return 1; }
	done
}

@test "every column of both CSV files is named in the man page" {
	wb -c 0 -d 50ms -n 1 --warmup 0 -q -m eventfd -o out.csv --percentiles p.csv
	for f in out.csv p.csv; do
		for col in $(grep -v '^#' "$f" | head -1 | tr ',' ' '); do
			grep -qE "(^|[ ,])$col( |,|\$)" "$MAN" ||
			    { echo "$f column not in the man page: $col"; return 1; }
		done
	done
}

@test "every mechanism, wait, policy, preset and fault is in the man page" {
	wb list
	for name in $(printf '%s\n' "$output" | sed -n 's/^[ !] \{1,2\}\([a-z][a-z0-9-]*\) .*/\1/p'); do
		grep -qE "^\.(It )?Cm( [^ ]+ ,)* $name( |\$)" "$MAN" ||
		    { echo "not in the man page: $name"; return 1; }
	done
}

@test "the man page lints clean" {
	run mandoc -Tlint -W warning "$MAN"
	assert_success
	assert_output ""
}

@test "usage lines are the man page's SYNOPSIS" {
	wb --help
	assert_line "usage: wakebench [run] [options]"
	assert_line "       wakebench probe [--json FILE]"
	assert_line "       wakebench compare [--alpha P] [--threshold PCT] [--markdown FILE] OLD NEW"
	assert_line "       wakebench list"
	assert_line "       wakebench completion bash|zsh"
	grep -q '^\.Cm completion$' "$MAN"
	grep -q '^\.Cm compare$' "$MAN"
	grep -q '^\.Cm probe$' "$MAN"
	grep -q '^\.Cm list$' "$MAN"
}

@test "--help, the README and the man page give the same exit statuses" {
	wb --help
	assert_output --partial "3 a problem found, 129/130/143"
	grep -q '3 a problem found, 129/130/143' "$BATS_TEST_DIRNAME/../../README.md"
	grep -q '^\.It 129, 130, 143$' "$MAN"
	# and none of them says 130/143 alone
	! grep -q '[^9]/130/143\| 130/143' "$BATS_TEST_DIRNAME/../../README.md"
}

@test "every --columns name is in the man page" {
	wb --columns nosuch
	assert_failure 2
	names=$(sed -n 's/.*; expected \(.*\), or all$/\1/p' <<<"$stderr" | tr -d ',')
	[ -n "$names" ] || fail "no names in: $stderr"
	for n in $names; do
		grep -qE "^\.Cm (.* )?$n( |\$)" "$MAN" || fail "column not in the man page: $n"
	done
}
