#!/usr/bin/env bats
# make install / make uninstall into a DESTDIR: the file list, the man
# page as man(1) finds it, and nothing left after uninstall.

load helper

ROOT="$BATS_TEST_DIRNAME/../.."

# files DIR: every file and link under DIR, relative, sorted.
files() {
	(cd "$1" && find . ! -type d | sort)
}

@test "make install puts down the binary, the man page and the completions; uninstall removes them all" {
	run make -s -C "$ROOT" install DESTDIR="$PWD/d" PREFIX=/usr
	assert_success
	run files d
	assert_output "./usr/bin/wakebench
./usr/share/bash-completion/completions/wakebench
./usr/share/man/man1/wakebench.1
./usr/share/wakebench/plots/aggregate.awk
./usr/share/wakebench/plots/common.gp
./usr/share/wakebench/plots/compare.gp
./usr/share/wakebench/plots/percentiles.gp
./usr/share/wakebench/plots/pipefull.gp
./usr/share/wakebench/plots/producers.gp
./usr/share/wakebench/wakebench.schema.json
./usr/share/zsh/site-functions/_wakebench"
	[ -x d/usr/bin/wakebench ]
	run d/usr/bin/wakebench -V
	assert_success
	assert_output --regexp '^wakebench [0-9]'
	# the completions are those the binary writes
	d/usr/bin/wakebench completion bash | cmp - d/usr/share/bash-completion/completions/wakebench
	d/usr/bin/wakebench completion zsh | cmp - d/usr/share/zsh/site-functions/_wakebench
	# man finds the page by name under the installed tree, and it renders
	if command -v man >/dev/null; then
		run env MANPATH="$PWD/d/usr/share/man" man -w wakebench
		assert_success
		assert_output "$PWD/d/usr/share/man/man1/wakebench.1"
		run env MANWIDTH=80 man -l d/usr/share/man/man1/wakebench.1
		assert_success
		assert_output --partial "measure and diagnose how producer threads"
	fi
	run mandoc -Tutf8 d/usr/share/man/man1/wakebench.1
	assert_success
	assert_output --partial "completion"
	# --plot finds the installed scripts from the installed binary
	if command -v gnuplot >/dev/null; then
		run timeout -k 5 60 d/usr/bin/wakebench "${SHORT[@]}" -m eventfd --plot p.png
		completed
		[ -s p.png ]
	fi
	run make -s -C "$ROOT" uninstall DESTDIR="$PWD/d" PREFIX=/usr
	assert_success
	run files d
	assert_output ""
	# the folders that are wakebench's own are gone too
	[ ! -e d/usr/share/wakebench ]
}

@test "make install honours BINDIR and MANDIR" {
	run make -s -C "$ROOT" install DESTDIR="$PWD/d" PREFIX=/opt/wb \
	    BINDIR=/opt/bin MANDIR=/opt/man
	assert_success
	[ -x d/opt/bin/wakebench ]
	[ -f d/opt/man/man1/wakebench.1 ]
	[ -f d/opt/wb/share/bash-completion/completions/wakebench ]
	[ -f d/opt/wb/share/zsh/site-functions/_wakebench ]
	[ -f d/opt/wb/share/wakebench/wakebench.schema.json ]
	run make -s -C "$ROOT" uninstall DESTDIR="$PWD/d" PREFIX=/opt/wb \
	    BINDIR=/opt/bin MANDIR=/opt/man
	assert_success
	run files d
	assert_output ""
}
