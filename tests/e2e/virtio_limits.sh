#!/usr/bin/env bash
# The guest's virtio layer at its limits, in real QEMU: testrunner0 on the
# virtio-serial device probed last, with 5 and 8 devices (legacy and modern),
# a 9th device beyond the limit reported and left alone, more than 65,536
# buffers through one virtqueue (fixture.wrap), and no tight polling of the
# Status register (QEMU's trace of the guest's MMIO reads).
set -u
. "$(dirname "$0")/lib.sh"
RAW=$O/tests/tools/raw_request
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
N=9

echo "1..$N"
if [ ! -f "$IMG" ] || ! command -v "$QEMU" >/dev/null || [ ! -x "$RAW" ] || [ ! -x "$H" ]; then
	fail_all "no guest image, harness, QEMU or raw_request: the build is incomplete"
fi

# QEMU through this wrapper: the harness's virtio-serial device, with its
# testrunner0 and rpmb0 ports, and $NSERIAL - 1 more devices with one port
# each. QEMU puts the first -device on the highest transport, which the guest
# probes last: the harness's device goes first, or last with LAST=1. With
# UART=FILE the UART goes to FILE.
cat >"$WORK/nserial" <<EOF
#!/usr/bin/env bash
args=() ports=()
while [ \$# -gt 0 ]; do
	if [ "\$1" = -device ] && [[ \$2 == virtio-serial-device* ]]; then shift 2; continue; fi
	if [ "\$1" = -device ]; then
		case "\$2" in
		virtserialport,*) ports+=(-device "virtserialport,bus=vs0.0,\${2#virtserialport,}")
			shift 2; continue ;;
		esac
	fi
	if [ "\$1" = -serial ] && [ -n "\${UART:-}" ]; then args+=(-serial "file:\$UART"); shift 2; continue; fi
	args+=("\$1")
	shift
