#!/usr/bin/env bash
# An --rpmb-file programmed with another key is refused once, saying so,
# instead of failing every rpmb test.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=1
fake_guest_setup

# a device file with another key: every rpmb test would fail; say why once
"$EMU" --init --dev "$WORK/other.img" --key "$(printf '%064d' 7)" >/dev/null 2>&1
run -- "${R[@]}" --rpmb-file "$WORK/other.img" fake.pass1
verdict "--rpmb-file with another key: exit 2, the key does not match" 2 'key does not match'
