#!/usr/bin/env bash
# The terminal view in real QEMU under a pseudo-terminal (script(1)): the
# status line never shares a screen line with other text and shows a long
# test's elapsed time as it runs, -j's log lines say their boot, --verbose's
# serial console lines are prefixed, the failures are listed at the end,
# colour follows --color and NO_COLOR (none at all: not one ESC byte), and a
# stdout that is not the terminal stays the KTAP stream byte for byte.
set -u
. "$(dirname "$0")/lib.sh"
N=17
SCREEN=$O/tests/tools/tty_screen

echo "1..$N"
[ -f "$IMG" ] && [ -x "$H" ] && [ -x "$SCREEN" ] || fail_all "no guest image, harness or tty_screen"
command -v script >/dev/null || fail_all "no script(1) (Debian's bsdutils)"

SEL=(selftest.timer selftest.irq selftest.psci selftest.mmu fixture.fail)

# tty NAME [ENV=VAL...] -- ARGS...: the harness on a pseudo-terminal (stdout
# and stderr both; stdout to the file $TTY_STDOUT instead when set), with
# TERM=xterm and NO_COLOR unset unless given; what the terminal got in
# $WORK/NAME.raw, the screen it shows in $WORK/NAME.screen, the exit code in $rc.
tty() {
	local name=$1 envs=(TERM=xterm) cmd
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	cmd="env -u NO_COLOR $(printf '%q ' "${envs[@]}" "$H" "$@")"
	[ -n "${TTY_STDOUT:-}" ] && cmd="$cmd >$(printf '%q' "$TTY_STDOUT")"
	timeout -k 5 "${E2E_TIMEOUT:-60}" script -q -e -c "$cmd" /dev/null </dev/null >"$WORK/$name.raw"
	rc=$?
	"$SCREEN" <"$WORK/$name.raw" >"$WORK/$name.screen"
}

# The harness's own lines on a screen: a test's line and its details, errors,
# the failure list, the summary.
OWN='^((PASS|FAIL|SKIP|CRASH|TIMEOUT|LOST) +[a-z_]+\.[a-z_0-9]+ |    |did not pass:$|  [A-Z]+ +[a-z_]+\.|           log |[0-9]+ passed, |testrunner-host: )'

# foreign FILE ALLOWED: the screen lines that are neither the harness's own nor ALLOWED
foreign() { grep -vE "$OWN" "$1" | grep -vE "$2"; }
# status_glued FILE: a screen line still holding status text: "0/5 | ", "2s/30s",
# or an older harness's "[0/5] running suite.case"
status_glued() { grep -E '[0-9]+s/30s|^\[?[0-9]+/[0-9]+\]? |running [a-z_]+\.[a-z_0-9]+' "$1"; }
show() { sed 's/^/# screen| /' "$1" | tail -25; }

tty j2 -- run --image "$IMG" --timeout 30 -j 2 "${SEL[@]}"
check_rc() { [ "$rc" = "$1" ] && ok "$2" || { not_ok "$2: exit $rc"; show "$WORK/$3.screen"; }; }
check_rc 1 "-j 2 on a terminal: exit 1 (fixture.fail)" j2
grep -qE '[0-9]+/5 \| \[[12]\] [a-z_]+\.[a-z_0-9]+ [0-9]+s/30s' "$WORK/j2.raw" &&
	ok "the status line was drawn: done/total, each slot's test, elapsed/timeout" ||
	not_ok "no status line in $(head -c 300 "$WORK/j2.raw" | od -c | head -5)"
bad=$(status_glued "$WORK/j2.screen")
[ -z "$bad" ] && ok "no screen line where status text and other text are glued" ||
	{ not_ok "glued: ${bad%%$'\n'*}"; show "$WORK/j2.screen"; }
bad=$(foreign "$WORK/j2.screen" '^\[[12]\] ')
[ -z "$bad" ] && grep -q '^\[1\] KTAP version 1$' "$WORK/j2.screen" &&
	grep -q '^\[2\] KTAP version 1$' "$WORK/j2.screen" &&
	ok "every log line says its boot: [1] or [2], and both boots spoke" ||
	{ not_ok "unprefixed: ${bad%%$'\n'*}"; show "$WORK/j2.screen"; }
miss=""
for t in "${SEL[@]}"; do
	grep -qE "^\[[12]\] (not )?ok [0-9]+ $t\$" "$WORK/j2.screen" || miss="$miss $t"
done
[ -z "$miss" ] && ok "each test's KTAP result is on the screen with its boot" || not_ok "missing:$miss"
last_test=$(grep -nE '^(PASS|FAIL) ' "$WORK/j2.screen" | tail -1 | cut -d: -f1)
list=$(grep -n '^did not pass:$' "$WORK/j2.screen" | cut -d: -f1)
tail -3 "$WORK/j2.screen" >"$WORK/j2.tail"
[ -n "$list" ] && [ -n "$last_test" ] && [ "$list" -gt "$last_test" ] &&
	in_order "$WORK/j2.tail" '^did not pass:$' '^  FAIL +fixture\.fail: .*fixture\.c:[0-9]+: 1 \+ 1 == 3' \
		'^4 passed, 1 failed, 0 skipped$' &&
	ok "the failures are listed at the end, with their reasons, before the summary" ||
	{ not_ok "no failure list at the end"; show "$WORK/j2.screen"; }
grep -q $'\033\\[31mFAIL' "$WORK/j2.raw" && ok "colour on a terminal (FAIL in red)" ||
	not_ok "no colour on a terminal"

