#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make check inside a CI job: tests/e2e/lib.sh unsets every CI engine variable
# the harness reads (host/commands/ci_env.c's names, getenv() calls, the JUnit
# hints), so that the job's own shard or Bazel variables change no e2e verdict.
set -u
cd "$(dirname "$0")/../.." || exit 1
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
echo "1..2"

# the variables of CI engines the harness knows: quoted NAME_WITH_UNDERSCORES in
# ci_env.c, every getenv() and the shard status file; not the user's own
# (NO_COLOR, TERM, PATH, TMPDIR, TESTRUNNER_*)
vars=$({
	grep -ho '"[A-Z][A-Z0-9]*_[A-Z0-9_]*"' host/commands/ci_env.c host/reports/junit.c
	grep -rho 'getenv("[A-Z_]*")' host | grep -o '"[A-Z_]*"'
	grep -ho '"TEST_[A-Z_]*"' host/commands/run.c
} | tr -d '"' | grep -vxE 'NO_COLOR|TERM|PATH|TMPDIR|TESTRUNNER_[A-Z_]*' | sort -u)
missing=""
for v in $vars; do
	grep -qE "^unset .*\\b$v\\b|^	.*\\b$v\\b" tests/e2e/lib.sh || missing="$missing $v"
done
if [ -n "$vars" ] && [ -z "$missing" ]; then
	ok "lib.sh unsets each of the $(echo "$vars" | wc -w) CI variables the harness reads"
else
	not_ok "lib.sh does not unset:${missing:- (no variable found)}"
fi

# and the unset really happens: a job's variables are gone after sourcing it
env_vars=()
for v in $vars; do env_vars+=("$v=1"); done
left=$(env "${env_vars[@]}" bash -c '. tests/e2e/lib.sh; env' | cut -d= -f1 | grep -xF "$(echo "$vars")")
if [ -z "$left" ]; then
	ok "after sourcing lib.sh none of them is set"
else
	not_ok "still set after sourcing lib.sh: $(echo "$left" | tr '\n' ' ')"
fi
