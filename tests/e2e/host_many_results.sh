#!/usr/bin/env bash
# The result bookkeeping is linear: 200,000 results in one boot finish
# (the outer timeout catches a quadratic one).
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=1
fake_guest_setup

# the catalogue of 200,000 names is read first: give that listing more than a test's 2 s
E2E_TIMEOUT=60 run FAKE_TESTS= FAKE_COUNT=200000 -- "${R[@]}" --timeout 30
: >"$WORK/out"
verdict "200,000 results in one boot: bookkeeping is linear (done within 60 s)" 0 \
	'^200000 passed, 0 failed, 0 skipped$'
