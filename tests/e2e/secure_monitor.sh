#!/usr/bin/env bash
# The secure suite against tests/secure_monitor/, a test double of TF-A with
# OP-TEE at EL3 (secure=on, virtualization=on): QEMU starts the double, which
# enters the testrunner at EL2 with a DT that has /psci (smc) and the OP-TEE
# node, as TF-A's BL2 and OP-TEE hand it over. Here the positive paths run:
# SMCCC 1.2, ARCH_FEATURES, SOC_ID, the TRNG, OP-TEE's UID and revisions.
# A double whose Trusted OS stays silent under a DT that names OP-TEE must
# make secure.trusted_os fail, not skip; one that clobbers x9 must fail
# secure.smccc_preserves_regs.
set -u
. "$(dirname "$0")/lib.sh"
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
MON=$O/tests/secure_monitor/monitor.elf
NODES=$(dirname "$0")/../secure_monitor/nodes.dtsi
MAILBOX=0x401ff000	# tests/secure_monitor/monitor.ld
N=23

echo "1..$N"
[ -f "$IMG" ] || fail_all "no guest image at $IMG"
[ -f "$MON" ] || fail_all "no secure-monitor double at $MON"
command -v "$QEMU" >/dev/null || fail_all "$QEMU not found"
command -v dtc >/dev/null || fail_all "dtc not found"

