#!/usr/bin/env bats
# --markdown FILE (run and compare): GitHub-flavoured Markdown that a
# Markdown tool renders into tables with the run's rows.

load helper

# md2html FILE: FILE rendered to HTML by Python-Markdown with tables
# (Debian python3-markdown; tests/run installs it).
md2html() {
	local py
	for py in /usr/bin/python3 python3; do
		if "$py" -c 'import markdown' 2>/dev/null; then
			run "$py" -m markdown -x tables "$1"
			return
		fi
	done
	skip "python3-markdown is not installed (tests/run installs it)"
}

@test "--markdown: the run renders as a table with the configurations, figures and verdicts" {
	wb "${SHORT[@]}" -n 2 -m pipe,eventfd --markdown run.md
	completed
	[ -s run.md ]
	md2html run.md
	assert_success
	html=$output
	grep -q '<table>' <<<"$html"
	for th in '#' mechanism wait poke drain producers items/s 'wake p50' 'wake p99' \
	    'item p99' writes/item; do
		grep -q "<th[^>]*>$th</th>" <<<"$html" || { echo "no header $th"; return 1; }
	done
	grep -q '<td[^>]*>pipe</td>' <<<"$html"
	grep -q '<td[^>]*>eventfd</td>' <<<"$html"
	# two data rows in the first table, a cell with a unit in each
	[ "$(sed -n '/<table>/,/<\/table>/p' <<<"$html" | sed '/<\/table>/q' | grep -c '<td[^>]*>[0-9.]*[mun]\?s ±')" -ge 2 ]
	# the exact command, the environment and the verdicts
	grep -q "<code>$WAKEBENCH ${SHORT[*]} -n 2 -m pipe,eventfd --markdown run.md</code>" <<<"$html"
	grep -q 'kernel' <<<"$html"
	grep -q '<h4>Verdicts</h4>' <<<"$html"
	grep -q 'Against the baseline' <<<"$html"
	# the table on stdout is unchanged by it
	assert_output --partial "mechanism"
}

@test "--markdown -: Markdown on stdout, the table on stderr" {
	wb "${SHORT[@]}" -m eventfd --markdown -
	completed
	[[ ${lines[0]} == "### wakebench "* ]]
	[[ $stderr == *mechanism* ]]
}

@test "--markdown is checked before the run: a missing directory, stderr, stdout twice" {
	wb -d 30s -n 1 -q --markdown nodir/run.md
	assert_failure 1
	[[ $stderr == *"--markdown: nodir/run.md"* ]]
	[ ! -e nodir ]
	wb -d 30s -n 1 -q --markdown /dev/stderr
	assert_failure 2
	wb -d 30s -n 1 -q --markdown - -o -
	assert_failure 2
	[[ $stderr == *"--markdown"* ]]
	wb --markdown ''
	assert_failure 2
}

@test "compare --markdown: one table row per configuration and figure" {
	wb "${SHORT[@]}" -n 2 -m pipe,eventfd -o a.csv
	completed
	wb "${SHORT[@]}" -n 2 -m pipe,eventfd,socketpair -o b.csv
	completed
	wb compare a.csv b.csv --markdown cmp.md
	assert_success
	assert_output --partial "items/s"
	md2html cmp.md
	assert_success
	html=$output
	grep -q '<table>' <<<"$html"
	for th in configuration trials figure old new change p; do
		grep -q "<th[^>]*>$th</th>" <<<"$html" || { echo "no header $th"; return 1; }
	done
	grep -q '<td[^>]*>pipe poll always all p4</td>' <<<"$html"
	grep -q '<td[^>]*>eventfd poll always all p4</td>' <<<"$html"
	grep -q 'only in the new run: socketpair poll always all p4' <<<"$html"
	# the environment table names both files
	grep -q '<code>a.csv</code>' <<<"$html"
	# a file that cannot be written is refused before anything is read
	wb compare a.csv b.csv --markdown nodir/x.md
	assert_failure 1
	assert_output ""
	wb compare a.csv b.csv --markdown
	assert_failure 2
}
