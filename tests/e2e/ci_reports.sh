#!/usr/bin/env bash
# Reports as CI engines read them, against the fake guest: JUnit's shape
# (xmllint XPath: file, timestamp, hostname, retries, no attribute the
# Jenkins schemas reject), nested KTAP in --ktap, --tap through prove and
# tappy, --json and --rerun-failed. No QEMU needed.
set -u
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=30
use_fake_guest

R=(run --image "$IMG" --qemu "$F" --timeout 2)
X=$WORK/junit.xml
# xp XPATH: what XPATH gives in $X (a count, a string)
xp() { xmllint --xpath "$1" "$X" 2>/dev/null; }
quiet() { "$@" >/dev/null 2>&1; }

echo 1..26

mkdir -p "$WORK/state"
run FAKE_FILES=1 FAKE_STATE="$WORK/state" FAKE_TESTS="a.flaky a.ok b.fail" -- "${R[@]}" --retry 2 --junit "$X" a b
check "--retry with a flaky and a failing test: exit 1" 1 '^2 passed, 1 failed'
is "JUnit: each testcase's file is its source from the catalogue" \
	test "$(xp 'count(//testcase[@file])')/$(xp 'string(//testcase[@classname="b"]/@file)')" = 3/fake/b.c
is "JUnit: timestamp on every testsuite, an xs:dateTime without a zone" \
	test "$(xp 'count(//testsuite[string-length(@timestamp)=19][contains(@timestamp,"T")])')" = 2
is "JUnit: hostname on every testsuite" \
	test "$(xp 'string(//testsuite[1]/@hostname)')" = "$(hostname)"
is "JUnit: the flaky test passed, its failed attempt a flakyFailure" \
	test "$(xp 'count(//testcase[@name="flaky"]/flakyFailure)')/$(xp 'count(//testcase[@name="flaky"]/failure)')" = 1/0
is "JUnit: a test that always failed: its failure and a rerunFailure per retry" \
	test "$(xp 'count(//testcase[@name="fail"]/failure)')/$(xp 'count(//testcase[@name="fail"]/rerunFailure)')" = 1/2
is "JUnit: no skipped= on <testsuites> (the xunit plugin's schema rejects it)" \
	test "$(xp 'count(/testsuites/@skipped)')/$(xp 'count(/testsuites/@tests)')" = 0/1
is "JUnit: classname is the suite, name the case" \
	test "$(xp 'count(//testcase[@classname="a"][@name="ok"])')" = 1

# --ktap: a guest's nested KTAP stays its subtests, at the KTAP spec's 4-space indent
K=$WORK/run.ktap
run FAKE_TESTS="a.nested a.ok" -- "${R[@]}" --ktap "$K" a
check "nested subtests: exit 1" 1 '^1 passed, 1 failed'
is "--ktap: the failing subtest kept as a subtest, not a comment" \
	in_order "$K" '^# start a.nested$' '^    KTAP version 1$' '^    1\.\.2$' '^    ok 1 sub_a$' \
	'^    not ok 2 sub_b$' '^not ok 1 a\.nested$'
is "--ktap: no subtest line commented out" test "$(grep -c '^#  ' "$K")" = 0

# --tap: TAP version 13 that prove and tappy read
T=$WORK/run.tap
run FAKE_TESTS="a.one a.skip a.two" -- "${R[@]}" --tap "$T" a
check "--tap, all pass: exit 0" 0 '^2 passed, 0 failed, 1 skipped'
is "--tap: prove -e cat accepts an all-pass run" quiet prove -e cat "$T"
is "--tap: tappy accepts an all-pass run (exit 0)" quiet tappy "$T"
is "--tap: the header is TAP version 13" test "$(head -1 "$T")" = "TAP version 13"
run FAKE_TESTS="a.one a.crash a.two a.hang" -- "${R[@]}" --timeout 0.5 --tap "$T" a
check "--tap, a crash and a hang: exit 1" 1 '^2 passed, 2 failed'
is "--tap: ERROR and TIMEOUT are comments, not part of the name" \
	in_order "$T" '^not ok 2 - a\.crash$' '^# a\.crash: ERROR' '^not ok 4 - a\.hang$' '^# a\.hang: TIMEOUT'
prove -e cat "$T" >/dev/null 2>&1; p=$?
tappy "$T" >/dev/null 2>&1; t=$?
is "--tap: prove and tappy both see the failures" test "$p/$t" = 1/1

# --json and --rerun-failed
J=$WORK/run.json
run FAKE_TESTS="a.one a.crash a.two a.hang" -- "${R[@]}" --timeout 0.5 --json "$J" a
check "--json: exit 1" 1
is "--json: one record per test, each with its fields" \
	test "$(wc -l <"$J")/$(grep -c '^{"name":"a\.[a-z]*","status":"[A-Z]*","time":[0-9.]*,"reason":.*,"log":null,"tries":1}$' "$J")" = 4/4
is "--json: the crash's status and reason" grep -q '^{"name":"a.crash","status":"CRASH",.*"reason":"exception"' "$J"
run FAKE_TESTS="a.one a.crash a.two a.hang" FAKE_RECORD="$WORK/rec" -- "${R[@]}" --timeout 0.5 --rerun-failed "$J"
check "--rerun-failed: exit 1, the two failures run again" 1 '^0 passed, 2 failed'
is "--rerun-failed: only they were requested" grep -qxE 'boottest (--reset(-after-crash)? )?a.crash a.hang' "$WORK/rec"
grep -v crash "$J" | grep -v hang >"$WORK/passed.json"
run -- "${R[@]}" --rerun-failed "$WORK/passed.json"
check "--rerun-failed with nothing failed: exit 0, says so" 0 'no test failed there'
printf '{"name":"a.one","status":"FAIL"}\n{"name":"a;b","status":"FAIL"}\n' >"$WORK/bad.json"
run -- "${R[@]}" --rerun-failed "$WORK/bad.json"
check "--rerun-failed, a record with a bad name: exit 2, line named" 2 'bad.json: line 2: not a --json record: name is not a test name'
run -- "${R[@]}" --rerun-failed "$WORK/none.json"
check "--rerun-failed, no such file: exit 2" 2 'none.json: No such file or directory'
