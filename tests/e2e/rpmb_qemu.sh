#!/usr/bin/env bash
# The rpmb suite in real QEMU through testrunner-host and testrunner-rpmb-dev:
# a new device, the same file again with the counter grown, a temporary device
# per boot (-j 2, reboots), QEMU and the emulator SIGKILLed in the middle of
# rpmb.stress (acknowledged writes survive, the file passes the suite after),
# and the harness's RPMB errors (-j with one file, a bad file, a busy file).
set -u
. "$(dirname "$0")/lib.sh"
EMU=$O/host/testrunner-rpmb-dev
N=24
DEV=$WORK/dev.img
LEFTOVER="($TMPDIR|$WORK/dev)"

run() {
	harness run --image "$IMG" --timeout 20 "$@"
}

counter() { "$EMU" --status --dev "$1" 2>/dev/null | sed -n 's/^write counter: \([0-9]*\).*/\1/p'; }

echo "1..$N"
[ -f "$IMG" ] && [ -x "$EMU" ] || fail_all "no guest image or emulator in $O"
# the suite's size, from the image's own catalogue
NR=$("$H" list --image "$IMG" | grep -c '^rpmb\.')
[ "$NR" -gt 0 ] || fail_all "list shows no rpmb tests"

# 1-4: a new device, then the same file again
run --rpmb-file "$DEV" rpmb
check "new --rpmb-file: the rpmb suite passes" 0 "^$NR passed, 0 failed, 0 skipped\$"
c1=$(counter "$DEV")
"$EMU" --status --dev "$DEV" >"$WORK/status" 2>&1
is "new device: created with the test key, counter grown to $c1" \
	grep -qx 'key: programmed' "$WORK/status"
stress=$(sed -n 's/^PASS *rpmb.stress (\([0-9.]*\) s)$/\1/p' "$WORK/err")
echo "# rpmb.stress: ${stress:-?} s (256 authenticated writes of 1-7 blocks, each read back)"
run --rpmb-file "$DEV" rpmb
check "same file again: the rpmb suite passes" 0 "^$NR passed, 0 failed, 0 skipped\$"
c2=$(counter "$DEV")
is "same file again: counter grew ($c1 -> $c2)" test "${c2:-0}" -gt "${c1:-0}" -a "${c1:-0}" -gt 0

# 5-8: temporary devices (the suite without rpmb.stress: its fsyncs are the slow part)
QUICK=(rpmb.program_key rpmb.read_counter rpmb.write_read rpmb.counter_increments
       rpmb.replay_rejected rpmb.bad_mac_rejected rpmb.address_rejected rpmb.blocks_consistent)
run "${QUICK[@]}"
check "no --rpmb-file: a temporary device, the suite passes" 0 "^${#QUICK[@]} passed, 0 failed, 0 skipped\$"
run -j 2 "${QUICK[@]}" selftest.console
check "-j 2: each instance its own temporary device" 0 "^$((${#QUICK[@]} + 1)) passed, 0 failed, 0 skipped\$"
run --no-rpmb rpmb
check "--no-rpmb: no rpmb0 port, the suite skips" 0 "^0 passed, 0 failed, $NR skipped\$"
run fixture.crash rpmb.write_read rpmb.counter_increments
check "crash then reboot: a new emulator serves the next boot" 1 '^2 passed, 1 failed, 0 skipped$'

# 9-10: one file, one boot at a time
c1=$(counter "$DEV")
run --rpmb-file "$DEV" --isolate rpmb.write_read rpmb.counter_increments rpmb.replay_rejected
check "--isolate on one file: an emulator per boot, one after another" 0 '^3 passed, 0 failed, 0 skipped$'
c2=$(counter "$DEV")
is "--isolate: the three boots all wrote to the file ($c1 -> $c2)" test "${c2:-0}" -ge $((c1 + 4))

