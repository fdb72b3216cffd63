#!/usr/bin/env bash
# With -j, one boot's end must not stall the others: a QEMU that ignores
# SIGTERM (stopped only by SIGKILL after the kill grace) and a crash report
# waiting on a slow addr2line both leave the other slot's boots running.
# Proved by order, not by timing: the other slot's results reach stderr while
# the stuck boot or the crash report is still in progress.
set -u
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=30
use_fake_guest
N=6

echo "1..$N"
[ -x "$F" ] && [ -x "$H" ] || fail_all "no harness or fake guest: the build is incomplete"

# line NUMBER of the first/last match of PATTERN in $WORK/err (0: none)
first() { grep -nE -- "$1" "$WORK/err" | head -1 | cut -d: -f1; }
last() { grep -nE -- "$1" "$WORK/err" | tail -1 | cut -d: -f1; }
paced=$(printf 'b.paced%02d ' $(seq 12))

# a.stubborn times out; its fake QEMU ignores SIGTERM and notes it got one;
# from then on b.paced* pass at once: all twelve come in during the kill grace
mkdir -p "$WORK/state1"
run FAKE_TESTS="a.stubborn $paced" FAKE_STATE="$WORK/state1" -- \
	run --image "$IMG" --qemu "$F" --no-rpmb --timeout 0.3 --isolate -j 2 a b
check "stubborn QEMU: exit 1, TIMEOUT for it, the rest passed" 1 '^12 passed, 1 failed, 0 skipped$'
t=$(first '^TIMEOUT +a\.stubborn'); p=$(last '^PASS +b\.paced')
[ -f "$WORK/state1/sigterm" ] && [ -n "$t" ] && [ -n "$p" ] && [ "$p" -lt "$t" ]; rc=$?
check "stubborn QEMU: the other slot finished during its kill grace" 0

# a crash whose addr2line takes 2 s: the other slot's first result is
# reported before the crash report is complete
mkdir -p "$WORK/bin"
cat >"$WORK/bin/aarch64-linux-gnu-addr2line" <<'EOS'
#!/bin/sh
sleep 2
for a in "$@"; do case $a in 0x*) echo "slow_symbol at slow.c:1";; esac; done
EOS
chmod +x "$WORK/bin/aarch64-linux-gnu-addr2line"
run PATH="$WORK/bin:$PATH" FAKE_TESTS="a.crash $paced" -- \
	run --image "$IMG" --qemu "$F" --no-rpmb --timeout 5 --isolate -j 2 a b
check "slow addr2line: exit 1, the crash symbolized" 1 'ELR 0x40201234: slow_symbol at slow.c:1'
c=$(first '^CRASH +a\.crash'); p=$(first '^PASS +b\.paced')
[ -n "$c" ] && [ -n "$p" ] && [ "$p" -lt "$c" ]; rc=$?
check "slow addr2line: the other slot's results went on meanwhile" 0
[ "$(grep -cE '^PASS +b\.paced' "$WORK/err")" = 12 ]; rc=$?
check "slow addr2line: every other test reported" 0

# an addr2line that never ends is given up on: the run still ends, unsymbolized
cat >"$WORK/bin/aarch64-linux-gnu-addr2line" <<'EOS'
#!/bin/sh
exec sleep 60
EOS
start=$EPOCHREALTIME
run PATH="$WORK/bin:$PATH" FAKE_TESTS="a.crash" -- run --image "$IMG" --qemu "$F" --no-rpmb a
awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a < 15) }' || rc="$rc, took over 15 s"
LEFTOVER="$WORK/bin" check "hung addr2line: given up on, the crash still reported" 1 \
	'exception:.*ELR=0x40201234'
