#!/usr/bin/env bash
# The guest in real QEMU. Through testrunner-host: selftest over
# legacy and modern virtio-mmio, with virtio-rng and virtio-blk present (rng
# then passes), with testrunner0 and rpmb0 on two different virtio-serial
# devices (both orders), on -smp 1 and 4, GICv2 and v3, cortex-a53 and max.
# Through tests/tools/raw_request (no harness in between): the result byte of
# each fixture outcome, an unterminated request, and how fast a crash ends.
# (Harness exit codes for each fixture are tests/e2e/host_qemu.sh's.)
set -u
. "$(dirname "$0")/lib.sh"
RAW=$O/tests/tools/raw_request
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
N=30

echo "1..$N"
[ -f "$IMG" ] || fail_all "no guest image at $IMG"
command -v "$QEMU" >/dev/null || fail_all "$QEMU not found"
[ -x "$RAW" ] || fail_all "no $RAW"

# --- through the harness: one configuration per run, two runs at a time ----------
truncate -s 1M "$WORK/blk.img"
MODERN=(--qemu-arg -global --qemu-arg virtio-mmio.force-legacy=false)
DEVS=(--qemu-arg -device --qemu-arg virtio-rng-device
      --qemu-arg -drive --qemu-arg "file=$WORK/blk.img,if=none,format=raw,id=blk0,read-only=on"
      --qemu-arg -device --qemu-arg virtio-blk-device,drive=blk0)
gic() { echo --qemu-arg -machine --qemu-arg "gic-version=$1"; }
cpu() { echo --qemu-arg -cpu --qemu-arg "$1"; }

