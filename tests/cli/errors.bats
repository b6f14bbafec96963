#!/usr/bin/env bats
# Bad input is refused before anything starts: exit 2, one line on stderr
# naming the option, the value and what is accepted, nothing on stdout, no
# output file created or truncated (wakebench(1), EXIT STATUS 2).

load helper

# files: what is in the test's directory, but for bats's own stderr files.
files() {
	ls -A | grep -v '^separate-stderr-' || true
}

# refused OPTION ACCEPTED ARGS...: `wakebench ARGS...` must be refused as a
# usage error.  The one stderr line must name OPTION and the last of ARGS
# (the bad value, or the option itself when its value is missing) and match
# the extended regexp ACCEPTED (what is accepted; "" skips that check).
# The output options go first so that a bad option at the end cannot take
# them as its value; a CSV file that already exists must stay as it was.
refused() {
	local opt=$1 accept=$2 value
	shift 2
	value=${*: -1}
	# An option missing its value is named by OPTION alone.
	[[ $value =~ ^--?[A-Za-z] ]] && value=$opt
	printf 'previous results\n' >out.csv
	wb "${SHORT[@]}" -o out.csv --json out.json --percentiles p.csv "$@"
	local why=""
	if [ "$status" -ne 2 ]; then
		why="exit status $status, not 2"
	elif [ -n "$output" ]; then
		why="something on stdout"
	elif [ "${#stderr_lines[@]}" -ne 1 ]; then
		why="${#stderr_lines[@]} lines on stderr, not 1"
	elif [[ $stderr != wakebench:* ]]; then
		why="stderr line does not start with 'wakebench:'"
	elif [[ $stderr != *"$opt"* ]]; then
		why="message does not name $opt"
	elif [[ $stderr != *"$value"* ]]; then
		why="message does not name the value '$value'"
	elif [ -n "$accept" ] && ! [[ $stderr =~ $accept ]]; then
		why="message does not say what is accepted (/$accept/)"
	elif [ "$(files)" != out.csv ]; then
		why="files left behind: $(files | tr '\n' ' ')"
	elif [ "$(cat out.csv)" != "previous results" ]; then
		why="the existing out.csv was changed"
	fi
	if [ -n "$why" ]; then
		printf 'wakebench %s\n' "$*" >&2
		printf 'status: %s\nstdout: %s\nstderr: %s\n' \
		    "$status" "$output" "$stderr" >&2
		fail "$why"
	fi
	rm -f out.csv
}

@test "a refused run creates none of its output files" {
	wb "${SHORT[@]}" -o out.csv --json out.json --percentiles p.csv -p 0
	[ "$status" -eq 2 ]
	[ -z "$(files)" ]
}

@test "unknown options, long and short, are refused" {
	refused --bogus "--help" --bogus
	refused --bogus=1 "--help" --bogus=1
	refused -Z "--help" -Z
	refused --producer-count "--help" --producer-count
}

@test "an option without its value is refused" {
	refused --producers "needs a value" -p
	refused --producers "needs a value" --producers
	refused --mechanism "needs a value" -m
	refused --wait "needs a value" -w
	refused --duration "needs a value" -d
	refused --trials "needs a value" -n
	refused --stall "needs a value" --stall
	refused --pm-qos "needs a value" --pm-qos
	refused --csv "needs a value" -o
	refused --json "needs a value" --json
	refused --percentiles "needs a value" --percentiles
}

@test "an unknown name in each list option is refused with the names accepted" {
	refused --mechanism "pipe, eventfd, eventfd-sem, socketpair" -m pipe,kqueue
	refused --wait "select, poll, epoll, epoll-et" -w poll,kevent
	refused --poke "always, coalesce, coalesce-lock, transition, handshake" -P sometimes
	refused --drain "all, once, per-item, none" -D most
	refused --fault "poke-first, dequeue-first, clear-after-dequeue, blocking-write, no-cloexec, no-drain" \
	    --fault lost-poke
	refused --producers "whole number" -p four
}

@test "an unknown preset is refused with a real list of presets" {
	refused --preset "expected [a-z]" --preset tokio
	# The names accepted must be names, not an empty list.
	[[ $stderr != *"expected ,"* ]] || fail "empty list of presets: $stderr"
}