"$H" list --image "$IMG" >"$WORK/list" 2>&1 || fail_all "list failed: $(cat "$WORK/list")"
mapfile -t tests < <(grep '^secure\.' "$WORK/list")
[ ${#tests[@]} -gt 0 ] || fail_all "the image lists no secure.* test"

# QEMU's own secure=on DT for the machine the harness starts, plus the nodes
# the firmware would add
MACHINE=secure=on,virtualization=on
"$QEMU" -M "virt,$MACHINE,dumpdtb=$WORK/base.dtb" -cpu cortex-a57 -m 256M -smp 1 \
	-display none -nic none >/dev/null 2>&1
dtc -q -I dtb -O dts "$WORK/base.dtb" >"$WORK/base.dts" 2>/dev/null &&
	cat "$WORK/base.dts" "$NODES" | dtc -q -I dts -O dtb -o "$WORK/fw.dtb" - ||
	fail_all "could not build the device tree"
entry=$(aarch64-linux-gnu-readelf -h "$IMG" | awk '/Entry point address/ { print $4 }')
[ -n "$entry" ] || fail_all "no entry point in $IMG"

# mon FLAGS ARGS...: the harness with the double as -kernel and the testrunner
# loaded beside it; the mailbox gets the entry point and FLAGS
mon() {
	local flags=$1
	shift
	harness -- run --image "$MON" --timeout 20 --boot-timeout 20 \
		--qemu-arg -machine --qemu-arg "$MACHINE" --qemu-arg -dtb --qemu-arg "$WORK/fw.dtb" \
		--qemu-arg -device --qemu-arg "loader,file=$IMG" \
		--qemu-arg -device --qemu-arg "loader,addr=$MAILBOX,data=$entry,data-len=8" \
		--qemu-arg -device --qemu-arg "loader,addr=$((MAILBOX + 8)),data=$flags,data-len=8" \
		--qemu-arg -semihosting-config --qemu-arg enable=on,target=native "$@"
}

mon 0 secure
cp "$WORK/out" "$WORK/ok.out"
cp "$WORK/err" "$WORK/ok.err"
pass=$(grep -cE '^PASS +secure\.' "$WORK/err")
check "TF-A + OP-TEE double: all ${#tests[@]} listed secure tests ran, one CPU's cycles skipped" 0 \
	"^$((${#tests[@]} - 1)) passed, 0 failed, 1 skipped$"
is "... every listed test but the CPU_OFF/CPU_ON cycles passed" test "$pass" = $((${#tests[@]} - 1))
is "... the cycles skipped for want of a secondary" \
	grep -qE '^SKIP +secure\.psci_cpu_off_on .*one CPU: no secondary' "$WORK/ok.err"

has() { is "$1" grep -qE -- "$2" "$WORK/ok.out"; }
has "SMCCC through /psci's method: smc" '^# conduit smc \(/psci method\)$'
has "PSCI 1.1 claims SMCCC_VERSION" '^# PSCI 1\.1: PSCI_FEATURES\(SMCCC_VERSION\) = 0 \(SUCCESS\)$'
has "SMCCC_VERSION 1.2" '^# SMCCC_VERSION: 1\.2 \(0x10002\)$'
has "x4-x17 in and out of a call, all preserved" '^# SMCCC_VERSION 0x10002; x4-x17: 14 of 14 preserved$'
has "ARCH_FEATURES(WORKAROUND_1) = 1: not needed on this CPU" \
	'^# ARCH_FEATURES\(SMCCC_ARCH_WORKAROUND_1\) = 1: implemented, not needed on this CPU$'
has "ARCH_FEATURES(WORKAROUND_2) = NOT_REQUIRED" '^# ARCH_FEATURES\(SMCCC_ARCH_WORKAROUND_2\) = -2: not required$'
has "SOC_ID decoded: JEP-106 bank 5 code 0x3b (Arm)" \
	'^# SOC_ID version 0x43b0001: JEP-106 bank 5 code 0x3b, SoC 0x0001$'
has "PSCI_FEATURES(CPU_SUSPEND) flags: extended StateID" '^# CPU_SUSPEND_64: implemented, flags 0x2$'
has "TRNG 1.0" '^# TRNG 1\.0$'
has "TRNG UUID in SMCCC's byte order" '^# TRNG UUID 6e2f1a0c-54b3-4d7e-9a41-0c5f2d8e7b13$'
has "Trusted OS calls over the OP-TEE node's method" '^# Trusted OS conduit smc \(the DT.s OP-TEE node\)$'
has "the UID named OP-TEE, as OP-TEE writes it" \
	'^# Trusted OS UID w0-w3 384fb3e0 e7f811e3 af630002 a5d5c51b: OP-TEE 384fb3e0-e7f8-11e3-af63-0002a5d5c51b$'
has "Trusted OS API revision 2.0" '^# Trusted OS API revision 2\.0$'
has "OP-TEE OS revision 4.5 through 0xb2000001" '^# OP-TEE OS revision 4\.5, build id 0x1234abcd$'

# the double's own memory, reserved in its DT, is left alone by the memory test
mon 0 selftest.memory
check "selftest.memory beside the double passes, its reservation not tested" 0 \
	'^# reserved 0x40100000-0x40200000 \(secure-monitor@40100000\): not tested$'
# the same double with its Trusted OS silent (flag 1) while the DT still
# names OP-TEE, and clobbering x9 (flag 2)
mon 3 secure.trusted_os secure.smccc_preserves_regs secure.smccc_version
check "a broken double: exit 1, secure.trusted_os fails" 1 '^FAIL +secure\.trusted_os'
is "... for the DT's promise (no skip)" \
	grep -q 'the DT names OP-TEE, but Call UID 0xbf00ff01 returned SMC_UNK' "$WORK/out"
is "... secure.smccc_preserves_regs fails naming x9" \
	test -n "$(grep -E '^FAIL +secure\.smccc_preserves_regs ' "$WORK/err")" \
	-a -n "$(grep -E '^# guest/tests/secure\.c:[0-9]+: x9: 0x5a5a0009fffffff6 in, 0x0 out$' "$WORK/out")"
is "... and the rest still passes" grep -qE '^PASS +secure\.smccc_version' "$WORK/err"
is "no directory or process left behind" test -z "$(ls -A "$TMPDIR")" -a -z "$(pgrep -f "$TMPDIR")"
