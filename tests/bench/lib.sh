# shellcheck shell=bash
# Helpers for tests/bench/run.sh (sourced): wall times, medians, the result
# table. Nothing here asserts; a command that fails aborts the bench.

# The reference guests get the harness's QEMU flags minus its channel: same
# machine, CPU, memory, no display, monitor, NIC or reboot, serial to nowhere.
REF_QEMU_ARGS=(-M virt -cpu cortex-a57 -m 256M -smp 1 -display none -monitor none
	-no-reboot -nic none -serial null)
qemu_ref() {	# IMAGE [extra args]
	local img=$1
	shift
	timeout 30 "$QEMU" "${REF_QEMU_ARGS[@]}" -kernel "$img" "$@"
}

# time_it KEY CMD...: append CMD's wall time in microseconds to $tmp/KEY.
# Every output goes to /dev/null alike (the harness's relayed log and its
# per-test lines, the semihosting console). A failing command is run again
# with its stderr kept, to say why, and aborts the bench.
time_it() {
	local key=$1 s e rc
	shift
	s=$EPOCHREALTIME
	"$@" >/dev/null 2>&1
	rc=$?
	e=$EPOCHREALTIME
	if [ $rc -ne 0 ]; then
		echo "bench: '$*' failed (exit $rc):" >&2
		"$@" 2>&1 >/dev/null | tail -5 >&2
		exit 1
	fi
	echo $((10#${e/./} - 10#${s/./})) >>"$tmp/$key"
}

# median KEY: of the integers in $tmp/KEY (microseconds), as an integer
median() {
	sort -n "$tmp/$1" | awk '{ v[NR] = $1 }
		END { if (!NR) exit 1; printf "%d\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
ms() { calc '%.1f ms' "$1 / 1000"; }	# microseconds as milliseconds
met() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { print ((op == "<=" ? v <= t : v >= t) ? "pass" : "**miss**") }'; }

# row FIGURE VALUE TARGET RESULT: a line of the result table
row() { printf '| %s | %s | %s | %s |\n' "$@" >>"$tmp/table"; }
# raw KEY...: each key's median and spread into the raw-medians list
raw() {
	local k
	for k in "$@"; do
		sort -n "$tmp/$k" | awk -v k="$k" '{ v[NR] = $1 }
			END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "- %s: median %.1f ms (min %.1f, max %.1f, %d runs)\n", k, m / 1000, v[1] / 1000, v[NR] / 1000, NR }' >>"$tmp/raw"
	done
}
# note TEXT: a line under the raw medians (a breakdown, a per-step table)
note() { printf '%s\n' "$*" >>"$tmp/raw"; }

# rounds N: the round numbers 1..N (BENCH_RUNS)
rounds() { seq "$RUNS"; }
