#!/usr/bin/env bash
# make check-linux: boot Debian's arm64 distribution kernel (a gzip'd Image,
# fetched with apt-get download into $O/linux/) through testrunner-host boot,
# with a small initramfs and our command line, and check that it prints its
# banner, sees the virt DTB, our command line and the initrd, and that its
# panic=-1 reboot ends QEMU (-no-reboot). Not part of make check: it needs
# the Debian archive once, and boots a full kernel.
set -u
O=${O:-build}
HOST=$O/host/testrunner-host
DIR=$O/linux
mkdir -p "$DIR"

# The meta-package names the current ABI's image package.
pkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*-arm64\).*/\1/p' | head -1)
if [ -z "$pkg" ]; then
	echo "check-linux: cannot resolve linux-image-arm64:arm64 (dpkg --add-architecture arm64; apt-get update)" >&2
	exit 2
fi
if ! ls "$DIR"/boot/vmlinuz-* >/dev/null 2>&1; then
	(cd "$DIR" && apt-get download "$pkg:arm64") || exit 2
	dpkg-deb --fsys-tarfile "$DIR"/"$pkg"_*.deb | tar -x -C "$DIR" --wildcards './boot/vmlinuz-*' || exit 2
fi
kernel=$(ls "$DIR"/boot/vmlinuz-* | head -1)

# newc cpio archive: one file and the trailer (no cpio(1) needed)
cpio_entry() {
	local name=$1 mode=$2 data=$3 nsz=$((${#1} + 1)) fsz=${#3}
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		1 "$mode" 0 0 1 0 "$fsz" 0 0 0 0 "$nsz" 0
	printf '%s\0' "$name"
	head -c $(((4 - (110 + nsz) % 4) % 4)) /dev/zero
	printf '%s' "$data"
	head -c $(((4 - fsz % 4) % 4)) /dev/zero
}
marker=tr$RANDOM$RANDOM
{ cpio_entry testrunner-marker $((0100644)) "$marker"; cpio_entry 'TRAILER!!!' 0 ''; } |
	gzip >"$DIR/initrd.cpio.gz"

# Debian 12 ships vmlinuz as a plain Image; distributions also ship Image.gz.
if gunzip -t "$kernel" 2>/dev/null; then
	gz=$kernel
else
	gzip -c "$kernel" >"$DIR/Image.gz"
	gz=$DIR/Image.gz
fi

n=0 fail=0
t() {
	n=$((n + 1))
	if grep -qE -- "$2" "$out"; then echo "ok $n - $what: $1"; else echo "not ok $n - $what: $1"; fail=1; fi
}
echo "1..14"
echo "# $(basename "$kernel") from $pkg"
for k in "$kernel" "$gz"; do
	what=$(basename "$k")
	out=$DIR/boot-$what.log
	start=$EPOCHREALTIME
	timeout -k 5 300 "$HOST" boot --kernel "$k" --initrd "$DIR/initrd.cpio.gz" \
		--append "console=ttyAMA0 panic=-1 testrunner.marker=$marker" --timeout 240 >"$out" 2>&1
	rc=$?
	secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	echo "# $what: $(stat -c %s "$k") bytes, testrunner-host boot to QEMU exit ${secs}s"
	t "kernel banner" '^\[ *[0-9.]+\] Linux version [0-9]'
	t "virt DTB (Machine model)" 'Machine model: linux,dummy-virt'
	t "our command line" "Kernel command line: console=ttyAMA0 panic=-1 testrunner.marker=$marker[[:space:]]*\$"
	t "initrd seen" 'Trying to unpack rootfs image as initramfs'
	n=$((n + 1))
	if grep -q 'Initramfs unpacking failed' "$out"; then
		echo "not ok $n - $what: initramfs unpacked cleanly"; fail=1
	else
		echo "ok $n - $what: initramfs unpacked cleanly"
	fi
	t "panic (no root fs) with panic=-1" 'Kernel panic - not syncing'
	n=$((n + 1))
	if [ $rc -eq 0 ]; then
		echo "ok $n - $what: QEMU exited by itself (-no-reboot), exit 0"
	else
		echo "not ok $n - $what: testrunner-host boot exited $rc"; fail=1
	fi
	if [ $fail -ne 0 ]; then
		echo "# last lines of $out:"
		tail -20 "$out" | sed 's/^/# /'
	fi
done
exit $fail
