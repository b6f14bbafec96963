#!/usr/bin/env bats
# Hostile input and resource limits: random argument vectors, output paths
# that cannot be written, signals mid-run, descriptor, thread and memory
# limits, a stdout that goes away, and valgrind (wakebench(1), EXIT
# STATUS: an interrupted run leaves complete output files).
# core.bats has the plain SIGINT/SIGTERM runs; these are the harder cases.

load helper

# A short run with every output file.
RUN=(-c 0 -d 100ms -n 1 --warmup 0 -q -m pipe)
OUTS=(-o out.csv --json out.json --percentiles p.csv)

# sanitized: $WAKEBENCH is an ASan or TSan build (no valgrind, no
# `ulimit -v`: the sanitizers reserve terabytes of address space).
sanitized() {
	grep -qa -e __asan_init -e __tsan_init "$WAKEBENCH"
}

# entries: what is in the test's directory, hidden files included, but
# for bats's own stderr files.
entries() {
	ls -A | grep -v '^separate-stderr-' || true
}

# json_ok FILE [PYTHON-ASSERTION]: FILE parses as UTF-8 JSON (and the
# assertion on `d` holds).
json_ok() {
	python3 -c '
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
assert eval(sys.argv[2]), sys.argv[2]' "$1" "${2:-True}"
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

# in_bg SECONDS ARGS...: run wakebench ARGS in its own session (so that a
# signal can go to its whole process group, as Ctrl-C does), bounded by
# SECONDS; its pid is in wb.pid as soon as it starts.  Sets status,
# output, stderr, like wb.
in_bg() {
	local limit=$1
	shift
	run --separate-stderr timeout -k 5 "$limit" setsid bash -c \
	    'echo $$ >wb.pid; exec "$0" "$@"' "$WAKEBENCH" "$@"
}

# ours PID: PID is still the wakebench that in_bg started (the leader of
# its own session, running $WAKEBENCH), not a process that took the
# number over after it exited.
ours() {
	[ "$(awk '{ print $6 }' "/proc/$1/stat" 2>/dev/null)" = "$1" ] &&
	    tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | head -n 1 |
	    grep -qxF "$WAKEBENCH"
}

# signal_after SECONDS SIG [group]: send SIG to the wakebench that in_bg
# starts, or to its process group, SECONDS from now.
signal_after() {
	(
		for _ in $(seq 100); do [ -s wb.pid ] && break; sleep 0.05; done
		sleep "$1"
		ours "$(cat wb.pid)" || exit 0
		if [ "${3:-}" = group ]; then
			kill -s "$2" -- "-$(cat wb.pid)"
		else
			kill -s "$2" "$(cat wb.pid)"
		fi
	) >/dev/null 2>&1 3>&- &
}

# no_survivors: no process of the run (the client child, spawned
# children) outlived it.  Names and kills any that did.
no_survivors() {
	local pid left=""
	[ -s wb.pid ] || return 0
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		left=$(ps -e -o pid=,sid=,stat= |
		    awk -v s="$(cat wb.pid)" '$2 == s && $3 !~ /^Z/ { print $1 }')
		[ -z "$left" ] && return 0
		sleep 0.2
	done
	for pid in $left; do kill -KILL "$pid" 2>/dev/null; done
	echo "left running: $(ps -o pid=,args= -p "${left//$'\n'/,}")"
	return 1
}

# epipe ARGS...: run wakebench with stdout a pipe whose reader is gone;
# exit status as the shell gives it (128 + N when killed by signal N).
epipe() {
	python3 - "$WAKEBENCH" "$@" <<-'EOF'
	import os, subprocess, sys
	r, w = os.pipe()
	os.close(r)
	p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE,
	                   timeout=60)
	sys.stderr.buffer.write(p.stderr)
	sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)
	EOF
}

# --- hostile arguments -------------------------------------------------

@test "argfuzz: 200 random hostile argument vectors, no crash, hang or broken contract" {
	command -v python3 >/dev/null || skip "python3 is missing"
	run timeout -k 5 600 "$BATS_TEST_DIRNAME/../fuzz/argfuzz" -n 200 -j 2 \
	    -b "$WAKEBENCH" ${ARGFUZZ_SEED:+-s "$ARGFUZZ_SEED"}
	[ "$status" -eq 0 ] || fail "$output"
	assert_line --regexp '^argfuzz: seed [0-9]+, 200 vectors'
	assert_line '200 passed, 0 failed'
}

