#!/usr/bin/env bash
# The result bookkeeping is linear: 200,000 results in one boot finish
# (the outer timeout catches a quadratic one).
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/../e2e/lib.sh"
E2E_TIMEOUT=20
F=$O/tests/tools/fake_guest
EMU=$O/host/testrunner-rpmb-dev
FAKE_IMG=$WORK/image.elf
: >"$FAKE_IMG"
R=(run --image "$FAKE_IMG" --qemu "$F" --timeout 2)
N=1

echo "1..$N"
[ -x "$H" ] && [ -x "$F" ] && [ -x "$EMU" ] || fail_all "no harness, emulator or fake guest in $O (make tests)"

# the catalogue of 200,000 names is read first: give that listing more than a test's 2 s
E2E_TIMEOUT=60 run FAKE_TESTS= FAKE_COUNT=200000 -- "${R[@]}" --timeout 30
: >"$WORK/out"
verdict "200,000 results in one boot: bookkeeping is linear (done within 60 s)" 0 \
	'^200000 passed, 0 failed, 0 skipped$'
