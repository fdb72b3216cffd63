#!/usr/bin/env bash
# No test selected is not a pass (an empty Bazel shard is, see
# host_fake_guest.sh): exit 2, in every mode.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=4
fake_guest_setup

# 7. no test selected is not a pass (an empty Bazel shard is, see host_fake_guest.sh)
for mode in "" "-j 2" "--isolate"; do
	# shellcheck disable=SC2086
	run FAKE_TESTS= -- "${R[@]}" $mode
	verdict "empty catalogue${mode:+ ($mode)}: exit 2, no tests selected" 2 'no tests? selected'
done
run FAKE_TESTS="fixture.only" -- "${R[@]}"
verdict "default set empty (only fixture.*): exit 2, no tests selected" 2 'no tests? selected'