# --- output paths ------------------------------------------------------

@test "-o/--json/--percentiles /dev/full: exit 1 naming it, still a device, the table printed" {
	local opt
	for opt in -o --json --percentiles; do
		wb "${RUN[@]}" "$opt" /dev/full
		[ "$status" -eq 1 ] || fail "$opt /dev/full: exit $status: $stderr"
		[[ $stderr == *"/dev/full"* ]] || fail "$opt: message: $stderr"
		[ -c /dev/full ] || fail "$opt replaced /dev/full"
		# The run itself went through: the table is on stdout.
		assert_line --regexp '^ *# +mechanism +wait'
		assert_line --regexp '^ +1 +pipe poll always all p4 +ok'
	done
	# Through a symlink: the link and the device both stay.
	ln -s /dev/full full
	wb "${RUN[@]}" -o full
	[ "$status" -eq 1 ] || fail "-o full: exit $status"
	[[ $stderr == *full* ]]
	[ -L full ] && [ "$(readlink full)" = /dev/full ] && [ -c /dev/full ]
	[ "$(entries)" = full ]
}

@test "one output on /dev/full: the others are still complete, no temporary file left" {
	wb "${RUN[@]}" -o out.csv --json /dev/full --percentiles p.csv
	[ "$status" -eq 1 ] || fail "exit $status: $stderr"
	[[ $stderr == *"/dev/full"* ]]
	run csv_ok out.csv
	assert_success
	run csv_ok p.csv
	assert_success
	[ "$(entries | tr '\n' ' ')" = "out.csv p.csv " ] ||
	    fail "left: $(entries | tr '\n' ' ')"
}

@test "-o /dev/null: written in place, exit 0, /dev/null still a device" {
	wb "${RUN[@]}" -o /dev/null --json /dev/null
	# Two outputs on one device may be refused as the same file; either
	# way /dev/null must stay.
	[ "$status" -eq 0 ] || [ "$status" -eq 2 ] || fail "exit $status: $stderr"
	[ -c /dev/null ]
	wb "${RUN[@]}" -o /dev/null
	assert_success
	[ -c /dev/null ]
	[ -z "$(entries)" ]
}

# uncreatable OPT PATH: why `wakebench OPT PATH` (with an existing file as
# another output) broke the contract for a path it cannot create, or
# nothing.  It makes old.csv, afile and adir, and checks they stay.
uncreatable() {
	local opt=$1 path=$2 before
	printf 'old results\n' >old.csv
	printf 'a file\n' >afile
	mkdir -p adir
	before=$(entries | tr '\n' ' ')
	# The other output names a file that exists: it must stay.
	if [ "$opt" = -o ]; then
		wb "${RUN[@]}" --json old.csv "$opt" "$path"
	else
		wb "${RUN[@]}" -o old.csv "$opt" "$path"
	fi
	if [ "$status" -ne 1 ]; then
		echo "exit $status, not 1: $stderr"
	elif [ "${#stderr_lines[@]}" -ne 1 ] || [[ $stderr != wakebench:* ]]; then
		echo "not one wakebench: line: $stderr"
	elif [[ $stderr != *"${path:0:40}"* ]]; then
		echo "does not name the file: $stderr"
	elif [ -n "$output" ]; then
		echo "refused only after the run: $stderr"
	elif [ "$(entries | tr '\n' ' ')" != "$before" ] || [ -n "$(ls -A adir)" ]; then
		echo "left $(entries | tr '\n' ' ') adir: $(ls -A adir)"
	elif [ "$(cat old.csv)" != "old results" ] || [ "$(cat afile)" != "a file" ]; then
		echo "changed an existing file"
	fi
}

