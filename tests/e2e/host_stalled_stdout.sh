#!/usr/bin/env bash
# A stdout that does not keep up (a stalled reader, a full device, a
# closed pipe) never blocks the harness: signals and deadlines still act,
# and a write error is reported with its real errno.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=5
fake_guest_setup

# 4. a stdout nobody reads does not stop signals or deadlines
mkfifo "$WORK/stalled"
for sig in TERM INT; do
	sleep 30 <"$WORK/stalled" &
	reader=$!
	bg+=($reader)
	FAKE_TESTS="big.flood" FAKE_FLOOD=0xffffffffffff "$H" "${R[@]}" --timeout 30 big \
		>"$WORK/stalled" 2>"$WORK/err" &
	pid=$!
	(sleep "$E2E_TIMEOUT"; kill -9 "$pid") 2>/dev/null &
	bg+=($!)
	wait_for grep -q pipe_write "/proc/$pid/wchan"
	sent=$EPOCHREALTIME
	kill -$sig $pid
	finish
	took_under "$sent" 1 || rc="$rc, took over 1 s"
	[ $sig = TERM ] && want=143 || want=130
	verdict "stdout stalled: SIG$sig ends the run within 1 s, exit $want, nothing left" $want
	kill "$reader" 2>/dev/null
done
# --timeout fires while the reader stalls: QEMU stopped and the directory
# removed then; the exit waits for the reader to take the log
(sleep 3; cat >/dev/null) <"$WORK/stalled" &
bg+=($!)
FAKE_TESTS="big.flood" FAKE_FLOOD=20000000 "$H" "${R[@]}" --timeout 1 big \
	>"$WORK/stalled" 2>"$WORK/err" &
pid=$!
(sleep "$E2E_TIMEOUT"; kill -9 "$pid") 2>/dev/null &
bg+=($!)
sleep 2.5
left=$(ls -A "$TMPDIR")
pgrep -f "$F.*$TMPDIR" >/dev/null && left="$left QEMU"
finish
[ -z "$left" ] || rc="$rc, at 2.5 s still there: $left"
verdict "stdout stalled: --timeout 1 stops QEMU on time, exit 1 TIMEOUT" 1 '^TIMEOUT +big.flood'
# the real errno: a full device, a broken pipe
timeout -k 5 20 "$H" "${R[@]}" fake.pass1 >/dev/full 2>"$WORK/err"
rc=$?
verdict "stdout on /dev/full: exit 2, No space left on device" 2 \
	'^testrunner-host: writing the log to stdout: No space left on device$'
FAKE_TESTS="big.flood" FAKE_FLOOD=1000000 timeout -k 5 20 "$H" "${R[@]}" big 2>"$WORK/err" |
	head -c 100 >/dev/null
rc=${PIPESTATUS[0]}
verdict "stdout a closed pipe: exit 2, Broken pipe" 2 \
	'^testrunner-host: writing the log to stdout: Broken pipe$'
