#!/usr/bin/env bash
# The guest's crash and hang paths in real QEMU, through testrunner-host: a
# hanging test's last log line reaches the host before the timeout; a stack
# overflow faults on the guard page and is reported as a crash; an IRQ nobody
# handles and a fault on a secondary CPU end the run as crashes (result 1),
# the latter reported by the boot CPU; the crash report carries LR, which
# names the caller of a faulting leaf function; every crash report decodes its
# ESR in words, lays out the registers, names the CPU and symbolizes its frames,
# on stderr, in the JUnit error body and in the --ktap file.
set -u
. "$(dirname "$0")/lib.sh"
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
CROSS=${CROSS_COMPILE:-aarch64-linux-gnu-}
N=23
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

echo "1..$N"
if [ ! -f "$IMG" ] || ! command -v "$QEMU" >/dev/null || [ ! -x "$H" ]; then
	fail_all "no guest image, QEMU or harness: the build is incomplete"
fi

# one harness run per case, two at a time (2 shared cores)
names=(hang overflow irq secondary crash secondary1 iabt align undef)
cmds=("--timeout 1 fixture.hang" "fixture.stack_overflow" "fixture.unhandled_irq"
      "--smp 2 fixture.secondary_crash"
      "--junit $WORK/crash.xml --ktap $WORK/crash.ktap fixture.crash" "fixture.secondary_crash"
      "fixture.instruction_abort" "fixture.alignment_fault" "fixture.undefined_instruction")
