# Shared setup for the bats suite: every test runs the binary named by
# $WAKEBENCH (the normal build unless tests/run says otherwise) in its own
# scratch directory, with waits bounded by `timeout`.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

: "${WAKEBENCH:=$BATS_TEST_DIRNAME/../../wakebench}"

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

# wb ARGS...: run wakebench with a hard bound, stdout and stderr apart.
wb() {
	run --separate-stderr timeout -k 5 "${WB_TIMEOUT:-60}" "$WAKEBENCH" "$@"
}

# A short run: enough to measure, quick enough for CI.
SHORT=(-c 0 -d 200ms -n 1 --warmup 50ms -q)

# csv_rows FILE: data rows (not preamble, not header).
csv_rows() {
	grep -v '^#' "$1" | tail -n +2
}

# csv_col FILE NAME: the values of column NAME, one per line.
csv_col() {
	awk -F, -v name="$2" '
		/^#/ { next }
		!hdr { for (i = 1; i <= NF; i++) if ($i == name) c = i; hdr = 1; next }
		{ print $c }' "$1"
}

# completed: the run ended normally, with or without findings.  Tests
# about something other than the verdict use it: a loaded machine can
# starve the sockets (NET STARVED, exit 3) without that being their
# subject.
completed() {
	[ "$status" -eq 0 ] || [ "$status" -eq 3 ] ||
	    { echo "exit status $status: $stderr"; return 1; }
}
