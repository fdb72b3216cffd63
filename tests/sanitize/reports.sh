#!/usr/bin/env bash
# Last step of make check SANITIZE=1: one TAP test that fails when any host
# program (harness, emulator, unit test, tool) wrote an AddressSanitizer or
# LeakSanitizer report into $SANITIZER_LOG_DIR during the run. UBSan reports
# abort the program (UBSAN_OPTIONS=abort_on_error=1) and fail its own test.
set -u
dir=${SANITIZER_LOG_DIR:?set by make check SANITIZE=1}
echo 1..1
mapfile -t reports < <(find "$dir" -type f -size +0 2>/dev/null | sort)
if [ ${#reports[@]} -eq 0 ]; then
	echo "ok 1 - no sanitizer report from any host program"
	exit 0
fi
echo "not ok 1 - ${#reports[@]} sanitizer report(s) in $dir"
for r in "${reports[@]}"; do
	echo "# $r:"
	grep -E 'ERROR|SUMMARY|#[0-9]+ ' "$r" | head -15 | sed 's/^/#   /'
done
exit 1
