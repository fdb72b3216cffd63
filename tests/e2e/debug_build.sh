#!/usr/bin/env bash
# make DEBUG=1: a guest for gdb, -Og without LTO, in a build directory of its
# own; its line info is right (a crash's ELR is the faulting line of the
# source) and it still passes its default set.
set -u
. "$(dirname "$0")/lib.sh"
ROOT=$(pwd)
CROSS=${CROSS_COMPILE:-aarch64-linux-gnu-}
N=5

echo "1..$N"
[ -x "$H" ] || fail_all "no harness at $H"
# this tree's make, not the outer make's jobserver or variables
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j2 --no-print-directory -C "$ROOT" \
	O="$WORK/debug" DEBUG=1 guest >"$WORK/make.log" 2>&1
D=$WORK/debug/guest/testrunner.elf
[ -f "$D" ] || { sed 's/^/# make| /' "$WORK/make.log" | tail -10; fail_all "make DEBUG=1 built no image"; }
ok "make DEBUG=1 builds an image in its own build directory"

# every unit says how it was compiled (DW_AT_producer): ours are -std=gnu11
# (the C library's are its own); an LTO unit is "GNU GIMPLE"
"${CROSS}readelf" --debug-dump=info "$D" 2>/dev/null | grep -A1 DW_AT_producer |
	grep -oE 'GNU (C|GIMPLE)[^)]*' >"$WORK/producers" 2>/dev/null
ours=$(grep -c -- '-std=gnu11' "$WORK/producers")
if [ "$ours" -gt 0 ] && ! grep -q 'GIMPLE' "$WORK/producers" &&
	[ "$(grep -- '-std=gnu11' "$WORK/producers" | grep -c -- ' -Og ')" = "$ours" ]; then
	ok "all $ours of our units compiled -Og, none with LTO"
else
	not_ok "producers: $(sort -u "$WORK/producers" | head -3)"
fi
"${CROSS}nm" "$D" | grep -q 'lto_priv' && not_ok "LTO-made symbols in the image" ||
	ok "no LTO-made symbols"

line=$(grep -n '(void)\*p;' guest/tests/fixture.c | head -1 | cut -d: -f1)
run run --image "$D" --timeout 10 fixture.crash
check "the crash's ELR is fixture.c line $line, where the load is" 1 \
	"^    ELR 0x[0-9a-f]+: boot_test_fn_fixture_crash at .*guest/tests/fixture.c:$line\$"
run run --image "$D" --timeout 20
check "the debug image passes its default set" 0 '^[0-9]+ passed, 0 failed'
