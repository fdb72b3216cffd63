#!/usr/bin/env bash
# Each requested test reported exactly once, and only those: a boot that
# reports a test it was not asked for, a test twice or not at all is a
# protocol violation (exit 2), in every mode; no endless reboots.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=11
fake_guest_setup

# 2. a crash in a test nobody asked for makes no progress: the run ends
for mode in "" "-j 2" "--isolate"; do
	# shellcheck disable=SC2086
	run FAKE_GUEST=crash-stranger FAKE_TESTS="a.one a.two" FAKE_RECORD="$WORK/rec" -- \
		"${R[@]}" $mode a.one a.two
	boots=$(grep -c '^boottest a' "$WORK/rec" 2>/dev/null)
	[ "${boots:-0}" -le 3 ] || rc="$rc after ${boots} boots"
	verdict "crash of a test not requested${mode:+ ($mode)}: exit 2, the rest not run" 2 \
		', 2 not run$'
	rm -f "$WORK/rec"
done
# 3. the per-test deadline cannot be moved by output; results outside the
# plan are a protocol violation; log memory is bounded; time is linear
start=$EPOCHREALTIME
run FAKE_GUEST=repeat-ok FAKE_TESTS="a.one a.two" -- "${R[@]}" --timeout 1 a.one a.two
took_under "$start" 4 || rc="$rc, took over 4 s"
verdict "the same 'ok' every 0.2 s does not extend --timeout 1: exit 2 promptly" 2
# 5. a test reported twice is a protocol violation, and exit 0 needs result 0
run FAKE_GUEST=notok-then-ok FAKE_TESTS="a.one" -- "${R[@]}" a.one
verdict "'not ok 1 a.one' then 'ok 2 a.one', result 1: exit 2" 2 'a\.one'
# 6. one rule in every mode: the requested test must have been reported
for mode in "" "-j 2" "--isolate"; do
	# shellcheck disable=SC2086
	run FAKE_GUEST=plan-zero FAKE_TESTS="a.one" -- "${R[@]}" $mode a.one
	verdict "'run a.one' answered '1..0', result 0${mode:+ ($mode)}: exit 2" 2 'a\.one'
	# shellcheck disable=SC2086
	run FAKE_GUEST=answer-other FAKE_TESTS="a.one" -- "${R[@]}" $mode a.one
	verdict "'run a.one' answered 'ok 1 other.x', result 0${mode:+ ($mode)}: exit 2" 2 \
		'a\.one|other\.x'
done
