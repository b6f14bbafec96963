#!/usr/bin/env bats
# The gnuplot scripts in plots/: each renders a picture from wakebench's
# own CSV files, and stops with an error naming a column it cannot find.

load helper

PLOTS=$BATS_TEST_DIRNAME/../../plots

# One short set of runs for the whole file, shared by its tests.
setup_file() {
	local d=$BATS_FILE_TMPDIR wb=${WAKEBENCH:-$BATS_TEST_DIRNAME/../../wakebench} s rc
	local short=(-c 0 -d 200ms -n 1 --warmup 50ms -q)
	timeout -k 5 60 "$wb" "${short[@]}" -m pipe,eventfd -w poll,epoll \
	    -o "$d/sum.csv" --percentiles "$d/pct.csv" >/dev/null || return 1
	timeout -k 5 60 "$wb" "${short[@]}" -m pipe,eventfd -p 1,2,4 \
	    --rate max -o "$d/producers.csv" >/dev/null || return 1
	# presets: a summary CSV (-o) with preset rows; a finding exits 3
	rc=0
	timeout -k 5 60 "$wb" --preset libuv,nginx -c 0 -d 100ms -n 1 -q \
	    -o "$d/presets.csv" >/dev/null || rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 3 ] || return 1
	for s in 4096 16384; do
		timeout -k 5 60 "$wb" "${short[@]}" -m pipe -p 4 -r 100k \
		    --stall 50ms@100ms --pipe-size "$s" \
		    -o "$d/nb-$s.csv" >/dev/null || return 1
		# a blocked producer is a finding: exit 3, the CSV is whole
		rc=0
		timeout -k 5 60 "$wb" "${short[@]}" -m pipe -p 4 -r 100k \
		    --stall 50ms@100ms --pipe-size "$s" --fault blocking-write \
		    -o "$d/bw-$s.csv" >/dev/null || rc=$?
		[ "$rc" = 0 ] || [ "$rc" = 3 ] || return 1
	done
}

# gp SCRIPT PARAMS: run plots/SCRIPT with -e PARAMS, bounded.
gp() {
	run --separate-stderr timeout -k 5 60 gnuplot -e "$2" "$PLOTS/$1"
}

