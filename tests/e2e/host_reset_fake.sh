#!/usr/bin/env bash
# Reset mode against the fake guest (tests/tools/fake_guest.c, which "resets"
# by executing itself again on the same connections): the boots of a run
# share one fake QEMU; a guest that powers off instead of resetting, or never
# comes back from its reset within --boot-timeout, gets a new one and every
# test still runs once.
set -u
. "$(dirname "$0")/lib.sh"
N=6
fake_guest_setup
T="a.one a.two a.three"
pids() { sort -u "$WORK/pids" | wc -l; }
W=$WORK/fake-wrapper
printf '#!/bin/sh\necho $$ >>"%s"\nexec "%s" "$@"\n' "$WORK/pids" "$(realpath "$F")" >"$W"
chmod +x "$W"
R=(run --image "$FAKE_IMG" --qemu "$W" --timeout 2 --no-rpmb)

rm -f "$WORK/pids"
run FAKE_TESTS="$T" FAKE_RECORD="$WORK/rec" -- "${R[@]}" --isolate a
check "resetting guest: every test passes" 0 '^3 passed, 0 failed, 0 skipped$'
[ "$(pids)" = 1 ] && [ "$(grep -c '^boottest --reset' "$WORK/rec")" = 4 ]; rc=$?
check "resetting guest: list and 3 boots on one process" 0

rm -f "$WORK/pids" "$WORK/rec"
run FAKE_NO_RESET=1 FAKE_TESTS="$T" FAKE_RECORD="$WORK/rec" -- "${R[@]}" --isolate a
check "guest powers off instead of resetting: every test passes" 0 '^3 passed, 0 failed, 0 skipped$'
[ "$(pids)" = 4 ] && [ "$(grep -c '^boottest' "$WORK/rec")" = 4 ]; rc=$?
check "...a new QEMU per boot, each request sent once ($(pids) processes)" 0

rm -f "$WORK/pids" "$WORK/rec"
run FAKE_RESET_HANG=1 FAKE_TESTS="$T" FAKE_RECORD="$WORK/rec" -- "${R[@]}" --boot-timeout 1 --isolate a
check "guest silent after its reset: replaced, every test passes" 0 '^3 passed, 0 failed, 0 skipped$'
[ "$(pids)" = 4 ] && grep -q 'instead of booting again: starting a new QEMU' "$WORK/err"; rc=$?
check "...a new QEMU per boot, the replacement said ($(pids) processes)" 0