@test "an output path that cannot be created: exit 1 naming it, before the run, nothing left" {
	# Root ignores directory permissions, so: a missing directory, a
	# parent that is a regular file, a directory as the target, and
	# names too long for the file system.
	local long opt path why bad=""
	long=$(printf 'x%.0s' {1..300})
	for opt in -o --json --percentiles; do
		for path in nodir/x.csv afile/x.csv adir adir/ "$long" \
		    "adir/$long" nodir/ afile/; do
			why=$(uncreatable "$opt" "$path")
			[ -z "$why" ] || bad+="$opt ${path:0:40}: $why"$'\n'
		done
	done
	[ -z "$bad" ] || fail "$bad"
}

# --- signals -----------------------------------------------------------

@test "SIGTERM with connections: exit 143, the partial trial marked, files complete, client gone" {
	# The signal must land once the first trial began (before it, no
	# trial is partial: the run was stopped before it measured): 1 s,
	# 3 s under a sanitizer (WB_TIMEOUT_SCALE), into a 10 s trial.
	signal_after "${WB_TIMEOUT_SCALE:-1}" TERM
	in_bg 60 -c 4 -d 10s -n 2 --warmup 50ms -q -m pipe "${OUTS[@]}"
	[ "$status" -eq 143 ] || fail "exit $status: $stderr"
	no_survivors
	run csv_ok out.csv
	assert_success
	run csv_ok p.csv
	assert_success
	[ "$(csv_col out.csv partial | tail -n 1)" = 1 ]
	json_ok out.json 'd["interrupted"] is True'
	[ "$(entries | tr '\n' ' ')" = "out.csv out.json p.csv wb.pid " ] ||
	    fail "left: $(entries | tr '\n' ' ')"
}

@test "SIGTERM during the warmup: exit 143, that trial marked partial, files complete" {
	signal_after 0.3 TERM
	in_bg 60 -c 0 -d 5s -n 2 --warmup 3s -q -m pipe "${OUTS[@]}"
	[ "$status" -eq 143 ] || fail "exit $status: $stderr"
	run csv_ok out.csv
	assert_success
	[ "$(csv_col out.csv partial | tail -n 1)" = 1 ]
	json_ok out.json 'd["interrupted"] is True'
	run csv_ok p.csv
	assert_success
}

@test "SIGTERM twice: still exit 143 with complete files" {
	(
		for _ in $(seq 100); do [ -s wb.pid ] && break; sleep 0.05; done
		sleep 1
		ours "$(cat wb.pid)" && kill -TERM "$(cat wb.pid)"
		sleep 0.02
		ours "$(cat wb.pid)" && kill -TERM "$(cat wb.pid)"
	) >/dev/null 2>&1 3>&- &
	in_bg 60 -c 4 -d 5s -n 2 --warmup 50ms -q -m pipe "${OUTS[@]}"
	[ "$status" -eq 143 ] || fail "exit $status: $stderr"
	no_survivors
	run csv_ok out.csv
	assert_success
	json_ok out.json 'd["interrupted"] is True'
}

