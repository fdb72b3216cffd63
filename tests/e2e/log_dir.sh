#!/usr/bin/env bash
# --log-dir in real QEMU: one file per test with its KTAP lines, diagnostics
# and crash report, each boot's serial console and QEMU output, the summary
# naming every test that did not pass with its file; a bad directory is one
# clear error.
set -u
. "$(dirname "$0")/lib.sh"
N=13

echo "1..$N"
[ -f "$IMG" ] && [ -x "$H" ] || fail_all "no guest image or harness"
D=$WORK/logs
run run --image "$IMG" --timeout 2 --log-dir "$D" fixture.pass fixture.fail_twice fixture.crash fixture.hang
check "a run with --log-dir: exit 1 (a failure, a crash, a hang)" 1 '^1 passed, 3 failed'
ls "$D" >"$WORK/ls"
[ "$(grep -c '^fixture\..*\.log$' "$WORK/ls")" = 4 ] && ok "one file per test" ||
	not_ok "test files: $(tr '\n' ' ' <"$WORK/ls")"
f=$D/fixture.fail_twice.log
grep -qE '^# guest/tests/fixture.c:[0-9]+: 1 \+ 1' "$f" && grep -qE '^# guest/tests/fixture.c:[0-9]+: expected 2 < 1' "$f" &&
	grep -qx 'not ok 1 fixture.fail_twice' "$f" && grep -qx '# start fixture.fail_twice' "$f" &&
	ok "a failed test's file: its start, both assertions, its result" || not_ok "$(cat "$f")"
f=$D/fixture.crash.log
grep -q '^# exception: ESR=0x96000004 ' "$f" && grep -q '^#     data abort taken without a change in EL' "$f" &&
	grep -qx 'not ok 1 fixture.crash # ERROR exception' "$f" &&
	ok "a crashed test's file: the raw and decoded crash report" || not_ok "$(cat "$f")"
f=$D/fixture.hang.log
grep -qx '# fixture.hang: last words before hanging' "$f" && grep -q '^not ok 1 fixture.hang # TIMEOUT' "$f" &&
	ok "a hung test's file: its last line and the timeout" || not_ok "$(cat "$f")"
boot=$(sed -nE 's/^# boot ([0-9]+): .*/\1/p' "$D/fixture.hang.log")
[ -n "$boot" ] && grep -q 'testrunner' "$D/boot-$boot.serial.log" && [ -f "$D/boot-$boot.qemu.log" ] &&
	grep -q "boot-$boot.serial.log" "$D/fixture.hang.log" &&
	ok "each test names its boot, whose serial console and QEMU output are kept" ||
	not_ok "boot '$boot': $(tr '\n' ' ' <"$WORK/ls")"
# each test that did not pass: its verdict line, then its file
for t in fail_twice crash hang; do
	grep -A1 -E "^  [A-Z]+ +fixture.$t(: .*)?\$" "$WORK/err" | grep -qxE " +log $D/fixture.$t.log" ||
		{ not_ok "summary lacks fixture.$t"; t=; break; }
done
[ -n "$t" ] && ! grep -q "fixture.pass.log" "$WORK/err" &&
	ok "the summary names every test that did not pass with its file, not the one that passed"
# reset mode: the boots share one QEMU and its files; each boot's copy holds
# only its own part (its banner, its test), whole for the first boot
D2=$WORK/logs2
run run --image "$IMG" --isolate --log-dir "$D2" fixture.pass selftest.console
check "--isolate with --log-dir: both pass" 0 '^2 passed'
b1=$(sed -nE 's/^# boot ([0-9]+): .*/\1/p' "$D2/fixture.pass.log")
b2=$(sed -nE 's/^# boot ([0-9]+): .*/\1/p' "$D2/selftest.console.log")
[ -n "$b1" ] && [ -n "$b2" ] && [ "$b1" != "$b2" ] &&
	[ "$(grep -c '^testrunner .* boot tests$' "$D2/boot-$b1.serial.log")" = 1 ] &&
	[ "$(grep -c '^testrunner .* boot tests$' "$D2/boot-$b2.serial.log")" = 1 ] &&
	grep -q 'fixture.pass' "$D2/boot-$b1.serial.log" && ! grep -q 'fixture.pass' "$D2/boot-$b2.serial.log" &&
	grep -q 'selftest.console' "$D2/boot-$b2.serial.log" &&
	! grep -q 'selftest.console' "$D2/boot-$b1.serial.log"; rc=$?
check "each boot's serial log is its own part of the shared QEMU's (boots $b1, $b2)" 0
# --verbose relays the console through the harness: it is kept all the same
D3=$WORK/logs3
run run --image "$IMG" --verbose --log-dir "$D3" fixture.pass
check "--verbose with --log-dir: the console on stderr" 0 '^serial: testrunner .* boot tests$'
grep -q '^testrunner .* boot tests$' "$D3/boot-1.serial.log" 2>/dev/null &&
	grep -qx 'ok 1 fixture.pass' "$D3/boot-1.serial.log"; rc=$?
check "--verbose with --log-dir: the boot's serial log kept too" 0
: >"$WORK/file"
run run --image "$IMG" --log-dir "$WORK/file" fixture.pass
check "--log-dir on a file: exit 2, one line" 2 "^testrunner-host: --log-dir $WORK/file: Not a directory\$"
run run --image "$IMG" --log-dir "$WORK/no/such/dir" fixture.pass
check "--log-dir whose parent is missing: exit 2" 2 "^testrunner-host: --log-dir $WORK/no/such/dir: No such file or directory\$"
