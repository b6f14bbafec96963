#!/usr/bin/env bats
# A hostile environment: resource limits (RLIMIT_FSIZE, RLIMIT_STACK),
# output paths that alias each other, standard output or standard error,
# symlinks to other users' files, files that cannot be replaced, signals
# nobody expects, inherited ignored signals, closed descriptors, FIFOs
# without a reader.  The contract: bad input is exit 2 with one line,
# runtime failures exit 1 with a message, interrupted runs 128+signal,
# every output complete or absent, no temporary file left.

load helper

RUN=(-c 0 -d 100ms -n 1 --warmup 0 -q -m pipe)

# entries: what is in the test's directory, hidden files included, but
# for bats's own stderr files.
entries() {
	ls -A | grep -v '^separate-stderr-' || true
}

# temps: the temporary files left in the test's directory.
temps() {
	entries | grep 'wakebench-' || true
}

# csv_ok FILE: a preamble of `#` lines, one header, rows of its width,
# the last line ended.
csv_ok() {
	[ -s "$1" ] && [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] ||
	    { echo "$1: empty or not ended by a newline"; return 1; }
	awk -F, '
		/^#/ { if (hdr) { print FILENAME ": # line after the header"; bad = 1 }; next }
		!hdr { hdr = 1; nf = NF
			if ($1 != "config") { print FILENAME ": header " $0; bad = 1 }
			next }
		NF != nf { print FILENAME ": row " NR " has " NF " fields, not " nf; bad = 1 }
		END { if (!hdr) { print FILENAME ": no header"; bad = 1 }; exit bad }' "$1"
}

json_ok() {
	python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$1"
}

# as_nobody: skip unless root with setpriv; then make $PUB, a directory
# that nobody can reach, and go there.
as_nobody() {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null ||
	    skip "needs root and setpriv to run as another user"
	PUB=$(mktemp -d /tmp/wakebench-hostile.XXXXXX)
	chmod 755 "$PUB"
	cd "$PUB"
}

teardown() {
	[ -z "${PUB:-}" ] || rm -rf "$PUB"
}

# nobody ARGS...: wakebench ARGS as user nobody, bounded.
nobody() {
	run --separate-stderr timeout -k 5 60 setpriv --reuid=nobody \
	    --regid=nogroup --clear-groups "$WAKEBENCH" "$@"
}

# start_bg ARGS...: wakebench ARGS in the background (no core dumps),
# stdout and stderr to out.txt and err.txt; its pid in $pid (and wb.pid),
# its exit status in the file rc once it is done.
start_bg() {
	rm -f rc wb.pid
	( ulimit -c 0
	  st=0
	  timeout -k 5 60 bash -c 'echo $$ >wb.pid; exec "$0" "$@"' \
	      "$WAKEBENCH" "$@" >out.txt 2>err.txt || st=$?
	  echo "$st" >rc ) 3>&- &
	for _ in $(seq 200); do [ -s wb.pid ] && break; sleep 0.05; done
	pid=$(cat wb.pid)
}

# wait_header: wait (10 s at most) until the run's header is out: the
# outputs are checked (and, before the fix, were opened) by then.
wait_header() {
	for _ in $(seq 200); do
		[ -s out.txt ] && return 0
		sleep 0.05
	done
	echo "no header"
	return 1
}

# wait_wchan PID NAME: wait (10 s at most) until PID sleeps in the kernel
# function NAME.
wait_wchan() {
	for _ in $(seq 200); do
		[ "$(cat "/proc/$1/wchan" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.05
	done
	echo "pid $1 never reached $2"
	return 1
}

# wait_rc: the exit status of start_bg's command (10 s at most).
wait_rc() {
	for _ in $(seq 200); do
		[ -s rc ] && { cat rc; return 0; }
		sleep 0.05
	done
	echo "no exit"
}

# --- 21: /dev/null, option prefixes --------------------------------

@test "/dev/null may be every output at once" {
	wb "${RUN[@]}" -o /dev/null --json /dev/null --percentiles /dev/null
	completed
	[ -c /dev/null ]
	[ -z "$(entries)" ]
}

@test "an ambiguous option prefix is called ambiguous, with its candidates" {
	local opt
	for opt in --w --d --p; do
		wb "$opt" 1
		assert_failure 2
		[ -z "$output" ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[[ $stderr == "wakebench: $opt: ambiguous option (--"* ]] || fail "$stderr"
	done
	[[ $stderr == *--producers* && $stderr == *--percentiles* ]]
	wb --w=1
	[[ $stderr == "wakebench: --w: ambiguous option (--wait, --warmup)" ]] ||
	    fail "$stderr"
}
