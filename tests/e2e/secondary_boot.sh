#!/usr/bin/env bash
# e2e: testrunner-host boot hands the project's secondary test image over to
# the testrunner, which starts it by booting.rst; the image checks what it got.
# The console decides too: a kernel panic fails the boot, --expect passes it.
set -u
. "$(dirname "$0")/lib.sh"
IMG=$O/tests/secondary/Image
ELF=$O/guest/testrunner.elf

not_ok() { n=$((n + 1)); echo "not ok $n - $1"; sed 's/^/# /' "$WORK/out" | tail -40; }
holds() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
# boot ARGS...: run the harness under an outer timeout, output in $WORK/out, status in $rc
boot() {
	timeout -k 5 60 "$H" boot --image "$ELF" "$@" >"$WORK/out" 2>&1
	rc=$?
}
# no temporary file and no QEMU of ours left behind
clean() { [ -z "$(ls -A "$TMPDIR")" ] && ! pgrep -f "$WORK" >/dev/null; }

echo "1..13"
head -c 3000001 /dev/urandom >"$WORK/initrd"
ck=$(cksum <"$WORK/initrd" | cut -d' ' -f1)

boot --kernel "$IMG" --initrd "$WORK/initrd" --append "console=ttyAMA0 sectest.cksum=$ck quiet" \
	--timeout 30
x0_loader=$(sed -n 's/.*jumping to 0x[0-9a-f]* with x0=\(0x[0-9a-f]*\).*/\1/p' "$WORK/out")
x0_image=$(sed -n 's/^secondary-image: hello, x0=\(0x[0-9a-f]*\) .*/\1/p' "$WORK/out")
holds "Image with initrd and bootargs: exit 0, every hand-over check passes" \
	'[ $rc -eq 0 ] && grep -qx "secondary-image: PASS" "$WORK/out" && ! grep -q ": FAIL" "$WORK/out" && clean'
holds "the image sees our bootargs and the initrd's exact bytes (cksum $ck)" \
	'grep -qx "secondary-image: bootargs=\"console=ttyAMA0 sectest.cksum=$ck quiet\"" "$WORK/out" &&
	 grep -qx "secondary-image: initrd cksum $ck 3000001" "$WORK/out"'
holds "x0 the image received is the DTB the testrunner prepared ($x0_loader)" \
	'[ -n "$x0_loader" ] && [ "$x0_loader" = "$x0_image" ]'

gzip -c "$IMG" >"$WORK/Image.gz"
boot --kernel "$WORK/Image.gz" --append "sectest.gz" --timeout 30
holds "gzip-compressed Image is decompressed on the host and boots" \
	'[ $rc -eq 0 ] && grep -qx "secondary-image: PASS" "$WORK/out" &&
	 grep -qx "secondary-image: bootargs=\"sectest.gz\"" "$WORK/out" && clean'

boot --kernel "$IMG" --timeout 30 --qemu-arg -global --qemu-arg virtio-mmio.force-legacy=false
holds "no initrd, no command line, modern virtio-mmio: boots, no initrd in /chosen" \
	'[ $rc -eq 0 ] && grep -qx "secondary-image: PASS" "$WORK/out" &&
	 grep -qx "secondary-image: no initrd" "$WORK/out" && clean'

start=$SECONDS
boot --kernel "$IMG" --append "sectest.hang" --timeout 3
holds "a kernel that never ends: exit 1 at --timeout, QEMU killed, temp dir removed" \
	'[ $rc -eq 1 ] && grep -q "secondary-image: hanging as asked" "$WORK/out" &&
	 grep -q "timeout after 3 s" "$WORK/out" && [ $((SECONDS - start)) -lt 15 ] && clean'

# verdicts from the console: a panic is a failure even when the OS resets itself
boot --kernel "$IMG" --append "sectest.panic" --timeout 30
holds "a kernel that panics (and resets, as panic=-1 does): exit 1 naming the panic line" \
	'[ $rc -eq 1 ] && grep -qx "testrunner-host: boot: the console showed /Kernel panic - not syncing/: Kernel panic - not syncing: sectest.panic asked for it" "$WORK/out" && clean'
boot --kernel "$IMG" --append "sectest.panic" --timeout 30 --fail-on ''
holds "...and exit 0 with --fail-on '' (the default is what caught it)" '[ $rc -eq 0 ] && clean'
boot --kernel "$IMG" --append "sectest.panic" --timeout 30 --fail-on 'asked for (it|them)$'
holds "--fail-on REGEX: an extended expression of our own" '[ $rc -eq 1 ] && grep -q "console showed /asked for" "$WORK/out"'
start=$SECONDS
boot --kernel "$IMG" --append "sectest.hang" --timeout 60 --expect '^secondary-image: (PASS|hanging)'
holds "--expect: exit 0 once the console shows it, QEMU stopped long before --timeout" \
	'[ $rc -eq 0 ] && [ $((SECONDS - start)) -lt 30 ] && clean'
boot --kernel "$IMG" --timeout 30 --expect 'never printed'
holds "--expect never shown: exit 1 although the OS powered off cleanly" \
	'[ $rc -eq 1 ] && grep -qx "testrunner-host: boot: the console never showed /never printed/" "$WORK/out" && clean'
boot --kernel "$IMG" --expect '('
holds "a bad expression: exit 2, one line, nothing started" \
	'[ $rc -eq 2 ] && [ "$(wc -l <"$WORK/out")" = 1 ] && grep -q "^testrunner-host: boot: --expect: .(.: " "$WORK/out" && clean'

timeout -k 5 60 "$H" boot --image "$ELF" --kernel "$IMG" --append "sectest.hang" \
	--timeout 60 >"$WORK/out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "hanging as asked" "$WORK/out" && break; sleep 0.1; done
kill -TERM $pid
wait $pid
rc=$?
holds "SIGTERM: exit 143, QEMU gone, temp dir removed" '[ $rc -eq 143 ] && sleep 0.2 && clean'
