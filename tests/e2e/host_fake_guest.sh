#!/usr/bin/env bash
# testrunner-host against the fake guest (tests/tools/fake_guest.c): every exit
# path, protocol violations, reboot after crash/timeout, -j, --isolate, --retry,
# shards, reports, signals. No QEMU needed; each case takes milliseconds.
set -u
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=30
use_fake_guest

R=(run --image "$IMG" --qemu "$F" --timeout 2)

echo 1..69
run -- "${R[@]}" fake; check "pass: exit 0 and summary" 0 '^2 passed, 0 failed, 1 skipped$'
grep -q '^ok 1 fake.pass1$' "$WORK/out"; rc=$?; check "guest log relayed to stdout" 0
run -- "${R[@]}" fixture.fail; check "fail: exit 1, reason shown" 1 'FAIL +fixture.fail .*EXPECT_EQ'
run -- "${R[@]}" fixture.crash; check "crash: exit 1 with the exception report" 1 'exception: ESR=0x96000045 ELR=0x40201234'
run -- "${R[@]}" --timeout 0.5 fixture.hang; check "hang: exit 1, test named, TIMEOUT" 1 'TIMEOUT +fixture.hang .*no result within 0.5 s'
run -- "${R[@]}" nosuch.test; check "unknown test resolved from the catalogue: exit 2" 2 "selector 'nosuch.test': matches no test"
run -- "${R[@]}" -j 2 nosuch; check "unknown test resolved on the host: exit 2" 2 "selector 'nosuch': matches no test"

# crash and hang in one boot: the harness reboots and runs the rest
run FAKE_TESTS="a.one a.crash a.two a.hang a.three" FAKE_RECORD="$WORK/rec" -- "${R[@]}" --timeout 0.5 a
check "crash-and-continue: every test reported" 1 '^3 passed, 2 failed, 0 skipped$'
grep -c '^boottest' "$WORK/rec" | grep -qx 4; rc=$?; check "crash-and-continue: boot, list, 2 reboots" 0
grep -qxE 'boottest (--reset(-after-crash)? )?a.two a.hang a.three' "$WORK/rec"; rc=$?; check "rest requested by name after a crash" 0
rm -f "$WORK/rec"

for m in unknown-type big-size random trailing bad-status ktap-v2; do
	run FAKE_GUEST=$m -- "${R[@]}" fake; check "protocol violation $m: exit 2" 2 'protocol violation'
done
run FAKE_GUEST=close-early -- "${R[@]}" fake; check "closed before result: exit 2, test named" 2 'channel closed before the result frame while fake.pass1'
run FAKE_GUEST=close-mid-frame -- "${R[@]}" fake; check "closed mid-frame: exit 2" 2 'middle of a frame'
run FAKE_GUEST=log-forever -- "${R[@]}" --timeout 0.5 fake; check "log forever without a test: exit 2 at the timeout" 2 'no test started within 0.5 s'
# a test that logs without end must not keep the per-test timeout alive
# (stdout to /dev/null: the flood runs at full speed until the harness stops it)
start=$EPOCHREALTIME
FAKE_TESTS="big.flood" FAKE_FLOOD=0xffffffffffff timeout -k 5 30 "$H" "${R[@]}" --timeout 0.5 big \
	>/dev/null 2>"$WORK/err"
rc=$?
: >"$WORK/out"
awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a < 5) }' || rc="$rc, took over 5 s"
check "test logging forever: exit 1, TIMEOUT names it, promptly" 1 'TIMEOUT +big.flood'
run FAKE_GUEST=hang -- "${R[@]}" --timeout 0.5 fake; check "silent guest: exit 2 at the timeout" 2 'no output from the guest'
# a firmware that never speaks costs --boot-timeout, not the per-test timeout
start=$EPOCHREALTIME
run FAKE_GUEST=hang -- "${R[@]}" --timeout 30 --boot-timeout 0.3 fake
awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a < 3) }' || rc="$rc, took over 3 s"
check "silent guest: exit 2 at --boot-timeout" 2 'no output from the guest within 0.3 s \(--boot-timeout\)'
run -- "${R[@]}" --timeout 0.6 --boot-timeout 0.3 fixture.hang
check "--boot-timeout ends at the first output: a hung test gets --timeout" 1 'TIMEOUT +fixture.hang .*no result within 0.6 s'
run FAKE_GUEST=exit-early -- "${R[@]}" fake; check "QEMU exits before connecting: exit 2" 2 'before the guest connected'
grep -q '| fake guest: booting' "$WORK/err"; rc=$?; check "infrastructure error shows the serial tail" 0
run FAKE_GUEST=no-connect -- "${R[@]}" --timeout 0.5 fake; check "guest never connects: exit 2" 2 'did not connect within 0.5 s'
run FAKE_GUEST=die -- "${R[@]}" fake; check "QEMU killed by SIGKILL: exit 2" 2 'QEMU died \(killed by signal 9'
run FAKE_GUEST=pass-disagrees -- "${R[@]}" fake; check "result 0 but a not ok: never exit 0" 2 'protocol violation.*fake\.extra'
run FAKE_GUEST=short-plan -- "${R[@]}" fake; check "result 0 but fewer results than planned: exit 2" 2 'plan 1..4 but 3 result'
run FAKE_GUEST=fail-no-notok -- "${R[@]}" fake; check "result 1 without a failing test: exit 2" 2 'no test failed'
run FAKE_GUEST=split1 -- "${R[@]}" fake; check "one byte per write: exit 0" 0 '^2 passed'
run FAKE_GUEST=coalesce -- "${R[@]}" fake fixture.fail; check "all frames in one write: exit 1" 1 '^2 passed, 1 failed'

