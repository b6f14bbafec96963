# Shared setup for the bats suite: every test runs the binary named by
# $WAKEBENCH (the normal build unless tests/run says otherwise) in its own
# scratch directory, with waits bounded by `timeout`.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

: "${WAKEBENCH:=$BATS_TEST_DIRNAME/../../wakebench}"
export WAKEBENCH

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

# bound: the hard bound of one wakebench run in seconds, WB_TIMEOUT (60
# unless a test sets it) times WB_TIMEOUT_SCALE: tests/run sets 3 for the
# sanitizer builds, which run several times slower, and slower still on
# a loaded machine.  The bound catches a hang; it is not a measurement.
bound() {
	echo $(("${WB_TIMEOUT:-60}" * "${WB_TIMEOUT_SCALE:-1}"))
}

# wb ARGS...: run wakebench with a hard bound, stdout and stderr apart.
wb() {
	run --separate-stderr timeout -k 5 "$(bound)" "$WAKEBENCH" "$@"
}

# A short run: enough to measure, quick enough for CI.
SHORT=(-c 0 -d 200ms -n 1 --warmup 50ms -q)

# csv_rows FILE: data rows (not preamble, not header).  Fails, saying
# so on stderr, when FILE has none: no test may pass on an empty CSV.
csv_rows() {
	local rows
	rows=$(grep -v '^#' "$1" | tail -n +2)
	[ -n "$rows" ] || { echo "csv_rows: $1: no data rows" >&2; return 1; }
	printf '%s\n' "$rows"
}

# csv_col FILE NAME: the values of column NAME, one per line.  Fails,
# saying so on stderr, when FILE has no such column or no data rows.
# (In `for v in $(csv_col ...)` that failure is lost: assign first.)
csv_col() {
	awk -F, -v name="$2" '
		/^#/ { next }
		!hdr {
			for (i = 1; i <= NF; i++) if ($i == name) c = i
			hdr = 1
			if (!c) { why = "no column " name; exit }
			next
		}
		{ print $c; rows++ }
		END {
			if (!why && !rows) why = "no data rows"
			if (why) { print "csv_col: " FILENAME ": " why > "/dev/stderr"; exit 1 }
		}' "$1"
}

# completed: the run ended normally, with or without findings.  Tests
# about something other than the verdict use it: a loaded machine can
# starve the sockets (NET STARVED, exit 3) without that being their
# subject.
completed() {
	[ "$status" -eq 0 ] || [ "$status" -eq 3 ] && return 0
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		echo "timed out: still running after $(bound) s (exit $status" \
		    "from timeout(1)); load average $(cut -d' ' -f1-3 /proc/loadavg)"
	else
		echo "exit status $status: $stderr"
	fi
	return 1
}
