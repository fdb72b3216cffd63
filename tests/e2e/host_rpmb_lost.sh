#!/usr/bin/env bash
# The RPMB emulator killed mid-run is an infrastructure error naming it
# (exit 2), not a failure of the guest's RPMB test.
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

# the RPMB emulator killed mid-run is an infrastructure error
start_bg FAKE_TESTS="r.rpmbeof" -- "${R[@]}" --timeout 10 r
emu_pid() { pgrep -f "testrunner-rpmb-dev --dev $TMPDIR/.*--sock-fd"; }
wait_for emu_pid >/dev/null
wait_for grep -q 'start r.rpmbeof' "$WORK/out"
epid=$(emu_pid)
[ -n "$epid" ] && kill -9 $epid
finish
verdict "RPMB emulator killed mid-run: exit 2, naming the emulator" 2 'RPMB emulator'
