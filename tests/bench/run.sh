#!/usr/bin/env bash
# make bench: one scenario per target of issue 16, each measured interleaved
# with its reference (A B A B ..., BENCH_RUNS rounds, medians; ratios from
# this run's medians), then one markdown table and the raw medians. Not a
# test: nothing here asserts, it reports. Method: docs/performance.md.
#
#   BENCH_ONLY=single,crash   only these scenarios (default: all, in order)
#   BENCH_RUNS=N              rounds per scenario (default 21, at least 3)
#   BENCH_LIST=1              print the scenarios BENCH_ONLY selects and stop
set -u
export LC_ALL=C
HERE=$(dirname "$0")
# shellcheck source=tests/bench/lib.sh
. "$HERE/lib.sh"

SCENARIOS=(single isolate crash parallel flood size rss ram boot-times)
O=${O:-build}
RUNS=${BENCH_RUNS:-21}
QEMU=${TESTRUNNER_QEMU:-qemu-system-aarch64}
H=$O/host/testrunner-host
IMG=$O/guest/testrunner.elf
BIMG=$O/tests/bench/testrunner-bench.elf
BTIMG=${BOOT_TIMES_IMG:-$O/boot-times/guest/testrunner.elf}
REF=$O/tests/bench
STAMP=$REF/stamp
FLOOD_BYTES=4194304
QUICK=(selftest.console selftest.exception selftest.fdt selftest.irq selftest.mmu
	selftest.psci selftest.rng)

# The scenarios asked for, in the order above; an unknown name is an error.
selected=()
IFS=, read -r -a asked <<<"${BENCH_ONLY:-}"
for a in "${asked[@]}"; do
	[[ " ${SCENARIOS[*]} " == *" $a "* ]] ||
		{ echo "bench: unknown scenario '$a' (known: ${SCENARIOS[*]})" >&2; exit 2; }
