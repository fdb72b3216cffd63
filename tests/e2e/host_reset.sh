#!/usr/bin/env bash
# One QEMU per slot, reset between boots, in real QEMU: an --isolate run of
# every selftest starts QEMU once (QEMU's starts counted by a wrapper that
# logs each exec); crash -> the guest resets -> the next test passes on the
# same QEMU; a hang -> QMP system_reset -> the next test passes on the same
# QEMU; a QEMU that exits at the reset (-no-reboot slipped in) is
# replaced and the run goes on; the state one boot leaves (markers in RAM, an
# interrupt left active, a CPU spinning) is gone in the next one, which the
# same fixtures in one boot do see; `boot` and `list` keep -no-reboot.
set -u
. "$(dirname "$0")/lib.sh"
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
N=19

echo "1..$N"
if [ ! -f "$IMG" ] || ! command -v "$QEMU" >/dev/null || [ ! -x "$H" ]; then
	fail_all "no guest image, QEMU or harness: the build is incomplete"
fi

# the wrapper: one line per QEMU start, with its arguments; QEMU_FIRST_ARGS
# are added to the first start only
W=$WORK/qemu-wrapper
cat >"$W" <<EOF
#!/bin/sh
echo "\$*" >>"$WORK/starts"
if [ -n "\${QEMU_FIRST_ARGS:-}" ] && [ ! -e "$WORK/first" ]; then
	: >"$WORK/first"
	exec "$QEMU" "\$@" \$QEMU_FIRST_ARGS
fi
exec "$QEMU" "\$@"
EOF
chmod +x "$W"
starts() { if [ -f "$WORK/starts" ]; then wc -l <"$WORK/starts"; else echo 0; fi; }
fresh() { rm -f "$WORK/starts" "$WORK/first"; }
R=(run --image "$IMG" --qemu "$W" --no-rpmb --timeout 30)

# N from the catalogue: every non-manual selftest
"$H" list --image "$IMG" selftest >"$WORK/names" 2>/dev/null
want=$(grep -c '^selftest\.' "$WORK/names")
fresh
run -- "${R[@]}" --isolate selftest
got=$(grep -cE '^(PASS|SKIP) +selftest\.' "$WORK/err")
check "--isolate selftest: every test passes or skips" 0 "^[0-9]+ passed, 0 failed"
[ "$want" -gt 1 ] && [ "$got" = "$want" ]; rc=$?
check "--isolate: all $want tests reported, each in its own boot" 0
[ "$(starts)" = 1 ]; rc=$?; check "--isolate of $want tests: one QEMU start ($(starts))" 0
grep -q -- '-no-reboot' "$WORK/starts"; [ $? = 1 ]; rc=$?
check "resetting QEMU runs without -no-reboot" 0

# the QEMU left idle at the end of the run (--retry: a reset after every
# boot) is quit over QMP, not signalled: this wrapper outlives it to log how
# it ended (a signal to the group ends both)
cat >"$WORK/exit-wrapper" <<EOF
#!/bin/sh
"$QEMU" "\$@"
echo "exit \$?" >>"$WORK/exits"
EOF
chmod +x "$WORK/exit-wrapper"
rm -f "$WORK/exits"
run -- run --image "$IMG" --qemu "$WORK/exit-wrapper" --no-rpmb --timeout 30 --retry 1 \
	selftest.console
[ "$(cat "$WORK/exits" 2>/dev/null)" = "exit 0" ]; rc=$?
check "the idle QEMU at the end of a run quits over QMP ($(cat "$WORK/exits" 2>/dev/null || echo signalled))" 0

# a crash: the guest reports it, resets, and the next test runs on the same QEMU
fresh
run -- "${R[@]}" fixture.crash fixture.pass
check "crash then pass: exit 1, the pass still passes" 1 "^PASS +fixture.pass"
grep -qE '^CRASH +fixture.crash' "$WORK/err"; rc=$?; check "crash: reported as a crash" 0
[ "$(starts)" = 1 ]; rc=$?; check "crash -> reset -> next test: one QEMU start ($(starts))" 0

# a hang: the timeout, a reset through QMP, the next test on the same QEMU
fresh
run -- "${R[@]}" --timeout 1 fixture.hang fixture.pass
check "hang then pass: the hang timed out, the pass still passes" 1 "^PASS +fixture.pass"
grep -qE '^TIMEOUT +fixture.hang' "$WORK/err" && [ "$(starts)" = 1 ]; rc=$?
check "hang -> QMP reset -> next test: one QEMU start ($(starts))" 0

# QEMU exits instead of resetting: a new QEMU, the run goes on
fresh
run QEMU_FIRST_ARGS=-no-reboot -- "${R[@]}" --isolate fixture.pass fixture.fail_twice selftest.fdt
check "QEMU gone at the reset: the run goes on" 1 '^2 passed, 1 failed, 0 skipped$'
[ "$(starts)" = 2 ]; rc=$?; check "QEMU gone at the reset: replaced once ($(starts) starts)" 0

# state left by one boot is gone in the next; the same fixtures in one boot see it
fresh
run -- "${R[@]}" --smp 2 --isolate fixture.reset_leave fixture.reset_verify
check "state left behind: gone after the reset" 0 '^2 passed, 0 failed, 0 skipped$'
grep -q "free RAM still holds the last boot's marker: reset, not restarted" "$WORK/out" &&
	[ "$(starts)" = 1 ]
rc=$?; check "state left behind: the same RAM, one QEMU ($(starts) starts)" 0
run -- "${R[@]}" --smp 2 fixture.reset_leave fixture.reset_verify
check "state left behind, one boot: reset_verify sees it" 1 '^FAIL +fixture.reset_verify'

# the run's last boot asks for a reset only after a crash: the guest powers
# off (QEMU's shutdown cause 6, GUEST_SHUTDOWN), as fast as without reset
# mode; with --retry a boot may follow, the guest resets and the idle QEMU
# is quit (cause 2, HOST_QMP_QUIT)
shutdown_cause() {	# VAR ARGS...: why QEMU says it shut down, into VAR
	local var=$1
	shift
	fresh
	rm -f "$WORK/trace"
	run -- "${R[@]}" --qemu-arg=-D --qemu-arg="$WORK/trace" \
		--qemu-arg=-trace --qemu-arg=qemu_system_shutdown_request "$@" fixture.pass
	printf -v "$var" %s "$(sed -n 's/^qemu_system_shutdown_request reason=//p' "$WORK/trace" 2>/dev/null)"
}
shutdown_cause last
check "last boot: passes" 0 '^1 passed'
shutdown_cause retry --retry 1
[ "$last" = 6 ] && [ "$retry" = 2 ] && [ "$(starts)" = 1 ]; rc=$?
check "last boot: the guest powers off (shutdown cause $last; $retry with a boot to follow)" 0

# an ELF image's catalogue is read from the file: no boot
fresh
run -- list --image "$IMG" --qemu "$W" selftest.fdt
[ "$rc" = 0 ] && [ "$(starts)" = 0 ] && [ "$(cat "$WORK/out")" = selftest.fdt ]; rc=$?
check "list of an ELF image: no QEMU start" 0

# runs that never reset keep -no-reboot (a raw image's catalogue needs a boot)
fresh
run -- list --image "${IMG%.elf}.bin" --qemu "$W" selftest.fdt
[ "$rc" = 0 ] && grep -q -- '-no-reboot' "$WORK/starts"; rc=$?
check "list: -no-reboot kept" 0
