#!/usr/bin/env bats
# Each preset that follows a library step for step shows that library's
# pattern in wakebench's own counters: the policy it resolves to, and the
# per-item or per-wakeup figures the library's protocol implies.  Counts
# only, no timing: a loaded machine changes how many wakeups there are,
# not how each is made.

load helper

P=(-c 0 -d 300ms -n 1 --warmup 50ms -q)

# col FILE NAME: the value of NAME in FILE's only data row.
col() {
	local v
	v=$(csv_col "$1" "$2") || fail "no $2 in $1"
	echo "$v"
}

@test "libuv is >= 1.45 and libuv-1.44 the busy spin, each named by version" {
	wb list
	assert_success
	assert_output --partial "libuv >= 1.45"
	assert_output --partial "libuv 1.29 to 1.44 (v1.44.2)"
	assert_output --regexp "libuv-1.44 +-m eventfd -w epoll -P busy-spin -D all"
}

@test "libuv-1.44 coalesces its writes and loses nothing (exit 0)" {
	wb "${P[@]}" --preset libuv-1.44 -p 4 -r 20k -o out.csv
	completed
	[ "$(col out.csv poke)" = busy-spin ] || fail "poke $(col out.csv poke)"
	local items writes
	items=$(col out.csv items)
	writes=$(col out.csv writes)
	[ "$items" -gt 0 ] && [ "$writes" -lt "$items" ] ||
	    fail "$writes writes for $items items"
	[ "$(col out.csv items_lost)" -eq 0 ]
}

@test "libevent reads once per wakeup, the flag in its lock-late order" {
	wb "${P[@]}" --preset libevent -p 4 -r 20k -o out.csv
	completed
	[ "$(col out.csv poke)" = lock-late ] || fail "poke $(col out.csv poke)"
	local wakeups reads
	wakeups=$(col out.csv wakeups)
	reads=$(col out.csv reads)
	# One 8-byte read per wakeup (the judge's own zero-timeout polls of
	# a stranded-looking item add reads, never remove them).
	[ "$wakeups" -gt 0 ] && [ "$reads" -ge "$wakeups" ] ||
	    fail "$reads reads for $wakeups wakeups"
	# Items queued between the take and the clear found the flag set
	# and wrote nothing: only the second take finds them.
	[ "$(col out.csv lost_wakeups)" -eq 0 ] ||
	    fail "lost wakeups: $(col out.csv lost_wakeups)"
}

@test "libev does not read on a fed wakeup (EV_CUSTOM)" {
	# Fed wakeups need a producer that skipped its write while the loop
	# was awake: several producers at a high rate make them.
	local fed wakeups reads try
	for try in 1 2 3; do
		wb "${P[@]}" --preset libev -p 4 -r 50k -o out.csv
		completed
		fed=$(col out.csv wakeups_fed)
		[ "$fed" -gt 0 ] && break
	done
	[ "$fed" -gt 0 ] || skip "no fed wakeup in 3 runs on this machine"
	wakeups=$(col out.csv wakeups)
	reads=$(col out.csv reads)
	# A read per fed wakeup would make reads >= wakeups.
	[ "$reads" -lt "$wakeups" ] ||
	    fail "$reads reads for $wakeups wakeups, $fed of them fed"
}

@test "glib writes once per item and reads once per wakeup, both under the lock" {
	wb "${P[@]}" --preset glib -p 4 -r 20k -o out.csv
	completed
	[ "$(col out.csv poke)" = always-lock ] || fail "poke $(col out.csv poke)"
	[ "$(col out.csv writes_per_item)" = 1.000 ] ||
	    fail "writes/item $(col out.csv writes_per_item)"
	local wakeups reads
	wakeups=$(col out.csv wakeups)
	reads=$(col out.csv reads)
	[ "$wakeups" -gt 0 ] && [ "$reads" -ge "$wakeups" ] ||
	    fail "$reads reads for $wakeups wakeups"
}

@test "poke-under-lock's text says libevent still writes under its lock" {
	wb list
	assert_success
	assert_output --partial "libevent still writes under its lock; 17522d2a made it non-blocking"
}

@test "asyncio reads until EAGAIN: two reads a wakeup at least" {
	wb "${P[@]}" --preset asyncio -p 1 -r 2k -o out.csv
	completed
	[ "$(col out.csv drain)" = eagain ] || fail "drain $(col out.csv drain)"
	local wakeups reads
	wakeups=$(col out.csv wakeups)
	reads=$(col out.csv reads)
	# _read_from_self's recv after the short one says EAGAIN: a drain
	# that stopped at the short read would make one read a wakeup.
	[ "$wakeups" -gt 0 ] && [ "$reads" -ge $((2 * wakeups)) ] ||
	    fail "$reads reads for $wakeups wakeups"
}

@test "java-nio drains under its lock, as clearInterrupt does" {
	wb "${P[@]}" --preset java-nio -p 1 -r 2k -o out.csv
	completed
	[[ $(col out.csv flags) == *poke-under-lock* ]] ||
	    fail "flags $(col out.csv flags)"
}
