#!/usr/bin/env bash
# The emulator of a boot's temporary device is one process that makes the
# device and serves it, without fsync (--init --no-sync); a --rpmb-file's is
# a plain, synced server. Killed, either is an infrastructure error naming it.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=2
fake_guest_setup

# serving_emu: the pid of this script's emulator serving rpmb0 (on the
# socket it inherited): other scripts' may run meanwhile
serving_emu() { pgrep -f "testrunner-rpmb-dev --dev $WORK/.*--sock-fd"; }
# has_arg PID ARG: is ARG one of the process's arguments?
has_arg() { tr '\0' '\n' <"/proc/$1/cmdline" | grep -qxF -- "$2"; }

# $1: what the case is; the rest: the harness's options. Sets $args to
# what the serving emulator was given beyond --dev, then kills it.
kill_serving() {
	local what=$1
	shift
	start_bg FAKE_TESTS="r.rpmbeof" -- "${R[@]}" --timeout 10 "$@" r
	wait_for serving_emu >/dev/null
	wait_for grep -q 'start r.rpmbeof' "$WORK/out"
	epid=$(serving_emu)
	args=""
	if [[ $epid =~ ^[0-9]+$ ]]; then
		for a in --init --no-sync; do has_arg "$epid" "$a" && args="$args $a"; done
	else
		args=" (not one emulator: '$epid')"
	fi
	echo "# $what: the serving emulator has:${args:- neither}"
	[ -n "$epid" ] && kill -9 $epid 2>/dev/null
	finish
}

kill_serving "temporary device"
[ "$args" = " --init --no-sync" ] || rc="args:$args"
verdict "temporary device: the serving emulator made it (--init), unsynced (--no-sync); killed: exit 2" \
	2 'RPMB emulator'

"$EMU" --init --dev "$WORK/user.img" --key "$(sed -n 's/^#define RPMB_TEST_KEY_HEX *"\([0-9a-f]*\)"/\1/p' include/testrunner/rpmb.h)" >/dev/null 2>&1
kill_serving "--rpmb-file" --rpmb-file "$WORK/user.img"
[ -z "$args" ] || rc="args:$args"
verdict "--rpmb-file: the serving emulator neither makes it nor skips fsync; killed: exit 2" \
	2 'RPMB emulator'
