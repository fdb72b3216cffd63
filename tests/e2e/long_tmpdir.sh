#!/usr/bin/env bash
# A TEST_TMPDIR or TMPDIR too long for a unix socket address (Bazel's is
# ~113 bytes; sun_path holds 108) in real QEMU runs: the boots' files stay
# under it, only the sockets (testrunner0, QMP, rpmb0) go to a short private
# directory of their own, said in one warning per run, and that directory is
# gone after the run, a SIGTERM'd one too.
set -u
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=90
N=10
echo "1..$N"
[ -x "$H" ] && [ -f "$IMG" ] || fail_all "no harness or image in $O (make)"

# $WORK/long/ddd...: 120 bytes and more, outside the $TMPDIR that check() watches
long1=$WORK/long/$(printf 'd%.0s' $(seq 120))
long2=$WORK/long/$(printf 'e%.0s' $(seq 120))
mkdir -p "$long1" "$long2"
# sockdir: the directory the warning names (empty when it names none)
sockdir() { sed -n 's/.*sockets go to \(\/[^ ]*\).*/\1/p' "$WORK/err" | head -1; }
empty() { [ -z "$(ls -A "$1")" ]; }

# several boots at once (-j 2 --isolate), the RPMB tests among them
run TMPDIR="$long2" -- run -j 2 --isolate selftest.timer selftest.mmu rpmb.read_counter
check "TMPDIR of ${#long2} bytes: the run passes" 0 '^3 passed, 0 failed'
is "one warning for the run, naming the socket directory" \
	test "$(grep -c 'warning: .*too long for a unix socket' "$WORK/err")/$(sockdir | grep -c '^/')" = 1/1
d=$(sockdir)
is "the socket directory is gone after the run" test -n "$d" -a ! -e "$d"
is "nothing left under the long TMPDIR" empty "$long2"

# TEST_TMPDIR before TMPDIR; seen while QEMU runs, then SIGTERM
start_bg TEST_TMPDIR="$long1" TMPDIR="$long2" -- run --timeout 60 fixture.hang
wait_for pgrep -f "file:$long1/testrunner\.[^/]*/serial.log" >/dev/null
cmd=$(pgrep -af "file:$long1/" | head -1)
d=$(sockdir)
is "TEST_TMPDIR: QEMU's serial log is under it (${#long1} bytes)" \
	test -n "$cmd" -a "${cmd#*file:"$long1"/testrunner.}" != "$cmd"
is "testrunner0, QMP and rpmb0 sockets in the short directory" \
	grep -qE "id=testrunner0,path=$d/[^ ,]+ .*id=qmp[^ ]*,path=$d/.*id=rpmb0,path=$d/" <<<"$cmd"
is "the socket directory is private (0700) while the run lasts" \
	test -n "$d" -a "$(stat -c %a "$d" 2>/dev/null)" = 700
kill -TERM "$pid"
finish
check "SIGTERM: exit 143, QEMU gone" 143
is "SIGTERM: the socket directory is gone" test -n "$d" -a ! -e "$d"
is "SIGTERM: nothing left under TEST_TMPDIR nor TMPDIR" test -z "$(ls -A "$long1")$(ls -A "$long2")"
