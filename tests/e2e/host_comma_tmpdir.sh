#!/usr/bin/env bash
# A TMPDIR with a comma: QEMU takes -serial file:PATH literally (no ,,
# escaping there, unlike its -chardev options).
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=2
fake_guest_setup

# a TMPDIR with a comma: QEMU takes -serial file:PATH literally
saved=$TMPDIR
TMPDIR=$WORK/comma,dir
mkdir -p "$TMPDIR"
run TMPDIR="$TMPDIR" -- "${R[@]}" fake.pass1
verdict "TMPDIR with a comma: exit 0" 0 '^1 passed, 0 failed, 0 skipped$'
if [ -f "$IMG" ] && command -v qemu-system-aarch64 >/dev/null; then
	run TMPDIR="$TMPDIR" -- run --image "$IMG" --timeout 10 fixture.pass
	verdict "TMPDIR with a comma, real QEMU: exit 0" 0 '^1 passed, 0 failed, 0 skipped$'
else
	not_ok "TMPDIR with a comma, real QEMU: no guest image at $IMG or no QEMU"
fi
TMPDIR=$saved