# QEMU through this wrapper: the harness's single virtio-serial device becomes
# two, one port each, in the order $ORDER names (QEMU puts the first -device on
# the highest transport, so the guest meets the last one first).
cat >"$WORK/two-serial" <<EOF
#!/usr/bin/env bash
args=() r="" t=""
# the catalogue boot has no rpmb0 port: nothing to split
case " \$* " in *name=rpmb0*) ;; *) exec "$QEMU" "\$@" ;; esac
while [ \$# -gt 0 ]; do
	if [ "\$1" = -device ] && [ "\$2" = virtio-serial-device ]; then shift 2; continue; fi
	if [ "\$1" = -device ]; then
		case "\$2" in
		virtserialport,*name=rpmb0*) r=\${2#virtserialport,}; shift 2; continue ;;
		virtserialport,*name=testrunner0*) t=\${2#virtserialport,}; shift 2; continue ;;
		esac
	fi
	args+=("\$1")
	shift
done
[ -n "\$r" ] && [ -n "\$t" ] || { echo "two-serial: no rpmb0 and testrunner0 ports" >&2; exit 1; }
if [ "\$ORDER" = testrunner-first ]; then a=\$t b=\$r; else a=\$r b=\$t; fi
exec "$QEMU" "\${args[@]}" -device virtio-serial-device,id=vsa \\
	-device "virtserialport,bus=vsa.0,\$a" -device virtio-serial-device,id=vsb \\
	-device "virtserialport,bus=vsb.0,\$b"
EOF
chmod +x "$WORK/two-serial"

names=() cmds=()
add() { names+=("$1"); shift; cmds+=("$*"); }
add "legacy, cortex-a57, -smp 1"		selftest
add "modern (force-legacy=false)"		"${MODERN[*]}" selftest
add "legacy with virtio-rng and virtio-blk, -smp 2"	"${DEVS[*]}" --smp 2 selftest
add "modern with virtio-rng and virtio-blk"	"${MODERN[*]}" "${DEVS[*]}" selftest
add "two serial devices, rpmb0 alone on the one the guest finds first (legacy)" \
	"--qemu $WORK/two-serial" selftest rpmb
add "two serial devices, the other order (modern)" \
	"--qemu $WORK/two-serial" "${MODERN[*]}" selftest rpmb
add "-smp 4"					--smp 4 selftest
add "GICv3, -smp 1"				"$(gic 3)" selftest
add "GICv2, -smp 4"				"$(gic 2)" --smp 4 selftest
add "cortex-a53, GICv3, -smp 4"			"$(cpu cortex-a53)" "$(gic 3)" --smp 4 selftest
add "cortex-a53, GICv2, -smp 1, modern"		"$(cpu cortex-a53)" "$(gic 2)" "${MODERN[*]}" selftest
add "max, GICv3, -smp 4, modern, rng and blk"	"$(cpu max)" "$(gic 3)" --smp 4 "${MODERN[*]}" "${DEVS[*]}" selftest
add "max, GICv2, -smp 1"			"$(cpu max)" "$(gic 2)" selftest
orders=([4]=testrunner-first [5]=rpmb-first)

t0=$EPOCHREALTIME
for ((i = 0; i < ${#names[@]}; i += 2)); do
	for k in $i $((i + 1)); do
		[ $k -lt ${#names[@]} ] || continue
		# shellcheck disable=SC2086 # each word of cmds[k] is one argument
		(ORDER=${orders[$k]:-} timeout -k 5 60 "$H" run --image "$IMG" --timeout 20 \
			${cmds[$k]} >"$WORK/c$k.out" 2>"$WORK/c$k.err"
		 echo $? >"$WORK/c$k.rc") &
	done
	wait
done
echo "# ${#names[@]} configurations in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"

# result NAME K SUMMARY [EXTRA-REGEX...]: run K ended with SUMMARY and shows every EXTRA
result() {
	local name=$1 k=$2 want=$3 why=""
	shift 3
	[ "$(cat "$WORK/c$k.rc" 2>/dev/null)" = 0 ] || why="exit $(cat "$WORK/c$k.rc" 2>/dev/null)"
	[ -z "$why" ] && ! grep -qx "$want" "$WORK/c$k.err" && why="no '$want'"
	for pat in "$@"; do
		[ -z "$why" ] && ! grep -qE -- "$pat" "$WORK/c$k.err" "$WORK/c$k.out" && why="no /$pat/"
	done
	if [ -z "$why" ]; then
		ok "$name"
	else
		not_ok "$name: $why"
		sed 's/^/# err| /' "$WORK/c$k.err" | tail -15
	fi
}
# The expected summaries come from the image's own catalogue: without
# virtio-rng selftest.rng skips; everything else passes at any -smp.
"$H" list --image "$IMG" >"$WORK/list" 2>&1 || fail_all "list failed: $(head -1 "$WORK/list")"
nself=$(grep -c '^selftest\.' "$WORK/list")
nrpmb=$(grep -c '^rpmb\.' "$WORK/list")
S1="$((nself - 1)) passed, 0 failed, 1 skipped"	# no rng
SNR="$nself passed, 0 failed, 0 skipped"	# with rng
SR="$((nself + nrpmb - 1)) passed, 0 failed, 1 skipped"	# selftest and rpmb, no rng
result "${names[0]}: selftest passes, rng skips without a device" 0 "$S1" '^SKIP +selftest.rng'
result "${names[1]}: selftest passes" 1 "$S1" '^PASS +selftest.console'
result "${names[2]}: selftest passes, rng really passes" 2 "$SNR" '^PASS +selftest.rng' '1 secondary CPUs checked in'
result "${names[3]}: selftest passes, rng really passes" 3 "$SNR" '^PASS +selftest.rng'
result "${names[4]}: selftest and rpmb pass" 4 "$SR" \
	'port 1 on virtio-serial 0: "rpmb0"' 'port 1 on virtio-serial 1: "testrunner0"' '^PASS +rpmb.write_read'
result "${names[5]}: selftest and rpmb pass" 5 "$SR" \
	'port 1 on virtio-serial 0: "testrunner0"' 'port 1 on virtio-serial 1: "rpmb0"' '^PASS +rpmb.write_read'
result "${names[6]}: selftest passes, 3 secondaries check in" 6 "$S1" '3 secondary CPUs checked in'
result "${names[7]}: selftest passes on GICv3" 7 "$S1" '# GICv3'
result "${names[8]}: selftest passes on GICv2" 8 "$S1" '# GICv2' '3 secondary CPUs checked in'
result "${names[9]}: selftest passes" 9 "$S1" '# GICv3' '3 secondary CPUs checked in'
result "${names[10]}: selftest passes" 10 "$S1" '# GICv2'
result "${names[11]}: selftest passes" 11 "$SNR" '# GICv3' '3 secondary CPUs checked in'
result "${names[12]}: selftest passes" 12 "$S1" '# GICv2'
# the extra -cpu/-machine really reach QEMU and override the harness's: a bad one fails
timeout -k 5 30 "$H" run --image "$IMG" --timeout 10 --qemu-arg -cpu --qemu-arg no-such-cpu \
	selftest.fdt >"$WORK/out" 2>"$WORK/err"
rc=$?
is "a later -cpu overrides the harness's (an unknown one: exit 2, QEMU says so)" \
	test $rc = 2 -a -n "$(grep -i 'no-such-cpu' "$WORK/err")"
is "no directory or process left behind" test -z "$(ls -A "$TMPDIR")" -a -z "$(pgrep -f "$TMPDIR")"

# --- raw: the guest's own result byte, no harness ---------------------------------
Q=("$QEMU" -M virt -cpu cortex-a57 -m 256M -display none -monitor none -no-reboot -kernel "$IMG")
raw() {	# raw TIMEOUT_MS REQUEST [EXTRA QEMU ARGS]
	local t=$1 r=$2
	shift 2
	timeout -k 5 30 "$RAW" -t "$t" "$r" "${Q[@]}" "$@" >"$WORK/raw" 2>&1
	rrc=$?
}
field() { sed -n "s/^$1 //p" "$WORK/raw"; }
raw_is() {	# raw_is NAME RC RESULT [REGEX]
	local name=$1 want_rc=$2 want=$3 pat=${4:-}
	if [ "$rrc" = "$want_rc" ] && [ "$(field result)" = "$want" ] &&
	   { [ -z "$pat" ] || grep -qE -- "$pat" "$WORK/raw"; }; then
		ok "$name"
	else
		not_ok "$name (exit $rrc, result '$(field result)')"
		sed 's/^/# raw| /' "$WORK/raw" | tail -10
	fi
}
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 < b + 0) }'; }

raw 5000 'boottest fixture.pass\n'
raw_is "fixture.pass: result byte 0" 0 0 '^# ok 1 fixture.pass$'
pass_ms=$(field request-to-result-ms)
raw 5000 'boottest fixture.fail\n'
raw_is "fixture.fail: result byte 1, the assertion named" 0 1 '^# # guest/tests/fixture.c:[0-9]+: '
raw 5000 'boottest fixture.crash\n'
raw_is "fixture.crash: result byte 1 with ESR, ELR and FAR" 0 1 \
	'^# # exception: ESR=0x[0-9a-f]+ ELR=0x[0-9a-f]+ FAR=0x[0-9a-f]+ LR=0x[0-9a-f]+$'
crash_ms=$(field request-to-result-ms) crash_exit=$(field result-to-exit-ms)
is "fixture.crash: a backtrace and 'not ok ... # ERROR exception'" \
	grep -qE '^# # backtrace: 0x[0-9a-f]+' "$WORK/raw"
echo "# request->result: fixture.pass ${pass_ms} ms, fixture.crash ${crash_ms} ms; crash result->QEMU exit ${crash_exit} ms"
# margins for a loaded 2-core machine; idle, both are a few ms
is "fixture.crash: the result comes within 500 ms of a passing test's" \
	lt "$crash_ms" "$(awk -v p="$pass_ms" 'BEGIN { print p + 500 }')"
is "fixture.crash: QEMU powers off within 500 ms of the result" lt "$crash_exit" 500
raw 1500 'boottest fixture.hang\n'
is "fixture.hang: no result frame (the host's timeout applies), the test announced" \
	test "$rrc" = 1 -a -n "$(grep -x '# # start fixture.hang' "$WORK/raw")"
raw 5000 'boottest no.such_test\n'
raw_is "unknown test: result byte 2 naming it" 0 2 '^# # unknown test selector: no.such_test$'
raw 5000 'boottest fixture.pass fixture.fail\n'
raw_is "pass and fail together: result byte 1" 0 1 '^# not ok [0-9]+ fixture.fail$'

# no terminator at all (Trusty's host): answered after the 100 ms quiet period,
# not never; the bound is generous for a loaded machine (idle: ~130 ms)
raw 3000 'boottest fixture.pass'
raw_is "unterminated request: answered within 3 s" 0 0 '^# ok 1 fixture.pass$'
echo "# unterminated request->result $(field request-to-result-ms) ms (terminated: ${pass_ms} ms)"
raw 3000 'boottest fixture.pass' -global virtio-mmio.force-legacy=false
raw_is "unterminated request over modern virtio-mmio: answered within 3 s" 0 0
raw 3000 'boottest fixture.crash'
raw_is "unterminated request for a crash: result 1 within 3 s" 0 1 '# exception: ESR='
raw 3000 'boottest'
raw_is "unterminated bare 'boottest' runs the default set" 0 0 '^# ok [0-9]+ selftest.timer$'

# the harness's view of a crash: ends promptly, reboots nothing when nothing is left
start=$EPOCHREALTIME
timeout -k 5 60 "$H" run --image "$IMG" --timeout 20 fixture.crash >"$WORK/out" 2>"$WORK/err"
rc=$?
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
echo "# testrunner-host run fixture.crash: $secs s from start to exit"
is "harness: crash ends with exit 1 in under 1 s, ESR/ELR/FAR shown" \
	test "$rc" = 1 -a -n "$(grep -E 'exception: ESR=0x[0-9a-f]+ ELR=0x[0-9a-f]+ FAR=0x' "$WORK/err")" \
	-a -n "$(lt "$secs" 1 && echo y)"
is "raw runs left nothing behind" test -z "$(ls -A "$TMPDIR")" -a -z "$(pgrep -f "$TMPDIR")"
