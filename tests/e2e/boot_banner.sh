#!/usr/bin/env bash
# First end-to-end slice: the guest boots on QEMU virt, prints its banner on the
# PL011 found through the DT, says that it has no testrunner0 port (none is
# given here), and powers off with PSCI (QEMU exits 0 by itself).
set -u
O=${O:-build}
ELF=$O/guest/testrunner.elf
QEMU=${QEMU:-qemu-system-aarch64}

configs=(
	"-M virt -cpu cortex-a57 -m 256M"
	"-M virt -cpu cortex-a53 -m 256M"
	"-M virt -cpu max -m 256M"
	"-M virt -cpu cortex-a57 -m 256M -smp 4"
	"-M virt -cpu cortex-a57 -m 1G"
	"-M virt,gic-version=3 -cpu cortex-a57 -m 256M"
	"-M virt,virtualization=on -cpu cortex-a57 -m 256M"
)

echo "1..${#configs[@]}"
if [ ! -f "$ELF" ]; then
	for i in "${!configs[@]}"; do
		echo "not ok $((i + 1)) - ${configs[$i]}: $ELF missing"
	done
	exit 1
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
n=0
for cfg in "${configs[@]}"; do
	n=$((n + 1))
	# -nic none: without ipxe-qemu, QEMU's default NIC wants a ROM and refuses to start.
	# shellcheck disable=SC2086
	timeout 20 "$QEMU" $cfg -display none -monitor none -nic none \
		-serial stdio -kernel "$ELF" </dev/null >"$out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -Eq '^testrunner [0-9][^ ]* on linux,dummy-virt: [0-9]+ boot tests\r?$' "$out" &&
		grep -q '^testrunner: no virtio console port named testrunner0' "$out"; then
		echo "ok $n - banner, missing channel reported, PSCI off: $cfg"
	else
		echo "not ok $n - banner and PSCI off: $cfg (exit status $rc)"
		sed 's/^/# /' "$out" | head -20
	fi
done
