#!/usr/bin/env bash
# make check-bazel: testrunner_test (tests/bazel/testrunner.bzl) under Debian's
# real Bazel (bazel-bootstrap 4.2.3), offline: a sharded suite, a failing
# target, a hanging target under a short --test_timeout and a --test_filter
# run, each checked in Bazel's own test.xml and outputs. The harness, the
# emulator and the image are copied into a scratch workspace and reach the
# tests as runfiles only. Not part of make check: it starts a Bazel server.
set -u
O=${O:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mkdir -p "$O" && cd "$O" && pwd)/bazel
WS=$OUT/ws
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
is() {	# is NAME COMMAND...
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
N=17
echo "1..$N"
fail_all() {
	for i in $(seq $((n + 1)) "$N"); do echo "not ok $i - $1"; done
	exit 1
}
command -v bazel >/dev/null || fail_all "no bazel (make check-bazel installs bazel-bootstrap)"
for f in host/testrunner-host host/testrunner-rpmb-dev guest/testrunner.elf; do
	[ -x "$O/$f" ] || [ -f "$O/$f" ] || fail_all "$O/$f missing: make first"
done

# the scratch workspace: the rule as the repository has it, the programs as files
rm -rf "$WS"
mkdir -p "$WS/tests/bazel" "$WS/bin"
cp "$SRC"/tests/bazel/{BUILD,testrunner.bzl,testrunner_test.sh} "$WS/tests/bazel/"
cp "$O/host/testrunner-host" "$O/host/testrunner-rpmb-dev" "$O/guest/testrunner.elf" "$WS/bin/"
echo 'workspace(name = "testrunner_check")' >"$WS/WORKSPACE"
echo 'exports_files(["testrunner-host", "testrunner-rpmb-dev", "testrunner.elf"])' >"$WS/bin/BUILD"
cat >"$WS/BUILD" <<'BUILD'
load("//tests/bazel:testrunner.bzl", "testrunner_test")

[testrunner_test(
    name = name,
    harness = "//bin:testrunner-host",
    image = "//bin:testrunner.elf",
    rpmb_dev = "//bin:testrunner-rpmb-dev",
    selectors = selectors,
    shard_count = shards,
    harness_args = ["--timeout", "30"],
) for name, selectors, shards in [
    ("selftest", ["selftest"], 3),
    ("failing", ["fixture.pass", "fixture.fail"], None),
    ("hanging", ["fixture.fail", "fixture.hang", "fixture.pass"], None),
    ("filtered", ["fixture"], None),
]]
BUILD
# Debian's Bazel: its own install base, and local stand-ins for the
# repositories it would download for any sh_test
S=$SRC/tests/bazel/standins
cat >"$WS/.bazelrc" <<RC
startup --install_base=/usr/share/bazel
build --override_repository=remote_coverage_tools=$S/remote_coverage_tools
build --override_repository=rules_cc=$S/rules_cc
build --override_repository=rules_java=$S/rules_java
build --spawn_strategy=linux-sandbox
test --test_output=errors
# every run runs the tests: a cached result would check nothing
test --nocache_test_results
RC
# bz ARGS...: one bazel invocation, its output in $OUT/log (and all of them in all.log)
bz() {
	local rc
	(cd "$WS" && timeout -k 10 600 bazel --output_user_root="$OUT/root" "$@") >"$OUT/log" 2>&1
	rc=$?
	cat "$OUT/log" >>"$OUT/all.log"
	return $rc
}
rm -f "$OUT/all.log"
LOGS=$WS/bazel-testlogs
# xp FILE XPATH: what XPATH gives in FILE
xp() { xmllint --xpath "$2" "$1" 2>/dev/null; }

# a sharded suite: disjoint, complete, each shard's report ours
bz test //:selftest; rc=$?
is "sharded suite: bazel test passes (exit $rc)" test $rc = 0
all=$(for i in 1 2 3; do
	x=$LOGS/selftest/shard_${i}_of_3/test.xml
	xp "$x" '//testcase/@name' | tr ' ' '\n' | sed -n 's/^name="\(.*\)"$/\1/p'
done | sort)
want=$("$O/host/testrunner-host" list --image "$O/guest/testrunner.elf" | sed -n 's/^selftest\.//p' | sort)
is "sharded suite: the shards' test.xml are ours and cover the suite once" \
	test -n "$want" -a "$all" = "$want"
is "sharded suite: every shard's report from the harness (XML_OUTPUT_FILE)" \
	test "$(for i in 1 2 3; do xp "$LOGS/selftest/shard_${i}_of_3/test.xml" 'count(/testsuites[@name="testrunner"])'; done | tr -d '\n')" = 111
is "sharded suite: the outputs zip holds the KTAP and the boot logs" \
	sh -c "unzip -l '$LOGS/selftest/shard_1_of_3/test.outputs/outputs.zip' | grep -q testrunner.ktap &&
		unzip -l '$LOGS/selftest/shard_1_of_3/test.outputs/outputs.zip' | grep -q 'boot-[0-9]*.serial.log'"

# a failing target
bz test //:failing; rc=$?
is "failing target: bazel test fails (exit $rc, 3 = tests failed)" test $rc = 3
x=$LOGS/failing/test.xml
is "failing target: test.xml has the failure and the pass" \
	test "$(xp "$x" 'count(//testcase[@name="fail"]/failure)')/$(xp "$x" 'count(//testcase[@name="pass"][not(failure|error)])')" = 1/1
is "failing target: testcase file= names the source" \
	test "$(xp "$x" 'string(//testcase[@name="fail"]/@file)')" != ""

# a hang under a short --test_timeout: the harness ends first and reports it
before=$(ls -d /tmp/testrunner.* /tmp/testrunner-sockets.* 2>/dev/null | wc -l)
bz test //:hanging --test_timeout=8; rc=$?
x=$LOGS/hanging/test.xml
is "hanging target: bazel test fails (exit $rc), not by Bazel's own timeout" \
	sh -c "test $rc = 3 && grep -q '^//:hanging .*FAILED in' '$OUT/log'"
is "hanging target: the hang is a TIMEOUT error in test.xml" \
	test "$(xp "$x" 'count(//testcase[@name="hang"]/error[@type="TIMEOUT"])')" = 1
# catalogue order: fixture.fail, fixture.hang, fixture.pass
is "hanging target: the test before it ran (and failed), the one after it not run" \
	test "$(xp "$x" 'count(//testcase[@name="fail"]/failure)')/$(xp "$x" 'count(//testcase[@name="pass"]/error[@type="NOT RUN"])')" = 1/1
is "hanging target: the KTAP document in the outputs" \
	sh -c "unzip -p '$LOGS/hanging/test.outputs/outputs.zip' testrunner.ktap | grep -q '^not ok 2 fixture.hang # TIMEOUT'"
is "hanging target: the long TEST_TMPDIR said once: files stay in it, sockets apart" \
	test "$(grep -c 'warning: temporary directory .*/_tmp/.* too long for a unix socket address .*boot directories stay there, their sockets go to /tmp/testrunner-sockets\.' "$LOGS/hanging/test.log")" = 1
after=$(ls -d /tmp/testrunner.* /tmp/testrunner-sockets.* 2>/dev/null | wc -l)
is "hanging target: no temporary or socket directory left ($before before, $after after)" test "$after" -le "$before"
is "hanging target: no premature exit" sh -c "! grep -qi 'premature' '$OUT/log'"

# --test_filter: TESTBRIDGE_TEST_ONLY as the selection
bz test //:filtered --test_filter=fixture.pass; rc=$?
x=$LOGS/filtered/test.xml
is "--test_filter: bazel test passes (exit $rc)" test $rc = 0
# fixture.pass is .manual: named by the filter, it runs beside the target's "fixture"
is "--test_filter: test.xml has fixture.pass alone" \
	test "$(xp "$x" 'count(//testcase)')/$(xp "$x" 'string(//testcase/@name)')" = 1/pass

is "every target ran: no result from Bazel's cache" sh -c "! grep -q '(cached)' '$OUT/all.log'"
(cd "$WS" && bazel --output_user_root="$OUT/root" shutdown) >/dev/null 2>&1
[ "$n" = "$N" ] || echo "not ok $((n + 1)) - planned $N, ran $n"
