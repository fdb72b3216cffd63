#!/usr/bin/env bash
# The guest's crash and hang paths in real QEMU, through testrunner-host: a
# hanging test's last log line reaches the host before the timeout; a stack
# overflow faults on the guard page and is reported as a crash; an IRQ nobody
# handles and a fault on a secondary CPU end the run as crashes (result 1),
# the latter reported by the boot CPU; the crash report carries LR, which
# names the caller of a faulting leaf function.
set -u
. "$(dirname "$0")/lib.sh"
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
CROSS=${CROSS_COMPILE:-aarch64-linux-gnu-}
N=12
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

echo "1..$N"
if [ ! -f "$IMG" ] || ! command -v "$QEMU" >/dev/null || [ ! -x "$H" ]; then
	fail_all "no guest image, QEMU or harness: the build is incomplete"
fi

# one harness run per case, two at a time (2 shared cores)
names=(hang overflow irq secondary crash secondary1)
cmds=("--timeout 1 fixture.hang" "fixture.stack_overflow" "fixture.unhandled_irq"
      "--smp 2 fixture.secondary_crash" "fixture.crash" "fixture.secondary_crash")
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
	"^# exception: ESR=0x96[0-9a-f]+ ELR=$hex FAR=$hex LR=$hex\$" "^# backtrace: $hex( $hex)+\$"
grep -q 'used without a fault' "$WORK/overflow.out" && not_ok "stack overflow: the test went on" ||
	ok "stack overflow: the test did not go on after the overflow"
# the fault address lies in CPU 0's guard page, just below its stack
stacks=$("${CROSS}nm" "$IMG" 2>/dev/null | awk '$3 == "__stacks_start" { print $1 }')
far=$(sed -nE 's/^# exception: .* FAR=(0x[0-9a-f]+) .*/\1/p' "$WORK/overflow.out")
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
lr=$(sed -nE 's/^# exception: .* LR=(0x[0-9a-f]+)$/\1/p' "$WORK/crash.out")
if ! command -v "${CROSS}addr2line" >/dev/null; then
	skip "${CROSS}addr2line not installed"
elif [ -n "$lr" ] && "${CROSS}addr2line" -f -e "$IMG" "$lr" | head -1 | grep -qx contain_call; then
	ok "crash in a leaf: LR $lr is in the caller (contain_call)"
else
	not_ok "crash in a leaf: LR '$lr' is not in contain_call: $("${CROSS}addr2line" -f -e "$IMG" "$lr" 2>&1 | head -1)"
fi
[ -z "$(ls -A "$TMPDIR")" ] && ! pgrep -f "$TMPDIR" >/dev/null && ok "nothing left behind" ||
	not_ok "left $(ls "$TMPDIR") or a QEMU"
