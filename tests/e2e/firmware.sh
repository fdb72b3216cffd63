#!/usr/bin/env bash
# --firmware DIR for run, list and boot, against the BL1 stand-in
# tests/firmware/bl1.bin as DIR/bl1.bin: QEMU started as TF-A needs it
# (secure=on,virtualization=on, -bios, semihosting, 1 GiB) in a working
# directory of its own holding DIR's bl*.bin and the testrunner's .bin as
# bl33.bin; the secure UART captured and shown with --verbose; bad input one
# line and exit 2; nothing left behind. A --qemu wrapper records what QEMU got.
set -u
. "$(dirname "$0")/lib.sh"
BIN=$O/guest/testrunner.bin
BL1=$O/tests/firmware/bl1.bin
SEC=$O/tests/secondary/Image
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
EXTRAS="bl2.bin bl31.bin bl32.bin bl32_extra1.bin bl32_extra2.bin"
N=24

echo "1..$N"
for f in "$IMG" "$BIN" "$BL1" "$SEC"; do [ -f "$f" ] || fail_all "no $f"; done
command -v "$QEMU" >/dev/null || fail_all "$QEMU not found"

# the firmware directories: the stand-in alone, and with TF-A's other images,
# a bl33.bin of the firmware's own (junk: the testrunner must replace it) and
# files that are not TF-A's images
mkdir -p "$WORK/d1" "$WORK/d2"
cp "$BL1" "$WORK/d1/bl1.bin"
cp "$BL1" "$WORK/d2/bl1.bin"
for f in $EXTRAS; do echo "$f" >"$WORK/d2/$f"; done
echo junk >"$WORK/d2/bl33.bin"
echo elf >"$WORK/d2/bl31.elf"
D1=$(realpath --relative-to=. "$WORK/d1")	# relative: the harness makes it absolute

# QEMU as --qemu, recording into $SPY its working directory, what each entry
# there is (a link's target), whether bl33.bin is the testrunner's .bin, and argv
cat >"$WORK/spy" <<EOF2
#!/usr/bin/env bash
{
	echo "cwd \$PWD"
	for f in * ; do echo "entry \$f -> \$(readlink "\$f")"; done
	cmp -s bl33.bin "$(realpath "$BIN")" && echo "bl33 is testrunner.bin"
	printf 'arg %s\n' "\$@"
} >"\$SPY"
exec "$QEMU" "\$@"
EOF2
chmod +x "$WORK/spy"
# spied LINE...: each LINE is a whole line of the record
spied() {
	local l
	for l in "$@"; do grep -qxF -- "$l" "$WORK/spy.log" || return 1; done
}
# after ARG VALUE: the argument following ARG in the record
after() { sed -n "/^arg $1\$/{n;s/^arg //p;q}" "$WORK/spy.log"; }
passed() { grep -qE '^# [0-9]+ passed, 0 failed' "$WORK/out"; }
one_line() { [ "$(wc -l <"$WORK/err")" = 1 ]; }

# --- run, the stand-in alone, the build's ELF named relatively -------------------
run SPY="$WORK/spy.log" -- run --firmware "$D1" --image "$IMG" --qemu "$WORK/spy" --timeout 30 \
	selftest
check "run --firmware DIR selftest (ELF given: its testrunner.bin is bl33)" 0 \
	'^[0-9]+ passed, 0 failed'
cp "$WORK/err" "$WORK/quiet.err"
is "... selftest passed in the guest" passed
is "... QEMU ran in a private directory inside the boot's temporary one" \
	grep -qE "^cwd $TMPDIR/testrunner\.[^/]+/firmware\$" "$WORK/spy.log"
is "... there bl1.bin links to DIR's and bl33.bin is the testrunner's .bin" \
	spied "entry bl1.bin -> $(realpath "$WORK/d1")/bl1.bin" "bl33 is testrunner.bin"
is "... secure=on,virtualization=on, -bios DIR/bl1.bin (absolute), semihosting on" \
	test "$(after -M)" = virt,secure=on,virtualization=on -a \
	"$(after -bios)" = "$(realpath "$WORK/d1")/bl1.bin" -a \
	"$(after -semihosting-config)" = enable=on,target=native
is "... 1 GiB by default, and no -kernel" test "$(after -m)" = 1G -a -z "$(after -kernel)"
is "... the secure UART to secure.log in the boot's directory (second -serial)" \
	test "$(grep -cx 'arg -serial' "$WORK/spy.log")" = 2 -a \
	-n "$(grep -xE "arg file:$TMPDIR/testrunner\.[^/]+/secure\.log" "$WORK/spy.log")"