# 11-13: errors
run --rpmb-file "$DEV" -j 2 rpmb
check "--rpmb-file with -j 2: refused, one line" 2 '^testrunner-host: --rpmb-file: one device file cannot serve -j'
printf 'not an rpmb device' >"$WORK/garbage"
run --rpmb-file "$WORK/garbage" rpmb.read_counter
check "--rpmb-file on a bad file: exit 2 saying why" 2 'garbage: not an RPMB device file'
"$EMU" --dev "$DEV" --sock "$WORK/busy.sock" >/dev/null 2>&1 &
bg+=($!)
for _ in $(seq 100); do [ -S "$WORK/busy.sock" ] && break; sleep 0.02; done
run --rpmb-file "$DEV" rpmb.read_counter
kill -9 "${bg[-1]}" 2>/dev/null; wait "${bg[-1]}" 2>/dev/null; rm -f "$WORK/busy.sock"
check "--rpmb-file served by another emulator: exit 2, in use" 2 'in use by another testrunner-rpmb-dev'

# 14-22: SIGKILL QEMU and the emulator together in the middle of rpmb.stress, three times
# The guest sends its progress lines only at the end, so watch the device's own
# header (le32 write counter at offset 0, written after each commit).
hdr_counter() { od -An -tu4 -N4 "$DEV" | tr -d ' '; }

kill_round() {	# $1: kill once this many stress writes are in; prints "killed seen harness-exit"
	local at=$1 c0 qpid="" epid="" seen=0 killed=0 hp
	c0=$(counter "$DEV")
	timeout -k 5 60 "$H" run --image "$IMG" --timeout 20 --rpmb-file "$DEV" \
		rpmb.stress >"$WORK/out" 2>"$WORK/err" &
	hp=$!
	for _ in $(seq 4000); do
		# the boot with the RPMB port, not the catalogue boot before it
		[ -z "$qpid" ] && qpid=$(pgrep -f "qemu-system-aarch64.*$TMPDIR.*name=rpmb0" | head -1)
		[ -z "$epid" ] && epid=$(pgrep -f "testrunner-rpmb-dev --dev $DEV" | head -1)
		seen=$(hdr_counter)
		if [ -n "$qpid" ] && [ -n "$epid" ] && [ "$seen" -ge $((c0 + at)) ]; then
			kill -9 "$qpid" "$epid" && killed=1
			break
		fi
		kill -0 $hp 2>/dev/null || break
		sleep 0.002
	done
	wait $hp
	echo "$killed $seen $?"
}
prev=$(counter "$DEV")
for at in 32 128 224; do
	# a stress that finished before the kill landed proves nothing: again, up to 3 times
	for _ in 1 2 3; do
		read -r killed acked hrc < <(kill_round $at)
		grep -q '^ok .*rpmb.stress' "$WORK/out" && killed=0	# too late: it finished
		[ "$killed" = 1 ] && break
	done
	c=$(counter "$DEV")
	is "kill at $at writes: both SIGKILLed mid-stress, harness says QEMU died (exit $hrc)" \
		test "$killed" = 1 -a "$hrc" = 2 -a -n "$(grep "QEMU died" "$WORK/err")"
	is "kill at $at writes: every acknowledged write is durable (counter $c >= $acked)" \
		test -n "$c" -a "${c:-0}" -ge "${acked:-1}"
	is "kill at $at writes: counter never goes back ($prev -> $c), nothing left behind" \
		test "${c:-0}" -ge "$prev" -a -z "$(ls -A "$TMPDIR")" -a -z "$(pgrep -f "$TMPDIR")"
	prev=${c:-$prev}
done
run --rpmb-file "$DEV" rpmb
check "after the kills: the file passes the whole suite" 0 "^$NR passed, 0 failed, 0 skipped\$"
grep -q '^ok [0-9]* rpmb.blocks_consistent$' "$WORK/out"; rc=$?
check "after the kills: every block is whole and in place" 0
