#!/usr/bin/env bash
# The RPMB emulator killed mid-run is an infrastructure error naming it
# (exit 2), not a failure of the guest's RPMB test.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=1
fake_guest_setup

# the RPMB emulator killed mid-run is an infrastructure error
start_bg FAKE_TESTS="r.rpmbeof" -- "${R[@]}" --timeout 10 r
emu_pid() { pgrep -f "testrunner-rpmb-dev --dev $TMPDIR/.*--sock-fd"; }
wait_for emu_pid >/dev/null
wait_for grep -q 'start r.rpmbeof' "$WORK/out"
epid=$(emu_pid)
[ -n "$epid" ] && kill -9 $epid
finish
verdict "RPMB emulator killed mid-run: exit 2, naming the emulator" 2 'RPMB emulator'