for ((i = 0; i < ${#names[@]}; i += 2)); do
	for k in $i $((i + 1)); do
		[ $k -lt ${#names[@]} ] || continue
		# shellcheck disable=SC2086 # each word of cmds[k] is one argument
		(timeout -k 5 60 "$H" run --image "$IMG" --timeout 10 ${cmds[$k]} \
			>"$WORK/${names[$k]}.out" 2>"$WORK/${names[$k]}.err"
		 echo $? >"$WORK/${names[$k]}.rc") &
	done
	wait
done

# check NAME CASE RC REGEX...: the run exited RC and its stdout (the guest's
# KTAP as relayed) matches every REGEX
check() {
	local name=$1 c=$2 want=$3 why=""
	shift 3
	[ "$(cat "$WORK/$c.rc")" = "$want" ] || why="exit $(cat "$WORK/$c.rc"), expected $want"
	for pat in "$@"; do
		[ -z "$why" ] && ! grep -qE -- "$pat" "$WORK/$c.out" && why="no /$pat/ on stdout"
	done
	if [ -z "$why" ]; then
		ok "$name"
	else
		not_ok "$name: $why"
		sed 's/^/# out| /' "$WORK/$c.out" | tail -8
		sed 's/^/# err| /' "$WORK/$c.err" | tail -8
	fi
}
hex='0x[0-9a-f]+'

check "hang: the line logged before hanging reaches the host before the timeout" hang 1 \
	'^# fixture.hang: last words before hanging$'
grep -qE '^TIMEOUT +fixture.hang' "$WORK/hang.err" && ok "hang: still reported as a timeout" ||
	not_ok "hang: no TIMEOUT line"

check "stack overflow: a crash (exit 1, ERROR exception), not a silent pass" overflow 1 \
	'^not ok 1 fixture.stack_overflow # ERROR exception$' \
	"^# exception: ESR=0x96[0-9a-f]+ ELR=$hex FAR=$hex LR=$hex sync cpu 0\$" "^# backtrace: $hex( $hex)+\$"
grep -q 'used without a fault' "$WORK/overflow.out" && not_ok "stack overflow: the test went on" ||
	ok "stack overflow: the test did not go on after the overflow"
# the fault address lies in CPU 0's guard page, just below its stack
stacks=$("${CROSS}nm" "$IMG" 2>/dev/null | awk '$3 == "__stacks_start" { print $1 }')
far=$(sed -nE 's/^# exception: ESR=.* FAR=(0x[0-9a-f]+) .*/\1/p' "$WORK/overflow.out")
if [ -z "$stacks" ]; then
	skip "${CROSS}nm cannot read __stacks_start"
elif [ -n "$far" ] && off=$((far - 0x$stacks)) && [ "$off" -ge $((0x3000)) ] && [ "$off" -lt $((0x4000)) ]; then
	ok "stack overflow: FAR $far is in CPU 0's guard page"
else
	not_ok "stack overflow: FAR '$far' not in the guard page at 0x$stacks + 0x3000"
fi

check "unhandled IRQ: a crash naming the kind" irq 1 \
	'^not ok 1 fixture.unhandled_irq # ERROR exception$' \
	"^# exception: ESR=$hex ELR=$hex FAR=$hex LR=$hex irq cpu 0\$"
grep -q 'no interrupt within' "$WORK/irq.out" && not_ok "unhandled IRQ: the test went on" ||
	ok "unhandled IRQ: the test did not go on"

check "secondary CPU fault: reported by the boot CPU as a crash on cpu 1" secondary 1 \
	'^not ok 1 fixture.secondary_crash # ERROR exception$' \
	"^# exception: ESR=0x96[0-9a-f]+ ELR=$hex FAR=0x400000000000 LR=$hex sync cpu 1\$"
check "secondary CPU fault: the boot CPU carried on (smp_wait_done -EFAULT), no longjmp" \
	secondary 1 '^# fixture.secondary_crash: CPU 1 done: -14$'
# its .cpus = 2: the harness boots it on 2 CPUs without being told (--smp is 1)
check "secondary CPU fault fixture without --smp: booted on the 2 CPUs it needs" secondary1 1 \
	'^# fixture.secondary_crash: CPU 1 done: -14$'

# fixture.crash faults in a leaf (no frame record): LR names its caller
lr=$(sed -nE 's/^# exception: .* LR=(0x[0-9a-f]+) sync cpu 0$/\1/p' "$WORK/crash.out")
if ! command -v "${CROSS}addr2line" >/dev/null; then
	skip "${CROSS}addr2line not installed"
elif [ -n "$lr" ] && "${CROSS}addr2line" -f -e "$IMG" "$lr" | head -1 | grep -qx contain_call; then
	ok "crash in a leaf: LR $lr is in the caller (contain_call)"
else
	not_ok "crash in a leaf: LR '$lr' is not in contain_call: $("${CROSS}addr2line" -f -e "$IMG" "$lr" 2>&1 | head -1)"
fi
# errgrep NAME CASE REGEX...: every REGEX (extended, fixed order not required) on its stderr
errgrep() {
	local name=$1 c=$2 why=""
	shift 2
	for pat in "$@"; do
		[ -z "$why" ] && ! grep -qE -- "$pat" "$WORK/$c.err" && why="no /$pat/ on stderr"
	done
	if [ -z "$why" ]; then ok "$name"; else not_ok "$name: $why"; sed 's/^/# err| /' "$WORK/$c.err" | tail -30; fi
}
sym=" at .*guest/[a-z_/]+\.[cS]:[0-9]+"
errgrep "data abort: decoded, with every register, SPSR and the CPU" crash \
	'^    data abort taken without a change in EL \(EC 0x25\): translation fault, level 0; read; FAR valid$' \
	'^    sync exception on cpu 0: ESR 0x96000004 ' '^    SPSR 0x[0-9a-f]+: EL1[th], ' \
	'^    x0  0x0000400000000000 x1 ' '^    x28 0x[0-9a-f]{16} x29 0x[0-9a-f]{16} x30 0x[0-9a-f]{16} sp  0x[0-9a-f]{16}$'
errgrep "data abort in a leaf: the test's own frame is ELR, its caller comes from LR" crash \
	"^    ELR $hex: boot_test_fn_fixture_crash at .*guest/tests/fixture.c:[0-9]+\$" \
	"^    #1  $hex: contain_call at .*guest/runner/contain.c:[0-9]+ \(from LR: the caller of a leaf\)\$"
errgrep "stack overflow: named, decoded, the recursion folded into one frame" overflow \
	'^    stack overflow: FAR 0x[0-9a-f]+ is in a stack guard page$' \
	'^    data abort taken without a change in EL \(EC 0x25\): translation fault, level 3; write; FAR valid$' \
	"^    #1  $hex: recurse at .*guest/tests/fixture.c:[0-9]+ \(this frame [0-9]+ times\)\$" \
	"^    #2  $hex: boot_test_fn_fixture_stack_overflow$sym\$"
[ "$(grep -c ': recurse at ' "$WORK/overflow.err")" = 2 ] && ok "stack overflow: recurse shown twice (ELR, one folded frame)" ||
	not_ok "stack overflow: $(grep -c ': recurse at ' "$WORK/overflow.err") lines name recurse"
errgrep "instruction abort: decoded; the faulting call's test frame from LR" iabt \
	'^    instruction abort taken without a change in EL \(EC 0x21\): translation fault, level 0; FAR valid$' \
	"^    ELR 0x400000000000: " "^    #1  $hex: boot_test_fn_fixture_instruction_abort at .*guest/tests/fixture_faults.c:[0-9]+ "
errgrep "alignment fault: decoded, at the test's line" align \
	'^    data abort taken without a change in EL \(EC 0x25\): alignment fault; read; FAR valid$' \
	"^    ELR $hex: boot_test_fn_fixture_alignment_fault at .*guest/tests/fixture_faults.c:[0-9]+\$"
errgrep "undefined instruction: decoded, at the test's line" undef \
	'^    undefined instruction \(unknown reason\) \(EC 0x00\)$' \
	"^    ELR $hex: boot_test_fn_fixture_undefined_instruction at .*guest/tests/fixture_faults.c:[0-9]+\$"
errgrep "secondary CPU fault: its CPU named in the decoded report" secondary \
	'^    sync exception on cpu 1: ESR 0x96'
errgrep "unhandled IRQ: the kind and CPU in the decoded report" irq '^    irq exception on cpu 0: '
if ! command -v xmllint >/dev/null; then
	skip "xmllint not installed"
else
	body=$(xmllint --xpath 'string(//testcase[@name="crash"]/error)' "$WORK/crash.xml" 2>&1)
	if grep -qE '^    data abort taken without a change in EL \(EC 0x25\): translation fault, level 0' <<<"$body" &&
		grep -qE "^    ELR $hex: boot_test_fn_fixture_crash at .*fixture.c:[0-9]+\$" <<<"$body"; then
		ok "JUnit: the error body is the decoded, symbolized report"
	else
		not_ok "JUnit error body: $body"
	fi
fi
grep -qE "^#     ELR $hex: boot_test_fn_fixture_crash at .*fixture.c:[0-9]+\$" "$WORK/crash.ktap" &&
	grep -qE '^#     data abort taken without a change in EL' "$WORK/crash.ktap" &&
	grep -qE '^# exception: x0=0x400000000000 ' "$WORK/crash.ktap" &&
	ok "--ktap: the decoded report and the raw registers as diagnostics" ||
	{ not_ok "--ktap: no decoded report"; sed 's/^/# ktap| /' "$WORK/crash.ktap"; }
[ -z "$(ls -A "$TMPDIR")" ] && ! pgrep -f "$TMPDIR" >/dev/null && ok "nothing left behind" ||
	not_ok "left $(ls "$TMPDIR") or a QEMU"
