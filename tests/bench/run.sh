#!/usr/bin/env bash
# make bench: every figure measured interleaved with its reference
# (A B A B ..., BENCH_PAIRS pairs, medians), one line per figure. Not a test:
# nothing here asserts, it reports. Method: docs/performance.md.
set -u
export LC_ALL=C
O=${O:-build}
PAIRS=${BENCH_PAIRS:-11}
[ "$PAIRS" -ge 5 ] 2>/dev/null || { echo "bench: BENCH_PAIRS must be >= 5" >&2; exit 2; }
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
H=$O/host/testrunner-host
IMG=$O/guest/testrunner.elf
BIMG=$O/tests/bench/testrunner-bench.elf
FLOOR=$O/tests/bench/ref_poweroff.elf
SEMI=$O/tests/bench/ref_semihost_flood.elf
FLOOD_BYTES=4194304
MANY=200	# bench.t000 .. bench.t199 in the bench image

for f in "$H" "$IMG" "$BIMG" "$FLOOR" "$SEMI"; do
	[ -e "$f" ] || { echo "bench: $f missing (run make bench)" >&2; exit 2; }
done
command -v "$QEMU" >/dev/null || { echo "bench: $QEMU not found" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The reference guests get the harness's QEMU flags minus its channel: same
# machine, CPU, memory, no display, monitor, NIC or reboot, serial to a file.
qemu_ref() {	# IMAGE [extra args]
	local img=$1
	shift
	timeout 30 "$QEMU" -M virt -cpu cortex-a57 -m 256M -smp 1 -display none \
		-monitor none -no-reboot -nic none -serial "file:$tmp/serial.log" \
		-kernel "$img" "$@"
}

floor() { qemu_ref "$FLOOR"; }
semihost() { qemu_ref "$SEMI" -semihosting; }
host_run() { timeout 120 "$H" run "$@"; }
# N floor guests, JOBS at a time (xargs keeps JOBS running, like -j).
printf '#!/bin/sh\nexec timeout 30 "%s" -M virt -cpu cortex-a57 -m 256M -smp 1 -display none -monitor none -no-reboot -nic none -serial "file:%s/serial.$1.log" -kernel "%s"\n' \
	"$QEMU" "$tmp" "$FLOOR" >"$tmp/floor1"
chmod +x "$tmp/floor1"
floors_pool() { seq "$1" | xargs -P "$2" -n 1 "$tmp/floor1"; }	# N JOBS

# Microseconds since the epoch, without forking.
now_us() { local t=$EPOCHREALTIME; echo $((10#${t%.*}${t#*.})); }

# time KEY CMD...: append the wall time in microseconds to $tmp/KEY; output
# goes to /dev/null for every command alike (the relayed log and the
# semihosting console both). A failing command aborts the bench.
time_it() {
	local key=$1 s e rc
	shift
	s=$EPOCHREALTIME
	"$@" >/dev/null 2>"$tmp/err"
	rc=$?
	e=$EPOCHREALTIME
	if [ $rc -ne 0 ]; then
		echo "bench: '$*' failed (exit $rc):" >&2
		tail -5 "$tmp/err" >&2
		exit 1
	fi
	s=${s/./}
	e=${e/./}
	echo $((10#$e - 10#$s)) >>"$tmp/$key"
}

median() { sort -n "$tmp/$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# line NAME VALUE REFERENCE RATIO TARGET MET
line() { printf '%-26s %-24s %-30s %-9s %-14s %s\n' "$@"; }
met() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { print ((op == "<=" ? v <= t : v >= t) ? "met" : "NOT met") }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

many_sel=$(seq -f 'bench.t%03g' 0 19)

echo "bench: $PAIRS interleaved pairs per figure, medians; $(nproc) CPUs; $("$QEMU" --version | head -1)"

# (a) and (b): one round = harness pass, floor, harness flood, semihosting.
for i in $(seq "$PAIRS"); do
	time_it pass host_run --image "$IMG" fixture.pass
	time_it floor floor
	time_it flood host_run --image "$IMG" fixture.flood
	time_it semi semihost
done
# (c): a boot with 200 trivial tests against a boot with one.
for i in $(seq "$PAIRS"); do
	time_it many host_run --image "$BIMG" bench
	time_it one host_run --image "$BIMG" bench.t000
done
# (d): 20 isolated runs serial and -j 2, against 20 floor guests 1 and 2 at a time.
for i in $(seq "$PAIRS"); do
	# shellcheck disable=SC2086
	time_it iso1 host_run --image "$BIMG" --isolate -j 1 $many_sel
	# shellcheck disable=SC2086
	time_it iso2 host_run --image "$BIMG" --isolate -j 2 $many_sel
	time_it fl1 floors_pool 20 1
	time_it fl2 floors_pool 20 2
done

pass=$(median pass) floor=$(median floor) flood=$(median flood) semi=$(median semi)
many=$(median many) one=$(median one)
iso1=$(median iso1) iso2=$(median iso2) fl1=$(median fl1) fl2=$(median fl2)

line figure value reference ratio target result
# ratios kept to 4 decimals for the verdict, shown to 2
r=$(calc %.4f "$pass / $floor")
line "run fixture.pass" "$(calc '%.1f ms' "$pass / 1000")" "$(calc '%.1f ms (floor guest)' "$floor / 1000")" \
	"$(calc %.2f "$r")x" "<= 1.3x" "$(met "$r" '<=' 1.3)"

if [ "$flood" -gt "$pass" ] && [ "$semi" -gt "$floor" ]; then
	ours=$(calc %.1f "$FLOOD_BYTES / ($flood - $pass)")	# bytes/us = MB/s
	ref=$(calc %.1f "$FLOOD_BYTES / ($semi - $floor)")
	r=$(calc %.4f "($semi - $floor) / ($flood - $pass)")
	line "fixture.flood 4 MiB" "$ours MB/s" "$ref MB/s (semihosting)" "$(calc %.2f "$r")x" ">= 2x" "$(met "$r" '>=' 2)"
else
	line "fixture.flood 4 MiB" "(flood not slower than pass: no rate)" "" "" ">= 2x" "NOT measured"
fi

per=$(calc %.3f "($many - $one) / ($MANY - 1) / 1000")
line "per-test overhead" "$per ms/test" "$(calc '%.1f ms 1 test, ' "$one / 1000")$(calc '%.1f ms 200' "$many / 1000")" \
	"-" "<= 2 ms" "$(met "$per" '<=' 2)"

ours=$(calc %.3f "$iso1 / $iso2")
ref=$(calc %.3f "$fl1 / $fl2")
r=$(calc %.4f "($iso1 / $iso2) / ($fl1 / $fl2)")
line "-j 2 over 20 --isolate" "${ours}x speedup" "${ref}x (20 floor guests)" "$(calc %.0f%% "$r * 100")" ">= 90%" "$(met "$r" '>=' 0.9)"

size=$(stat -c %s "$O/guest/testrunner.bin")
line "testrunner.bin size" "$size bytes" "65536 bytes (64 KiB)" "$(calc %.2f "$size / 65536")" "<= 64 KiB" "$(met "$size" '<=' 65536)"

# Harness alone: TESTRUNNER_RUSAGE makes it print getrusage(RUSAGE_SELF)'s
# ru_maxrss at exit (GNU time would report the maximum over the tree, QEMU
# included). The worst of PAIRS runs of each, pass and flood.
rss=0
for i in $(seq "$PAIRS"); do
	for t in fixture.pass fixture.flood; do
		TESTRUNNER_RUSAGE=1 host_run --image "$IMG" "$t" >/dev/null 2>"$tmp/err"
		k=$(sed -n 's/^testrunner-host: peak RSS \([0-9]*\) KiB.*/\1/p' "$tmp/err")
		[ -n "$k" ] || { echo "bench: no RSS line from the harness" >&2; exit 1; }
		[ "$k" -gt "$rss" ] && rss=$k
	done
done
/usr/bin/time -f %M -o "$tmp/tree" "$H" run --image "$IMG" fixture.pass >/dev/null 2>&1
qrss=$(tail -1 "$tmp/tree")
line "harness peak RSS" "$rss KiB" "4096 KiB (tree: ${qrss:-?} KiB)" "$(calc %.2f "$rss / 4096")" "<= 4 MiB" "$(met "$rss" '<=' 4096)"

# Guest RAM: every allocated section of the image (code, data, bss, stacks,
# page tables, virtqueues), from the ELF's section headers.
"$(dirname "$0")/guest_ram.sh" "$O/guest/testrunner.elf"