# int_while_spawned: Ctrl-C (SIGINT to the whole process group) while a
# --spawn child of the wakebench that in_bg starts is alive, or after 5 s
# in any case.  The child is stopped first, so that it is surely alive
# when the SIGINT comes; it dies of it when continued.
int_while_spawned() {
	(
		for _ in $(seq 100); do [ -s wb.pid ] && break; sleep 0.05; done
		local pid c st end=$((SECONDS + 5))
		pid=$(cat wb.pid)
		sleep 0.5
		ours "$pid" || exit 0
		while [ "$SECONDS" -lt "$end" ] && [ -d "/proc/$pid" ]; do
			for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
				# One thread: a spawned child, not the client
				# process (its threads send the requests).
				read -r st <"/proc/$c/stat" || continue
				set -- ${st##*) }
				[ "${18}" = 1 ] && kill -s STOP "$c" || continue
				kill -s INT -- "-$pid"
				kill -s CONT "$c"
				exit 0
			done
		done
		ours "$pid" && kill -s INT -- "-$pid"
	) >/dev/null 2>&1 3>&- &
}

@test "SIGINT to the whole process group (Ctrl-C) with --spawn and connections: exit 130, quietly" {
	local try
	# Three times: whether the tool trips over the child it lost is also
	# a race of its own threads.
	for try in 1 2 3; do
		rm -f wb.pid
		int_while_spawned
		# 1000 children over the 5 s trial, so that one is running.
		in_bg 60 -c 4 -d 5s -n 2 --warmup 50ms -q -m pipe --spawn 1000 \
		    "${OUTS[@]}"
		[ "$status" -eq 130 ] || fail "exit $status: $stderr"
		no_survivors
		# Children killed by the same Ctrl-C are no error to report.
		# (LeakSanitizer's exit scan may say it could not stop a
		# thread the signal was ending: the runtime's line, not ours.)
		local said
		said=$(printf '%s\n' "$stderr" |
		    grep -v '^==[0-9]*==Unable to get registers from thread' || true)
		[ -z "$said" ] || fail "try $try: stderr: $stderr"
	done
	run csv_ok out.csv
	assert_success
	# The signal lands inside a trial's window (that trial is partial) or
	# after it, in the idle phase or the teardown (the trial is whole);
	# either way the run stopped short of its 2 trials.
	[ "$(csv_col out.csv partial | tail -n 1)" = 1 ] ||
	    [ "$(csv_col out.csv partial | wc -l)" -lt 2 ]
	json_ok out.json 'd["interrupted"] is True'
}

@test "SIGINT with -o -: stdout is still a complete CSV" {
	signal_after 1 INT
	in_bg 60 -c 0 -d 5s -n 2 --warmup 50ms -q -m pipe -o -
	[ "$status" -eq 130 ] || fail "exit $status: $stderr"
	printf '%s\n' "$output" >stdout.csv
	run csv_ok stdout.csv
	assert_success
	[ "$(csv_col stdout.csv partial | tail -n 1)" = 1 ]
}

@test "SIGHUP (the terminal went away) leaves no temporary file behind" {
	signal_after 1 HUP
	in_bg 60 -c 4 -d 5s -n 2 --warmup 50ms -q -m pipe "${OUTS[@]}"
	no_survivors
	# Not SIGINT or SIGTERM; handled like SIGTERM (129, complete files)
	# or not, a hidden temporary file must not stay.
	[ -z "$(entries | grep '^\.')" ] ||
	    fail "exit $status, left: $(entries | tr '\n' ' ')"
}

# --- resource limits ---------------------------------------------------

@test "RLIMIT_NOFILE: a low soft limit is raised to the hard limit and -c 500 runs" {
	run --separate-stderr timeout -k 5 60 bash -c \
	    'ulimit -Sn 200; exec "$0" "$@"' "$WAKEBENCH" \
	    -c 500 -d 100ms -n 1 --warmup 0 -q -m pipe -o out.csv
	[ "$status" -eq 0 ] || [ "$status" -eq 3 ] || fail "exit $status: $stderr"
	[ "$(csv_col out.csv connections)" = 500 ]
}

@test "RLIMIT_NOFILE: a hard limit too low for -c 500 is refused before anything starts" {
	run --separate-stderr timeout -k 5 60 bash -c \
	    'ulimit -n 200; exec "$0" "$@"' "$WAKEBENCH" \
	    -c 500 -d 100ms -n 1 --warmup 0 -q -m pipe "${OUTS[@]}"
	assert_failure 2
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "wakebench: --connections: 500:"*RLIMIT_NOFILE* ]]
	[ -z "$(entries)" ]
}

@test "threads cannot be created (RLIMIT_NPROC): exit 1 naming pthread_create, no crash" {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null ||
	    skip "needs root and setpriv (RLIMIT_NPROC binds only other users)"
	# As nobody, with room for 4 tasks: the main thread and three more.
	# Sanitizers run their leak check in a thread of their own, which
	# needs the room the run has given back by then.
	local u
	for u in 2 4 16; do
		run --separate-stderr timeout -k 5 60 setpriv --reuid 65534 \
		    --regid 65534 --clear-groups bash -c \
		    'ulimit -u "$1"; cd / && exec "$0" "${@:2}"' "$WAKEBENCH" "$u" \
		    -c 0 -p 32 -d 100ms -n 1 --warmup 0 -q -m pipe
		[ "$status" -eq 1 ] || fail "ulimit -u $u: exit $status: $stderr"
		[ "${#stderr_lines[@]}" -eq 1 ] ||
		    fail "ulimit -u $u: ${#stderr_lines[@]} lines: $stderr"
		[[ $stderr == wakebench:*pthread_create* ]] || fail "ulimit -u $u: $stderr"
		assert_line --regexp 'p32 +not run'
	done
}

