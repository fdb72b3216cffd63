#!/usr/bin/env bash
# Hang reports in real QEMU: at a per-test timeout the harness pauses the
# machine over QMP and reports every CPU (PC, LR, SP, EL, PSTATE) and the
# frame chain, symbolized to the fixture's own file:line, on stderr, in the
# JUnit error body, the --ktap file and the log dir (with the QMP exchange);
# the next test still runs and the exit code is a failure's. A hang on a
# secondary CPU names both CPUs; an image loaded raw by --firmware is
# symbolized at its link address; `boot --symbols` does the same for a
# secondary OS; a QEMU without the QMP monitor is said so in one line and the
# timeout is reported as before.
set -u
. "$(dirname "$0")/lib.sh"
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
SRC=guest/tests/fixture_hang.c
BIN=$O/guest/testrunner.bin
BL1=$O/tests/firmware/bl1.bin
SEC=$O/tests/secondary/Image
SECELF=$O/tests/secondary/secondary.elf
N=21

echo "1..$N"
for f in "$IMG" "$BIN" "$BL1" "$SEC" "$SECELF" "$H"; do [ -f "$f" ] || fail_all "no $f"; done
command -v "$QEMU" >/dev/null || fail_all "$QEMU not found"

# the lines the CPUs spin on, as the source says (one-line loops)
deep_line=$(grep -n 'fixture.hang_deep spins here' "$SRC" | cut -d: -f1)
sec_line=$(grep -n "fixture.hang_secondary's CPU 1 spins here" "$SRC" | cut -d: -f1)
[ -n "$deep_line" ] && [ -n "$sec_line" ] || fail_all "no spin markers in $SRC"

mkdir -p "$WORK/fw"
cp "$BL1" "$WORK/fw/bl1.bin"
# a QEMU without the QMP monitor: its -chardev id=qmp and -mon taken out
cat >"$WORK/no_qmp" <<EOF
#!/usr/bin/env bash
args=()
while [ \$# -gt 0 ]; do
	case "\$1" in
	-mon) shift 2; continue ;;
	-chardev) case "\$2" in socket,id=qmp,*) shift 2; continue ;; esac ;;
	esac
	args+=("\$1"); shift
done
exec "$(command -v "$QEMU")" "\${args[@]}"
EOF
chmod +x "$WORK/no_qmp"

# one harness run per case, two at a time (2 shared cores)
names=(deep secondary firmware noqmp boot)
cmds=("run --image $IMG --timeout 1 --junit $WORK/deep.xml --ktap $WORK/deep.ktap --log-dir $WORK/logs fixture.hang_deep fixture.pass"
      "run --image $IMG --timeout 1 --smp 2 fixture.hang_secondary"
      "run --image $BIN --firmware $WORK/fw --timeout 1 fixture.hang_deep"
      "run --image $IMG --qemu $WORK/no_qmp --timeout 1 fixture.hang_deep fixture.pass"
      "boot --image $IMG --kernel $SEC --append sectest.hang --timeout 2 --symbols $SECELF")
