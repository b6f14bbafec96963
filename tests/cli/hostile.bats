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
# function NAME.  Skips where /proc/PID/wchan names no function.
wait_wchan() {
	local w sp
	sleep 10 3>&- &
	sp=$!
	for _ in $(seq 100); do
		w=$(cat "/proc/$sp/wchan" 2>/dev/null)
		[ -n "$w" ] && [ "$w" != 0 ] && break
		sleep 0.05
	done
	kill "$sp"
	[ -n "$w" ] && [ "$w" != 0 ] ||
	    { kill "$1"; skip "/proc/PID/wchan shows no kernel function here"; }
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

# --- 3: RLIMIT_FSIZE ---------------------------------------------------

@test "RLIMIT_FSIZE: EFBIG names the output, exit 1, each file complete or absent, no temporary file" {
	# Nine configurations make a percentiles file far past 16 KiB.
	run --separate-stderr timeout -k 5 60 bash -c \
	    'ulimit -f 16; exec "$0" "$@"' "$WAKEBENCH" -c 0 -d 50ms -n 1 \
	    --warmup 0 -q -m pipe,eventfd,socketpair -w select,poll,epoll \
	    -o f.csv --json f.json --percentiles f.pct
	[ "$status" -eq 1 ] || fail "exit $status (153 is SIGXFSZ): $stderr"
	[[ $stderr == *"wakebench: --percentiles: f.pct: File too large"* ]] ||
	    fail "$stderr"
	[ ! -e f.pct ]
	run csv_ok f.csv
	assert_success
	[ ! -e f.json ] || json_ok f.json
	[ -z "$(temps)" ] || fail "left: $(temps)"
}

# --- 5, 21: outputs that alias -----------------------------------------

@test "two spellings of one output file are refused, naming both options" {
	local pair bad=""
	mkdir D
	printf 'old\n' >D/old.csv
	ln -s old.csv D/link.csv
	ln D/old.csv D/hard.csv
	for pair in "D/x.csv D/./x.csv" "D/old.csv D/../D/old.csv" \
	    "D/old.csv D/link.csv" "D/old.csv D/hard.csv" "D/x.csv ./D/x.csv"; do
		set -- $pair
		wb "${RUN[@]}" -o "$1" --json "$2"
		if [ "$status" -ne 2 ] || [ -n "$output" ] ||
		    [ "${#stderr_lines[@]}" -ne 1 ] ||
		    [[ $stderr != "wakebench: --json: $2: "*"--csv $1"* ]]; then
			bad+="-o $1 --json $2: exit $status: $stderr"$'\n'
		fi
	done
	[ -z "$bad" ] || fail "$bad"
	[ "$(cat D/old.csv)" = old ] && [ -L D/link.csv ]
	[ "$(ls -A D | tr '\n' ' ')" = "hard.csv link.csv old.csv " ]
}

@test "an output on standard output's file is written there in place, the table moved to stderr" {
	local path
	for path in /dev/stdout /dev/fd/1 /proc/self/fd/1 out.txt; do
		rm -f out.txt
		run --separate-stderr timeout -k 5 60 bash -c \
		    'exec "$0" "$@" >out.txt' "$WAKEBENCH" "${RUN[@]}" -o "$path"
		completed
		run csv_ok out.txt
		[ "$status" -eq 0 ] || fail "-o $path: $output"
		# The table was not lost: it went to stderr, as with -o -.
		[[ $stderr == *"#  mechanism  wait"* ]] || fail "-o $path: no table: $stderr"
	done
	# And with another output on stdout: refused, naming both.
	wb "${RUN[@]}" --json - -o /dev/stdout
	assert_failure 2
	[ -z "$output" ]
	[[ $stderr == "wakebench: --json: -: standard output"*"--csv /dev/stdout"* ]] ||
	    fail "$stderr"
}

@test "an output on standard error's file is refused, exit 2" {
	local path
	for path in /dev/stderr /dev/fd/2 err.txt; do
		run --separate-stderr timeout -k 5 60 bash -c \
		    'exec "$0" "$@" 2>err.txt' "$WAKEBENCH" "${RUN[@]}" --json "$path"
		[ "$status" -eq 2 ] || fail "--json $path: exit $status"
		[ -z "$output" ]
		[[ $(cat err.txt) == "wakebench: --json: $path: is standard error"* ]] ||
		    fail "--json $path: $(cat err.txt)"
	done
}

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
	[[ $stderr == "wakebench: --w: ambiguous option (--wait, --warmup, --wide)" ]] ||
	    fail "$stderr"
}

