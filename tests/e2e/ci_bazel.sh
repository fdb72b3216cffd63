#!/usr/bin/env bash
# Bazel's test protocol against the fake guest (tests/tools/fake_guest.c):
# TEST_TIMEOUT, XML_OUTPUT_FILE, TEST_UNDECLARED_OUTPUTS_DIR,
# TEST_PREMATURE_EXIT_FILE, TESTBRIDGE_TEST_ONLY, TEST_TMPDIR, SIGTERM; and
# the other engines' shard variables. No QEMU needed.
set -u
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=30
use_fake_guest

R=(run --image "$IMG" --qemu "$F")
X=$WORK/test.xml OUTS=$WORK/outputs PREM=$WORK/premature
# xp XPATH: the count of nodes XPATH selects in $X
xp() { xmllint --xpath "count($1)" "$X" 2>/dev/null; }
bazel_env() { echo XML_OUTPUT_FILE="$X" TEST_UNDECLARED_OUTPUTS_DIR="$OUTS" TEST_PREMATURE_EXIT_FILE="$PREM"; }
fresh() { rm -rf "$X" "$OUTS" "$PREM"; mkdir -p "$OUTS"; }

echo 1..27

# TEST_TIMEOUT=4: Bazel kills at 4 s; the harness ends first, by itself
fresh
# shellcheck disable=SC2046
E2E_TIMEOUT=4 run $(bazel_env) TEST_TIMEOUT=4 FAKE_TESTS="a.one a.hang a.two" -- "${R[@]}" --timeout 60 a
check "TEST_TIMEOUT: exit 1 before Bazel's timeout, the hang named" 1 \
	'TIMEOUT +a.hang .*time limit \(TEST_TIMEOUT\)'
grep -q '1 passed, 1 failed, 0 skipped, 1 not run' "$WORK/err"; rc=$?
check "TEST_TIMEOUT: the test after it reported as not run" 0
is "XML_OUTPUT_FILE: one testcase per test, the hang a TIMEOUT error, the rest not run" \
	test "$(xp '//testcase')/$(xp '//testcase[@name="hang"]/error[@type="TIMEOUT"]')/$(xp '//testcase[@name="two"]/error[@type="NOT RUN"]')/$(xp '//testcase[@name="one"][not(*)]')" = 3/1/1/1
is "TEST_UNDECLARED_OUTPUTS_DIR: the merged KTAP document" \
	grep -qx 'not ok 2 a.hang # TIMEOUT .*' "$OUTS/testrunner.ktap"
is "TEST_UNDECLARED_OUTPUTS_DIR: each boot's QEMU and serial logs" \
	test -f "$OUTS/boot-1.qemu.log" -a -f "$OUTS/boot-2.qemu.log" -a -f "$OUTS/boot-2.serial.log"
is "TEST_PREMATURE_EXIT_FILE removed on a clean exit" test ! -e "$PREM"

# the premature-exit file exists while the run does
fresh
# shellcheck disable=SC2046
env $(bazel_env) FAKE_TESTS="a.hang" "$H" "${R[@]}" --timeout 1 a >"$WORK/out" 2>"$WORK/err" &
pid=$!
for _ in $(seq 100); do [ -e "$PREM" ] && break; sleep 0.02; done
[ -e "$PREM" ]; seen=$?
wait $pid
rc=$?
[ $seen = 0 ] && [ ! -e "$PREM" ] || rc="premature file seen: $seen, after: $(ls "$PREM" 2>&1)"
check "TEST_PREMATURE_EXIT_FILE: created at the start, gone at the end" 1

# SIGTERM from Bazel: reports written, QEMU stopped, nothing left
fresh
# shellcheck disable=SC2046
env $(bazel_env) FAKE_TESTS="a.one a.hang a.two" timeout 20 "$H" "${R[@]}" a >"$WORK/out" 2>"$WORK/err" &
pid=$!
for _ in $(seq 100); do grep -q '# start a.hang' "$WORK/out" && break; sleep 0.02; done
kill -TERM $pid
wait $pid
rc=$?
check "SIGTERM: exit 143, QEMU and temporary directory gone" 143 'interrupted by Terminated'
is "SIGTERM: the JUnit report written" test "$(xp '//testcase[@name="one"][not(*)]')" = 1
is "SIGTERM: the KTAP document written" grep -qx 'ok 1 a.one' "$OUTS/testrunner.ktap"
is "SIGTERM: TEST_PREMATURE_EXIT_FILE removed" test ! -e "$PREM"

