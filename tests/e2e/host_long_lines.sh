#!/usr/bin/env bash
# With -j, guest lines longer than 4 KiB still reach stdout whole.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=1
fake_guest_setup

# -j 2: lines over 4 KiB stay whole
run FAKE_TESTS="l.longlineA l.longlineB" -- "${R[@]}" -j 2 l
awk '/^[AB]/ { if (length($0) != 10000 || ($0 ~ /A/ && $0 ~ /B/)) bad++; else whole++ }
	END { exit !(bad == 0 && whole == 40) }' "$WORK/out" || rc="$rc, lines cut or mixed"
: >"$WORK/out"
verdict "-j 2, 10,000-byte lines from both guests: every line whole" 0
