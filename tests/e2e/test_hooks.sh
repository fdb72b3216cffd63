#!/usr/bin/env bash
# The framework's hooks in real QEMU (fixtures in guest/tests/fixture_hooks.c):
# bt_defer cleanups run last first after an ASSERT and after a crash, a full
# cleanup stack fails the test without losing one, a suite whose setup fails
# fails its tests unrun (its own cleanup runs, its teardown does not), a
# setup's skip skips the suite.
set -u
. "$(dirname "$0")/lib.sh"
N=8

echo "1..$N"
[ -f "$IMG" ] || fail_all "no guest image at $IMG"
R=(run --image "$IMG" --timeout 20)

run "${R[@]}" fixture.cleanup_assert
check "ASSERT stops the test: exit 1" 1 '^FAIL +fixture.cleanup_assert'
is "...then its cleanups run, last deferred first, before the result" in_order "$WORK/out" \
	'^# guest/tests/fixture_hooks.c:[0-9]+: 1 \+ 1 == 3' '^# cleanup: deferred second$' \
	'^# cleanup: deferred first$' '^not ok 1 fixture.cleanup_assert$'

run "${R[@]}" fixture.cleanup_crash
check "a crash: exit 1, the exception reported" 1 '^CRASH +fixture.cleanup_crash'
is "...then its cleanup runs before the result" in_order "$WORK/out" \
	'^# exception: ESR=' '^# cleanup: after the crash$' '^not ok 1 fixture.cleanup_crash # ERROR'

run "${R[@]}" fixture.cleanup_overflow
is "one cleanup more than the framework holds: the test fails, every cleanup runs" \
	test "$rc" = 1 -a "$(grep -c '^# cleanup: one of many$' "$WORK/out")" = \
	"$(($(grep -c 'bt_defer(say, "one of many")' guest/tests/fixture_hooks.c) + 8))" \
	-a -n "$(grep -E '^# .*more than 8 cleanups deferred' "$WORK/out")" \
	-a -z "$(grep 'went on past a full cleanup stack' "$WORK/out")"

run "${R[@]}" fixture_setup_fails.first fixture_setup_fails.second
check "a failing suite setup: exit 1, both tests fail" 1 '^0 passed, 2 failed, 0 skipped$'
is "...unrun, the setup's cleanup runs, the teardown does not" \
	test -z "$(grep -E ': ran$|teardown ran' "$WORK/out")" \
	-a "$(grep -c 'the setup of suite fixture_setup_fails failed: test not run' "$WORK/out")" = 2 \
	-a "$(grep -c '^# cleanup: of the failed setup$' "$WORK/out")" = 1

run "${R[@]}" fixture_setup_skips.only
check "a setup that skips: the suite's tests skip with its reason" 0 \
	"^ok 1 fixture_setup_skips.only # SKIP the suite's setup skips it\$"

