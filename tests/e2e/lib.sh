# shellcheck shell=bash
# Helpers shared by the e2e scripts (sourced, never run on its own): a private
# work directory, TAP lines, the harness under an outer timeout, and the usual
# check of its exit code, output and leftovers.

O=${O:-build}
H=$O/host/testrunner-host
IMG=$O/guest/testrunner.elf
n=0
bg=()	# background processes to kill at exit

e2e_cleanup() {
	for p in "${bg[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$WORK"
}

# make check inside a CI job: the job's own engine variables (shards, Bazel's
# test protocol, JUnit hints) must not reach the harness under test; a case
# that wants one sets it itself.
unset GITLAB_CI CI_NODE_INDEX CI_NODE_TOTAL CIRCLECI CIRCLE_NODE_INDEX CIRCLE_NODE_TOTAL \
	BUILDKITE BUILDKITE_PARALLEL_JOB BUILDKITE_PARALLEL_JOB_COUNT JENKINS_URL \
	TEST_SHARD_INDEX TEST_TOTAL_SHARDS TEST_SHARD_STATUS_FILE TEST_TIMEOUT TEST_TMPDIR \
	TEST_UNDECLARED_OUTPUTS_DIR TEST_PREMATURE_EXIT_FILE TEST_SRCDIR TEST_WORKSPACE \
	TEST_BINARY TEST_TARGET XML_OUTPUT_FILE TESTBRIDGE_TEST_ONLY

# $WORK: scratch, removed at exit; $TMPDIR inside it so that the harness's
# temporary directories can be checked for leftovers.
WORK=$(mktemp -d) || exit 1
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"
trap e2e_cleanup EXIT

