#!/usr/bin/env bash
# Started with stdin and stdout closed: descriptors 0-2 stay ours, the log
# is never written into the harness's own pipe, and the error is said.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=1
fake_guest_setup

# stdin and stdout closed: the log has nowhere to go, and the harness says so
timeout -k 5 20 "$H" "${R[@]}" fake.pass1 <&- >&- 2>"$WORK/err"
rc=$?
verdict "stdin and stdout closed: exit 2, the real errno" 2 \
	'^testrunner-host: writing the log to stdout: Bad file descriptor$'
