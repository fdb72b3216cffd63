#!/usr/bin/env bash
# The JUnit of real runs against what Jenkins accepts (tests/ci/junit-jenkins.xsd,
# through xmllint --schema): pass, fail, crash, hang, skip, retries
# (rerunFailure; flakyFailure from the fake guest, whose test passes on a
# retry), shards. Under JENKINS_URL there is no <testcase file>, which the
# schema rejects; elsewhere (GitLab) the file is kept.
set -u
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=90
XSD=$(dirname "$0")/../ci/junit-jenkins.xsd
X=$WORK/junit.xml
N=14
echo "1..$N"
[ -x "$H" ] && [ -f "$IMG" ] && [ -f "$XSD" ] || fail_all "no harness, image or schema (make)"

# valid FILE: it validates against the schema; why it does not in $WORK/xsd
valid() { xmllint --noout --schema "$XSD" "$1" 2>"$WORK/xsd"; }
xp() { xmllint --xpath "$1" "$X" 2>/dev/null; }
J=(JENKINS_URL=https://jenkins.example/)
mixed=(fixture.pass fixture.fail fixture.crash fixture.hang fixture_setup_skips.only)

run "${J[@]}" -- run -j 2 --timeout 5 --junit "$X" "${mixed[@]}"
check "Jenkins: a run that passes, fails, crashes, hangs and skips: exit 1" 1
is "Jenkins: its JUnit validates" valid "$X"
is "Jenkins: a testcase for each, with its failure, errors and skip" test \
	"$(xp 'count(//testcase)')/$(xp 'count(//failure)')/$(xp 'count(//error[@type="CRASH"])')/$(xp 'count(//error[@type="TIMEOUT"])')/$(xp 'count(//skipped)')" \
	= "${#mixed[@]}/1/1/1/1"
is "Jenkins: no <testcase file>" test "$(xp 'count(//testcase/@file)')" = 0

# the same run for GitLab: file kept, and it is the one thing the schema refuses
run GITLAB_CI=true -- run -j 2 --timeout 5 --junit "$X" "${mixed[@]}"
check "GitLab: the same run, exit 1" 1
is "GitLab: every testcase has its file" test "$(xp 'count(//testcase[@file])')" = "$(xp 'count(//testcase)')"
! valid "$X" && ! grep -v "attribute 'file'" "$WORK/xsd" | grep -q 'validity error'; rc=$?
check "GitLab: the schema refuses <testcase file> and nothing else" 0

# retries: a test that never passes has its earlier attempt as rerunFailure
run "${J[@]}" -- run --retry 1 --junit "$X" fixture.fail
check "Jenkins --retry 1, a failing test: exit 1" 1
is "Jenkins --retry: rerunFailure, and the JUnit validates" \
	test "$(xp 'count(//testcase/rerunFailure)')" = 1 -a "$(valid "$X"; echo $?)" = 0

# one that passes on its retry (the fake guest's a.flaky): flakyFailure
use_fake_guest
mkdir -p "$WORK/state"
run "${J[@]}" FAKE_STATE="$WORK/state" FAKE_TESTS="a.flaky a.ok" -- run --image "$IMG" --qemu "$F" \
	--retry 2 --junit "$X" a
check "Jenkins --retry, a flaky test: exit 0" 0
is "Jenkins --retry: flakyFailure, and the JUnit validates" \
	test "$(xp 'count(//testcase/flakyFailure)')" = 1 -a "$(valid "$X"; echo $?)" = 0
IMG=$O/guest/testrunner.elf

# shards: each one's report validates and they add up to the suite
total=$("$H" list selftest | wc -l)
sum=0 bad=0
for i in 0 1; do
	run "${J[@]}" CI_NODE_INDEX=$((i + 1)) CI_NODE_TOTAL=2 -- run --junit "$WORK/shard$i.xml" selftest
	[ "$rc" = 0 ] && valid "$WORK/shard$i.xml" || bad=1
	sum=$((sum + $(xmllint --xpath 'count(//testcase)' "$WORK/shard$i.xml" 2>/dev/null || echo 0)))
done
is "two GitLab shards under Jenkins: both pass and validate" test "$bad" = 0
is "the shards' testcases add up to the suite ($total)" test "$sum" = "$total" -a "$total" -gt 0

# the schema is not lax: skipped= on <testsuites> is refused
sed 's/<testsuites /<testsuites skipped="0" /' "$WORK/shard0.xml" >"$WORK/bad.xml"
is "the schema refuses <testsuites skipped>" eval '! valid "$WORK/bad.xml"'
