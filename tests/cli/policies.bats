#!/usr/bin/env bats
# Every poke policy, every preset and every drain policy in a short clean
# run, with the exit status checked.  The names come from `wakebench
# list`, so a new row in a table is run here without a change.  Sockets
# are not the subject: -c 0 keeps a loaded machine from starving them
# (NET STARVED).  A verdict may still carry a note in parentheses after
# `ok` (producers behind schedule on a loaded machine): that is exit 0.

load helper

P=(-c 0 -d 300ms -n 1 --warmup 50ms)

# names SECTION: the name of each entry under SECTION in `list` (pokes,
# drains, presets), in table order; a preset's caveat mark `!` skipped.
names() {
	"$WAKEBENCH" list | awk -v s="$1" '
		/^[a-z]/ { on = index($0, s " (") == 1; next }
		on && /^[ !] [a-z]/ { print ($1 == "!" ? $2 : $1) }'
}

# all_ok: every verdict line of the table reads ok (notes allowed).
all_ok() {
	local n
	n=$(grep -cE '^ +[0-9]+  .*  ok( \(.*\))?$' <<<"$output" || true)
	[ "$n" -eq "$1" ] || fail "$n of $1 verdicts ok: $output"
}

# spurious_counted FILE ROWS: a whole number of spurious wakeups in each
# of ROWS rows.
spurious_counted() {
	run csv_col "$1" spurious_wakeups
	assert_success
	[ "${#lines[@]}" -eq "$2" ] || fail "${#lines[@]} rows: $output"
	for v in "${lines[@]}"; do
		[[ $v =~ ^[0-9]+$ ]] || fail "spurious_wakeups: $v"
	done
}

@test "list names eight poke policies, five drains and the presets" {
	[ "$(names pokes | paste -sd,)" = always,coalesce,coalesce-lock,transition,handshake,busy-spin,lock-late,always-lock ]
	[ "$(names drains | paste -sd,)" = all,once,per-item,none,eagain ]
	names presets | grep -qx libuv
	names presets | grep -qx mio
}

@test "every poke policy runs clean on pipe and eventfd (exit 0)" {
	local pokes n
	pokes=$(names pokes | paste -sd,)
	n=$(names pokes | wc -l)
	wb "${P[@]}" -m pipe,eventfd -P "$pokes"
	assert_success
	all_ok $((2 * n))
}

@test "every preset runs clean under its own strategy (exit 0)" {
	# Each preset's caveat is about another configuration: the never-read
	# ones (libevent-master, nginx, mio) spin under poll or select, so
	# they run under their own epoll-et; nginx's and java-nio's inherited
	# wakers matter only with --spawn, which is not given.
	local n d ring
	n=$(names presets | wc -l)
	d=$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)
	wb "${P[@]}" --preset all
	if [ "$d" = 0 ]; then
		assert_success
		all_ok "$n"
		return
	fi
	# io_uring disabled: `all` is refused naming it, never run short
	# of the ring presets; the others still run clean.
	assert_failure 2
	[[ "$stderr" == *io_uring* ]] || fail "refusal: $stderr"
	ring=$("$WAKEBENCH" list | awk '/^[a-z]/ { on = /^presets/; next }
	    on && /^[ !] [a-z]/ { name = $1 == "!" ? $2 : $1 }
	    on && / -w io_uring/ { print name }')
	wb "${P[@]}" --preset "$(names presets | grep -vxF "$ring" | paste -sd,)"
	assert_success
	all_ok $((n - $(wc -l <<<"$ring")))
}

@test "spurious wakeups are counted for every drain policy (exit 0)" {
	# epoll-et, the one wait every drain is sane under (none never
	# reads); eventfd-sem and pipe both leave units behind a take.
	local d
	for d in $(names drains); do
		wb "${P[@]}" -q -p 8 -w epoll-et -m eventfd-sem,pipe -D "$d" \
		    -o "$d.csv"
		[ "$status" -eq 0 ] || fail "-D $d: exit $status: $stderr"
		spurious_counted "$d.csv" 2
	done
}

@test "a drain that leaves pokes behind shows spurious wakeups (exit 0)" {
	# eventfd-sem gives one unit per read: once leaves the rest, and each
	# is a wakeup that finds its item already taken.
	wb "${P[@]}" -q -p 8 -m eventfd-sem -D once -o out.csv
	assert_success
	spurious_counted out.csv 1
	[ "${lines[0]}" -gt 0 ] || fail "no spurious wakeups: $output"
}

@test "list marks per-item unsafe and names each unsafe combination" {
	wb list
	assert_success
	assert_line --regexp '^! per-item +one unit per item taken'
	assert_line --regexp '^ +unsafe with -P coalesce: LOST WAKEUPS \('
	assert_line --regexp '^ +unsafe with -P transition: LOST WAKEUPS \('
	assert_line --regexp '^ +unsafe with -P always -m eventfd: LOST WAKEUPS \('
	assert_line --regexp '^ +unsafe with -P always .*under select, poll or epoll: BUSY LOOP \('
	assert_line --regexp '^  all +read until EAGAIN'
}

@test "the run header names the unsafe combinations and presets it runs; a safe run has none" {
	wb -D per-item -P coalesce,handshake -m pipe -w poll,epoll-et "${SHORT[@]}"
	completed
	assert_line --regexp '^unsafe     -D per-item with -P coalesce \(2 configurations\): LOST WAKEUPS: '
	[ "$(grep -c '^unsafe ' <<<"$output")" -eq 1 ] || fail "one unsafe line expected"
	wb --preset nginx,libuv "${SHORT[@]}"
	completed
	assert_line --regexp '^unsafe     preset nginx: its own blocking-write,no-cloexec; '
	refute_line --partial 'preset libuv'
	wb -D per-item -P handshake -m pipe,eventfd -w poll "${SHORT[@]}"
	completed
	refute_output --partial 'unsafe '
}
