#!/usr/bin/env bash
# Verdicts you can trust: testrunner-host against a hostile fake guest
# (tests/tools/fake_guest.c), hostile files, signals and limits. Every case
# runs under an outer timeout, so a hang is a failure, never a hung test run.
# Black-box: command line, exit code, stderr, files and processes only.
set -u
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=20
F=$O/tests/tools/fake_guest
EMU=$O/host/testrunner-rpmb-dev
FAKE_IMG=$WORK/image.elf
: >"$FAKE_IMG"
N=56

R=(run --image "$FAKE_IMG" --qemu "$F" --timeout 2)

echo "1..$N"
[ -x "$H" ] && [ -x "$F" ] || fail_all "no harness or fake guest in $O (make tests)"

# took START SECS: was less than SECS seconds spent since START ($EPOCHREALTIME)?
took_under() { awk -v a="$1" -v b="$EPOCHREALTIME" -v s="$2" 'BEGIN { exit !(b - a < s) }'; }

# What a failed case leaves behind (the bug being shown) must not fail the
# cases after it: kill our leftover processes by id and empty $TMPDIR.
tidy() {
	local p
	for p in $(pgrep -f "$TMPDIR"); do kill -9 "$p" 2>/dev/null; done
	rm -rf "${TMPDIR:?}"/* 2>/dev/null
}
verdict() { check "$@"; tidy; }

# wait_for CMD...: up to 5 s for CMD to succeed
wait_for() {
	for _ in $(seq 100); do "$@" && return 0; sleep 0.05; done
	return 1
}

# start_bg [ENV=VAL...] -- ARGS...: the harness in the background, $pid set;
# a watchdog SIGKILLs it after E2E_TIMEOUT s. Output in $WORK/out, $WORK/err.
start_bg() {
	local envs=()
	while [ $# -gt 0 ] && [[ $1 == [A-Z_]*=* ]]; do envs+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	# a shell's background job starts with SIGQUIT ignored: not the case under test
	env --default-signal=QUIT "${envs[@]}" "$H" "$@" >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	(sleep "$E2E_TIMEOUT"; kill -9 "$pid") 2>/dev/null &
	bg+=($!)
}
# finish: wait for $pid, status in $rc
finish() { wait "$pid"; rc=$?; }

# ---- hangs ------------------------------------------------------------------
# 1. a boot that fails before QEMU starts: exit 2 at once, saying why
run TMPDIR=/nonexistent -- "${R[@]}" fake.pass1
verdict "TMPDIR missing: run exits 2 at once, says why" 2 \
	'^testrunner-host: temporary directory: No such file or directory$'
run TMPDIR=/nonexistent -- list --image "$FAKE_IMG" --qemu "$F"
verdict "TMPDIR missing: list exits 2 at once" 2 'temporary directory: No such file or directory'
: >"$WORK/afile"
run TMPDIR="$WORK/afile" -- "${R[@]}" fake.pass1
verdict "TMPDIR a file: exit 2 at once, says why" 2 'temporary directory: Not a directory'
if [ "$(id -u)" != 0 ]; then
	mkdir -p "$WORK/ro" && chmod 0500 "$WORK/ro"
	run TMPDIR="$WORK/ro" -- "${R[@]}" fake.pass1
	verdict "TMPDIR not writable: exit 2 at once, says why" 2 'temporary directory: Permission denied'
else
	n=$((n + 1)); echo "ok $n # SKIP TMPDIR not writable: root writes anywhere"
fi
# too few descriptors, wherever the boot runs out (socket, RPMB socket, pipe)
bad="" hit=0
for lim in 4 5 6 7 8 9 10 11 12; do
	(ulimit -n $lim; exec timeout -k 1 3 "$H" "${R[@]}" fake.pass1) >/dev/null 2>"$WORK/err"
	rc=$?
	if [ $rc = 2 ] && grep -q 'Too many open files\|out of resources' "$WORK/err"; then
		hit=$((hit + 1))
	elif [ $rc != 0 ]; then
		bad="$bad ulimit -n $lim: exit $rc;"
	fi
	tidy
done
[ -z "$bad" ] && [ $hit -ge 3 ]; rc=$?
: >"$WORK/err"; : >"$WORK/out"
verdict "too few descriptors: exit 2 at once, saying so ($bad $hit hit)" 0

# 2. a crash in a test nobody asked for makes no progress: the run ends
for mode in "" "-j 2" "--isolate"; do
	# shellcheck disable=SC2086
	run FAKE_GUEST=crash-stranger FAKE_TESTS="a.one a.two" FAKE_RECORD="$WORK/rec" -- \
		"${R[@]}" $mode a.one a.two
	boots=$(grep -c '^boottest a' "$WORK/rec" 2>/dev/null)
	[ "${boots:-0}" -le 3 ] || rc="$rc after ${boots} boots"
	verdict "crash of a test not requested${mode:+ ($mode)}: exit 2, the rest not run" 2 \
		', 2 not run$'
	rm -f "$WORK/rec"
done

# 3. the per-test deadline cannot be moved by output; results outside the
# plan are a protocol violation; log memory is bounded; time is linear
start=$EPOCHREALTIME
run FAKE_GUEST=repeat-ok FAKE_TESTS="a.one a.two" -- "${R[@]}" --timeout 1 a.one a.two
took_under "$start" 4 || rc="$rc, took over 4 s"
verdict "the same 'ok' every 0.2 s does not extend --timeout 1: exit 2 promptly" 2
# 1000 tests of 64 KiB log each, with --junit: the harness's memory stays bounded
rss() { sed -n 's/^testrunner-host: peak RSS \([0-9]*\) KiB.*/\1/p' "$WORK/err"; }
E2E_TIMEOUT=60 run TESTRUNNER_RUSAGE=1 FAKE_TESTS= FAKE_COUNT=1000 FAKE_COUNT_PREFIX=m.flood \
	FAKE_FLOOD=65536 -- "${R[@]}"
base=$(rss) base_rc=$rc
E2E_TIMEOUT=60 run TESTRUNNER_RUSAGE=1 FAKE_TESTS= FAKE_COUNT=1000 FAKE_COUNT_PREFIX=m.flood \
	FAKE_FLOOD=65536 -- "${R[@]}" --junit "$WORK/m.xml"
grown=$(( $(rss) - ${base:-0} ))
[ "$base_rc" = 0 ] || rc="$rc (without a report: exit $base_rc)"
[ "$grown" -lt 32768 ] || rc="$rc, the report's log took $grown KiB"
verdict "64 MB of test log with --junit: exit 0, report memory under 32 MiB ($grown KiB)" 0
rm -f "$WORK/m.xml"
E2E_TIMEOUT=60 run FAKE_TESTS= FAKE_COUNT=200000 -- "${R[@]}"
: >"$WORK/out"
verdict "200,000 results in one boot: bookkeeping is linear (done within 60 s)" 0 \
	'^200000 passed, 0 failed, 0 skipped$'

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

# ---- false green --------------------------------------------------------------
# 5. a test reported twice is a protocol violation, and exit 0 needs result 0
run FAKE_GUEST=notok-then-ok FAKE_TESTS="a.one" -- "${R[@]}" a.one
verdict "'not ok 1 a.one' then 'ok 2 a.one', result 1: exit 2" 2 'a\.one'
# 6. one rule in every mode: the requested test must have been reported
for mode in "" "-j 2" "--isolate"; do
	# shellcheck disable=SC2086
	run FAKE_GUEST=plan-zero FAKE_TESTS="a.one" -- "${R[@]}" $mode a.one
	verdict "'run a.one' answered '1..0', result 0${mode:+ ($mode)}: exit 2" 2 'a\.one'
	# shellcheck disable=SC2086
	run FAKE_GUEST=answer-other FAKE_TESTS="a.one" -- "${R[@]}" $mode a.one
	verdict "'run a.one' answered 'ok 1 other.x', result 0${mode:+ ($mode)}: exit 2" 2 \
		'a\.one|other\.x'
done
# 7. no test selected is not a pass (an empty Bazel shard is, see host_fake_guest.sh)
for mode in "" "-j 2" "--isolate"; do
	# shellcheck disable=SC2086
	run FAKE_TESTS= -- "${R[@]}" $mode
	verdict "empty catalogue${mode:+ ($mode)}: exit 2, no tests selected" 2 'no tests? selected'
done
run FAKE_TESTS="fixture.only" -- "${R[@]}"
verdict "default set empty (only fixture.*): exit 2, no tests selected" 2 'no tests? selected'

# ---- files ----------------------------------------------------------------------
# 8. reports: a symlink is followed, FIFOs and devices are written in place, a
# link planted at a temporary name is never followed
echo keep >"$WORK/target.xml"
ln -s target.xml "$WORK/link.xml"
run -- "${R[@]}" --junit "$WORK/link.xml" fake.pass1
[ -L "$WORK/link.xml" ] && xmllint --noout "$WORK/target.xml" 2>/dev/null || rc="$rc, link replaced"
verdict "--junit through a symlink: the link stays, its target gets the report" 0
mkfifo "$WORK/k.fifo"
cat "$WORK/k.fifo" >"$WORK/k.got" &
reader=$!
bg+=($reader)
run -- "${R[@]}" --ktap "$WORK/k.fifo" fake.pass1
[ -p "$WORK/k.fifo" ] || rc="$rc, FIFO replaced"
wait_for grep -q '^ok 1 fake.pass1$' "$WORK/k.got" || rc="$rc, nothing came out of the FIFO"
kill "$reader" 2>/dev/null
verdict "--ktap into a FIFO: written in place" 0
ln -s /dev/null "$WORK/null.xml"
run -- "${R[@]}" --junit "$WORK/null.xml" fake.pass1
[ -L "$WORK/null.xml" ] && [ -c /dev/null ] || rc="$rc, replaced"
verdict "--junit to a device (via a link to /dev/null): written in place" 0
ln -s /dev/full "$WORK/full.xml"
run -- "${R[@]}" --junit "$WORK/full.xml" fake.pass1
[ -L "$WORK/full.xml" ] || rc="$rc, replaced"
verdict "--junit to /dev/full: exit 2 with the real errno" 2 \
	'full.xml: No space left on device$'
ln -s /dev/stdout "$WORK/stdout.ktap"
timeout -k 5 20 "$H" "${R[@]}" --ktap "$WORK/stdout.ktap" fake.pass1 2>"$WORK/err" | cat >"$WORK/out"
rc=${PIPESTATUS[0]}
[ "$(grep -c '^KTAP version 1$' "$WORK/out")" = 2 ] || rc="$rc, no report on the stdout pipe"
verdict "--ktap /dev/stdout (a pipe): the report follows the log" 0
run -- "${R[@]}" --ktap "$WORK/stdout.ktap" fake.pass1
[ -L "$WORK/stdout.ktap" ] && [ "$(grep -c '^KTAP version 1$' "$WORK/out")" = 2 ] &&
	grep -q '^ok 1 fake.pass1$' "$WORK/out" || rc="$rc, the log or the report lost"
verdict "--ktap /dev/stdout (a file): the report follows the log, the log kept" 0
for rep in junit ktap; do
	FAKE_TESTS="a.slow" "$H" "${R[@]}" --$rep "$WORK/p.$rep" a >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	ln -s "$WORK/victim.$rep" "$WORK/p.$rep.tmp$pid"
	(sleep "$E2E_TIMEOUT"; kill -9 "$pid") 2>/dev/null &
	bg+=($!)
	finish
	[ ! -e "$WORK/victim.$rep" ] && [ -f "$WORK/p.$rep" ] && [ ! -L "$WORK/p.$rep" ] ||
		rc="$rc, the planted link was followed"
	verdict "--$rep: a symlink planted at the temporary name is not followed" 0
done

# ---- signals and processes --------------------------------------------------------
# 9. SIGHUP, SIGQUIT, SIGALRM clean up like SIGTERM; the reports keep what finished
for sig in HUP QUIT ALRM; do
	rm -f "$WORK/sig.xml"
	start_bg FAKE_TESTS="a.one a.hang" -- "${R[@]}" --timeout 30 --junit "$WORK/sig.xml" a
	wait_for grep -q '^PASS *a.one' "$WORK/err"
	wait_for grep -q 'start a.hang' "$WORK/out"
	kill -$sig $pid
	finish
	want=$((128 + $(kill -l $sig)))
	verdict "SIG$sig: exit $want, QEMU and temporary directory gone" $want
	[ "$(xmllint --xpath 'count(//testcase[@name="one"])' "$WORK/sig.xml" 2>/dev/null)" = 1 ]
	rc=$?
	verdict "SIG$sig: the JUnit report holds the test that finished" 0
done
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

# ---- smaller ones -------------------------------------------------------------------
# a TMPDIR with a comma: QEMU takes -serial file:PATH literally
saved=$TMPDIR
TMPDIR=$WORK/comma,dir
mkdir -p "$TMPDIR"
run TMPDIR="$TMPDIR" -- "${R[@]}" fake.pass1
verdict "TMPDIR with a comma: exit 0" 0 '^1 passed, 0 failed, 0 skipped$'
if [ -f "$IMG" ] && command -v qemu-system-aarch64 >/dev/null; then
	run TMPDIR="$TMPDIR" -- run --image "$IMG" --timeout 10 fixture.pass
	verdict "TMPDIR with a comma, real QEMU: exit 0" 0 '^1 passed, 0 failed, 0 skipped$'
else
	not_ok "TMPDIR with a comma, real QEMU: no guest image at $IMG or no QEMU"
fi
TMPDIR=$saved
# stdin and stdout closed: the log has nowhere to go, and the harness says so
timeout -k 5 20 "$H" "${R[@]}" fake.pass1 <&- >&- 2>"$WORK/err"
rc=$?
verdict "stdin and stdout closed: exit 2, the real errno" 2 \
	'^testrunner-host: writing the log to stdout: Bad file descriptor$'
# the RPMB emulator killed mid-run is an infrastructure error
start_bg FAKE_TESTS="r.rpmbeof" -- "${R[@]}" --timeout 10 r
emu_pid() { pgrep -f "testrunner-rpmb-dev --dev $TMPDIR/.*--sock-fd"; }
wait_for emu_pid >/dev/null
wait_for grep -q 'start r.rpmbeof' "$WORK/out"
epid=$(emu_pid)
[ -n "$epid" ] && kill -9 $epid
finish
verdict "RPMB emulator killed mid-run: exit 2, naming the emulator" 2 'RPMB emulator'
# a device file with another key: every rpmb test would fail; say why once
"$EMU" --init --dev "$WORK/other.img" --key "$(printf '%064d' 7)" >/dev/null 2>&1
run -- "${R[@]}" --rpmb-file "$WORK/other.img" fake.pass1
verdict "--rpmb-file with another key: exit 2, the key does not match" 2 'key does not match'
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
# -j 2: lines over 4 KiB stay whole
run FAKE_TESTS="l.longlineA l.longlineB" -- "${R[@]}" -j 2 l
awk '/^[AB]/ { if (length($0) != 10000 || ($0 ~ /A/ && $0 ~ /B/)) bad++; else whole++ }
	END { exit !(bad == 0 && whole == 40) }' "$WORK/out" || rc="$rc, lines cut or mixed"
: >"$WORK/out"
verdict "-j 2, 10,000-byte lines from both guests: every line whole" 0
# a NUL in a diagnostic, terminal escapes in a reason or a name: shown escaped
run FAKE_TESTS="n.nul" -- "${R[@]}" --ktap "$WORK/nul.ktap" n
grep -qF '# before\x00after' "$WORK/nul.ktap" || rc="$rc, the line was cut"
verdict "a NUL in a diagnostic: the --ktap line is whole, the NUL escaped" 0
ctl=$'[\x01-\x08\x0b-\x1f\x7f]'
run FAKE_TESTS="e.esc" -- "${R[@]}" --ktap "$WORK/esc.ktap" --junit "$WORK/esc.xml" e
grep -q "$ctl" "$WORK/err" && rc="$rc, raw control characters on stderr"
grep -q "$ctl" "$WORK/esc.ktap" && rc="$rc, raw control characters in the KTAP report"
grep -qF '\x1b]0;pwned\x07' "$WORK/err" || rc="$rc, the escape not shown"
xmllint --noout "$WORK/esc.xml" 2>/dev/null || rc="$rc, bad JUnit"
verdict "terminal escapes in a reason: escaped on stderr and in reports, exit 1" 1
run FAKE_GUEST=error-esc -- "${R[@]}" fake.pass1
grep -q "$ctl" "$WORK/err" && rc="$rc, raw control characters on stderr"
verdict "terminal escapes in the guest's error: escaped on stderr, exit 2" 2 '\\x1b\]0;pwned'
run FAKE_GUEST=name-esc FAKE_TESTS="a.one" -- "${R[@]}"
grep -q "$ctl" "$WORK/err" && rc="$rc, raw control characters on stderr"
verdict "a terminal escape in a reported name: never raw on stderr, exit 2" 2
# an out-of-range timeout names the limit
run -- "${R[@]}" --timeout 1e9 fake.pass1
verdict "--timeout 1e9: exit 2, says the limit" 2 '^testrunner-host: --timeout: .*604800'
run -- "${R[@]}" --boot-timeout 1e9 fake.pass1
verdict "--boot-timeout 1e9: exit 2, says the limit" 2 '^testrunner-host: --boot-timeout: .*604800'