# --junit wins over XML_OUTPUT_FILE
fresh
# shellcheck disable=SC2046
run $(bazel_env) FAKE_TESTS="a.one" -- "${R[@]}" --junit "$WORK/mine.xml" a
check "--junit given: exit 0" 0
is "--junit given: XML_OUTPUT_FILE left alone" test -f "$WORK/mine.xml" -a ! -e "$X"

# TESTBRIDGE_TEST_ONLY (bazel test --test_filter)
run TESTBRIDGE_TEST_ONLY="a.one,a.three" FAKE_TESTS="a.one a.two a.three" FAKE_RECORD="$WORK/rec" -- "${R[@]}"
check "TESTBRIDGE_TEST_ONLY: only the filter's tests run" 0 '^2 passed, 0 failed'
is "TESTBRIDGE_TEST_ONLY: the request names them" grep -qE 'boottest (--reset(-after-crash)? )?a.one a.three' "$WORK/rec"
run TESTBRIDGE_TEST_ONLY="*.two" FAKE_TESTS="a.one a.two b.two" FAKE_RECORD="$WORK/rec2" -- "${R[@]}" a
check "TESTBRIDGE_TEST_ONLY beside selectors: it narrows them" 0 '^1 passed, 0 failed'
is "TESTBRIDGE_TEST_ONLY beside selectors: only their common test requested" grep -qxE 'boottest (--reset(-after-crash)? )?a.two' "$WORK/rec2"
run TESTBRIDGE_TEST_ONLY="b.*" FAKE_TESTS="a.one b.two" -- "${R[@]}" a
check "TESTBRIDGE_TEST_ONLY that leaves nothing: exit 0, says so" 0 'the filter leaves no test selected'
# a manual test named by the filter runs, as naming it as a selector does;
# a glob does not name it
run TESTBRIDGE_TEST_ONLY="fixture.one" FAKE_TESTS="fixture.one fixture.two" -- "${R[@]}" fixture
check "TESTBRIDGE_TEST_ONLY naming a manual test of the target's suite: it runs" 0 '^1 passed, 0 failed'
run TESTBRIDGE_TEST_ONLY="fixture.*" FAKE_TESTS="fixture.one fixture.two" -- "${R[@]}" fixture
check "TESTBRIDGE_TEST_ONLY glob over manual tests: still names none" 2 'picks only manual tests'
run TESTBRIDGE_TEST_ONLY="a b;c" -- "${R[@]}"
check "TESTBRIDGE_TEST_ONLY: a bad selector is a usage error" 2 "TESTBRIDGE_TEST_ONLY: selector 'b;c'"

# a TEST_TMPDIR too long for a socket: said, and a short directory used for
# the sockets alone (tests/e2e/long_tmpdir.sh has the real QEMU runs)
long=$TMPDIR/$(printf 'd%.0s' $(seq 110))
mkdir -p "$long"
run TMPDIR="$long" FAKE_TESTS="a.one" -- "${R[@]}" a
rmdir "$long"
check "TMPDIR too long for sun_path: exit 0, with a warning" 0 \
	'warning: temporary directory .* too long for a unix socket .*boot directories stay there, their sockets go to /tmp/testrunner-sockets\.'

# other engines' shards: GitLab's index is 1-based, the engine is named
run CI_NODE_INDEX=1 CI_NODE_TOTAL=2 FAKE_TESTS="a.one a.two a.three" -- "${R[@]}" a
check "GitLab CI_NODE_INDEX=1 of 2: the first shard's tests" 0 '^2 passed, 0 failed'
grep -q 'shard 0 of 2 (from 0) chosen by GitLab (CI_NODE_INDEX=1 CI_NODE_TOTAL=2)' "$WORK/err"; rc=$?
check "GitLab: the engine said on stderr" 0
run BUILDKITE_PARALLEL_JOB=1 BUILDKITE_PARALLEL_JOB_COUNT=2 FAKE_TESTS="a.one a.two a.three" -- "${R[@]}" a
check "Buildkite job 1 of 2: the second shard" 0 '^1 passed, 0 failed'
run CIRCLE_NODE_INDEX=0 CIRCLE_NODE_TOTAL=2 CI_NODE_INDEX=2 CI_NODE_TOTAL=2 -- "${R[@]}" a
check "CircleCI and GitLab disagree: usage error" 2 'disagree'
run CI_NODE_INDEX=9 CI_NODE_TOTAL=2 FAKE_TESTS="a.one a.two" -- "${R[@]}" --shard-index 1 --shard-count 2 a
check "explicit --shard-index wins over the environment" 0 '^1 passed, 0 failed'
