#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# docs/ci.md's examples are real: every harness option in them (a
# testrunner-host command line, harness_args) is one `testrunner-host run
# --help` lists, every `make TARGET` a target of ours, every testrunner_test
# attribute one tests/bazel/testrunner.bzl takes, every repository path a file
# or directory that exists, every CI variable one the harness reads. Then
# the same check on broken copies of the page must fail, one per kind.
set -u
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
H=$O/host/testrunner-host
DOC=${DOC_CI:-docs/ci.md}
BZL=tests/bazel/testrunner.bzl
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
echo "1..7"
[ -x "$H" ] && [ -f "$DOC" ] && [ -f "$BZL" ] || {
	for _ in $(seq 7); do not_ok "no $H, $DOC or $BZL (make)"; done
	exit 1
}
help=$("$H" run --help 2>&1)
targets=$(sed -n 's/^\([a-zA-Z][a-zA-Z0-9_ -]*\):.*/\1/p' Makefile tests/*.mk tests/*/*.mk guest/sdk/*.mk 2>/dev/null |
	tr ' ' '\n' | sort -u)
# testrunner_test's own parameters and the sh_test ones its docstring passes on
attrs=$({
	sed -n '/^def testrunner_test(/,/^):/p' "$BZL" | sed -n 's/^ *\([a-z_]*\)[,= ].*/\1/p'
	sed -n "s/.*\*\*kwargs: sh_test's own (\(.*\)).*/\1/p" "$BZL" | tr -c 'a-z_\n' ' ' | tr ' ' '\n'
} | grep . | sort -u)

# code: the page's code (fenced blocks and 4-space indented lines)
code() { awk '/^```/ { f = !f; next } f || /^    / { print }' "$1"; }

# problems DOC: one line per thing DOC names that does not exist
problems() {
	local doc=$1 o t a p v
	for o in $(code "$doc" | grep -E 'testrunner-host|harness_args' |
		grep -oE '(^|[ "[])--?[a-z][a-z-]*' | sed 's/^[ "[]//' | sort -u); do
		grep -qE -- "(^|[ ,])$o([ ,]|$)" <<<"$help" || echo "option $o: not in testrunner-host run --help"
	done
	for t in $(grep -oE '(^|[ `])make [a-z][a-z-]*' "$doc" | sed 's/.*make //' | sort -u); do
		grep -qx -- "$t" <<<"$targets" || echo "make $t: no such target"
	done
	for a in $(code "$doc" | sed -n '/^testrunner_test(/,/^)/p' | sed -n 's/^ *\([a-z_]*\) = .*/\1/p' | sort -u); do
		grep -qx -- "$a" <<<"$attrs" || echo "testrunner_test attribute $a: not in $BZL"
	done
	for p in $(grep -oE '`[a-z][a-z_]*/[^` ]*`' "$doc" | tr -d '`' | grep -vE '^(build|bazel-)' |
		grep -vE '[*$<]' | sed 's|/$||' | sort -u); do
		[ -e "$p" ] || echo "path $p: does not exist"
	done
	for v in $(grep -oE '`[A-Z][A-Z0-9]*_[A-Z0-9_]*' "$doc" | tr -d '`' | sort -u); do
		grep -rqw -- "$v" host || echo "variable $v: the harness does not read it"
	done
}

out=$(problems "$DOC")
if [ -z "$out" ]; then ok "$DOC: every option, target, attribute, path and variable exists"; else
	not_ok "$DOC names what does not exist:"; sed 's/^/# /' <<<"$out"; fi
# the examples the page promises: a BUILD file, a GitLab parallel: job with
# its JUnit report, a Jenkins junit step, harness command lines
c=$(code "$DOC")
grep -q '^testrunner_test(' <<<"$c" && grep -q '^  parallel: [0-9]' <<<"$c" &&
	grep -A1 '^    reports:' <<<"$c" | grep -q '^      junit: ' &&
	grep -q '^ *junit testResults: ' <<<"$c" && grep -q 'testrunner-host run' <<<"$c"
if [ $? = 0 ]; then ok "$DOC has its BUILD, GitLab parallel: with junit:, Jenkins junit examples"; else
	not_ok "$DOC lacks one of: testrunner_test(, parallel:, reports: junit:, junit testResults:"; fi

# self-check: each kind of mistake in a copy is found
broken() {	# broken NAME SED-EXPR WANT: the copy edited by SED-EXPR names WANT as missing
	local copy
	copy=$(mktemp) || return 1
	sed "$2" "$DOC" >"$copy"
	if cmp -s "$DOC" "$copy"; then not_ok "self-check $1: the edit changed nothing"
	elif problems "$copy" | grep -q -- "$3"; then ok "self-check $1: found"
	else not_ok "self-check $1: not found"; fi
	rm -f "$copy"
}
broken "a misspelt option" 's/run -j 2 --junit report.xml/run -j 2 --junitt report.xml/' 'option --junitt'
broken "a make target that is not one" 's/`make check-bazel`/`make check-bazle`/' 'make check-bazle'
broken "an attribute testrunner_test lacks" 's/^    harness_args = /    harness_argz = /' 'attribute harness_argz'
broken "a file that does not exist" 's|`tests/bazel/testrunner.bzl`|`tests/bazel/testrunner.bzlx`|' 'path tests/bazel/testrunner.bzlx'
broken "a variable the harness does not read" 's/`CI_NODE_INDEX`/`CI_NODE_INDX`/' 'variable CI_NODE_INDX'