# --- 6, 7: symlinks, owners, modes, sticky directories -----------------

@test "a symlinked output: the target is replaced, keeping its owner and mode, the link stays" {
	[ "$(id -u)" = 0 ] || skip "needs root to give the target another owner"
	mkdir links other
	printf 'theirs\n' >other/f
	chown nobody other/f
	chmod 600 other/f
	ln -s ../other/f links/out.csv
	wb "${RUN[@]}" -o links/out.csv
	completed
	[ -L links/out.csv ] && [ "$(readlink links/out.csv)" = ../other/f ]
	[ "$(stat -c '%U %a' other/f)" = "nobody 600" ] ||
	    fail "now $(stat -c '%U %a' other/f)"
	run csv_ok other/f
	assert_success
	[ "$(ls -A other)" = f ]
}

@test "as another user: a file >would refuse (0444) is refused before the run, untouched" {
	as_nobody
	printf 'keep\n' >ro.csv
	chown nobody ro.csv
	chmod 444 ro.csv
	chmod 777 .
	nobody "${RUN[@]}" -o ro.csv
	[ "$status" -eq 1 ] || fail "exit $status: $stderr"
	[ -z "$output" ] || fail "refused only after the run"
	[ "$stderr" = "wakebench: --csv: ro.csv: Permission denied" ]
	[ "$(cat ro.csv)" = keep ] && [ "$(stat -c %a ro.csv)" = 444 ]
	[ "$(entries)" = ro.csv ]
}

@test "as another user: the replacement keeps the file's mode" {
	as_nobody
	chown nobody .
	printf 'old\n' >mine.csv
	chown nobody:nogroup mine.csv
	chmod 640 mine.csv
	nobody "${RUN[@]}" -o mine.csv
	completed
	[ "$(stat -c '%U %a' mine.csv)" = "nobody 640" ] ||
	    fail "now $(stat -c '%U %a' mine.csv)"
	run csv_ok mine.csv
	assert_success
}

@test "as another user: root's file in a sticky directory is refused before the run" {
	as_nobody
	chmod 1777 .
	printf 'root results\n' >r.csv
	chmod 666 r.csv
	nobody "${RUN[@]}" -o r.csv --json r.json
	[ "$status" -eq 1 ] || fail "exit $status: $stderr"
	[ -z "$output" ] || fail "refused only after the run: $stderr"
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "wakebench: --csv: r.csv: "*sticky* ]] || fail "$stderr"
	[ "$(cat r.csv)" = "root results" ] && [ "$(stat -c %U r.csv)" = root ]
	[ "$(entries)" = r.csv ]
}

# --- 9, 12, 15, 17, 18: signals -----------------------------------------

@test "SIGQUIT, SIGUSR1, SIGALRM mid-run: killed by it, no temporary file left" {
	local sig
	for sig in QUIT USR1 ALRM; do
		start_bg -c 4 -d 5s -n 1 --warmup 0 -q -m pipe -o out.csv \
		    --json out.json --percentiles p.csv
		wait_header
		kill -s "$sig" "$pid"
		[ "$(wait_rc)" -eq $((128 + $(kill -l "$sig"))) ] ||
		    fail "$sig: exit $(cat rc): $(cat err.txt)"
		[ -z "$(temps)" ] || fail "$sig left: $(temps)"
		rm -f rc
	done
}

@test "a signal ignored at start (nohup, a background job) stays ignored" {
	run --separate-stderr timeout -k 5 60 bash -c '
		trap "" HUP INT
		"$0" "$@" & pid=$!
		sleep 0.5
		kill -s HUP $pid; kill -s INT $pid
		wait $pid' "$WAKEBENCH" -c 0 -d 2s -n 1 --warmup 0 -q -m pipe -o out.csv
	completed
	run csv_ok out.csv
	assert_success
	[ "$(csv_col out.csv partial)" = 0 ]
}