is "... without --verbose the secure UART is not shown" \
	test -z "$(grep '^secure: ' "$WORK/quiet.err")"

# --- run, with TF-A's other images, the .bin given, --verbose, --memory 2G -------
run SPY="$WORK/spy.log" -- run --firmware "$WORK/d2" --image "$BIN" --qemu "$WORK/spy" \
	--memory 2G --verbose --timeout 30 selftest
check "run --firmware DIR with bl2/bl31/bl32/bl32_extra*.bin, --image .bin, --verbose" 0 \
	'^[0-9]+ passed, 0 failed'
is "... selftest passed in the guest, loaded as BL33 at 0x60000000 and entered at EL2" \
	eval 'passed && grep -q "entered at EL2, running at non-secure EL1; image at 0x60000000 " "$WORK/err"'
links=()
for f in $EXTRAS; do links+=("entry $f -> $WORK/d2/$f"); done
is "... every bl*.bin of DIR linked into QEMU's directory" spied "${links[@]}"
is "... the firmware's own bl33.bin replaced by the testrunner's, bl31.elf left out" \
	eval 'spied "bl33 is testrunner.bin" && ! grep -q "^entry bl31.elf" "$WORK/spy.log"'
is "... a larger --memory is kept" test "$(after -m)" = 2G
found=()
for f in $EXTRAS; do found+=("secure: bl1: found $f"); done
is "... --verbose shows the secure UART, prefixed: the stand-in found each image there" \
	eval 'grep -qx "secure: bl1: test stand-in at EL3: bl33.bin loaded to 0x60000000" "$WORK/err" &&
	for l in "${found[@]}"; do grep -qxF "$l" "$WORK/err" || exit 1; done'

# --- list and boot ----------------------------------------------------------------
run -- list --image "$IMG"
cp "$WORK/out" "$WORK/plain.list"
run -- list --firmware "$D1" --image "$IMG"
check "list --firmware DIR" 0
is "... the same catalogue as without it" \
	eval '[ -s "$WORK/out" ] && cmp -s "$WORK/out" "$WORK/plain.list"'
# secure=off (QEMU's PSCI over smc, as TF-A's BL2 describes it): the OS powers off by PSCI
run -- boot --firmware "$D1" --image "$IMG" --kernel "$SEC" --append sectest.fw --timeout 30 \
	--qemu-arg -machine --qemu-arg secure=off
check "boot --firmware DIR --kernel IMAGE: the secondary OS boots from the testrunner as BL33" 0 \
	'^secondary-image: PASS$'
is "... its command line arrived through fw_cfg" grep -qx 'secondary-image: bootargs="sectest.fw"' \
	"$WORK/out"

# --- bad input: one line, exit 2 --------------------------------------------------
mkdir -p "$WORK/nobl1" "$WORK/dirbl1/bl1.bin" "$WORK/lone"
cp "$IMG" "$WORK/lone/testrunner.elf"
bad() {	# bad NAME REGEX ARGS...: exit 2 and just this one line on stderr
	local name=$1 pat=$2
	shift 2
	run -- "$@"
	if one_line; then check "$name" 2 "^testrunner-host: --firmware: $pat\$"; else
		check "$name (more than one line)" 99; fi
}
bad "run --firmware with no such directory" "$WORK/none: No such file or directory" \
	run --firmware "$WORK/none" --image "$IMG"
bad "run --firmware naming a file" "$WORK/d1/bl1.bin: not a directory" \
	run --firmware "$WORK/d1/bl1.bin" --image "$IMG"
bad "list --firmware DIR without bl1.bin" "$WORK/nobl1/bl1.bin: No such file or directory" \
	list --firmware "$WORK/nobl1" --image "$IMG"
bad "boot --firmware DIR whose bl1.bin cannot be read as a file" \
	"$WORK/dirbl1/bl1.bin: not a regular file" \
	boot --firmware "$WORK/dirbl1" --image "$IMG" --kernel "$SEC"
bad "run --firmware with an ELF and no .bin beside it" \
	"$WORK/lone/testrunner.elf is an ELF and there is no testrunner.bin beside it: .*" \
	run --firmware "$WORK/d1" --image "$WORK/lone/testrunner.elf"
bad "run --firmware --memory 512M refused" \
	'needs --memory 1G or more \(TF-A loads BL33 at 0x60000000\)' \
	run --firmware "$WORK/d1" --memory 512M