done
for s in "${SCENARIOS[@]}"; do
	if [ ${#asked[@]} -eq 0 ] || [[ " ${asked[*]} " == *" $s "* ]]; then selected+=("$s"); fi
done
[[ $RUNS =~ ^[0-9]+$ ]] && [ "$RUNS" -ge 3 ] ||
	{ echo "bench: BENCH_RUNS must be a number >= 3" >&2; exit 2; }
if [ -n "${BENCH_LIST:-}" ]; then
	echo "${selected[*]}"
	exit 0
fi

need() { for f in "$@"; do [ -e "$f" ] || { echo "bench: $f missing (run make bench)" >&2; exit 2; }; done; }
need "$H" "$IMG" "$STAMP"
command -v "$QEMU" >/dev/null || { echo "bench: $QEMU not found" >&2; exit 2; }

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/table"
: >"$tmp/raw"

FLOOR=$REF/ref_poweroff.elf
floor() { qemu_ref "$FLOOR"; }
host_run() { timeout 120 "$H" run "$@"; }
# N floor guests, JOBS at a time (xargs keeps JOBS running, as -j does).
{
	printf '#!/bin/sh\nexec timeout 30 %q' "$QEMU"
	printf ' %q' "${REF_QEMU_ARGS[@]}" -kernel "$FLOOR"
	printf '\n'
} >"$tmp/floor1"
chmod +x "$tmp/floor1"
floors() { seq "$1" | xargs -P "$2" -n 1 "$tmp/floor1" >/dev/null; }	# N JOBS

# ---- single: run fixture.pass against the floor guest (QEMU start, power off)
sc_single() {
	need "$FLOOR"
	for _ in $(rounds); do
		time_it pass host_run --image "$IMG" fixture.pass
		time_it floor floor
	done
	local r
	r=$(calc %.4f "$(median pass) / $(median floor)")
	row "run fixture.pass / floor guest" "$(calc %.2fx "$r") ($(ms "$(median pass)") / $(ms "$(median floor)"))" \
		"<= 1.15x" "$(met "$r" '<=' 1.15)"
	raw pass floor
}

# ---- isolate: --isolate of the 7 quick selftests against 7 floor guests in a row
sc_isolate() {
	need "$FLOOR"
	for _ in $(rounds); do
		time_it isolate7 host_run --image "$IMG" --isolate "${QUICK[@]}"
		time_it floor7 floors 7 1
	done
	local r
	r=$(calc %.4f "$(median isolate7) / $(median floor7)")
	row "run --isolate 7 selftests / 7 floor guests" \
		"$(calc %.2fx "$r") ($(ms "$(median isolate7)") / $(ms "$(median floor7)"))" "<= 0.5x" "$(met "$r" '<=' 0.5)"
	raw isolate7 floor7
}

# ---- crash: a crash's result line to the next test's "# start", from the
# harness's log stamped line by line as it arrives (tests/bench/stamp.c).
sc_crash() {
	for _ in $(rounds); do
		crash_gap crash_gap
		crash_gap crash_gap_no_rpmb --no-rpmb
	done
	local g
	g=$(median crash_gap)
	row "crash result line to next # start" "$(calc '%.1f ms' "$g / 1000")" "<= 10 ms" "$(met "$g" '<=' 10000)"
	raw crash_gap crash_gap_no_rpmb
	note "- crash_gap_no_rpmb: the same with --no-rpmb (no RPMB emulator to wait for after the failed boot)"
}
# crash_gap KEY [OPTION...]: one run of fixture.crash then fixture.pass; the
# gap between the two lines, in microseconds, appended to $tmp/KEY
crash_gap() {
	local key=$1 rc
	shift
	host_run --image "$IMG" "$@" fixture.crash fixture.pass 2>/dev/null | "$STAMP" >"$tmp/stamped"
	rc=${PIPESTATUS[0]}
	[ "$rc" = 1 ] || { echo "bench: crash run exited $rc, expected 1" >&2; exit 1; }
	awk '$2 == "not" && $3 == "ok" && / fixture\.crash/ && !c { c = $1 }
		$2 == "#" && $3 == "start" && $4 == "fixture.pass" && c && !s { s = $1 }
		END { if (!c || !s) exit 1; printf "%d\n", (s - c) * 1000 }' "$tmp/stamped" >>"$tmp/$key" ||
		{ echo "bench: no crash result line then '# start fixture.pass' in the log" >&2; exit 1; }
}

# ---- parallel: -j 2 over 20 --isolate tests against 20 floor guests two at a time
sc_parallel() {
	local sel r
	need "$FLOOR" "$BIMG"
	sel=$(seq -f 'bench.t%03g' 0 19)
	for _ in $(rounds); do
		# shellcheck disable=SC2086
		time_it iso_j1 host_run --image "$BIMG" --isolate -j 1 $sel
		# shellcheck disable=SC2086
		time_it iso_j2 host_run --image "$BIMG" --isolate -j 2 $sel
		time_it floor20_j1 floors 20 1
		time_it floor20_j2 floors 20 2
	done
	r=$(calc %.4f "($(median iso_j1) / $(median iso_j2)) / ($(median floor20_j1) / $(median floor20_j2))")
	row "-j 2 speedup, 20 --isolate tests / 20 floor guests" \
		"$(calc %.0f%% "$r * 100") ($(calc %.2fx "$(median iso_j1) / $(median iso_j2)") / $(calc %.2fx "$(median floor20_j1) / $(median floor20_j2)"))" \
		">= 90%" "$(met "$r" '>=' 0.9)"
	raw iso_j1 iso_j2 floor20_j1 floor20_j2
}

# ---- flood: 4 MiB of log above fixture.pass against the fastest semihosting
# guest above the floor; every output to /dev/null (the harness's stdout and
# stderr, the semihosting console on QEMU's stdout, the file is /dev/null).
sc_flood() {
	# shellcheck disable=SC2054
	local semi=(-semihosting-config enable=on,target=native) best k b r fmt all
	need "$FLOOR" "$BIMG" "$REF/ref_semihost_flood.elf" "$REF/ref_semihost_tt.elf" "$REF/ref_semihost_file.elf"
	for _ in $(rounds); do
		time_it flood host_run --image "$IMG" fixture.flood
		time_it flood_pass host_run --image "$IMG" fixture.pass
		time_it semi_c_tt qemu_ref "$REF/ref_semihost_tt.elf" "${semi[@]}"
		time_it semi_c_file qemu_ref "$REF/ref_semihost_file.elf" "${semi[@]}"
		time_it semi_asm_tt qemu_ref "$REF/ref_semihost_flood.elf" "${semi[@]}"
		time_it flood_floor floor
		# one boot, both tests: each one's own time (start to result) from --json
		host_run --image "$BIMG" --json "$tmp/split.json" bench.flood_format fixture.flood \
			>/dev/null 2>&1 || { echo "bench: the flood split run failed" >&2; exit 1; }
		sed -n 's/.*"name":"\([a-z_.]*\)".*"time":\([0-9.]*\).*/\1 \2/p' "$tmp/split.json" |
			while read -r name secs; do calc '%d\n' "$secs * 1000000" >>"$tmp/test_$name"; done
	done
	best=semi_c_tt b=$(median semi_c_tt)
	for k in semi_c_file semi_asm_tt; do
		[ "$(median $k)" -lt "$b" ] 2>/dev/null && { best=$k b=$(median $k); }
	done
	local ours=$(($(median flood) - $(median flood_pass))) ref=$((b - $(median flood_floor)))
	if [ "$ours" -gt 0 ] && [ "$ref" -gt 0 ]; then
		r=$(calc %.4f "$ref / $ours")
		row "4 MiB flood rate / fastest semihosting ($best)" \
			"$(calc %.2fx "$r") ($(calc %.0f "$FLOOD_BYTES / $ours") / $(calc %.0f "$FLOOD_BYTES / $ref") MB/s)" \
			">= 2x" "$(met "$r" '>=' 2)"
	else
		row "4 MiB flood rate / fastest semihosting" "not measured (no time above the floor)" ">= 2x" "**miss**"
	fi
	fmt=$(median test_bench.flood_format) all=$(median test_fixture.flood)
	note "- flood above fixture.pass: $(ms "$ours"). The tests' own times (--json, start to result, 1 ms resolution; bench image, one boot): fixture.flood $(ms "$all"), bench.flood_format (the same lines formatted, none sent) $(ms "$fmt"): formatting $(calc %.0f%% "100 * $fmt / $all"), channel (frames, virtqueue, QEMU, harness) $(ms $((all - fmt)))"
	note "- semihosting above the floor: C :tt $(ms $(($(median semi_c_tt) - $(median flood_floor)))), C file /dev/null $(ms $(($(median semi_c_file) - $(median flood_floor)))), assembly :tt $(ms $(($(median semi_asm_tt) - $(median flood_floor))))"
	raw flood flood_pass semi_c_tt semi_c_file semi_asm_tt flood_floor test_fixture.flood test_bench.flood_format
}

# ---- size, rss, ram: no reference to interleave with
sc_size() {
	local size
	size=$(stat -c %s "$O/guest/testrunner.bin")
	row "testrunner.bin" "$size bytes ($(calc %.2f "$size / 65536") of 64 KiB)" "<= 65536 bytes" "$(met "$size" '<=' 65536)"
}

# The harness alone: TESTRUNNER_RUSAGE makes it print its own
# getrusage(RUSAGE_SELF) ru_maxrss at exit (GNU time's figure is the maximum
# over the tree, QEMU's). The worst over BENCH_RUNS runs each of fixture.pass,
# fixture.flood and a 7-test --isolate run.
sc_rss() {
	local worst=0 k t kind
	for _ in $(rounds); do
		for t in fixture.pass fixture.flood "--isolate ${QUICK[*]}"; do
			# shellcheck disable=SC2086
			TESTRUNNER_RUSAGE=1 host_run --image "$IMG" $t >/dev/null 2>"$tmp/err"
			k=$(sed -n 's/^testrunner-host: peak RSS \([0-9]*\) KiB.*/\1/p' "$tmp/err")
			[ -n "$k" ] || { echo "bench: no RSS line from the harness" >&2; exit 1; }
			[ "$k" -gt "$worst" ] && worst=$k
			kind=${t%% *}
			echo "$k" >>"$tmp/rss_${kind#--}"
		done
	done
	/usr/bin/time -f %M -o "$tmp/tree" "$H" run --image "$IMG" fixture.pass >/dev/null 2>&1
	row "harness peak RSS (worst run)" "$worst KiB" "<= 4096 KiB" "$(met "$worst" '<=' 4096)"
	note "- harness peak RSS, worst of $RUNS runs: fixture.pass $(sort -n "$tmp/rss_fixture.pass" | tail -1) KiB, fixture.flood $(sort -n "$tmp/rss_fixture.flood" | tail -1) KiB, --isolate of the 7 selftests $(sort -n "$tmp/rss_isolate" | tail -1) KiB; the whole tree with QEMU (GNU time, fixture.pass) $(tail -1 "$tmp/tree") KiB"
}

sc_ram() {
	local line
	line=$("$HERE/guest_ram.sh" "$IMG" | head -1)
	line=${line#guest RAM footprint: }
	row "guest RAM footprint" "${line%% (*}" "report" "-"
	note "- guest RAM: ${line#* KiB }"
	note "- $("$HERE/guest_ram.sh" "$IMG" | tail -1)"
}

# ---- boot-times: the make BOOT_TIMES=1 image's per-step times (its
# "# boot-time STEP US" lines), medians over BENCH_RUNS boots of fixture.pass:
# in a harness run (the test's boot, which in reset mode follows the
# catalogue boot in the same QEMU) and cold (a QEMU started for that one
# request by tests/tools/raw_request, no harness); then the host's view of a
# run of the shipped image: the harness's log stamped from its start to exit.
sc_boot_times() {
	local raw_req=$O/tests/tools/raw_request
	need "$BTIMG" "$raw_req"
	for _ in $(rounds); do
		host_run --image "$BTIMG" fixture.pass 2>/dev/null >"$tmp/bt.out" ||
			{ echo "bench: boot-times run failed" >&2; exit 1; }
		grep -q '^# boot-time ' "$tmp/bt.out" ||
			{ echo "bench: $BTIMG logs no boot-time lines (not a BOOT_TIMES=1 build?)" >&2; exit 1; }
		awk '$1 == "#" && $2 == "boot-time" { print $3, $4 }' "$tmp/bt.out" >>"$tmp/bt.run"
		timeout 30 "$raw_req" -t 5000 'boottest fixture.pass\n' "$QEMU" "${REF_QEMU_ARGS[@]}" \
			-kernel "$BTIMG" >"$tmp/bt.out" 2>&1 || { echo "bench: raw_request boot failed" >&2; exit 1; }
		awk '$1 == "#" && $2 == "#" && $3 == "boot-time" { print $4, $5 }' "$tmp/bt.out" >>"$tmp/bt.cold"
		{ echo harness-start; host_run --image "$IMG" fixture.pass 2>/dev/null; echo harness-exit; } |
			"$STAMP" | awk 'NR == 1 { t0 = $1 }
				$2 == "KTAP" && !k { k = 1; print "first-log-line", ($1 - t0) * 1000 }
				$2 == "#" && $3 == "start" { print "test-start-line", ($1 - t0) * 1000 }
				$2 == "ok" { print "result-line", ($1 - t0) * 1000 }
				$2 == "harness-exit" { print "harness-exit", ($1 - t0) * 1000 }' >>"$tmp/bt.host"
	done
	note "- boot-times: make BOOT_TIMES=1, fixture.pass, medians of $RUNS boots; guest steps in µs"
	note "  from its first instruction (counter-at-entry: the virtual counter then, since QEMU's"
	note "  machine start), host lines in µs from the harness's start (shipped image):"
	note ""
	note "| step | in a run: µs | own µs | cold boot: µs | own µs |"
	note "|---|---|---|---|---|"
	step_table "$tmp/bt.run" >"$tmp/bt.run.t"
	step_table "$tmp/bt.cold" >"$tmp/bt.cold.t"
	# the two tables side by side, step by step (both list the same steps)
	awk 'NR == FNR { c[$1] = $2 " | " $3; next } { print "| " $1 " | " $2 " | " $3 " | " c[$1] " |" }' \
		"$tmp/bt.cold.t" "$tmp/bt.run.t" >>"$tmp/raw"
	note ""
	note "| host (harness run of fixture.pass, log through tests/bench/stamp) | µs from start | own µs |"
	note "|---|---|---|"
	step_table "$tmp/bt.host" | awk '{ print "| " $1 " | " $2 " | " $3 " |" }' >>"$tmp/raw"
}

# step_table FILE: "STEP VALUE" lines, several per step, as "STEP MEDIAN
# OWN" in first-seen order: each step's median and its difference to the
# step before (counter-at-entry, not on the same time line, has "-").
step_table() {
	awk '!($1 in seen) { seen[$1] = ++n; name[n] = $1 } { v[$1, ++c[$1]] = $2 }
		END { prev = 0
			for (i = 1; i <= n; i++) { k = name[i]; m = c[k]
				for (a = 1; a <= m; a++) s[a] = v[k, a]
				for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
				med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
				if (k == "counter-at-entry") { printf "%s %d -\n", k, med; continue }
				printf "%s %d %d\n", k, med, med - prev
				prev = med } }' "$1"
}

echo "bench: ${selected[*]}; $RUNS interleaved rounds each, medians; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $("$QEMU" --version 2>/dev/null | head -1)"
for s in "${selected[@]}"; do
	start=$EPOCHREALTIME
	"sc_${s//-/_}"
	echo "bench: $s done in $(calc %.0f "$EPOCHREALTIME - $start") s" >&2
done

echo
echo "| figure | measured | target | result |"
echo "|---|---|---|---|"
cat "$tmp/table"
echo
echo "Raw medians (wall time per command; load after: $(cut -d' ' -f1-3 /proc/loadavg)):"
cat "$tmp/raw"