run FAKE_TESTS="big.flood" FAKE_FLOOD=300000 -- "${R[@]}" big; check "flood: exit 0" 0 '^1 passed'
[ "$(grep -c '^x' "$WORK/out")" = 3000 ]; rc=$?; check "flood: every log byte relayed" 0

run FAKE_RECORD="$WORK/rec" -- "${R[@]}" -j 2 fake fixture.fail fixture.crash
check "-j 2: results of both instances" 1 '^2 passed, 2 failed, 1 skipped$'
[ "$(grep -cE '^boottest (--reset(-after-crash)? )?(fixture|fake)' "$WORK/rec")" = 2 ]; rc=$?; check "-j 2: two boots after the listing" 0
rm -f "$WORK/rec"
run FAKE_RECORD="$WORK/rec" -- "${R[@]}" --isolate fake
check "--isolate: pass" 0 '^2 passed, 0 failed, 1 skipped$'
[ "$(grep -cE '^boottest (--reset(-after-crash)? )?fake\.' "$WORK/rec")" = 3 ]; rc=$?; check "--isolate: one boot per test" 0
rm -f "$WORK/rec"

mkdir -p "$WORK/state"
run FAKE_TESTS="a.flaky a.ok" FAKE_STATE="$WORK/state" -- "${R[@]}" --retry 1 a
check "--retry: flaky test passes, exit 0" 0 'flaky: passed on attempt 2'
run FAKE_TESTS="a.fail a.ok" -- "${R[@]}" --retry 2 a; check "--retry: real failure stays exit 1" 1 'round 2 of 2'

for i in 0 1 2; do
	run -- "${R[@]}" --shard-index $i --shard-count 3; cat "$WORK/err" >>"$WORK/shards"
done
[ "$(grep -c '^PASS\|^SKIP' "$WORK/shards")" = 3 ]; rc=$?; check "3 shards run each default test once" 0
run TEST_SHARD_INDEX=1 TEST_TOTAL_SHARDS=2 TEST_SHARD_STATUS_FILE="$WORK/status" -- "${R[@]}"
[ -f "$WORK/status" ] && grep -q '^1 passed, 0 failed, 0 skipped$' "$WORK/err"; rc=$?
check "Bazel sharding variables, status file touched" 0

run FAKE_TESTS="x.chatty x.fail x.crash x.skip x.ok" -- "${R[@]}" --junit "$WORK/j.xml" --ktap "$WORK/k.ktap" x
check "reports: exit 1" 1
xmllint --noout "$WORK/j.xml" 2>"$WORK/err"; rc=$?; check "JUnit of hostile output is well-formed (xmllint)" 0
[ "$(xmllint --xpath 'count(//testcase)' "$WORK/j.xml")" = 5 ] &&
[ "$(xmllint --xpath 'count(//failure)+count(//error)' "$WORK/j.xml")" = 2 ] &&
[ "$(xmllint --xpath 'count(//skipped)' "$WORK/j.xml")" = 1 ]; rc=$?
check "JUnit: one testcase per test, failures and skips" 0
# the top level adds up the suites: failures apart from errors
x() { xmllint --xpath "$1" "$WORK/j.xml"; }
[ "$(x 'sum(//testsuite/@failures)')" = "$(x 'string(/testsuites/@failures)')" ] &&
[ "$(x 'sum(//testsuite/@errors)')" = "$(x 'string(/testsuites/@errors)')" ] &&
[ "$(x 'string(/testsuites/@failures)')" = 1 ] &&
x 'string(//testcase[@name="crash"]/system-out)' | grep -q 'exception: ESR=0x96000045'; rc=$?
check "JUnit: top-level counts agree with the suites; a crash has its system-out" 0
grep -q '^not ok 3 x.crash # ERROR' "$WORK/k.ktap" && grep -q '^1..5$' "$WORK/k.ktap"; rc=$?
check "merged KTAP report" 0

# a test's own "# start ..." lines are its output, not announcements of other tests
run FAKE_TESTS="p.phase p.ok" -- "${R[@]}" p
check "'# start of phase two' inside a test: no phantom test, exit 0" 0 '^2 passed, 0 failed, 0 skipped$'
grep -qx '# start of phase two' "$WORK/out"; rc=$?; check "...and the line is relayed as output" 0