# assert_png FILE: a PNG signature and more than 5 KB (an empty frame with
# axes alone is smaller).
assert_png() {
	[ -f "$1" ] || fail "$1: not written"
	[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
	    fail "$1: not a PNG"
	[ "$(stat -c %s "$1")" -gt 5120 ] || fail "$1: $(stat -c %s "$1") bytes"
}

# drop_col FILE COLUMN: FILE without COLUMN (preamble kept) on stdout.
drop_col() {
	awk -F, -v OFS=, -v name="$2" '
		/^#/ { print; next }
		!hdr { for (i = 1; i <= NF; i++) if ($i == name) c = i; hdr = 1 }
		{ n = 0; for (i = 1; i <= NF; i++) if (i != c) f[++n] = $i
		  s = f[1]; for (i = 2; i <= n; i++) s = s OFS f[i]; print s }' "$1"
}

# assert_missing SCRIPT FILE COLUMN [PARAMS]: without COLUMN, SCRIPT fails
# naming it, and writes no picture.
assert_missing() {
	drop_col "$2" "$3" >cut.csv
	if grep -v '^#' cut.csv | head -n 1 | tr , '\n' | grep -qx "$3"; then
		fail "drop_col left $3 in place"
	fi
	gp "$1" "in='cut.csv'; out='cut.png'${4:+; $4}"
	assert_failure
	[[ $stderr == *"missing column \"$3\""* ]] || fail "stderr: $stderr"
	[ ! -s cut.png ]
}

@test "percentiles.gp renders wakeup latency by percentile as PNG" {
	gp percentiles.gp "in='$BATS_FILE_TMPDIR/pct.csv'; out='wake.png'"
	assert_success
	assert_png wake.png
}

@test "percentiles.gp metric='item' renders, and out='*.svg' writes SVG" {
	gp percentiles.gp "in='$BATS_FILE_TMPDIR/pct.csv'; out='item.png'; metric='item'"
	assert_success
	assert_png item.png
	gp percentiles.gp "in='$BATS_FILE_TMPDIR/pct.csv'; out='item.svg'; metric='item'"
	assert_success
	grep -q '<svg' item.svg
	grep -q 'Item latency by percentile' item.svg
}

@test "percentiles.gp takes several files and refuses an unknown metric" {
	cp "$BATS_FILE_TMPDIR/pct.csv" other.csv
	gp percentiles.gp "in='$BATS_FILE_TMPDIR/pct.csv other.csv'; out='two.png'"
	assert_success
	assert_png two.png
	gp percentiles.gp "in='other.csv'; out='x.png'; metric='bogus'"
	assert_failure
	[[ $stderr == *"metric='bogus'"* ]]
}

@test "percentiles.gp renders a summary CSV (-o) too, and says which kind it read" {
	gp percentiles.gp "in='$BATS_FILE_TMPDIR/presets.csv'; out='sum.png'"
	assert_success
	assert_png sum.png
	gp percentiles.gp "in='$BATS_FILE_TMPDIR/presets.csv'; out='sum.svg'; metric='item'"
	assert_success
	grep -q 'from the summary CSV (-o): 7 percentiles per configuration, median of 1 trial' sum.svg
	grep -q 'libuv p4' sum.svg
	grep -q 'nginx p4' sum.svg
	gp percentiles.gp "in='$BATS_FILE_TMPDIR/pct.csv'; out='long.svg'"
	assert_success
	grep -q 'from the percentiles CSV (--percentiles): the full distribution' long.svg
}

@test "percentiles.gp on a summary CSV fails naming a missing column" {
	assert_missing percentiles.gp "$BATS_FILE_TMPDIR/presets.csv" wake_p99_ns
	assert_missing percentiles.gp "$BATS_FILE_TMPDIR/presets.csv" lat_p9999_ns "metric='item'"
	assert_missing percentiles.gp "$BATS_FILE_TMPDIR/presets.csv" wakeups_nosleep
}

@test "percentiles.gp refuses a mix of summary and percentiles CSVs" {
	gp percentiles.gp "in='$BATS_FILE_TMPDIR/presets.csv $BATS_FILE_TMPDIR/pct.csv'; out='mix.png'"
	assert_failure
	[[ $stderr == *"mixes percentiles CSVs (--percentiles) and summary CSVs (-o): plot each kind on its own"* ]] ||
	    fail "stderr: $stderr"
	[ ! -s mix.png ]
}

@test "compare.gp names a preset's strategy under its label" {
	gp compare.gp "in='$BATS_FILE_TMPDIR/presets.csv'; out='presets.png'"
	assert_success
	assert_png presets.png
	gp compare.gp "in='$BATS_FILE_TMPDIR/presets.csv'; out='presets.svg'"
	assert_success
	grep -q 'libuv p4' presets.svg
	grep -q 'eventfd · epoll-et · always · drain none' presets.svg
}

@test "compare.gp renders p50/p99/max and writes per item as PNG" {
	gp compare.gp "in='$BATS_FILE_TMPDIR/sum.csv'; out='compare.png'"
	assert_success
	assert_png compare.png
}

@test "producers.gp renders a producer sweep as PNG" {
	gp producers.gp "in='$BATS_FILE_TMPDIR/producers.csv'; out='producers.png'"
	assert_success
	assert_png producers.png
}

@test "pipefull.gp renders blocked time and EAGAIN by pipe size as PNG" {
	local d=$BATS_FILE_TMPDIR
	gp pipefull.gp "in='$d/nb-4096.csv $d/nb-16384.csv $d/bw-4096.csv $d/bw-16384.csv'; out='pipefull.png'"
	assert_success
	assert_png pipefull.png
}

@test "pipefull.gp refuses a CSV that names no pipe size" {
	grep -v '^# config:' "$BATS_FILE_TMPDIR/nb-4096.csv" >nosize.csv
	gp pipefull.gp "in='nosize.csv'; out='x.png'"
	assert_failure
	[[ $stderr == *"no pipe size"* ]]
}

@test "percentiles.gp fails naming a missing column" {
	assert_missing percentiles.gp "$BATS_FILE_TMPDIR/pct.csv" inv_tail
	assert_missing percentiles.gp "$BATS_FILE_TMPDIR/pct.csv" label "metric='item'"
}

@test "compare.gp fails naming a missing column" {
	assert_missing compare.gp "$BATS_FILE_TMPDIR/sum.csv" wake_p99_ns
	assert_missing compare.gp "$BATS_FILE_TMPDIR/sum.csv" writes_per_item
}

@test "producers.gp fails naming a missing column" {
	assert_missing producers.gp "$BATS_FILE_TMPDIR/producers.csv" items_per_s
}

@test "pipefull.gp fails naming a missing column" {
	assert_missing pipefull.gp "$BATS_FILE_TMPDIR/bw-4096.csv" blocked_ns_total
}

@test "a plot script refuses a missing input, an unknown extension, a wrong CSV" {
	gp compare.gp "out='x.png'"
	assert_failure
	[[ $stderr == *"no input"* ]]
	gp compare.gp "in='does-not-exist.csv'; out='x.png'"
	assert_failure
	[[ $stderr == *"does-not-exist.csv: cannot read"* ]]
	gp compare.gp "in='$BATS_FILE_TMPDIR/sum.csv'; out='x.jpg'"
	assert_failure
	[[ $stderr == *"must end in .png or .svg"* ]]
	# a percentiles CSV is not a summary CSV
	gp compare.gp "in='$BATS_FILE_TMPDIR/pct.csv'; out='x.png'"
	assert_failure
	[[ $stderr == *"missing column \"wake_p50_ns\""* ]]
	[ ! -e x.png ]
}

@test "plots/make-plots is executable and refuses an unknown FORMAT" {
	[ -x "$PLOTS/make-plots" ]
	run --separate-stderr env FORMAT=jpg "$PLOTS/make-plots" "$BATS_TEST_TMPDIR/out"
	assert_failure
	[[ $stderr == *"FORMAT=jpg"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
}

@test "the README shows every picture make-plots renders, and its examples write distinct files" {
	local root=$BATS_TEST_DIRNAME/../.. made shown
	made=$(sed -n 's/^[[:space:]]*plot [a-z]*\.gp \([a-z-]*\) .*/\1/p' "$root/plots/make-plots" | sort)
	shown=$(sed -n 's/^!\[.*\](plots\/out\/\([a-z-]*\)\.png)$/\1/p' "$root/README.md" | sort)
	[ -n "$made" ] && [ "$made" = "$shown" ] ||
	    fail "make-plots renders: $(echo $made); the README shows: $(echo $shown)"
	# every tracked picture is one of them
	for f in $(git -C "$root" ls-files 'plots/out/*.png'); do
		f=${f#plots/out/}
		grep -qx "${f%.png}" <<<"$made" || fail "tracked but not rendered: $f"
	done
	# no two example commands write the same file
	dup=$(grep -o "out='[^']*'" "$root/README.md" | sort | uniq -d)
	[ -z "$dup" ] || fail "written twice: $dup"
}