# NO_COLOR (set, not empty): not one escape sequence, the status line still there
tty nocolor NO_COLOR=1 -- run --image "$IMG" --timeout 30 -j 2 "${SEL[@]}"
bad=$(status_glued "$WORK/nocolor.screen")
! grep -q $'\033' "$WORK/nocolor.raw" && grep -qE '[0-9]+s/30s' "$WORK/nocolor.raw" && [ -z "$bad" ] &&
	cmp -s <(grep -vE '^(PASS|FAIL) |^\[' "$WORK/nocolor.screen") \
		<(grep -vE '^(PASS|FAIL) |^\[' "$WORK/j2.screen") &&
	ok "NO_COLOR=1: no ESC byte at all, the status line erased with spaces, the same screen" ||
	{ not_ok "NO_COLOR=1: $(grep -c $'\033' "$WORK/nocolor.raw") lines with ESC; ${bad%%$'\n'*}"; show "$WORK/nocolor.screen"; }
tty emptync NO_COLOR= -- run --image "$IMG" --timeout 30 fixture.fail
grep -q $'\033\\[31mFAIL' "$WORK/emptync.raw" && ok "NO_COLOR set but empty: colour (no-color.org)" ||
	not_ok "NO_COLOR= turned the colour off"
tty never -- run --image "$IMG" --timeout 30 --color=never fixture.fail
! grep -q $'\033' "$WORK/never.raw" && grep -qE '[0-9]+s/30s' "$WORK/never.raw" &&
	ok "--color=never on a terminal: no ESC byte" || not_ok "--color=never: $(od -c "$WORK/never.raw" | head -3)"
run run --image "$IMG" --timeout 30 --color=always fixture.fail
grep -q $'\033\\[31mFAIL' "$WORK/err" && ! grep -q $'\r' "$WORK/err" &&
	ok "--color=always off a terminal: colour, but no status line" || not_ok "--color=always: $(head -3 "$WORK/err")"

# stdout off the terminal (a file): the KTAP stream as a plain run writes it
run run --image "$IMG" --timeout 30 "${SEL[@]}"
cp "$WORK/out" "$WORK/plain.ktap"
TTY_STDOUT=$WORK/tty.ktap tty tofile -- run --image "$IMG" --timeout 30 "${SEL[@]}"
cmp -s "$WORK/plain.ktap" "$WORK/tty.ktap" && grep -q '^KTAP version 1$' "$WORK/tty.ktap" &&
	grep -qE '[0-9]+s/30s' "$WORK/tofile.raw" &&
	ok "stderr on a terminal, stdout to a file: stdout byte for byte the plain run's" ||
	not_ok "stdout differs: $(diff "$WORK/plain.ktap" "$WORK/tty.ktap" | head -5 | tr '\n' ' ')"
run run --image "$IMG" --timeout 30 -j 2 "${SEL[@]}"
! grep -qE '^\[[0-9]+\] ' "$WORK/out" && [ "$(grep -c '^KTAP version 1$' "$WORK/out")" = 2 ] &&
	ok "-j 2 piped: no boot prefix on stdout" || not_ok "-j 2 piped stdout: $(head -3 "$WORK/out")"

# a long test: the status line moves while it runs (ticks), then goes
tty hang -- run --image "$IMG" --timeout 3 fixture.hang
grep -qE 'fixture\.hang [12]s/3s' "$WORK/hang.raw" && ! grep -qE '[0-9]s/3s' "$WORK/hang.screen" &&
	grep -qE '^TIMEOUT +fixture\.hang ' "$WORK/hang.screen" &&
	ok "a hanging test: its elapsed time moves on the status line against its 3 s" ||
	{ not_ok "no tick: $(tr '\r' '\n' <"$WORK/hang.raw" | grep -a 'fixture.hang' | head -5)"; show "$WORK/hang.screen"; }

# --verbose: the serial console's lines prefixed, on a terminal with their boot
tty verbose -- run --image "$IMG" --timeout 30 --verbose -j 2 "${SEL[@]}"
bad=$(foreign "$WORK/verbose.screen" '^\[[12]\] ')
[ -z "$bad" ] && [ -z "$(status_glued "$WORK/verbose.screen")" ] &&
	grep -qE '^\[[12]\] serial: testrunner [0-9.]+ on ' "$WORK/verbose.screen" &&
	grep -qE '^\[[12]\] serial: (not )?ok [0-9]+ fixture\.fail' "$WORK/verbose.screen" &&
	ok "--verbose -j 2 on a terminal: every serial line says its boot and serial:" ||
	{ not_ok "--verbose: ${bad%%$'\n'*}"; show "$WORK/verbose.screen"; }
run run --image "$IMG" --timeout 30 --verbose selftest.timer
grep -qE '^serial: testrunner [0-9.]+ on ' "$WORK/err" && ! grep -qE '^(testrunner [0-9.]+ on|# platform)' "$WORK/err" &&
	! grep -q '^serial: ' "$WORK/out" &&
	ok "--verbose piped: the serial console on stderr as serial: lines, none on stdout" ||
	not_ok "--verbose piped: $(head -4 "$WORK/err" | tr '\n' ' ')"

# a terminal that cannot move its cursor: no status line
tty dumb TERM=dumb -- run --image "$IMG" --timeout 30 fixture.fail
! grep -q $'\r[0-9]' "$WORK/dumb.raw" && ! grep -q $'\033' "$WORK/dumb.raw" &&
	grep -qE '^FAIL +fixture\.fail ' "$WORK/dumb.screen" &&
	ok "TERM=dumb: no status line, no colour" || not_ok "TERM=dumb: $(od -c "$WORK/dumb.raw" | head -3)"
