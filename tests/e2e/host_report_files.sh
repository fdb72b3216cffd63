#!/usr/bin/env bash
# --junit/--ktap: a regular file is replaced atomically through a temporary
# created exclusively, a symlink is followed, FIFOs and devices and our own
# stdout are written in place; a link planted at a temporary name is never
# followed.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=9
fake_guest_setup

# ---- files ----------------------------------------------------------------------
# 8. reports: a symlink is followed, FIFOs and devices are written in place, a
# link planted at a temporary name is never followed
echo keep >"$WORK/target.xml"
ln -s target.xml "$WORK/link.xml"
run -- "${R[@]}" --junit "$WORK/link.xml" fake.pass1
[ -L "$WORK/link.xml" ] && xmllint --noout "$WORK/target.xml" 2>/dev/null || rc="$rc, link replaced"
verdict "--junit through a symlink: the link stays, its target gets the report" 0
ln -s later/made.xml "$WORK/ahead.xml"
mkdir -p "$WORK/later"
run -- "${R[@]}" --junit "$WORK/ahead.xml" fake.pass1
[ -L "$WORK/ahead.xml" ] && xmllint --noout "$WORK/later/made.xml" 2>/dev/null || rc="$rc, not made there"
verdict "--junit through a symlink to a file not made yet: the report is made there" 0
mkfifo "$WORK/k.fifo"
cat "$WORK/k.fifo" >"$WORK/k.got" &
reader=$!
bg+=($reader)
run -- "${R[@]}" --ktap "$WORK/k.fifo" fake.pass1
[ -p "$WORK/k.fifo" ] || rc="$rc, FIFO replaced"
wait_for grep -q '^ok 1 fake.pass1$' "$WORK/k.got" || rc="$rc, nothing came out of the FIFO"
kill "$reader" 2>/dev/null
verdict "--ktap into a FIFO: written in place" 0
ln -s /dev/null "$WORK/null.xml"
run -- "${R[@]}" --junit "$WORK/null.xml" fake.pass1
[ -L "$WORK/null.xml" ] && [ -c /dev/null ] || rc="$rc, replaced"
verdict "--junit to a device (via a link to /dev/null): written in place" 0
ln -s /dev/full "$WORK/full.xml"
run -- "${R[@]}" --junit "$WORK/full.xml" fake.pass1
[ -L "$WORK/full.xml" ] || rc="$rc, replaced"
verdict "--junit to /dev/full: exit 2 with the real errno" 2 \
	'full.xml: No space left on device$'
ln -s /dev/stdout "$WORK/stdout.ktap"
timeout -k 5 20 "$H" "${R[@]}" --ktap "$WORK/stdout.ktap" fake.pass1 2>"$WORK/err" | cat >"$WORK/out"
rc=${PIPESTATUS[0]}
[ "$(grep -c '^KTAP version 1$' "$WORK/out")" = 2 ] || rc="$rc, no report on the stdout pipe"
verdict "--ktap /dev/stdout (a pipe): the report follows the log" 0
run -- "${R[@]}" --ktap "$WORK/stdout.ktap" fake.pass1
[ -L "$WORK/stdout.ktap" ] && [ "$(grep -c '^KTAP version 1$' "$WORK/out")" = 2 ] &&
	grep -q '^ok 1 fake.pass1$' "$WORK/out" || rc="$rc, the log or the report lost"
verdict "--ktap /dev/stdout (a file): the report follows the log, the log kept" 0
for rep in junit ktap; do
	FAKE_TESTS="a.slow" "$H" "${R[@]}" --$rep "$WORK/p.$rep" a >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	ln -s "$WORK/victim.$rep" "$WORK/p.$rep.tmp$pid"
	(sleep "$E2E_TIMEOUT"; kill -9 "$pid") 2>/dev/null &
	bg+=($!)
	finish
	[ ! -e "$WORK/victim.$rep" ] && [ -f "$WORK/p.$rep" ] && [ ! -L "$WORK/p.$rep" ] ||
		rc="$rc, the planted link was followed"
	verdict "--$rep: a symlink planted at the temporary name is not followed" 0
done
