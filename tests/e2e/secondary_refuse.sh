#!/usr/bin/env bash
# e2e: every bad input to the secondary-OS path is refused with a clear
# message and exit 2, and the testrunner never jumps into it.
set -u
. "$(dirname "$0")/lib.sh"
IMG=$O/tests/secondary/Image
ELF=$O/guest/testrunner.elf

not_ok() { n=$((n + 1)); echo "not ok $n - $1"; sed 's/^/# /' "$WORK/out" | tail -30; }
boot() {
	timeout -k 5 60 "$H" boot --image "$ELF" "$@" >"$WORK/out" 2>&1
	rc=$?
}
# refused NAME PATTERN: exit 2, the reason in the output, no jump, nothing left
refused() {
	if [ $rc -eq 2 ] && grep -q -- "$2" "$WORK/out" && ! grep -q "secondary-image:" "$WORK/out" &&
	   [ -z "$(ls -A "$TMPDIR")" ]; then
		ok "$1"
	else
		not_ok "$1 (exit $rc, wanted 2 and \"$2\")"
	fi
}
# patch FILE OFFSET BYTES: overwrite bytes of a copy of the good image
patch() {
	cp "$IMG" "$WORK/$1"
	printf "$3" | dd of="$WORK/$1" bs=1 seek="$2" conv=notrunc status=none
}

echo "1..12"

patch bad_magic 56 'ARMx'
boot --kernel "$WORK/bad_magic" --timeout 20
refused "bad magic" 'refused: no arm64 Image magic'

patch big_endian 24 '\x0b'
boot --kernel "$WORK/big_endian" --timeout 20
refused "big-endian kernel (flags bit 0)" 'refused: big-endian kernel'

patch huge 16 '\x00\x00\x00\x40'	# image_size 1 GiB with 256 MiB of RAM
boot --kernel "$WORK/huge" --timeout 20
refused "image_size larger than RAM" 'refused: kernel image_size does not fit in free RAM'

head -c 40 "$IMG" >"$WORK/short"
boot --kernel "$WORK/short" --timeout 20
refused "file shorter than the header" 'refused: file shorter than the 64-byte'

boot --kernel "$O/guest/testrunner.elf" --timeout 20
refused "an ELF file instead of an Image" 'refused: no arm64 Image magic'

head -c 3000 /dev/zero | tr '\0' 'a' >"$WORK/long"
boot --kernel "$IMG" --append "$(cat "$WORK/long")" --timeout 20
refused "command line over 2047 bytes" 'refused: command line longer'

# QEMU wrappers: one drops the kernel item, one removes fw-cfg from the DT
cat >"$WORK/no-kernel-qemu" <<'EOS'
#!/usr/bin/env bash
args=()
while [ $# -gt 0 ]; do
	if [ "$1" = -fw_cfg ] && [[ "$2" == name=opt/testrunner/kernel,* ]]; then shift 2; continue; fi
	args+=("$1"); shift
done
exec qemu-system-aarch64 "${args[@]}"
EOS
cat >"$WORK/no-fw-cfg-qemu" <<'EOS'
#!/usr/bin/env bash
# QEMU's own DT minus the fw-cfg node (the dump run must not take the channel)
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
dump=()
for a in "$@"; do
	[[ "$a" == socket,id=testrunner0,* ]] && a=null,id=testrunner0
	dump+=("$a")
done
qemu-system-aarch64 "${dump[@]}" -machine dumpdtb="$d/virt.dtb" >/dev/null 2>&1 || exit 1
node=$(fdtget -l "$d/virt.dtb" / | grep '^fw-cfg@') || exit 1
fdtput -r "$d/virt.dtb" "/$node" || exit 1
qemu-system-aarch64 "$@" -dtb "$d/virt.dtb"
EOS
chmod +x "$WORK/no-kernel-qemu" "$WORK/no-fw-cfg-qemu"

boot --kernel "$IMG" --qemu "$WORK/no-kernel-qemu" --timeout 20
refused "no kernel item in fw_cfg" 'refused: no kernel: fw_cfg has no opt/testrunner/kernel'

boot --kernel "$IMG" --qemu "$WORK/no-fw-cfg-qemu" --timeout 20
refused "no fw_cfg device in the DT" 'refused: no fw_cfg device'

gzip -c "$IMG" | head -c 3000 >"$WORK/cut.gz"
boot --kernel "$WORK/cut.gz" --timeout 20
refused "truncated gzip kernel (host side)" 'gzip data'

boot --kernel "$WORK/does-not-exist" --timeout 20
refused "missing kernel file" 'kernel .*does-not-exist: No such file'

boot --kernel "$IMG" --qemu "$WORK/no-such-qemu" --timeout 20
refused "QEMU not executable" 'cannot execute'

boot --kernel "$IMG" --bogus
refused "unknown option" 'unknown option'
