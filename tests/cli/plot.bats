#!/usr/bin/env bats
# --plot FILE.png|FILE.svg: gnuplot draws the run's percentiles with the
# project's plots/percentiles.gp; refused before the run without gnuplot.

load helper

@test "--plot FILE.png: a PNG, renamed into place, no temporary file left" {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed (tests/run installs it)"
	wb "${SHORT[@]}" -m pipe,eventfd --plot wake.png
	completed
	[ -s wake.png ]
	[ "$(head -c 8 wake.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
	# more than an empty frame
	[ "$(stat -c %s wake.png)" -gt 20000 ]
	# neither the picture's temporary file nor the CSV gnuplot read
	run ls -A
	refute_output --partial ".wakebench-"
}

@test "--plot FILE.svg: the picture carries the command and the environment" {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed (tests/run installs it)"
	wb "${SHORT[@]}" -m eventfd --plot-metric item --plot item.svg
	completed
	grep -q '<svg' item.svg
	# (the command may be wrapped between words on a long path)
	grep -qF -- "-m eventfd" item.svg
	grep -qF -- "--plot-metric item" item.svg
	grep -qF -- "--plot item.svg" item.svg
	grep -q "Item latency by percentile" item.svg
	grep -q "cpuidle driver" item.svg
	grep -q "eventfd poll always all p4" item.svg
}

@test "--plot without gnuplot in PATH is refused before the run, with the install command" {
	mkdir empty
	run --separate-stderr timeout -k 5 20 env PATH="$PWD/empty" "$WAKEBENCH" -d 30s --plot w.png
	assert_failure 2
	[[ $stderr == "wakebench: --plot: w.png: needs gnuplot, and there is none in PATH; install it (Debian, Ubuntu: sudo apt-get install gnuplot-nox"* ]]
	assert_output ""
	[ ! -e w.png ]
}

@test "--plot and --plot-metric: bad values are refused before the run" {
	wb -d 30s --plot w.txt
	assert_failure 2
	[ "$stderr" = "wakebench: --plot: w.txt: the name must end in .png or .svg (the picture's format)" ]
	wb -d 30s --plot -
	assert_failure 2
	wb -d 30s --plot-metric bogus
	assert_failure 2
	[ "$stderr" = "wakebench: --plot-metric: bogus: unknown metric; expected one of wake, item, net_rtt" ]
	wb -d 30s -c 0 --plot-metric net_rtt --plot w.png
	assert_failure 2
	wb -d 30s --plot w.png --csv w.png
	assert_failure 2
	[ ! -e w.png ]
}
