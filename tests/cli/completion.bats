#!/usr/bin/env bats
# `wakebench completion bash|zsh`: the scripts are generated from the
# option table, so they offer what the parser accepts.

load helper

# comp WORD...: complete the last WORD of "wakebench WORD..." with the
# generated bash script; COMPREPLY one per line in $output.
comp() {
	run bash -c 'source <("$WAKEBENCH" completion bash) || exit 9
		COMP_WORDS=(wakebench "$@"); COMP_CWORD=$#
		_wakebench || exit 8
		printf "%s\n" "${COMPREPLY[@]}"' comp "$@"
	assert_success
}

@test "completion bash: registers _wakebench for wakebench" {
	run bash -c 'source <("$WAKEBENCH" completion bash) && complete -p wakebench'
	assert_success
	assert_output "complete -F _wakebench wakebench"
}

@test "completion bash: option names, from the option table" {
	comp --mec
	assert_output "--mechanism"
	comp --p
	assert_line "--poke"
	assert_line "--preset"
	assert_line "--percentiles"
	assert_line "--pin"
	# every long option of --help is offered after --
	comp --
	local offered=$output
	wb --help
	for o in $(printf '%s\n' "$output" | grep -E '^  (-., )? *--' |
	    grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
		printf '%s\n' "$offered" | grep -qx -- "$o" ||
		    { echo "not offered: $o"; return 1; }
	done
}

@test "completion bash: the mechanisms after -m are those of wakebench list" {
	comp -m ''
	local offered=$output
	wb list
	local names
	names=$(printf '%s\n' "$output" | sed -n '/^mechanisms/,/^waits/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
	[ -n "$names" ]
	[ "$(printf '%s\n' "$offered" | sort)" = "$(printf '%s\n' "$names" | sort)" ]
}

@test "completion bash: a list completes after its last comma, without repeats" {
	comp -m pipe,
	assert_line "pipe,eventfd"
	assert_line "pipe,socketpair"
	refute_line "pipe,pipe"
	comp -m pipe,ev
	[ "$(printf '%s\n' "$output" | sort)" = $'pipe,eventfd\npipe,eventfd-read\npipe,eventfd-sem' ] ||
	    fail "$output"
	# --opt=value, split at '=' as bash does, and unsplit
	comp --fault = poke-first,no-c
	assert_output "poke-first,no-cloexec"
	comp --fault=poke-first,no-c
	assert_output "--fault=poke-first,no-cloexec"
	comp -w poll,epoll-
	assert_output "poll,epoll-et"
	comp run --preset li
	assert_line "libuv"
	assert_line "libevent-master"
}

@test "completion bash: files for output options, and compare's operands" {
	touch out.csv other.txt
	comp --csv ou
	assert_output "out.csv"
	comp -o o
	assert_line "out.csv"
	assert_line "other.txt"
	comp compare out.csv ot
	assert_output "other.txt"
	comp probe --json o
	assert_line "out.csv"
	# a value that is a number offers nothing, not files
	comp -d ''
	assert_output ""
}

@test "completion bash: subcommands, shells and values" {
	comp ''
	assert_line "run"
	assert_line "probe"
	assert_line "compare"
	assert_line "list"
	assert_line "completion"
	comp completion ''
	assert_output $'bash\nzsh'
	comp -r m
	assert_output "max"
	comp compare --
	assert_line "--alpha"
	assert_line "--threshold"
}

@test "completion zsh: the script parses" {
	command -v zsh >/dev/null || skip "zsh is not installed (tests/run installs it)"
	wb completion zsh
	assert_success
	[ "${lines[0]}" = "#compdef wakebench" ]
	printf '%s\n' "$output" >_wakebench
	run zsh -n _wakebench
	assert_success
	# every mechanism is among the --mechanism values
	grep -q -- "--mechanism=.*_values -s , mechanism pipe eventfd eventfd-sem socketpair" _wakebench
	# sourced after compinit, it registers itself for wakebench
	run zsh -fc 'autoload -U compinit && compinit -u -D && source ./_wakebench &&
	    print -r -- $_comps[wakebench]'
	assert_success
	assert_output "_wakebench"
}

@test "completion: an unknown shell or none is refused, exit 2" {
	wb completion fish
	assert_failure 2
	[ "$stderr" = "wakebench: completion: fish: unknown shell; expected one of: bash, zsh" ]
	assert_output ""
	wb completion
	assert_failure 2
	wb completion bash zsh
	assert_failure 2
}