@test "an empty list element is refused: leading, trailing, doubled, alone" {
	local opt list
	for opt in "--mechanism pipe,eventfd" "--wait poll,epoll" \
	    "--poke always,coalesce" "--drain all,once" \
	    "--producers 1,2" "--fault poke-first,no-cloexec"; do
		set -- $opt
		list=$2
		refused "$1" "empty" "$1" ",$list"
		refused "$1" "empty" "$1" "$list,"
		refused "$1" "empty" "$1" "${list/,/,,}"
	done
	refused --preset "empty" --preset ,
	refused --mechanism "empty" -m ""
	refused --producers "empty" -p ""
}

@test "a name listed twice is refused" {
	refused --mechanism "twice" -m pipe,eventfd,pipe
	refused --wait "twice" -w poll,poll
	refused --poke "twice" -P always,coalesce,always
	refused --drain "twice" -D all,all
	refused --producers "twice" -p 4,2,4
	refused --producers "twice" -p 1k,1000
	refused --fault "twice" --fault no-cloexec,no-cloexec
}

@test "numbers out of range are refused with the range accepted" {
	refused --producers "between 1 and" -p 0
	refused --producers "between 1 and" -p 4097
	refused --producers "between 1 and" -p 4,0
	refused --rate "1 and (100M|100000000)" -r 0
	refused --rate "1 and (100M|100000000)" -r 100000001
	refused --burst "between 1 and" -b 0
	refused --burst "between 1 and" -b 65537
	refused --connections "0 and (100k|100000)" -c 100001
	refused --net-rate "1 and (1M|1000000)" --net-rate 0
	refused --msg-size "1B? and 1MiB" --msg-size 0
	refused --msg-size "1B? and 1MiB" --msg-size 2MiB
	refused --duration "1ms and 3600s" -d 0
	refused --duration "1ms and 3600s" -d 999us
	refused --duration "1ms and 3600s" -d 3601
	refused --trials "1 and (1k|1000)" -n 0
	refused --trials "1 and (1k|1000)" -n 1001
	refused --warmup "and 3600s" --warmup 3601s
	refused --timeout "1ms and 60s" -t 0
	refused --timeout "1ms and 60s" -t 61s
	refused --pipe-size "(4KiB|4096) and" --pipe-size 100
	refused --pipe-size "and 1GiB" --pipe-size 2GiB
	refused --stall "1us and" --stall 500ns
	refused --spawn "0 and (1k|1000)" --spawn 1001
	refused --pm-qos "whole number|between 0 and" --pm-qos -5
	refused --sched "between 1 and 98" --sched fifo:99
	refused --sched "other, fifo\[:PRIO\] or rr\[:PRIO\]" --sched deadline
	refused --columns "unknown column wake; expected items_per_s, wake_p50, wake_p90, .*, rtt_p999, or all$" --columns items_per_s,wake
	refused --columns "wake_p50 listed twice" --columns wake_p50,wake_p50
	refused --cpus "expected CPU numbers 0-1023 or ranges" --cpus 0,x
	refused --cpus "expected CPU numbers" --cpus 3-1
	refused --cpus "CPU 0 listed twice" --cpus 0,0-1
	refused --cpus "CPU 1023 is not one this process may run on; allowed: " --cpus 1023
}

@test "a range is given exactly, as --help gives it, not rounded" {
	# "4097: must be between 1 and 4.1k" reads as if 4097 were allowed.
	refused --producers "between 1 and 4096" -p 4097
	refused --burst "between 1 and 65536" -b 65537
}

@test "non-numbers and misused units are refused" {
	refused --duration "ms" -d 5x
	refused --duration "ms" -d 5m
	refused --duration "ms" -d 1S
	refused --duration "ms" -d 1e-1
	refused --duration "ms" -d -5
	refused --duration "ms" -d ""
	refused --producers "whole number" -p 1.5
	refused --producers "whole number" -p 0x10
	refused --rate "max|whole number" -r 1e3
	refused --rate "max|whole number" -r -1
	refused --rate "max|whole number" -r maxx
	refused --pipe-size "byte count|KiB" --pipe-size 4k4
	refused --spawn "whole number" --spawn -1
	refused --stall "ms" --stall 10ms@
	refused --stall "ms" --stall @5ms
}

