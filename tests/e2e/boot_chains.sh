#!/usr/bin/env bash
# Every way docs/boot-chains.md boots the one testrunner image, through the
# harness, each running selftest to its result: the ELF and the .bin (an arm64
# Image) by -kernel, the .bin at other addresses by QEMU's generic loader, at
# EL1, EL2 and EL3, with 2 and 4 GiB, with a DT that reserves memory, from
# U-Boot's booti, and as BL33 after the TF-A stand-in tests/firmware/bl1.bin
# (through --firmware; tests/e2e/firmware.sh tests the option itself).
# Each case checks the guest's own account (its UART, --verbose) of where it
# runs and where its DT came from. Without PSCI the guest must power off by
# itself: tests/tools/raw_request sees QEMU exit after the result frame.
set -u
. "$(dirname "$0")/lib.sh"
BIN=$O/guest/testrunner.bin
BL1=$O/tests/firmware/bl1.bin
UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
N=21

echo "1..$N"
RAW=$O/tests/tools/raw_request
for f in "$IMG" "$BIN" "$BL1" "$UBOOT" "$RAW"; do [ -f "$f" ] || fail_all "no $f"; done
command -v "$QEMU" >/dev/null || fail_all "$QEMU not found"
command -v dtc >/dev/null || fail_all "dtc not found"
BL1=$(realpath "$BL1")

