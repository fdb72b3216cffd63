#!/usr/bin/env bash
# Stress (make stress, not in make check): many consecutive real-QEMU runs of
# fixture.pass and fixture.flood; counts lost results and checks every flood
# log byte (count, order, content of the 65,536 lines) on the harness's stdout.
set -u
O=${O:-build}
H=$O/host/testrunner-host
IMG=$O/guest/testrunner.elf
PASS_RUNS=${STRESS_PASS_RUNS:-200}
FLOOD_RUNS=${STRESS_FLOOD_RUNS:-20}
FLOOD_LINES=65536
FLOOD_LINE_BYTES=64
WORK=$(mktemp -d)
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"
trap 'rm -rf "$WORK"' EXIT

for f in "$H" "$IMG"; do
	[ -e "$f" ] || { echo "stress: $f missing (run make first)"; exit 2; }
done

lost=0 bad_exit=0 leftovers=0
pass_start=$EPOCHREALTIME
for i in $(seq "$PASS_RUNS"); do
	timeout -k 5 30 "$H" run --image "$IMG" --timeout 10 fixture.pass >"$WORK/out" 2>"$WORK/err"
	rc=$?
	if [ $rc != 0 ]; then
		bad_exit=$((bad_exit + 1))
		echo "# pass run $i: exit $rc"; sed 's/^/#   /' "$WORK/err" | tail -5
	fi
	if ! grep -qx 'ok 1 fixture.pass' "$WORK/out" || ! grep -qx '1 passed, 0 failed, 0 skipped' "$WORK/err"; then
		lost=$((lost + 1)); echo "# pass run $i: result lost"
	fi
	[ -z "$(ls -A "$TMPDIR")" ] || { leftovers=$((leftovers + 1)); rm -rf "${TMPDIR:?}"/*; }
done
pass_secs=$(awk -v a="$pass_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

flood_lost=0 flood_bad=0 flood_bytes=0 flood_lines=0
flood_start=$EPOCHREALTIME
for i in $(seq "$FLOOD_RUNS"); do
	timeout -k 5 60 "$H" run --image "$IMG" --timeout 30 fixture.flood >"$WORK/out" 2>"$WORK/err"
	rc=$?
	if [ $rc != 0 ]; then
		bad_exit=$((bad_exit + 1))
		echo "# flood run $i: exit $rc"; sed 's/^/#   /' "$WORK/err" | tail -5
	fi
	if ! grep -qx 'ok 1 fixture.flood' "$WORK/out"; then
		lost=$((lost + 1)); echo "# flood run $i: result lost"
	fi
	# Every flood line, in order, whole: "# flood %08x " then x's up to 63 bytes + '\n'.
	read -r lines bytes errs < <(awk -v want="$FLOOD_LINES" -v width="$FLOOD_LINE_BYTES" '
		BEGIN { pad = ""; for (k = 0; k < width - 18; k++) pad = pad "x" }
		/^# flood / {
			if ($0 != sprintf("# flood %08x %s", n, pad)) {
				if (errs < 3) printf "# flood line %d wrong: %.40s\n", n, $0 > "/dev/stderr"
				errs++
			}
			n++; bytes += length($0) + 1
		}
		END { if (n != want) errs++; print n + 0, bytes + 0, errs + 0 }' "$WORK/out")
	flood_lines=$((flood_lines + lines)); flood_bytes=$((flood_bytes + bytes))
	if [ "$errs" != 0 ]; then
		flood_bad=$((flood_bad + 1))
		echo "# flood run $i: $lines lines, $bytes bytes, $errs error(s)"
	fi
	[ -z "$(ls -A "$TMPDIR")" ] || { leftovers=$((leftovers + 1)); rm -rf "${TMPDIR:?}"/*; }
done
flood_secs=$(awk -v a="$flood_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
want_bytes=$((FLOOD_RUNS * FLOOD_LINES * FLOOD_LINE_BYTES))
flood_lost=$((want_bytes - flood_bytes))

echo "stress: fixture.pass $PASS_RUNS runs in ${pass_secs} s;" \
	"fixture.flood $FLOOD_RUNS runs in ${flood_secs} s," \
	"$flood_lines/$((FLOOD_RUNS * FLOOD_LINES)) lines, $flood_bytes/$want_bytes log bytes;" \
	"lost results $lost, lost bytes $flood_lost, bad flood runs $flood_bad," \
	"unexpected exits $bad_exit, leftover temp dirs $leftovers"
[ $lost = 0 ] && [ $flood_lost = 0 ] && [ $flood_bad = 0 ] && [ $bad_exit = 0 ] && [ $leftovers = 0 ]
