#!/usr/bin/env bash
# Harnesses creating one new --rpmb-file at once: none fails with 'File
# exists' (the device one of them made is the device).
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=1
fake_guest_setup

# two harnesses creating one new --rpmb-file at once: the loser is not told
# "File exists" (it may find the device in use by the winner, and say so)
bad=""
for round in 1 2 3 4 5; do
	pids=()
	for i in 1 2 3; do
		timeout -k 5 20 "$H" "${R[@]}" --rpmb-file "$WORK/race$round.img" fake.pass1 \
			>/dev/null 2>"$WORK/race.$i" &
		pids+=($!)
	done
	for i in 1 2 3; do
		wait "${pids[$((i - 1))]}"
		r=$?
		if [ $r != 0 ] && ! grep -q 'in use by another' "$WORK/race.$i"; then
			bad="$bad round $round: exit $r: $(grep -m1 testrunner-host "$WORK/race.$i");"
		fi
	done
done
[ -z "$bad" ]; rc=$?
verdict "three harnesses create one new --rpmb-file at once: none fails on it ($bad)" 0