# use_fake_guest: $F, the fake guest passed as --qemu, and $IMG, an empty image it ignores
use_fake_guest() {
	F=$O/tests/tools/fake_guest
	IMG=$WORK/image.elf
	: >"$IMG"
}

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
is() {	# is NAME COMMAND...: ok when the command succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# fail_all REASON: every one of the $N planned tests fails (something required
# is missing: a broken build must not look green), and the script stops.
fail_all() {
	for i in $(seq $((n + 1)) "$N"); do echo "not ok $i - $1"; done
	exit 1
}

# harness [ENV=VAL...] [--] ARGS...: testrunner-host under an outer timeout
# (E2E_TIMEOUT s, default 60); output in $WORK/out and $WORK/err, status in $rc.
# run is the same unless a script narrows it.
harness() {
	local envs=()
	while [ $# -gt 0 ] && [[ $1 == [A-Z_]*=* ]]; do envs+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	env "${envs[@]}" timeout -k 5 "${E2E_TIMEOUT:-60}" "$H" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
}
run() { harness "$@"; }

# gone PATTERN: no process matches within 1 s. A child SIGKILLed while its
# LeakSanitizer pass ran at exit (SANITIZE=1) leaves the sanitizer's tracer
# task for a moment; a real leftover stays.
gone() {
	for _ in $(seq 20); do
		pgrep -f "$1" >/dev/null || return 0
		sleep 0.05
	done
	return 1
}

# check NAME WANT_RC [REGEX]: exit code, a line of stdout or stderr matching,
# and nothing left behind (no temporary directory, no process whose command
# line matches $LEFTOVER, default $TMPDIR)
check() {
	local name=$1 want=$2 pat=${3:-} why="" left=${LEFTOVER:-$TMPDIR}
	if [ "$rc" != "$want" ]; then why="exit $rc, expected $want"; fi
	if [ -z "$why" ] && [ -n "$pat" ] && ! grep -qE -- "$pat" "$WORK/err" "$WORK/out"; then
		why="no match for /$pat/"
	fi
	if [ -z "$why" ] && [ -n "$(ls -A "$TMPDIR")" ]; then why="left $(ls "$TMPDIR")"; fi
	if [ -z "$why" ] && ! gone "$left"; then
		why="left a process: $(pgrep -af "$left" | head -2)"
	fi
	if [ -z "$why" ]; then
		ok "$name"
	else
		not_ok "$name: $why"
		sed 's/^/# err| /' "$WORK/err" | tail -30
		sed 's/^/# out| /' "$WORK/out" | tail -10
	fi
}

# in_order FILE REGEX...: lines matching each REGEX appear in FILE in that order
in_order() {
	local f=$1 last=0 at pat
	shift
	for pat in "$@"; do
		at=$(grep -nE -- "$pat" "$f" | head -1 | cut -d: -f1)
		[ -n "$at" ] && [ "$at" -gt "$last" ] || return 1
		last=$at
	done
}

# guest_catalogue IMAGE OUT: the guest's own `boottest --list` through
# tests/tools/raw_request, no harness in between: "# NAME" and "# # test NAME
# key=value..." lines, then "result N"
guest_catalogue() { guest_request "$1" 'boottest --list\n' "$2"; }
# guest_request IMAGE REQUEST OUT: the same for any request, on one CPU
guest_request() {
	timeout -k 5 30 "$O/tests/tools/raw_request" -t 5000 "$2" \
		"${TESTRUNNER_QEMU:-qemu-system-aarch64}" -M virt -cpu cortex-a57 -m 256M \
		-display none -monitor none -no-reboot -kernel "$1" >"$3" 2>&1
}
# catalogue_names FILE: the test names in guest_catalogue's output
catalogue_names() { sed -n '/^# # /d; s/^# \([A-Za-z0-9_.-]*\)$/\1/p' "$1"; }

# ---- for cases where the harness itself may misbehave (hang, leave things)

# took START SECS: was less than SECS seconds spent since START ($EPOCHREALTIME)?
took_under() { awk -v a="$1" -v b="$EPOCHREALTIME" -v s="$2" 'BEGIN { exit !(b - a < s) }'; }

# What a failed case leaves behind (the bug being shown) must not fail the
# cases after it: kill our leftover processes by id and empty $TMPDIR.
tidy() {
	local p
	for p in $(pgrep -f "$TMPDIR"); do kill -9 "$p" 2>/dev/null; done
	rm -rf "${TMPDIR:?}"/* 2>/dev/null
}
verdict() { check "$@"; tidy; }

# wait_for CMD...: up to 5 s for CMD to succeed
wait_for() {
	for _ in $(seq 100); do "$@" && return 0; sleep 0.05; done
	return 1
}

# start_bg [ENV=VAL...] -- ARGS...: the harness in the background, $pid set;
# a watchdog SIGKILLs it after E2E_TIMEOUT s. Output in $WORK/out, $WORK/err.
start_bg() {
	local envs=()
	while [ $# -gt 0 ] && [[ $1 == [A-Z_]*=* ]]; do envs+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	# a shell's background job starts with SIGQUIT ignored: not the case under test
	env --default-signal=QUIT "${envs[@]}" "$H" "$@" >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	(sleep "$E2E_TIMEOUT"; kill -9 "$pid") 2>/dev/null &
	bg+=($!)
}
# finish: wait for $pid, status in $rc
finish() { wait "$pid"; rc=$?; }

# fake_guest_setup: the start of a script against the fake guest, after N=:
# $F, $EMU, an empty $FAKE_IMG, ${R[@]} (run with them), the plan line, and
# every case failed when the build is incomplete
fake_guest_setup() {
	E2E_TIMEOUT=20
	F=$O/tests/tools/fake_guest
	EMU=$O/host/testrunner-rpmb-dev
	FAKE_IMG=$WORK/image.elf
	: >"$FAKE_IMG"
	R=(run --image "$FAKE_IMG" --qemu "$F" --timeout 2)
	echo "1..$N"
	[ -x "$H" ] && [ -x "$F" ] && [ -x "$EMU" ] ||
		fail_all "no harness, emulator or fake guest in $O (make tests)"
}
