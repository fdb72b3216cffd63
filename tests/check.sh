#!/usr/bin/env bash
# Runs every test program given (cmocka unit tests and e2e scripts), each of which
# speaks TAP, and prints one closing line "N passed, N failed[, N skipped]".
# A program that exits non-zero without reporting a failure, or whose results do
# not add up to its plan(s) "1..N", counts as one failure.
set -u
O=${O:-build}
export O
export CMOCKA_MESSAGE_OUTPUT=TAP
TIMEOUT=${TEST_TIMEOUT:-600}
pass=0 fail=0 skip=0
failed_names=()
for t in "$@"; do
	name=${t#"$O"/}
	log=$(mktemp)
	start=$EPOCHREALTIME
	timeout --kill-after=5 "$TIMEOUT" "$t" >"$log" 2>&1
	rc=$?
	p=0 f=0 s=0 plan=0
	while IFS= read -r line; do
		case "$line" in
		1..[0-9]*)
			plan=$((plan + ${line#1..})) ;;
		"not ok "*)
			f=$((f + 1)); failed_names+=("$name: ${line#not ok }") ;;
		"ok "*"# SKIP"* | "ok "*"# skip"*)
			s=$((s + 1)) ;;
		"ok "*)
			p=$((p + 1)) ;;
		esac
	done <"$log"
	if [ $rc -ne 0 ] && [ $f -eq 0 ]; then
		f=1; failed_names+=("$name: exited with status $rc")
	fi
	total=$((p + f + s))
	if [ $total -eq 0 ]; then
		f=1; failed_names+=("$name: reported no test")
	elif [ $total -ne $plan ]; then
		f=$((f + 1)); failed_names+=("$name: planned $plan tests, reported $total")
	fi
	secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	printf '%-40s %3d passed, %d failed, %d skipped (%ss)\n' "$name" $p $f $s "$secs"
	if [ $f -ne 0 ] || [ -n "${VERBOSE:-}" ]; then
		sed 's/^/    | /' "$log"
	fi
	rm -f "$log"
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done
if [ ${#failed_names[@]} -ne 0 ]; then
	echo "Failures:"
	printf '  %s\n' "${failed_names[@]}"
fi
if [ $skip -ne 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ $fail -eq 0 ]
