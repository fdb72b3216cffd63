#!/usr/bin/env bash
# testrunner-rpmb-dev end to end over its unix socket, with the host build of
# the guest's RPMB client (tests/tools/rpmb_client): a new device, the same
# file again with the counter grown, kills mid-stress, malformed input, bad
# files and a second emulator on a locked file.
set -u
O=${O:-build}
DEV=$O/host/testrunner-rpmb-dev
CLIENT=$O/tests/tools/rpmb_client
T=$(mktemp -d)
pids=()
WRAP=()	# what start_emu runs the emulator under
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

echo "1..19"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
result() { if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi; }

# Start the emulator on $1 (then its options) and wait for its ready line; sets $emu.
start_emu() {
	local dev=$1
	shift
	rm -f "$T/sock" "$T/emu.out"
	"${WRAP[@]}" "$DEV" --dev "$dev" --sock "$T/sock" "$@" >"$T/emu.out" 2>>"$T/emu.err" &
	emu=$!
	pids+=("$emu")
	for _ in $(seq 100); do
		grep -q '^testrunner-rpmb-dev: listening on' "$T/emu.out" 2>/dev/null && return 0
		kill -0 "$emu" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

wait_emu() {	# exit status of $emu, killing it after 10 s
	local i
	for i in $(seq 200); do
		kill -0 "$emu" 2>/dev/null || break
		sleep 0.05
	done
	kill -9 "$emu" 2>/dev/null
	wait "$emu"
}

counter() { "$DEV" --status --dev "$1" | sed -n 's/^write counter: //p'; }

run_suite() {	# $1: device, then options; passes when every check is ok and the emulator exits 0
	start_emu "$@" || return 1
	timeout 20 "$CLIENT" "$T/sock" suite >"$T/suite.out" 2>&1
	local rc=$?
	wait_emu
	local erc=$?
	sed 's/^/# /' "$T/suite.out"
	[ $rc -eq 0 ] && [ $erc -eq 0 ] && ! grep -q '^not ok' "$T/suite.out"
}

D=$T/dev.bin
KEY=$(sed -n 's/^#define RPMB_TEST_KEY_HEX *"\([0-9a-f]*\)"/\1/p' include/testrunner/rpmb.h)
"$DEV" --init --dev "$D" --size 128 --key "$KEY" 2>/dev/null
result $? "--init creates a device with the test key"

# --init with --sock: one process makes the device, then serves it
run_suite "$T/one.bin" --init --size 128 --key "$KEY" &&
	"$DEV" --status --dev "$T/one.bin" | grep -qx 'size: 128 blocks (32768 bytes)'
result $? "--init --sock makes a new device and serves it in the same process"
c0=$(counter "$T/one.bin")
run_suite "$T/one.bin" --init --size 64 --key "$KEY" &&
	[ "$(counter "$T/one.bin")" -eq $((c0 + 2)) ] &&
	"$DEV" --status --dev "$T/one.bin" | grep -qx 'size: 128 blocks (32768 bytes)'
result $? "--init --sock on an existing device leaves it alone (size, counter) and serves it"

# --no-sync: no fsync at all, in --init or in any write; without it both sync
fsyncs() {	# $1: strace log; the number of (f|fdata)sync calls in it
	grep -cE '(^|[^a-z_])(fsync|fdatasync)\(' "$1"
}
if command -v strace >/dev/null; then
	# LeakSanitizer cannot run under ptrace (make check SANITIZE=1)
	WRAP=(env "ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0"
		strace -f -qq -e trace=fsync,fdatasync,sync_file_range,syncfs -o "$T/sync.log")
	run_suite "$T/sync.bin" --init --size 128 --key "$KEY"; rc=$?
	n_sync=$(fsyncs "$T/sync.log")
	WRAP[${#WRAP[@]} - 1]=$T/nosync.log
	run_suite "$T/nosync.bin" --init --no-sync --size 128 --key "$KEY"; rc2=$?
	n_nosync=$(fsyncs "$T/nosync.log")
	WRAP=()
	echo "# fsyncs: $n_sync without --no-sync, $n_nosync with it"
	[ $rc -eq 0 ] && [ "$n_sync" -gt 0 ]
	result $? "without --no-sync, --init and the suite's writes fsync the device"
	[ $rc2 -eq 0 ] && [ "$n_nosync" -eq 0 ] && [ "$(counter "$T/nosync.bin")" -gt 0 ]
	result $? "--no-sync: the suite passes, its writes land, and nothing is fsynced"
else
	ok "without --no-sync, --init and the suite's writes fsync the device # SKIP no strace"
	ok "--no-sync: the suite passes, its writes land, and nothing is fsynced # SKIP no strace"
fi

run_suite "$D"; result $? "suite passes on a new device"
c1=$(counter "$D")
run_suite "$D"; rc=$?
c2=$(counter "$D")
echo "# counter $c1 -> $c2"
[ $rc -eq 0 ] && [ "$c2" -eq $((c1 + 2)) ]; result $? "suite passes again on the same file, counter grown by 2"

# Kill the emulator (and its client) mid-stress, at several moments.
kills_ok=0
for when in 16 48 80; do
	start_emu "$D" || break
	timeout 60 "$CLIENT" "$T/sock" stress 100000 >"$T/stress.out" 2>&1 &
	cl=$!
	pids+=("$cl")
	# up to 30 s: a loaded CI machine can be slow to reach the point
	for _ in $(seq 3000); do
		grep -q "^progress $when\$" "$T/stress.out" && break
		kill -0 "$cl" 2>/dev/null || break
		sleep 0.01
	done
	before=$(counter "$D" 2>/dev/null)	# locked: expected to fail while serving
	kill -9 "$emu" "$cl" 2>/dev/null
	wait "$emu" "$cl" 2>/dev/null
	c=$(counter "$D") || break
	echo "# killed after progress $when: counter $c"
	[ -z "$before" ] && [ "$c" -ge $((c2 + when)) ] && kills_ok=$((kills_ok + 1))
	c2=$c
done
[ $kills_ok -eq 3 ]; result $? "emulator killed 3 times mid-stress: file opens, counter kept every acknowledged write"
run_suite "$D"; result $? "suite passes on the file after the kills"

c3=$(counter "$D")
start_emu "$D"
timeout 10 "$CLIENT" "$T/sock" garbage >"$T/g.out" 2>&1; rc=$?
wait_emu; erc=$?
sed 's/^/# /' "$T/g.out"
[ $rc -eq 0 ] && [ $erc -eq 3 ]; result $? "malformed frame count: connection closed, exit 3"
grep -q 'malformed input' "$T/emu.err"; result $? "malformed input is reported in one line"
[ "$c3" -eq "$(counter "$D")" ] && run_suite "$D"; result $? "file intact after malformed input"

echo "not an rpmb device" >"$T/junk"
"$DEV" --status --dev "$T/junk" 2>/dev/null; rc=$?
[ $rc -eq 2 ]; result $? "--status on a foreign file exits 2"
rm -f "$T/sock"
"$DEV" --dev "$T/junk" --sock "$T/sock" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && [ ! -e "$T/sock" ]; result $? "a bad device file fails before the socket exists"

start_emu "$D"
"$DEV" --dev "$D" --sock "$T/sock2" >/dev/null 2>"$T/lock.err"; rc=$?
kill -9 "$emu"; wait "$emu" 2>/dev/null
[ $rc -eq 2 ] && grep -q 'in use' "$T/lock.err"; result $? "a second emulator on the same file is refused"

"$DEV" --dev "$D" >/dev/null 2>"$T/usage.err"; rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$T/usage.err")" = 1 ] &&
	grep -q '^testrunner-rpmb-dev: mode: exactly one of' "$T/usage.err"
result $? "usage error exits 1 with one line"
"$DEV" --init --status --dev "$D" >/dev/null 2>"$T/usage.err"; rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$T/usage.err")" = 1 ] &&
	grep -q '^testrunner-rpmb-dev: mode: exactly one of' "$T/usage.err"
result $? "--init with --status: usage error, exit 1, one line"
"$DEV" --bogus --dev "$D" >/dev/null 2>"$T/usage.err"; rc=$?
[ $rc -eq 1 ] && [ "$(cat "$T/usage.err")" = \
	"testrunner-rpmb-dev: --bogus: unknown option (--help for usage)" ]
result $? "unknown option: exit 1, one line naming it"
"$DEV" --init >/dev/null 2>"$T/usage.err"; rc=$?
[ $rc -eq 1 ] && [ "$(cat "$T/usage.err")" = \
	"testrunner-rpmb-dev: --dev: missing (every mode needs the device FILE)" ]
result $? "no --dev: exit 1, one line"
