#!/usr/bin/env bash
# Started with stdin and stdout closed: descriptors 0-2 stay ours, the log
# is never written into the harness's own pipe, and the error is said.
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

# stdin and stdout closed: the log has nowhere to go, and the harness says so
timeout -k 5 20 "$H" "${R[@]}" fake.pass1 <&- >&- 2>"$WORK/err"
rc=$?
verdict "stdin and stdout closed: exit 2, the real errno" 2 \
	'^testrunner-host: writing the log to stdout: Bad file descriptor$'
