#!/usr/bin/env bash
# SIGHUP, SIGQUIT and SIGALRM end a run like SIGTERM: QEMU stopped, the
# temporary directory removed, the reports written for what finished, 128+N.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=6
fake_guest_setup

# 9. SIGHUP, SIGQUIT, SIGALRM clean up like SIGTERM; the reports keep what finished
for sig in HUP QUIT ALRM; do
	rm -f "$WORK/sig.xml"
	start_bg FAKE_TESTS="a.one a.hang" -- "${R[@]}" --timeout 30 --junit "$WORK/sig.xml" a
	wait_for grep -q '^PASS *a.one' "$WORK/err"
	wait_for grep -q 'start a.hang' "$WORK/out"
	kill -$sig $pid
	finish
	want=$((128 + $(kill -l $sig)))
	verdict "SIG$sig: exit $want, QEMU and temporary directory gone" $want
	[ "$(xmllint --xpath 'count(//testcase[@name="one"])' "$WORK/sig.xml" 2>/dev/null)" = 1 ]
	rc=$?
	verdict "SIG$sig: the JUnit report holds the test that finished" 0
done
