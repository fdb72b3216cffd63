#!/usr/bin/env bash
# The guest's text is shown with its control characters escaped (\xHH):
# on stderr and in the --ktap and JUnit reports; a NUL never cuts a line.
# Against the fake guest (tests/tools/fake_guest.c); black-box: command line,
# exit code, stderr, files, processes, each case under an outer timeout.
set -u
. "$(dirname "$0")/lib.sh"
N=4
fake_guest_setup

# a NUL in a diagnostic, terminal escapes in a reason or a name: shown escaped
run FAKE_TESTS="n.nul" -- "${R[@]}" --ktap "$WORK/nul.ktap" n
grep -qF '# before\x00after' "$WORK/nul.ktap" || rc="$rc, the line was cut"
verdict "a NUL in a diagnostic: the --ktap line is whole, the NUL escaped" 0
ctl=$'[\x01-\x08\x0b-\x1f\x7f]'
run FAKE_TESTS="e.esc" -- "${R[@]}" --ktap "$WORK/esc.ktap" --junit "$WORK/esc.xml" e
grep -q "$ctl" "$WORK/err" && rc="$rc, raw control characters on stderr"
grep -q "$ctl" "$WORK/esc.ktap" && rc="$rc, raw control characters in the KTAP report"
grep -qF '\x1b]0;pwned\x07' "$WORK/err" || rc="$rc, the escape not shown"
xmllint --noout "$WORK/esc.xml" 2>/dev/null || rc="$rc, bad JUnit"
verdict "terminal escapes in a reason: escaped on stderr and in reports, exit 1" 1
run FAKE_GUEST=error-esc -- "${R[@]}" fake.pass1
grep -q "$ctl" "$WORK/err" && rc="$rc, raw control characters on stderr"
verdict "terminal escapes in the guest's error: escaped on stderr, exit 2" 2 '\\x1b\]0;pwned'
run FAKE_GUEST=name-esc FAKE_TESTS="a.one" -- "${R[@]}"
grep -q "$ctl" "$WORK/err" && rc="$rc, raw control characters on stderr"
verdict "a terminal escape in a reported name: never raw on stderr, exit 2" 2
