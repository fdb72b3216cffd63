#!/usr/bin/env bash
# With -j, guest lines longer than 4 KiB still reach stdout whole.
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

# -j 2: lines over 4 KiB stay whole
run FAKE_TESTS="l.longlineA l.longlineB" -- "${R[@]}" -j 2 l
awk '/^[AB]/ { if (length($0) != 10000 || ($0 ~ /A/ && $0 ~ /B/)) bad++; else whole++ }
	END { exit !(bad == 0 && whole == 40) }' "$WORK/out" || rc="$rc, lines cut or mixed"
: >"$WORK/out"
verdict "-j 2, 10,000-byte lines from both guests: every line whole" 0