for ((i = 0; i < ${#names[@]}; i += 2)); do
	for k in $i $((i + 1)); do
		[ $k -lt ${#names[@]} ] || continue
		# shellcheck disable=SC2086 # each word of cmds[k] is one argument
		(timeout -k 5 60 "$H" ${cmds[$k]} >"$WORK/${names[$k]}.out" 2>"$WORK/${names[$k]}.err"
		 echo $? >"$WORK/${names[$k]}.rc") &
	done
	wait
done

# has NAME CASE REGEX...: CASE's stderr matches every REGEX
has() {
	local name=$1 c=$2 why=""
	shift 2
	for pat in "$@"; do
		[ -z "$why" ] && ! grep -qE -- "$pat" "$WORK/$c.err" && why="no /$pat/ on stderr"
	done
	if [ -z "$why" ]; then
		ok "$name"
	else
		not_ok "$name: $why"
		sed 's/^/# err| /' "$WORK/$c.err" | tail -20
	fi
}
rc_is() { [ "$(cat "$WORK/$2.rc")" = "$3" ] && ok "$1" || not_ok "$1: exit $(cat "$WORK/$2.rc"), expected $3"; }
hex='0x[0-9a-f]+'
regs="PC=$hex LR=$hex SP=$hex EL1[ht] PSTATE=0x[0-9a-f]{8}"
# the frames of CPU N (from its "CPU N" line to the next CPU or the end)
cpu_block() { awk -v c="CPU $2" '$1 " " $2 == c || ($1 " " $2) == c":" { on = 1; print; next }
	on && /^    CPU / { on = 0 } on' "$WORK/$1.err"; }

# --- a hang three frames deep on the boot CPU
rc_is "hang_deep: exit 1 (a test timed out)" deep 1
has "hang_deep: the test, how long it ran, its last log line" deep \
	'^TIMEOUT +fixture\.hang_deep \([0-9.]+ s\): no result within 1 s$' \
	'^    last log line: # fixture\.hang_deep: going three frames down to spin$'
has "hang_deep: CPU 0's registers" deep "^    CPU 0 \\(boot CPU, runs the test\\): $regs$"
has "hang_deep: the spinning frame symbolized to the fixture's file:line" deep \
	"^      #0  $hex: hang_spin at .*$SRC:$deep_line\$"
cpu_block deep 0 | grep -oE '#[0-9]+ +0x[0-9a-f]+: [a-z_0-9]+' | awk '{ print $3 }' >"$WORK/deep.frames"
if [ "$(sed -n '1,4p' "$WORK/deep.frames" | tr '\n' ' ')" = \
	"hang_spin hang_level2 hang_level1 boot_test_fn_fixture_hang_deep " ]; then
	ok "hang_deep: the frame chain, callee first, the leaf's caller from LR"
else
	not_ok "hang_deep: frames $(tr '\n' ' ' <"$WORK/deep.frames")"
fi
[ "$(grep -c '^    CPU [0-9]' "$WORK/deep.err")" = 1 ] && ok "hang_deep: one CPU, one CPU reported" ||
	not_ok "hang_deep: $(grep -c '^    CPU [0-9]' "$WORK/deep.err") CPU lines for -smp 1"
has "hang_deep: the next test still runs" deep '^PASS +fixture\.pass '
grep -qE "hang_spin at .*$SRC:$deep_line" "$WORK/deep.xml" &&
	grep -qE "<error [^>]*>" "$WORK/deep.xml" && ok "hang_deep: symbolized in the JUnit error body" ||
	not_ok "hang_deep: JUnit body without the report"
grep -qE "^#       #0  $hex: hang_spin at .*$SRC:$deep_line\$" "$WORK/deep.ktap" &&
	ok "hang_deep: diagnostics in the --ktap file" || not_ok "hang_deep: --ktap without the report"
grep -qE "hang_spin at .*$SRC:$deep_line" "$WORK/logs/fixture.hang_deep.log" &&
	ok "hang_deep: in the test's log-dir file" || not_ok "hang_deep: log-dir file without the report"
qmp=$(grep -l '"execute":"stop"' "$WORK"/logs/boot-*.qmp.log 2>/dev/null | head -1)
if [ -n "$qmp" ] && grep -q '^<- {"QMP"' "$qmp" && grep -q '^-> .*"command-line":"info registers","cpu-index":0' "$qmp" &&
	grep -q '^-> .*"command-line":"x /2gx 0x' "$qmp" &&
	# the hung boot's QEMU is reset for the next boot, or quit
	grep -qE '^-> \{"execute":"(system_reset|quit)"' "$qmp" &&
	grep -q '^<- {"return": {}, "id"' "$qmp"; then
	ok "log dir: the boot's QMP exchange, both directions (greeting, stop, registers, memory, reset or quit)"
else
	not_ok "log dir: no QMP log with the exchange: $(ls "$WORK/logs")"
fi

# --- a hang on CPU 1 while the boot CPU waits
rc_is "hang_secondary: exit 1" secondary 1
has "hang_secondary: both CPUs named with their registers" secondary \
	"^    CPU 0 \\(boot CPU, runs the test\\): $regs$" "^    CPU 1: $regs$"
cpu_block secondary 1 | grep -qE "^      #0  $hex: hang_secondary_spin at .*$SRC:$sec_line\$" &&
	cpu_block secondary 1 | grep -qE "#1  $hex: hang_secondary_work at .*$SRC:" &&
	ok "hang_secondary: CPU 1's spinning frame and its caller symbolized" ||
	not_ok "hang_secondary: CPU 1 not symbolized: $(cpu_block secondary 1 | head -3 | tr '\n' '|')"
cpu_block secondary 0 | grep -qE "$hex: boot_test_fn_fixture_hang_secondary at .*$SRC:" &&
	cpu_block secondary 0 | grep -qE "#0  $hex: [a-z_]+ at " &&
	ok "hang_secondary: the boot CPU's wait symbolized down to the test" ||
	not_ok "hang_secondary: CPU 0: $(cpu_block secondary 0 | head -4 | tr '\n' '|')"

# --- the same image loaded raw at 0x60000000 by the firmware path
rc_is "firmware: exit 1" firmware 1
has "firmware: a relocated image symbolized at its link address" firmware \
	"^    CPU 0 \\(boot CPU, runs the test\\): PC=0x6[0-9a-f]{7} " \
	"^      #0  0x6[0-9a-f]{7}: hang_spin at .*$SRC:$deep_line\$" \
	'image loaded at 0x60000000, symbolized at its link address'

# --- QMP unavailable: one line, and the timeout as before
rc_is "no QMP: exit 1, the next test still run" noqmp 1
has "no QMP: said in one line, the timeout and the next test reported" noqmp \
	'^TIMEOUT +fixture\.hang_deep \([0-9.]+ s\): no result within 1 s$' \
	'^    no full hang report: QMP: QEMU did not connect$' '^PASS +fixture\.pass '

# --- boot: a secondary OS that hangs
sec_wfi=$(grep -n 'wfi' tests/secondary/main.c | tail -1 | cut -d: -f1)
rc_is "boot: a hanging OS is exit 1" boot 1
has "boot: its CPU's registers, symbolized with --symbols at where it was loaded" boot \
	'^testrunner-host: boot: timeout after 2 s: QEMU killed$' \
	"^    CPU 0 \\(boot CPU\\): $regs$" \
	"^      #0  $hex: sec_main at .*tests/secondary/main\\.c:($((sec_wfi - 1))|$sec_wfi)( |\$)"

exit 0
