#!/usr/bin/env bash
# The secure suite in real QEMU against QEMU's own PSCI: hvc on the default
# machine, smc with virtualization=on; one CPU (the CPU_OFF/CPU_ON cycles skip,
# named) and several. Each test's outcome and skip reason is checked by name;
# how many secure tests there are comes from `testrunner-host list`.
set -u
. "$(dirname "$0")/lib.sh"
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
N=19

echo "1..$N"
[ -f "$IMG" ] || fail_all "no guest image at $IMG"
command -v "$QEMU" >/dev/null || fail_all "$QEMU not found"

"$H" list --image "$IMG" >"$WORK/list" 2>&1 || fail_all "list failed: $(cat "$WORK/list")"
mapfile -t tests < <(grep '^secure\.' "$WORK/list")
[ ${#tests[@]} -gt 0 ] || fail_all "the image lists no secure.* test"
echo "# ${#tests[@]} secure tests: ${tests[*]}"

VIRT=(--qemu-arg -machine --qemu-arg virtualization=on)
names=() cmds=()
add() { names+=("$1"); shift; cmds+=("$*"); }
add "default machine (hvc), -smp 1"		--smp 1
add "default machine (hvc), -smp 2"		--smp 2
add "virtualization=on (smc), -smp 1"		"${VIRT[*]}" --smp 1
add "virtualization=on (smc), -smp 4"		"${VIRT[*]}" --smp 4
add "secure=on, no firmware (EL3, no /psci)"	--qemu-arg -machine --qemu-arg secure=on

for ((i = 0; i < ${#names[@]}; i += 2)); do
	for k in $i $((i + 1)); do
		[ $k -lt ${#names[@]} ] || continue
		# shellcheck disable=SC2086 # each word of cmds[k] is one argument
		(timeout -k 5 60 "$H" run --image "$IMG" --timeout 20 ${cmds[$k]} secure \
			>"$WORK/c$k.out" 2>"$WORK/c$k.err"
		 echo $? >"$WORK/c$k.rc") &
	done
	wait
done

# outcome K TEST PASS|SKIP [REGEX]: run K's line for TEST says so (and matches)
outcome() {
	local k=$1 t=$2 want=$3 pat=${4:-} line
	line=$(grep -E "^(PASS|FAIL|SKIP|ERROR|TIMEOUT|CRASH) +$t " "$WORK/c$k.err" | head -1)
	[[ $line == "$want "* ]] || { echo "$t: '$line', expected $want"; return 1; }
	[ -z "$pat" ] || grep -qE -- "$pat" <<<"$line" || { echo "$t: no /$pat/ in '$line'"; return 1; }
}

# config NAME K CONDUIT CYCLES: the whole suite ran, every listed test has
# its expected outcome, and the log shows the conduit
config() {
	local name=$1 k=$2 conduit=$3 cycles=$4 why="" pass=0 skip=0 t
	[ "$(cat "$WORK/c$k.rc")" = 0 ] || why="exit $(cat "$WORK/c$k.rc")"
	for t in "${tests[@]}"; do
		[ -n "$why" ] && break
		case $t in
		secure.arch_features) why=$(outcome "$k" "$t" SKIP 'SMCCC 1\.0: no SMCCC_ARCH_FEATURES') ;;
		secure.smccc_preserves_regs) why=$(outcome "$k" "$t" SKIP 'SMCCC 1\.0: no promise that x4-x17') ;;
		secure.trng) why=$(outcome "$k" "$t" SKIP 'no SMCCC TRNG \(TRNG_VERSION: -1, NOT_SUPPORTED\)') ;;
		secure.trusted_os) why=$(outcome "$k" "$t" SKIP 'no trusted OS answers') ;;
		secure.psci_cpu_off_on)
			if [ "$cycles" = yes ]; then why=$(outcome "$k" "$t" PASS)
			else why=$(outcome "$k" "$t" SKIP 'one CPU: no secondary for CPU_OFF/CPU_ON cycles'); fi ;;
		secure.smccc_version | secure.psci_*) why=$(outcome "$k" "$t" PASS) ;;
		*) why="$t: listed, but this script expects nothing of it" ;;
		esac
	done
	for t in "${tests[@]}"; do
		grep -qE "^PASS +$t " "$WORK/c$k.err" && pass=$((pass + 1))
		grep -qE "^SKIP +$t " "$WORK/c$k.err" && skip=$((skip + 1))
	done
	[ -z "$why" ] && ! grep -qx "$pass passed, 0 failed, $skip skipped" "$WORK/c$k.err" &&
		why="no '$pass passed, 0 failed, $skip skipped'"
	[ -z "$why" ] && [ $((pass + skip)) != ${#tests[@]} ] && why="$((pass + skip)) results for ${#tests[@]} tests"
	[ -z "$why" ] && ! grep -qx "# conduit $conduit (/psci method)" "$WORK/c$k.out" &&
		why="no '# conduit $conduit'"
	if [ -z "$why" ]; then
		ok "$name: $pass passed, $skip skipped as expected"
	else
		not_ok "$name: $why"
		sed 's/^/# err| /' "$WORK/c$k.err" | tail -15
	fi
}
config "${names[0]}" 0 hvc no
config "${names[1]}" 1 hvc yes
config "${names[2]}" 2 smc no
config "${names[3]}" 3 smc yes
# at EL3 without firmware nothing answers SMCs: every test skips, saying why
el3=$(grep -cE "^SKIP +secure\.[a-z_0-9]+ .*: no SMCCC conduit: the DT has no usable /psci node$" "$WORK/c4.err")
is "${names[4]}: all ${#tests[@]} secure tests skip for want of a conduit" \
	test "$(cat "$WORK/c4.rc")" = 0 -a "$el3" = ${#tests[@]} \
	-a -n "$(grep -x "0 passed, 0 failed, ${#tests[@]} skipped" "$WORK/c4.err")"

# has K NAME REGEX: run K's log shows a line matching
has() { is "$2" grep -qE -- "$3" "$WORK/c$1.out"; }
# what QEMU 7.2's own PSCI answers, as measured (SMCCC 1.0, PSCI 1.1, no TOS)
has 0 "hvc: SMCCC_VERSION is NOT_SUPPORTED, so SMCCC 1.0" '^# SMCCC_VERSION: NOT_SUPPORTED, so SMCCC 1\.0$'
has 0 "hvc: PSCI 1.1 does not claim SMCCC_VERSION" '^# PSCI 1\.1: PSCI_FEATURES\(SMCCC_VERSION\) = -1 \(NOT_SUPPORTED\)$'
has 2 "smc: the same answers" '^# SMCCC_VERSION: NOT_SUPPORTED, so SMCCC 1\.0$'
has 0 "PSCI_FEATURES: CPU_ON_64 implemented" '^# CPU_ON_64: implemented, flags 0x0$'
has 0 "PSCI_FEATURES: every implemented function counted" '^# PSCI [0-9]+\.[0-9]+: [0-9]+ of [0-9]+ functions implemented$'
has 0 "CPU_ON of the boot CPU: ALREADY_ON" '^# CPU_ON of this CPU \(0x0\): ALREADY_ON$'
has 3 "AFFINITY_INFO: each of 4 CPUs, the last OFF" '^# AFFINITY_INFO\(0x3\): OFF$'
has 3 "AFFINITY_INFO of a CPU that does not exist: INVALID_PARAMETERS" \
	'^# AFFINITY_INFO\(0x[0-9a-f]+\), no such CPU: INVALID_PARAMETERS$'
has 1 "hvc, -smp 2: three CPU_ON/CPU_OFF cycles of the secondary" '^# 3 CPU_ON/CPU_OFF cycles of CPU 0x1$'
has 3 "smc, -smp 4: the same" '^# 3 CPU_ON/CPU_OFF cycles of CPU 0x1$'
has 0 "Trusted OS calls go over /psci's conduit when the DT names none" \
	'^# Trusted OS conduit hvc \(/psci: the DT names no Trusted OS\)$'
has 2 "... smc with virtualization=on" '^# Trusted OS conduit smc '

# the suite is in the default set: a bare run includes it
timeout -k 5 60 "$H" run --image "$IMG" --timeout 20 >"$WORK/out" 2>"$WORK/err"
rc=$?
is "a run with no selector includes every secure test" \
	test "$rc" = 0 -a "$(grep -cE '^(PASS|SKIP) +secure\.' "$WORK/err")" = ${#tests[@]}
is "no directory or process left behind" test -z "$(ls -A "$TMPDIR")" -a -z "$(pgrep -f "$TMPDIR")"
