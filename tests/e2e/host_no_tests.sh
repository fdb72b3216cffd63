#!/usr/bin/env bash
# No test selected is not a pass (an empty Bazel shard is, see
# host_fake_guest.sh): exit 2, in every mode.
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
N=4

echo "1..$N"
[ -x "$H" ] && [ -x "$F" ] && [ -x "$EMU" ] || fail_all "no harness, emulator or fake guest in $O (make tests)"

# 7. no test selected is not a pass (an empty Bazel shard is, see host_fake_guest.sh)
for mode in "" "-j 2" "--isolate"; do
	# shellcheck disable=SC2086
	run FAKE_TESTS= -- "${R[@]}" $mode
	verdict "empty catalogue${mode:+ ($mode)}: exit 2, no tests selected" 2 'no tests? selected'
done
run FAKE_TESTS="fixture.only" -- "${R[@]}"
verdict "default set empty (only fixture.*): exit 2, no tests selected" 2 'no tests? selected'