@test "huge numbers are refused, not wrapped around" {
	refused --trials "1 and (1k|1000)" -n 99999999999999999999999
	refused --producers "1 and" -p 99999999999999999999999
	refused --duration "1ms and 3600s" -d 99999999999999999999999
	# 2^64 + 1 and 2^32 + 1 wrap to 1 in a parser that does not check.
	refused --rate "1 and" -r 18446744073709551617
	refused --producers "1 and" -p 18446744073709551617
	refused --trials "1 and (1k|1000)" -n 4294967297
	refused --duration "1ms and 3600s" -d 18446744073709551617ns
	# A suffix that overflows the multiplication.
	refused --rate "1 and" -r 18446744073709552k
	refused --pipe-size "and 1GiB" --pipe-size 99999999999999999999999k
}

@test "--stall PERIOD shorter than TIME is refused" {
	refused --stall "PERIOD|longer" --stall 10ms@5ms
}

@test "--drain none without epoll-et is refused, naming epoll-et" {
	refused --drain "epoll-et" -w poll -D none
	refused --drain "epoll-et" -w epoll-et,epoll -D none
}

@test "select with more descriptors than FD_SETSIZE is refused" {
	printf 'previous results\n' >out.csv
	wb -c 1100 -w select -d 50ms -n 1 --warmup 0 -q -o out.csv
	assert_failure 2
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr =~ --(wait|connections) ]]
	[[ $stderr == *select* ]]
	[[ $stderr =~ FD_SETSIZE|1024 ]]
	[ "$(cat out.csv)" = "previous results" ]
}

@test "two outputs to stdout are refused" {
	refused --json "only one" -o - --json -
	refused --percentiles "only one" -o - --percentiles -
}

@test "the same file for two outputs is refused" {
	refused --json "--csv" -o same.csv --json same.csv
}

@test "a stray positional argument is refused" {
	refused stray "--help" -c 0 stray
	# Before the options, with and without the run command.
	local first
	for first in "stray" "run stray" "run run stray"; do
		wb $first "${SHORT[@]}" -o out.csv
		assert_failure 2
		[ -z "$output" ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[[ $stderr == *stray* ]] || [[ $first == "run run stray" ]]
		[[ $stderr == *"unexpected argument"* ]]
		[ -z "$(files)" ]
	done
}

@test "an extra argument to list is refused, naming it" {
	wb list extra
	assert_failure 2
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *list*extra* ]]
}

@test "an extra argument to probe is refused, naming it" {
	wb probe extra
	assert_failure 2
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *probe* ]]
	[[ $stderr == *extra* ]] || fail "does not name the argument: $stderr"
}

@test "a cross product over 1024 configurations is refused, with its size" {
	local p
	p=$(seq -s, 1 22)
	# 4 x 4 x 3 x 22 = 1056 configurations.
	printf 'previous results\n' >out.csv
	wb "${SHORT[@]}" -o out.csv --json out.json --percentiles p.csv \
	    -m pipe,eventfd,eventfd-sem,socketpair \
	    -w select,poll,epoll,epoll-et -P always,coalesce,transition -p "$p"
	assert_failure 2
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr =~ --(mechanism|wait|poke|drain|producers|preset) ]]
	[[ $stderr == *1024* ]]
	[ "$(files)" = out.csv ]
	[ "$(cat out.csv)" = "previous results" ]
	[[ $stderr == *1056* ]] || fail "does not say how many: $stderr"
}

@test "an output file that cannot be opened fails before the run, exit 1" {
	wb "${SHORT[@]}" -d 1s -o out.csv --percentiles no/such/dir/p.csv
	assert_failure 1
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *--percentiles*no/such/dir/p.csv* ]]
	[ -z "$(files)" ]
}

@test "an unknown letter in a cluster that comes first is named, escaped, not the program" {
	# getopt has not moved past the cluster yet: argv[optind - 1] was the
	# program's own path (found by argfuzz, seed 1327400749).
	wb $'-q\x09' -c 0
	assert_failure 2
	[ "$stderr" = 'wakebench: -\x09: unknown option; see wakebench --help' ] ||
	    fail "$stderr"
	wb $'-\xb2z' -c 0
	assert_failure 2
	[[ $stderr != *"$WAKEBENCH"* ]] || fail "$stderr"
	[ "${#stderr_lines[@]}" -eq 1 ]
}