done
[ \${#ports[@]} -gt 0 ] || { echo "nserial: no ports" >&2; exit 1; }
ours=(-device virtio-serial-device,id=vs0 "\${ports[@]}")
more=()
for ((k = 1; k < NSERIAL; k++)); do
	more+=(-device "virtio-serial-device,id=vs\$k" -device "virtserialport,bus=vs\$k.0,name=extra\$k")
done
if [ "\${LAST:-0}" = 1 ]; then
	exec "$QEMU" "\${args[@]}" "\${more[@]}" "\${ours[@]}"
fi
exec "$QEMU" "\${args[@]}" "\${ours[@]}" "\${more[@]}"
EOF
chmod +x "$WORK/nserial"
MODERN=(--qemu-arg -global --qemu-arg virtio-mmio.force-legacy=false)

# serial K COUNT [HARNESS ARGS...]: selftest.console with COUNT devices, in the background
serial() {
	local k=$1 count=$2
	shift 2
	(NSERIAL=$count timeout -k 5 60 "$H" run --image "$IMG" --timeout 20 --qemu "$WORK/nserial" \
		"$@" selftest.console >"$WORK/s$k.out" 2>"$WORK/s$k.err"
	 echo $? >"$WORK/s$k.rc") &
}
serial 1 5
serial 2 5 "${MODERN[@]}"
wait
serial 3 8
serial 4 8 "${MODERN[@]}"
wait
# found_last NAME K DEVICES: testrunner0 found as port 1 of the last device
found_last() {
	local name=$1 k=$2 last=$(($3 - 1)) why=""
	[ "$(cat "$WORK/s$k.rc")" = 0 ] || why="exit $(cat "$WORK/s$k.rc")"
	[ -z "$why" ] && ! grep -q "port 1 on virtio-serial $last: \"testrunner0\"" "$WORK/s$k.err" \
		"$WORK/s$k.out" && why="testrunner0 not reported on virtio-serial $last"
	if [ -z "$why" ]; then ok "$name"; else
		not_ok "$name: $why"
		sed 's/^/# err| /' "$WORK/s$k.err" | tail -15
	fi
}
found_last "testrunner0 on the 5th of 5 virtio-serial devices (legacy)" 1 5
found_last "testrunner0 on the 5th of 5 virtio-serial devices (modern)" 2 5
found_last "testrunner0 on the 8th of 8 virtio-serial devices, the limit (legacy)" 3 8
found_last "testrunner0 on the 8th of 8 virtio-serial devices, the limit (modern)" 4 8

Q=("$QEMU" -M virt -cpu cortex-a57 -m 256M -display none -monitor none -no-reboot)
# raw OUT TIMEOUT_MS REQUEST [QEMU ARGS]: raw_request appends testrunner0's device last
raw() {
	local out=$1 t=$2 r=$3
	shift 3
	timeout -k 5 30 "$RAW" -t "$t" "$r" "${Q[@]}" "$@" >"$WORK/$out" 2>&1
	echo $? >"$WORK/$out.rc"
}

# 9 devices, the harness's probed first: the 9th (probed last) is left alone
(NSERIAL=9 LAST=1 UART=$WORK/uart9.log timeout -k 5 60 "$H" run --image "$IMG" --timeout 20 \
	--qemu "$WORK/nserial" selftest.console >"$WORK/s9.out" 2>"$WORK/s9.err"
 echo $? >"$WORK/s9.rc")
name="9 virtio-serial devices: 8 served, the 9th reported on the UART and ignored"
if [ "$(cat "$WORK/s9.rc")" = 0 ] &&
   grep -q 'port 1 on virtio-serial 0: "testrunner0"' "$WORK/s9.err" "$WORK/s9.out" &&
   grep -q 'port 1 on virtio-serial 7: "extra' "$WORK/s9.err" "$WORK/s9.out" &&
   ! grep -q 'on virtio-serial 8' "$WORK/s9.err" "$WORK/s9.out" &&
   boots=$(grep -c '^testrunner .* boot tests$' "$WORK/uart9.log") && [ "$boots" -ge 1 ] &&
   # once per boot: the catalogue's and the test's may share one QEMU (reset mode)
   [ "$(grep -c 'virtio-console@0x[0-9a-f]*: ignored: more than 8 virtio-serial devices' \
	"$WORK/uart9.log")" = "$boots" ]; then
	ok "$name"
else
	not_ok "$name"
	sed 's/^/# err| /' "$WORK/s9.err" | tail -8
	sed 's/^/# uart| /' "$WORK/uart9.log" 2>/dev/null | tail -5
fi

# fixture.wrap: 70,000 buffers, one notify each, through testrunner0's tx queue
wrap_check() {	# wrap_check NAME OUT
	local name=$1 out=$2 why="" lines ms
	lines=$(grep -c '^# # wrap [0-9a-f]\{8\}$' "$WORK/$out")
	ms=$(sed -n 's/^request-to-result-ms //p' "$WORK/$out")
	{ [ "$(cat "$WORK/$out.rc")" = 0 ] && grep -qx 'result 0' "$WORK/$out"; } || why="no passing result"
	[ -z "$why" ] && [ "$lines" != 70000 ] && why="$lines of 70000 lines"
	# every line, in order: line i carries i
	[ -z "$why" ] && ! grep '^# # wrap ' "$WORK/$out" | cmp -s - "$WORK/wrap.expected" &&
		why="lines lost or out of order"
	[ -z "$why" ] && ! awk -v m="$ms" 'BEGIN { exit !(m != "" && m < 2000) }' && why="took $ms ms"
	echo "# $name: $lines lines, request->result $ms ms"
	if [ -z "$why" ]; then ok "$name"; else
		not_ok "$name: $why"
		grep -v '^# # wrap' "$WORK/$out" | sed 's/^/# raw| /' | tail -8
	fi
}
seq 0 69999 | xargs printf '# # wrap %08x\n' >"$WORK/wrap.expected"
raw wrapl 10000 'boottest fixture.wrap\n' -kernel "$IMG"
wrap_check "fixture.wrap: 70,000 buffers through one queue, all in order, < 2 s (legacy)" wrapl
raw wrapm 10000 'boottest fixture.wrap\n' -global virtio-mmio.force-legacy=false -kernel "$IMG"
wrap_check "fixture.wrap: 70,000 buffers through one queue, all in order, < 2 s (modern)" wrapm

# Status (offset 0x70) is read for set-up and then every 10 ms at most while
# polling: selftest.rng's many requests must not each poll it.
raw trace 5000 'boottest selftest.rng\n' -device virtio-rng-device \
	-trace "virtio_mmio_read,file=$WORK/trace.log" -kernel "$IMG"
reads=$(grep -c 'offset 0x70$' "$WORK/trace.log" 2>/dev/null)
echo "# selftest.rng with virtio-rng: ${reads:-no} Status reads"
name="virtio-rng and the console poll the used ring, not the Status register"
if [ "$(cat "$WORK/trace.rc")" = 0 ] && grep -q '^# ok 1 selftest.rng$' "$WORK/trace" &&
   [ -n "$reads" ] && [ "$reads" -gt 0 ] && [ "$reads" -le 16 ]; then
	ok "$name"
else
	not_ok "$name"
	sed 's/^/# raw| /' "$WORK/trace" | tail -8
fi
if [ -z "$(ls -A "$TMPDIR")" ] && [ -z "$(pgrep -f "$TMPDIR")" ]; then
	ok "no directory or process left behind"
else
	not_ok "no directory or process left behind"
fi
