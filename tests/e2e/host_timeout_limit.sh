#!/usr/bin/env bash
# An out-of-range --timeout or --boot-timeout names the limit (7 days).
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=2
fake_guest_setup

# an out-of-range timeout names the limit
run -- "${R[@]}" --timeout 1e9 fake.pass1
verdict "--timeout 1e9: exit 2, says the limit" 2 '^testrunner-host: --timeout: .*604800'
run -- "${R[@]}" --boot-timeout 1e9 fake.pass1
verdict "--boot-timeout 1e9: exit 2, says the limit" 2 '^testrunner-host: --boot-timeout: .*604800'