# QEMU with the harness's -kernel IMG replaced by the generic loader: the
# image's bytes at $ADDR and CPU 0 started there (x0 = 0, the DT at the RAM base).
cat >"$WORK/loader" <<EOF2
#!/usr/bin/env bash
args=()
while [ \$# -gt 0 ]; do
	if [ "\$1" = -kernel ]; then
		args+=(-device "loader,file=\$2,addr=\$ADDR" -device "loader,addr=\$ADDR,cpu-num=0")
		shift 2
		continue
	fi
	args+=("\$1")
	shift
done
exec "$QEMU" "\${args[@]}"
EOF2
chmod +x "$WORK/loader"
# TF-A's build directory as --firmware takes it, the BL1 stand-in as its bl1.bin
mkdir -p "$WORK/tfa"
cp "$BL1" "$WORK/tfa/bl1.bin"

# The harness's default machine with OP-TEE's shared memory reserved the way
# OP-TEE's DT does (no-map, inside normal-world RAM) and a /memreserve/ entry.
"$QEMU" -M virt,dumpdtb="$WORK/base.dtb" -cpu cortex-a57 -m 256M -smp 1 -display none \
	-nic none >/dev/null 2>&1 || fail_all "QEMU cannot dump its DTB"
{
	dtc -q -I dtb -O dts "$WORK/base.dtb" | sed '1a /memreserve/ 0x4c000000 0x100000;'
	printf '/ {\n\treserved-memory {\n\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n'
	printf '\t\tranges;\n\t\toptee_shm@42000000 {\n\t\t\treg = <0 0x42000000 0 0x200000>;\n'
	printf '\t\t\tno-map;\n\t\t};\n\t};\n};\n'
} >"$WORK/rsv.dts"
dtc -q -I dts -O dtb -o "$WORK/rsv.dtb" "$WORK/rsv.dts" || fail_all "dtc cannot build the DTB"

names=() cmds=() envs=()
add() { names+=("$1"); envs+=("$2"); shift 2; cmds+=("$*"); }
M() { echo --qemu-arg -machine --qemu-arg "$1"; }
RSV="--qemu-arg -dtb --qemu-arg $WORK/rsv.dtb --qemu-arg -cpu --qemu-arg cortex-a57 --memory 256M"
add ".bin by -kernel (an arm64 Image: DT in x0)"	"" --image "$BIN"
add "ELF at EL2 (virtualization=on)"			"" --image "$IMG" "$(M virtualization=on)"
add ".bin at EL2 (virtualization=on), -smp 2"		"" --image "$BIN" "$(M virtualization=on)" --smp 2
add "ELF at EL3 (secure=on), GICv2"			"" --image "$IMG" "$(M secure=on)"
add "ELF at EL3 (secure=on), GICv3, -smp 2"		"" --image "$IMG" "$(M secure=on,gic-version=3)" --smp 2
add ".bin at EL3 by the loader at 0x48000000"		"ADDR=0x48000000" --qemu "$WORK/loader" \
	--image "$BIN" "$(M secure=on)"
add ".bin by the loader at 0x7fe00000, 2 GiB, -smp 2"	"ADDR=0x7fe00000" --qemu "$WORK/loader" \
	--image "$BIN" --memory 2G --smp 2
add ".bin by the loader at 0x100000000, 4 GiB"	"ADDR=0x100000000" --qemu "$WORK/loader" \
	--image "$BIN" --memory 4G
add "ELF by -kernel with 4 GiB"				"" --image "$IMG" --memory 4G
add "ELF with reserved memory in its DT (-dtb)"	"" --image "$IMG" "$RSV"
add ".bin with reserved memory in its DT (-dtb: x0)"	"" --image "$BIN" "$RSV"
add ".bin by the loader at 0x48000000 with -dtb"	"ADDR=0x48000000" --qemu "$WORK/loader" \
	--image "$BIN" "$RSV"
add "U-Boot's booti (-bios u-boot.bin), 2 GiB"		"" --image "$BIN" --memory 2G \
	--qemu-arg -bios --qemu-arg "$UBOOT"
add "BL33 after the BL1 stand-in (--firmware), secure=off,virtualization=on" "" \
	--firmware "$WORK/tfa" --image "$BIN" "$(M secure=off)"
add "BL33 after the BL1 stand-in (--firmware), secure=on,virtualization=on (no PSCI)" "" \
	--firmware "$WORK/tfa" --image "$BIN"
add "BL33 after the BL1 stand-in (--firmware), secure=on,virtualization=on, GICv3" "" \
	--firmware "$WORK/tfa" --image "$BIN" "$(M gic-version=3)"

for ((i = 0; i < ${#names[@]}; i += 2)); do
	for k in $i $((i + 1)); do
		[ $k -lt ${#names[@]} ] || continue
		# shellcheck disable=SC2086 # each word of envs/cmds[k] is one argument
		(env ${envs[$k]} timeout -k 5 60 "$H" run --verbose --timeout 20 ${cmds[$k]} selftest \
			>"$WORK/c$k.out" 2>"$WORK/c$k.err"
		 echo $? >"$WORK/c$k.rc") &
	done
	wait
done

# result K REGEX...: run K passed selftest (exit 0, nothing failed) and shows
# every REGEX. Test results are matched in the KTAP log (stdout): with
# --verbose the serial console shares stderr with the harness's own lines.
result() {
	local k=$1 why=""
	shift
	[ "$(cat "$WORK/c$k.rc" 2>/dev/null)" = 0 ] || why="exit $(cat "$WORK/c$k.rc" 2>/dev/null)"
	[ -z "$why" ] && ! grep -qE '^# [0-9]+ passed, 0 failed' "$WORK/c$k.out" && why="a test failed"
	for pat in "$@"; do
		[ -z "$why" ] && ! grep -qE -- "$pat" "$WORK/c$k.err" "$WORK/c$k.out" && why="no /$pat/"
	done
	if [ -z "$why" ]; then
		ok "${names[$k]}"
	else
		not_ok "${names[$k]}: $why"
		sed 's/^/# err| /' "$WORK/c$k.err" | tail -15
	fi
}
at() { echo "entered at EL$1, running at $2 EL1; image at $3 "; }
from_x0='DT at 0x[0-9a-f]+ \([0-9]+ bytes\) from x0'
from_base='DT at 0x40000000 \([0-9]+ bytes\) from the base of RAM \(x0 = 0x0\)'
no_psci='^ok [0-9]+ selftest\.psci # SKIP no PSCI'
psci_ok='^ok [0-9]+ selftest\.psci$'
irq_ok='^ok [0-9]+ selftest\.irq$'
rsv_kept='# reserved 0x42000000-0x42200000 \(optee_shm@42000000\): not tested'
memrsv_kept='# reserved 0x4c000000-0x4c100000 \(/memreserve/\): not tested'

result 0 "$from_x0" "$(at 1 non-secure 0x40200000)" "$psci_ok" '# semihosting off'
result 1 "$from_base" "$(at 2 non-secure 0x40200000)" "$psci_ok"
result 2 "$from_x0" "$(at 2 non-secure 0x40200000)" '1 secondary CPUs checked in'
result 3 "$from_base" "$(at 3 secure 0x40200000)" "$no_psci" "$irq_ok"
result 4 "$from_base" "$(at 3 secure 0x40200000)" "$no_psci" "$irq_ok"
result 5 "$from_base" "$(at 3 secure 0x48000000)" "$no_psci"
result 6 "$from_base" "$(at 1 non-secure 0x7fe00000)" '1 secondary CPUs checked in'
result 7 "$from_base" "$(at 1 non-secure 0x100000000)" '# free RAM 0x[0-9a-f]+-0x140000000 '
result 8 "$from_base" '# free RAM 0x[0-9a-f]+-0x140000000 '
result 9 "$from_base" "$rsv_kept" "$memrsv_kept" '# free RAM 0x[0-9a-f]+-0x42000000 ' \
	'# free RAM 0x42200000-0x4c000000 ' '# free RAM 0x4c100000-'
result 10 "$from_x0" "$rsv_kept" "$memrsv_kept" '# free RAM 0x42200000-'
result 11 "$from_base" "$(at 1 non-secure 0x48000000)" "$rsv_kept" "$memrsv_kept"
result 12 "$from_x0" "$(at 1 non-secure '0x[0-9a-f]+')"
result 13 "$from_base" "$(at 2 non-secure 0x60000000)" "$psci_ok" '# semihosting on$'
result 14 "$from_base" "$(at 2 non-secure 0x60000000)" "$no_psci" "$irq_ok"
result 15 "$from_base" "$(at 2 non-secure 0x60000000)" "$no_psci" "$irq_ok"

# --- no PSCI: powering off by itself, QEMU run without the harness ---------------
Q=(-M virt,secure=on -cpu cortex-a57 -m 1G -display none -monitor none -nic none -no-reboot)
raw() {	# raw NAME [ENV=VAL] QEMU ARGS...: result 0, then QEMU exits by itself
	local name=$1
	shift
	env "$@" >"$WORK/raw" 2>&1 </dev/null
	if grep -qx 'result 0' "$WORK/raw" && grep -qE '^result-to-exit-ms [0-9]' "$WORK/raw"; then
		ok "$name"
	else
		not_ok "$name"
		sed 's/^/# raw| /' "$WORK/raw" | tail -10
	fi
}
raw "EL3 without firmware: powers off by the secure gpio-poweroff line" \
	timeout -k 5 30 "$RAW" 'boottest selftest.timer\n' "$QEMU" "${Q[@]}" -kernel "$IMG"
# QEMU as --firmware runs it, by hand: bl33.bin in QEMU's working directory
mkdir -p "$WORK/fw"
cp "$BIN" "$WORK/fw/bl33.bin"
RAW=$(realpath "$RAW")
cd "$WORK/fw" || exit 1
raw "NS EL2 after the BL1 stand-in, no PSCI: powers off by semihosting" \
	timeout -k 5 30 "$RAW" 'boottest selftest.timer\n' "$QEMU" "${Q[@]}" \
	-machine virtualization=on -bios "$BL1" -semihosting-config enable=on,target=native
cd - >/dev/null || exit 1
# --- the secondary OS from a runner loaded elsewhere, with memory reserved --------
SEC=$O/tests/secondary/Image
# shellcheck disable=SC2086 # each word of $RSV is one argument
ADDR=0x48000000 timeout -k 5 60 "$H" boot --qemu "$WORK/loader" --image "$BIN" --kernel "$SEC" \
	--timeout 20 $RSV >"$WORK/out" 2>&1
rc=$?
# the runner's image_size from its Image header, the kernel's range from the loader's log
runner_size=$(od -An -tu8 -j16 -N8 "$BIN" | tr -d ' ')
read -r k_at k_size < <(sed -n 's/^secondary: kernel [0-9]* bytes at \(0x[0-9a-f]*\) .*image_size \(0x[0-9a-f]*\).*/\1 \2/p' "$WORK/out")
clear_of() {	# clear_of START SIZE: the kernel's range does not overlap it
	[ -n "$k_at" ] && [ $((k_at + k_size <= $1 || k_at >= $1 + $2)) = 1 ]
}
if [ $rc = 0 ] && grep -qx "secondary-image: PASS" "$WORK/out" && clear_of 0x42000000 0x200000 &&
   clear_of 0x4c000000 0x100000 && clear_of 0x48000000 "$runner_size"; then
	ok "secondary OS from a runner at 0x48000000: placed at $k_at, clear of the runner and the reservations"
else
	not_ok "secondary OS from a runner at 0x48000000 (exit $rc, kernel at ${k_at:-?})"
	sed 's/^/# out| /' "$WORK/out" | tail -15
fi

mkdir -p "$WORK/empty"
(cd "$WORK/empty" && timeout -k 5 10 "$QEMU" "${Q[@]}" -serial none -bios "$BL1" \
	-semihosting-config enable=on,target=native >"$WORK/raw" 2>&1)
rc=$?
is "BL1 stand-in without bl33.bin: says so and QEMU exits 1" \
	test $rc = 1 -a -n "$(grep -x "bl1: cannot open bl33.bin in QEMU's working directory" "$WORK/raw")"
is "no directory or process left behind" test -z "$(ls -A "$TMPDIR")" -a -z "$(pgrep -f "$TMPDIR")"
