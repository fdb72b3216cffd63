#!/usr/bin/env bash
# testrunner-host with real QEMU and the guest image (build/guest/testrunner.elf):
# each exit path, crash symbolization, reboot after a crash, -j 2, --isolate,
# JUnit checked by xmllint, QEMU killed mid-run, signals. Every test fails
# when the image is missing or cannot list its tests.
set -u
. "$(dirname "$0")/lib.sh"
N=26

echo "1..$N"
# the guest is part of the build: no image, or one that cannot list, is a failure
[ -f "$IMG" ] || fail_all "no guest image at $IMG"
run list --image "$IMG" --timeout 10
if [ $rc != 0 ] || ! grep -qx fixture.pass "$WORK/out" || ! grep -qx fixture.crash "$WORK/out"; then
	fail_all "the guest image cannot list its fixture tests (list exit $rc: $(head -1 "$WORK/err"))"
fi

R=(run --image "$IMG" --timeout 10)
run "${R[@]}" fixture.pass; check "pass: exit 0" 0 '^1 passed, 0 failed, 0 skipped$'
grep -qx 'ok 1 fixture.pass' "$WORK/out"; rc=$?; check "pass: the guest's KTAP relayed on stdout" 0
run "${R[@]}" fixture.fail; check "fail: exit 1 with the assertion" 1 '^FAIL +fixture.fail .*fixture.c'
run "${R[@]}" --junit "$WORK/fail.xml" fixture.fail_twice
grep -qE '^    guest/tests/fixture.c:[0-9]+: .*2 < 1' "$WORK/err" || rc="$rc, no second assertion"
check "two failed assertions: both on stderr with file:line" 1 '^    guest/tests/fixture.c:[0-9]+: .*1 \+ 1'
body=$(xmllint --xpath 'string(//testcase[@name="fail_twice"]/failure)' "$WORK/fail.xml" 2>&1)
grep -qE '^guest/tests/fixture.c:[0-9]+: .*1 \+ 1' <<<"$body" && grep -qE '^guest/tests/fixture.c:[0-9]+: .*2 < 1' <<<"$body"
rc=$?; check "two failed assertions: both in JUnit's failure body" 0
run "${R[@]}" fixture.crash; check "crash: exit 1 with the exception" 1 'exception: ESR=0x[0-9a-f]+ ELR=0x'
if command -v aarch64-linux-gnu-addr2line >/dev/null; then
	grep -qE 'ELR 0x[0-9a-f]+: [a-z_]+.* at .*\.c:[0-9]+' "$WORK/err"; rc=$?
	check "crash: ELR symbolized with addr2line" 0
else
	n=$((n + 1)); echo "ok $n # SKIP aarch64-linux-gnu-addr2line not installed"
fi
start=$EPOCHREALTIME
run run --image "$IMG" --timeout 1 fixture.hang
check "hang: exit 1, TIMEOUT names the test" 1 '^TIMEOUT +fixture.hang .*no result within 1 s'
awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a < 5) }'; rc=$?
check "hang: QEMU stopped promptly after the timeout" 0
run "${R[@]}" no.such_test; check "unknown test: exit 2 naming it" 2 'no.such_test'
run "${R[@]}" --qemu "$WORK/nonexistent-qemu" fixture.pass
check "missing QEMU: exit 2, one line" 2 '^testrunner-host: qemu: .*nonexistent-qemu: not found$'
: >"$WORK/notexec"
run "${R[@]}" --qemu "$WORK/notexec" fixture.pass
check "non-executable QEMU: exit 2" 2 'notexec: not executable$'
run run --image "$WORK/missing.elf" fixture.pass
check "missing image: exit 2, one line" 2 '^testrunner-host: image: .*missing.elf: No such file or directory$'
run "${R[@]}" 'bad selector'; check "malformed selector: exit 2" 2 "^testrunner-host: selector 'bad selector'"

run "${R[@]}" -j 2 fixture.pass selftest.timer selftest.mmu selftest.fdt
check "-j 2: exit 0, every test reported" 0 '^4 passed, 0 failed, 0 skipped$'
run "${R[@]}" --isolate fixture.pass fixture.fail
check "--isolate: one boot each, both reported" 1 '^1 passed, 1 failed, 0 skipped$'
run "${R[@]}" fixture.crash fixture.pass fixture.fail
check "crash-and-continue: the tests after the crash still run" 1 '^1 passed, 2 failed, 0 skipped$'
grep -qE '^PASS +fixture.pass' "$WORK/err"; rc=$?; check "crash-and-continue: fixture.pass ran after the reboot" 0

run "${R[@]}" --junit "$WORK/junit.xml" --ktap "$WORK/all.ktap" fixture.crash fixture.fail fixture.pass
check "reports: exit 1" 1
xmllint --noout "$WORK/junit.xml" 2>"$WORK/err" &&
[ "$(xmllint --xpath 'count(//testcase)' "$WORK/junit.xml")" = 3 ] &&
[ "$(xmllint --xpath 'count(//testcase[@name="crash"]/error)' "$WORK/junit.xml")" = 1 ] &&
[ "$(xmllint --xpath 'count(//testcase[@name="fail"]/failure)' "$WORK/junit.xml")" = 1 ] &&
[ "$(xmllint --xpath 'string(/testsuites/@failures)' "$WORK/junit.xml")" = 1 ] &&
[ "$(xmllint --xpath 'string(/testsuites/@errors)' "$WORK/junit.xml")" = 1 ] &&
xmllint --xpath 'string(//testcase[@name="crash"]/system-out)' "$WORK/junit.xml" |
	grep -q 'exception: ESR='; rc=$?
check "JUnit validated by xmllint: crash error, fail failure, the same counts at the top" 0

# QEMU killed under the harness: exit 2 within a second, naming the running test
timeout -k 5 60 "$H" run --image "$IMG" --timeout 30 fixture.hang >"$WORK/out" 2>"$WORK/err" &
pid=$!
qpid=""
for _ in $(seq 100); do
	qpid=$(pgrep -f "qemu-system-aarch64.*$TMPDIR" | head -1)
	[ -n "$qpid" ] && grep -q 'start fixture.hang' "$WORK/out" 2>/dev/null && break
	sleep 0.05
done
killed=$EPOCHREALTIME
[ -n "$qpid" ] && kill -KILL "$qpid"
wait $pid
rc=$?
check "QEMU SIGKILLed: exit 2, says QEMU died naming the test" 2 'QEMU died .*fixture.hang'
awk -v a="$killed" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a < 1) }'; rc=$?
check "QEMU SIGKILLed: harness exits within 1 s" 0

# SIGTERM and SIGINT to the harness while QEMU runs a test
for sig in TERM INT; do
	timeout -k 5 60 "$H" run --image "$IMG" --timeout 30 fixture.hang >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	for _ in $(seq 100); do
		pgrep -f "qemu-system-aarch64.*$TMPDIR" >/dev/null &&
			grep -q 'start fixture.hang' "$WORK/out" 2>/dev/null && break
		sleep 0.05
	done
	sent=$EPOCHREALTIME
	kill -$sig $pid
	wait $pid
	rc=$?
	[ $sig = TERM ] && want=143 || want=130
	check "SIG$sig: exit $want, QEMU and temporary directory gone" $want
	awk -v a="$sent" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a < 2) }'; rc=$?
	check "SIG$sig: harness gone within 2 s" 0
done