# a test that logs and then hangs: its last words survive the timeout
run FAKE_TESTS="s.stall s.ok" -- "${R[@]}" --timeout 0.5 --junit "$WORK/s.xml" s
check "log then hang: exit 1, TIMEOUT" 1 '^TIMEOUT +s.stall'
grep -q 's.stall: last words before the stall' "$WORK/out"; rc=$?
check "log then hang: the line is on stdout" 0
xmllint --xpath 'string(//testcase[@name="stall"]/system-out)' "$WORK/s.xml" 2>/dev/null |
	grep -q 'last words before the stall'; rc=$?
check "log then hang: the line is in the JUnit system-out" 0

run FAKE_TESTS="a.one" -- "${R[@]}" --shard-index 1 --shard-count 2
check "empty shard: exit 0, says so on stderr" 0 '^testrunner-host: shard 1/2: no tests selected$'
run TEST_SHARD_INDEX=0 TEST_TOTAL_SHARDS=2 TEST_SHARD_STATUS_FILE="$WORK/nodir/status" -- "${R[@]}"
check "TEST_SHARD_STATUS_FILE not creatable: exit 2, one line" 2 \
	'^testrunner-host: TEST_SHARD_STATUS_FILE .*/nodir/status: No such file or directory$'
[ "$(wc -l <"$WORK/err")" = 1 ]; rc=$?; check "...and nothing else on stderr" 0
timeout -k 5 30 "$H" "${R[@]}" fake >/dev/full 2>"$WORK/err"
rc=$?
: >"$WORK/out"
check "stdout on a full device: exit 2, says so" 2 '^testrunner-host: writing the log to stdout: '

# SIGINT while --rpmb-file is being prepared (an emulator stuck in --init):
# the harness goes at once, not after its 10 s bound
mkdir -p "$WORK/bin"
cp "$H" "$WORK/bin/"
printf '#!/bin/sh\nexec sleep 30\n' >"$WORK/bin/testrunner-rpmb-dev"
chmod +x "$WORK/bin/testrunner-rpmb-dev"
"$WORK/bin/testrunner-host" "${R[@]}" --rpmb-file "$WORK/rpmb.img" fake >"$WORK/out" 2>"$WORK/err" &
pid=$!
for _ in $(seq 50); do pgrep -f "$WORK/bin/testrunner-rpmb-dev" >/dev/null && break; sleep 0.05; done
sent=$EPOCHREALTIME
kill -INT $pid
wait $pid
rc=$?
awk -v a="$sent" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a < 1) }' || rc="$rc, took over 1 s"
check "SIGINT while the RPMB file is prepared: exit 130 within 1 s" 130 'rpmb-dev --init: interrupted'

run -- list --image "$IMG" --qemu "$F"; check "list: exit 0" 0
[ "$(cat "$WORK/out" | wc -l)" = 6 ] && grep -qx fixture.hang "$WORK/out"; rc=$?; check "list: one name per line" 0

# the catalogue's options (tests/tools/fake_guest.c sends them as the real guest does)
start=$EPOCHREALTIME
run FAKE_TESTS="o.hang o.ok" FAKE_OPTIONS="o.hang:timeout_s=1" -- "${R[@]}" --timeout 30 o
awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a < 10) }' || rc="$rc, took over 10 s"
check "a test's own timeout_s=1 fires, not --timeout 30; the next test runs" 1 \
	'TIMEOUT +o.hang .*no result within 1 s$'
grep -qE '^PASS +o.ok' "$WORK/err"; rc=$?; check "...and the test after it passes" 0
run FAKE_TESTS="c.cpus c.ok" FAKE_OPTIONS="c.cpus:cpus=3" -- "${R[@]}" c
check "a cpus=3 test: exit 0" 0 '^2 passed, 0 failed, 0 skipped$'
grep -qx '# c.cpus: 3 CPUs' "$WORK/out"; rc=$?; check "...in a boot with -smp 3 of its own" 0
run FAKE_TESTS="c.cpus c.ok" FAKE_OPTIONS="c.cpus:cpus=3" -- "${R[@]}" --smp 2 c
check "...with an explicit --smp 2: skipped, saying why" 0 'SKIP +c.cpus .*needs 3 CPUs, --smp is 2$'
run FAKE_GUEST=old-guest -- list --long --image "$IMG" --qemu "$F" fake
check "a guest that sends no catalogue lines: the defaults" 0
grep -qx 'fake.pass1 timeout_s=0 cpus=0 manual=0 file=' "$WORK/out"; rc=$?
check "...list --long shows them" 0
run FAKE_GUEST=bad-catalogue -- "${R[@]}" fake
check "a catalogue line that is not the expected one: exit 2, said" 2 \
	'^testrunner-host: listing tests: not the catalogue line of fake.pass1'

# signals: QEMU gone, directory gone, 130/143
for sig in INT TERM; do
	FAKE_TESTS="a.hang" timeout 20 "$H" run --image "$IMG" --qemu "$F" a >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 50); do pgrep -f "$TMPDIR" >/dev/null && break; sleep 0.05; done
	sleep 0.1
	kill -$sig $pid
	wait $pid
	rc=$?
	[ $sig = INT ] && want=130 || want=143
	: >"$WORK/err"; : >"$WORK/out"
	check "SIG$sig: exit $want, QEMU and temporary directory gone" $want
done
