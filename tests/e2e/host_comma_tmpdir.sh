#!/usr/bin/env bash
# A TMPDIR with a comma: QEMU takes -serial file:PATH literally (no ,,
# escaping there, unlike its -chardev options).
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
N=2

echo "1..$N"
[ -x "$H" ] && [ -x "$F" ] && [ -x "$EMU" ] || fail_all "no harness, emulator or fake guest in $O (make tests)"

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
