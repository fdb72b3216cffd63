#!/usr/bin/env bash
# A --qemu wrapper that does not exec its QEMU: the whole process group is
# stopped, after a timeout and on SIGTERM.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=2
fake_guest_setup

# 10. a --qemu wrapper that does not exec: its children are stopped too
printf '#!/bin/sh\n"%s" "$@"\n' "$(realpath "$F")" >"$WORK/wrapper"
chmod +x "$WORK/wrapper"
run FAKE_TESTS="a.hang" -- run --image "$FAKE_IMG" --qemu "$WORK/wrapper" --timeout 0.5 a
verdict "--qemu wrapper without exec, timeout: exit 1, no process left" 1 '^TIMEOUT +a.hang'
start_bg FAKE_TESTS="a.hang" -- run --image "$FAKE_IMG" --qemu "$WORK/wrapper" --timeout 30 a
wait_for grep -q 'start a.hang' "$WORK/out"
kill -TERM $pid
finish
verdict "--qemu wrapper without exec, SIGTERM: exit 143, no process left" 143