@test "the client process cannot start its threads: exit 1 naming that, not connect" {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null ||
	    skip "needs root and setpriv (RLIMIT_NPROC binds only other users)"
	# Two tasks: the main thread and the forked client process, which
	# then cannot create a thread.
	run --separate-stderr timeout -k 5 60 setpriv --reuid 65534 \
	    --regid 65534 --clear-groups bash -c \
	    'ulimit -u 2; cd / && exec "$0" "$@"' "$WAKEBENCH" \
	    -c 4 -p 32 -d 100ms -n 1 --warmup 0 -q -m pipe
	[ "$status" -eq 1 ] || fail "exit $status: $stderr"
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *pthread_create* || $stderr == *thread* ]] ||
	    fail "names the wrong step: $stderr"
}

@test "little address space (ulimit -v): exit 1 with a message, files complete, no hang" {
	sanitized && skip "the sanitizers need more address space than any limit"
	local v
	for v in 20000 50000 300000; do
		rm -f out.csv out.json p.csv
		run --separate-stderr timeout -k 5 60 bash -c \
		    'ulimit -v "$1"; exec "$0" "${@:2}"' "$WAKEBENCH" "$v" \
		    -c 8 -p 256 -d 100ms -n 1 --warmup 0 -q -m pipe "${OUTS[@]}"
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || [ "$status" -eq 3 ] ||
		    fail "ulimit -v $v: exit $status: $stderr"
		if [ "$status" -eq 1 ]; then
			[ "${#stderr_lines[@]}" -eq 1 ] ||
			    fail "ulimit -v $v: ${#stderr_lines[@]} lines: $stderr"
			[[ $stderr == wakebench:* ]]
		fi
		# Whatever was written is whole; no temporary file stays.
		for f in out.csv p.csv; do
			[ ! -e "$f" ] || csv_ok "$f" || fail "ulimit -v $v: $f"
		done
		[ ! -e out.json ] || json_ok out.json || fail "ulimit -v $v: out.json"
		[ -z "$(entries | grep '^\.')" ] || fail "left: $(entries | tr '\n' ' ')"
	done
	# 64 client threads in 300 MB: a failure there must name the threads.
	run --separate-stderr timeout -k 5 60 bash -c \
	    'ulimit -v 300000; exec "$0" "$@"' "$WAKEBENCH" \
	    -c 64 --clients 64 -p 4 -d 100ms -n 1 --warmup 0 -q -m pipe
	[ "$status" -ne 1 ] || [[ $stderr == *thread* ]] ||
	    fail "--clients 64 in 300 MB: $stderr"
}

@test "-p 4096 (the most producers) runs or fails cleanly, within its bound" {
	WB_TIMEOUT=120 wb -c 0 -p 4096 -d 100ms -n 1 --warmup 0 -q -m pipe -o out.csv
	case $status in
	0 | 3)
		assert_line --regexp 'p4096 '
		[ "$(csv_col out.csv producers)" = 4096 ]
		run csv_ok out.csv
		assert_success ;;
	1)
		[ "${#stderr_lines[@]}" -eq 1 ] && [[ $stderr == wakebench:* ]] ||
		    fail "exit 1: $stderr" ;;
	*)
		fail "exit $status: $stderr" ;;
	esac
}

# --- stdout going away -------------------------------------------------

@test "stdout closed early (| head -1): no death by SIGPIPE" {
	run bash -c 'set -o pipefail
		"$0" "$@" 2>err.txt | head -n 1 >head.txt
		echo "status ${PIPESTATUS[0]}"' "$WAKEBENCH" "${RUN[@]}"
	# The whole report may fit in the pipe before head exits (0), or
	# meet EPIPE (1); 141 would be death by SIGPIPE.
	[[ $output == "status 0" || $output == "status 1" ]] ||
	    fail "$output: $(cat err.txt)"
	[[ $(cat head.txt) == "wakebench "[0-9]* ]]
}

