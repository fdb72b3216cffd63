#!/usr/bin/env bash
# A boot that fails before QEMU starts (no temporary directory, too few
# descriptors) ends the run at once with exit 2 and the reason, never a wait.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=5
fake_guest_setup

run TMPDIR=/nonexistent -- "${R[@]}" fake.pass1
verdict "TMPDIR missing: run exits 2 at once, says why" 2 \
	'^testrunner-host: listing tests: temporary directory: No such file or directory$'
run TMPDIR=/nonexistent -- list --image "$FAKE_IMG" --qemu "$F"
verdict "TMPDIR missing: list exits 2 at once" 2 'temporary directory: No such file or directory'
: >"$WORK/afile"
run TMPDIR="$WORK/afile" -- "${R[@]}" fake.pass1
verdict "TMPDIR a file: exit 2 at once, says why" 2 'temporary directory: Not a directory'
if [ "$(id -u)" != 0 ]; then
	mkdir -p "$WORK/ro" && chmod 0500 "$WORK/ro"
	run TMPDIR="$WORK/ro" -- "${R[@]}" fake.pass1
	verdict "TMPDIR not writable: exit 2 at once, says why" 2 'temporary directory: Permission denied'
else
	n=$((n + 1)); echo "ok $n # SKIP TMPDIR not writable: root writes anywhere"
fi
# too few descriptors, wherever the boot runs out (socket, RPMB socket, pipe)
bad="" hit=0
for lim in 4 5 6 7 8 9 10 11 12; do
	# LeakSanitizer (SANITIZE=1) needs descriptors of its own at exit
	(ulimit -n $lim; ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		exec timeout -k 1 3 "$H" "${R[@]}" fake.pass1) >/dev/null 2>"$WORK/err"
	rc=$?
	if [ $rc = 2 ] && grep -q 'Too many open files\|out of resources' "$WORK/err"; then
		hit=$((hit + 1))
	elif [ $rc != 0 ]; then
		bad="$bad ulimit -n $lim: exit $rc;"
	fi
	tidy
done
[ -z "$bad" ] && [ $hit -ge 3 ]; rc=$?
: >"$WORK/err"; : >"$WORK/out"
verdict "too few descriptors: exit 2 at once, saying so ($bad $hit hit)" 0