@test "SIGTERM while writing a report: exit 143" {
	command -v python3 >/dev/null || skip "python3 is missing"
	# 130 KB of percentiles to a pipe nobody reads yet: the writer
	# blocks once the pipe is full, and the signal comes then.
	run python3 - "$WAKEBENCH" <<-'EOF'
	import fcntl, os, signal, subprocess, sys, termios, time, array
	p = subprocess.Popen([sys.argv[1], "-c", "0", "-d", "20ms", "-n", "1",
	    "--warmup", "0", "-q", "-m", "pipe,eventfd,socketpair",
	    "-w", "select,poll,epoll", "-p", "1,2", "--percentiles", "-"],
	    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
	buf = array.array("i", [0])
	for _ in range(600):
	    fcntl.ioctl(p.stdout.fileno(), termios.FIONREAD, buf)
	    if buf[0] >= 65536:
	        break
	    time.sleep(0.05)
	else:
	    p.kill(); sys.exit("the pipe never filled")
	p.send_signal(signal.SIGTERM)
	p.stdout.read()
	print(p.wait(timeout=30))
	EOF
	assert_output 143
}

@test "SIGTERM while opening a FIFO output nobody reads: exit 143, the other outputs complete" {
	mkfifo fifo
	start_bg "${RUN[@]}" -o out.csv --json fifo
	wait_wchan "$pid" wait_for_partner
	kill -s TERM "$pid"
	[ "$(wait_rc)" -eq 143 ] || fail "exit $(cat rc): $(cat err.txt)"
	[ ! -s err.txt ] || fail "$(cat err.txt)"
	[ -p fifo ]
	run csv_ok out.csv
	assert_success
	[ -z "$(temps)" ]
}

@test "probe: SIGINT while its --json FIFO waits for a reader: exit 130, nothing written" {
	mkfifo fifo
	start_bg probe --json fifo
	wait_wchan "$pid" wait_for_partner
	kill -s INT "$pid"
	[ "$(wait_rc)" -eq 130 ] || fail "exit $(cat rc): $(cat err.txt)"
	[ -p fifo ]
	[ "$(entries | tr '\n' ' ')" = "err.txt fifo out.txt rc wb.pid " ]
}

# --- 19, 20: standard output closed or failing --------------------------

@test "stdout closed (>&-): every command says Bad file descriptor, exit 1" {
	local args bad=""
	for args in "${RUN[*]} -o -" "${RUN[*]} -o out.csv" list --help --version \
	    probe "probe --json -"; do
		run --separate-stderr bash -c 'exec "$0" "$@" >&-' "$WAKEBENCH" $args
		[ "$status" -eq 1 ] && [[ $stderr == *"Bad file descriptor"* ]] ||
		    bad+="$args >&-: exit $status: $stderr"$'\n'
	done
	[ -z "$bad" ] || fail "$bad"
	# A file output is still written, and holds no table.
	run csv_ok out.csv
	assert_success
}

@test "probe: a stdout write error is reported; a hostile --json path is escaped" {
	run --separate-stderr bash -c 'exec "$0" probe >/dev/full' "$WAKEBENCH"
	assert_failure 1
	[[ $stderr == "wakebench: stdout: No space left on device" ]] || fail "$stderr"
	wb probe --json $'nodir/\e[31mx\ny.json'
	assert_failure 1
	[ "${#stderr_lines[@]}" -eq 1 ] || fail "$stderr"
	[[ $stderr == 'wakebench: --json: nodir/\x1b[31mx\ny.json: No such file or directory' ]] ||
	    fail "$stderr"
}

# --- 22: RLIMIT_STACK ----------------------------------------------------

@test "RLIMIT_STACK too small: refused with the limit and the need, exit 1" {
	local s
	# A clean environment: its strings take stack too, and below about
	# 16 KiB the process may die before main.
	for s in 20 26; do
		run --separate-stderr timeout -k 5 60 env -i bash -c \
		    'ulimit -s "$1"; exec "$0" "${@:2}"' "$WAKEBENCH" "$s" \
		    "${RUN[@]}" -o out.csv
		[ "$status" -eq 1 ] || fail "ulimit -s $s: exit $status (139 is SIGSEGV)"
		[[ $stderr == "wakebench: RLIMIT_STACK: $s KiB: too small; "*"needs at least"* ]] ||
		    fail "$stderr"
		[ -z "$output" ] && [ -z "$(entries)" ]
	done
	# At the need, the deepest path runs: every output, nine
	# configurations, a finding per trial line.
	grep -qa -e __asan_init -e __tsan_init "$WAKEBENCH" &&
	    skip "sanitizer frames are larger than the measured need"
	run --separate-stderr timeout -k 5 60 bash -c \
	    'ulimit -s 48; exec "$0" "$@"' "$WAKEBENCH" -c 4 -d 50ms -n 1 \
	    --warmup 0 -v --fault poke-first -m pipe,eventfd,socketpair \
	    -w select,poll,epoll-et -o out.csv --json out.json --percentiles p.csv
	[ "$status" -eq 3 ] || [ "$status" -eq 0 ] || fail "exit $status: $stderr"
	run csv_ok out.csv
	assert_success
}
