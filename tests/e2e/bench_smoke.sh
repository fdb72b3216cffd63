#!/usr/bin/env bash
# make bench's own plumbing, not its figures (make check asserts no timing):
# tests/bench/run.sh picks scenarios with BENCH_ONLY and refuses bad ones,
# the stamp tool prefixes each line with its arrival time, the crash scenario
# runs end to end against the fake guest, and the shipped image carries none
# of make BOOT_TIMES=1's instrumentation.
set -u
. "$(dirname "$0")/lib.sh"
N=8
fake_guest_setup
B=tests/bench/run.sh
STAMP=$O/tests/bench/stamp
[ -x "$STAMP" ] || fail_all "no $STAMP (make tests)"

# 1-4. scenario selection
out=$(BENCH_LIST=1 BENCH_ONLY=crash,single "$B")
is "BENCH_ONLY=crash,single selects both, in the bench's order" [ "$out" = "single crash" ]
# every condition of a case in one command: `is NAME A && B` would test A only
both() { "$1" && "$2"; }
all_first() { [ "${out%% *}" = single ]; }
has_boot_times() { [[ " $out " == *" boot-times "* ]]; }
out=$(BENCH_LIST=1 "$B")
is "no BENCH_ONLY: every scenario, boot-times among them" both all_first has_boot_times
exit2() { [ "$rc" = 2 ]; }
said() { grep -q "$want" "$WORK/err"; }
BENCH_LIST=1 BENCH_ONLY=single,nosuch "$B" >/dev/null 2>"$WORK/err"
rc=$? want="unknown scenario 'nosuch'"
is "an unknown scenario: exit 2, named" both exit2 said
BENCH_LIST=1 BENCH_RUNS=2 "$B" >/dev/null 2>"$WORK/err"
rc=$? want=BENCH_RUNS
is "BENCH_RUNS below 3: exit 2" both exit2 said

# 5-6. stamp: every line (an unterminated last one too) gets its arrival time
printf 'one\ntwo\npartial' | "$STAMP" >"$WORK/stamped"
is "stamp: three lines, each 'MS.USEC text'" \
	[ "$(grep -cE '^[0-9]+\.[0-9]{3} (one|two|partial)$' "$WORK/stamped")" = 3 ]
{ echo first; sleep 0.3; echo second; } | "$STAMP" >"$WORK/stamped"
# a lower bound only: the second line cannot be stamped before it was written
is "stamp: a line is stamped when it arrives, not at the end of input" \
	awk 'NR == 1 { a = $1 } NR == 2 { b = $1 } END { exit !(NR == 2 && b - a >= 250) }' "$WORK/stamped"

# 7. the crash scenario against the fake guest: a crash, then a pass
TESTRUNNER_QEMU=$F FAKE_TESTS="fixture.crash fixture.pass" BENCH_ONLY=crash BENCH_RUNS=3 \
	timeout 60 "$B" >"$WORK/out" 2>"$WORK/err"
rc=$?
exit0() { [ "$rc" = 0 ]; }
gap_row() { grep -qE '^\| crash result line to next # start \| [0-9.]+ ms \|' "$WORK/out"; }
is "crash scenario on the fake guest: a table row with the gap in ms" both exit0 gap_row

# 8. make BOOT_TIMES=1 only: the shipped image has no boot-time code or data
if [ -e "$IMG" ]; then
	is "no boot_time symbol in $IMG" \
		sh -c "! ${CROSS_COMPILE:-aarch64-linux-gnu-}nm '$IMG' | grep -q boot_time"
else
	not_ok "no $IMG (make)"
fi
