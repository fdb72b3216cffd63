#!/usr/bin/env bash
# An out-of-range --timeout or --boot-timeout names the limit (7 days).
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

# an out-of-range timeout names the limit
run -- "${R[@]}" --timeout 1e9 fake.pass1
verdict "--timeout 1e9: exit 2, says the limit" 2 '^testrunner-host: --timeout: .*604800'
run -- "${R[@]}" --boot-timeout 1e9 fake.pass1
verdict "--boot-timeout 1e9: exit 2, says the limit" 2 '^testrunner-host: --boot-timeout: .*604800'