@test "stdout is a pipe with no reader: exit 1, never killed by SIGPIPE" {
	command -v python3 >/dev/null || skip "python3 is missing"
	# SIGPIPE is ignored, so a write to stdout fails with EPIPE.
	# The report was not delivered: a runtime failure, exit 1.
	local args bad=""
	for args in "run -o -" "run --json -" "run" list probe --help --version; do
		if [ "${args%% *}" = run ]; then
			run --separate-stderr epipe $args "${RUN[@]}"
		else
			run --separate-stderr epipe $args
		fi
		[ "$status" -eq 1 ] ||
		    bad+="$args: exit $status, not 1 (141 is SIGPIPE) $stderr"$'\n'
	done
	[ -z "$bad" ] || fail "$bad"
}

@test "a write error on stdout (/dev/full) is exit 1 for every command" {
	local args bad=""
	for args in "run ${RUN[*]}" list probe --help --version; do
		run --separate-stderr bash -c \
		    'exec "$0" "$@" >/dev/full' "$WAKEBENCH" $args
		[ "$status" -eq 1 ] ||
		    bad+="$args >/dev/full: exit $status, not 1 $stderr"$'\n'
	done
	[ -z "$bad" ] || fail "$bad"
}

@test "stdout or stderr closed (>&- 2>&-): the CSV file gets neither the table nor messages" {
	run bash -c 'exec "$0" "$@" >&-' "$WAKEBENCH" "${RUN[@]}" -o out.csv
	[ "$(head -n 1 out.csv)" = "# wakebench-csv: 1" ] ||
	    fail "stdout closed: out.csv begins: $(head -n 2 out.csv)"
	run csv_ok out.csv
	assert_success
	rm -f out.csv
	run bash -c 'exec "$0" "$@" 2>&-' "$WAKEBENCH" \
	    -c 0 -d 100ms -n 1 --warmup 0 -v -m pipe -o out.csv
	[ "$(head -n 1 out.csv)" = "# wakebench-csv: 1" ] ||
	    fail "stderr closed: out.csv begins: $(head -n 2 out.csv)"
	run csv_ok out.csv
	assert_success
}

# --- valgrind ----------------------------------------------------------

# vg STATUS ARGS...: wakebench ARGS under valgrind exits STATUS with no
# memory error and nothing definitely lost.  The forked client process
# is not traced (--child-silent-after-fork).
vg() {
	local want=$1
	shift
	run --separate-stderr timeout -k 5 120 valgrind --leak-check=full \
	    --error-exitcode=99 --errors-for-leak-kinds=definite \
	    --trace-children=no --child-silent-after-fork=yes \
	    "$WAKEBENCH" "$@"
	[ "$status" -eq "$want" ] || fail "exit $status, not $want: $stderr"
	[[ $stderr == *"ERROR SUMMARY: 0 errors"* ]] || fail "$stderr"
	[[ $stderr == *"definitely lost: 0 bytes"* ||
	    $stderr == *"no leaks are possible"* ]] || fail "$stderr"
}

@test "valgrind: a run with connections and every output, nothing definitely lost" {
	command -v valgrind >/dev/null || skip "valgrind is missing"
	sanitized && skip "valgrind cannot run a sanitizer build"
	run --separate-stderr timeout -k 5 120 valgrind --leak-check=full \
	    --error-exitcode=1 --errors-for-leak-kinds=definite \
	    --trace-children=no --child-silent-after-fork=yes \
	    "$WAKEBENCH" -c 4 -d 100ms -n 1 --warmup 0 -q
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	[[ $stderr == *"definitely lost: 0 bytes"* ||
	    $stderr == *"no leaks are possible"* ]] || fail "$stderr"
	# No --spawn: the children exec /proc/self/exe, which under valgrind
	# is valgrind's own tool binary, and it refuses to run alone.
	vg 0 -c 4 -d 100ms -n 1 --warmup 0 -q -m pipe,socketpair -w poll,epoll \
	    "${OUTS[@]}"
	json_ok out.json
}

@test "valgrind: refused and failed runs free what they took" {
	command -v valgrind >/dev/null || skip "valgrind is missing"
	sanitized && skip "valgrind cannot run a sanitizer build"
	vg 2 "${RUN[@]}" -p 1,2,1
	vg 1 "${RUN[@]}" -o nodir/x.csv
	vg 1 "${RUN[@]}" --json /dev/full
}
