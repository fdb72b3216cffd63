#!/usr/bin/env bash
# The log kept for the reports is bounded for the whole run, not only per
# test: a guest with thousands of chatty tests costs bounded memory.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=1
fake_guest_setup

# 1000 tests of 64 KiB log each, with --junit: the harness's memory stays bounded
rss() { sed -n 's/^testrunner-host: peak RSS \([0-9]*\) KiB.*/\1/p' "$WORK/err"; }
E2E_TIMEOUT=60 run TESTRUNNER_RUSAGE=1 FAKE_TESTS= FAKE_COUNT=1000 FAKE_COUNT_PREFIX=m.flood \
	FAKE_FLOOD=65536 -- "${R[@]}"
base=$(rss) base_rc=$rc
E2E_TIMEOUT=60 run TESTRUNNER_RUSAGE=1 FAKE_TESTS= FAKE_COUNT=1000 FAKE_COUNT_PREFIX=m.flood \
	FAKE_FLOOD=65536 -- "${R[@]}" --junit "$WORK/m.xml"
grown=$(( $(rss) - ${base:-0} ))
[ "$base_rc" = 0 ] || rc="$rc (without a report: exit $base_rc)"
[ "$grown" -lt 32768 ] || rc="$rc, the report's log took $grown KiB"
verdict "64 MB of test log with --junit: exit 0, report memory under 32 MiB ($grown KiB)" 0
rm -f "$WORK/m.xml"
