#!/usr/bin/env bash
# Per-test options in real QEMU: the catalogue carries each test's options and
# source file after its name; the harness reads them: .manual keeps a test out
# of the default set and out of suite or glob selectors, .cpus gets a test a
# boot with as many CPUs (or a skip with the reason when --smp says fewer;
# the guest skips it on a machine with too few), and list SELECTOR, list
# --long and --exclude select from the catalogue. Expected sets come from
# the catalogue itself. (A test's own .timeout_s: out_of_tree.sh.)
set -u
. "$(dirname "$0")/lib.sh"
N=29

echo "1..$N"
[ -f "$IMG" ] || fail_all "no guest image at $IMG"
[ -x "$O/tests/tools/raw_request" ] || fail_all "no $O/tests/tools/raw_request"

guest_catalogue "$IMG" "$WORK/raw"
grep -q '^result 0$' "$WORK/raw" || fail_all "the guest cannot list: $(tail -3 "$WORK/raw")"
sed -n 's/^# # test \([^ ]*\) .*/\1/p' "$WORK/raw" >"$WORK/described"
catalogue_names "$WORK/raw" >"$WORK/names"
field() {	# field NAME KEY: KEY's value in NAME's catalogue line
	sed -n "s/^# # test $1 .*$2=\([^ ]*\).*/\1/p" "$WORK/raw"
}

is "every test's name line is followed by its catalogue line" \
	test -s "$WORK/names" -a "$(paste -d' ' "$WORK/names" "$WORK/described" |
		awk '$1 != $2' | wc -l)" = 0 -a "$(wc -l <"$WORK/names")" = "$(wc -l <"$WORK/described")"
bad=""
while read -r t; do
	f=$(sed -n "s/^# # test $t .* file=\(.*\)$/\1/p" "$WORK/raw")
	grep -qE "^BOOT_TEST\(${t%%.*}, ${t#*.}[,)]" "$f" 2>/dev/null || bad="$bad $t:$f"
done <"$WORK/names"
is "each test's file= is the source that registers it${bad:+ (not:$bad)}" test -z "$bad"

run list --image "$IMG" --timeout 20
check "the harness lists: exit 0" 0
is "...exactly the guest's names, none of the option lines" cmp -s "$WORK/out" "$WORK/names"

# the default set: every test the catalogue marks manual=0, nothing else
grep -E '^# # test .* manual=0 ' "$WORK/raw" | sed 's/^# # test \([^ ]*\) .*/\1/' >"$WORK/auto"
run run --image "$IMG" --timeout 30
sed -n 's/^\(not \)\{0,1\}ok [0-9]* \([^ ]*\).*/\2/p' "$WORK/out" >"$WORK/ran"
check "the default set runs: exit 0" 0
is "...exactly the tests not marked manual ($(wc -l <"$WORK/auto") of $(wc -l <"$WORK/names"))" \
	cmp -s "$WORK/ran" "$WORK/auto"
is "the fixture suite is an ordinary user of .manual: every fixture test manual=1" \
	test -z "$(grep -E '^# # test fixture\.[^ ]* .*manual=0' "$WORK/raw")" \
	-a -n "$(grep -E '^# # test fixture\.' "$WORK/raw")"

run run --image "$IMG" --timeout 20 fixture
check "a suite selector that picks only manual tests: exit 2, said" 2 \
	'test selector fixture picks only manual tests: name each one'
run run --image "$IMG" --timeout 20 'fixture.p*'
check "a glob that matches only manual tests: refused the same way" 2 'picks only manual tests'

# fixture.secondary_crash needs 2 CPUs (guest_crash.sh runs it too)
cpus=$(field fixture.secondary_crash cpus)
guest_request "$IMG" 'boottest fixture.secondary_crash\n' "$WORK/raw1"
is "the guest itself, on one CPU: the .cpus = $cpus test skipped, saying why" \
	grep -qx "# ok 1 fixture.secondary_crash # SKIP needs $cpus CPUs, the machine has 1" \
	"$WORK/raw1"
# selftest.psci says how many secondary CPUs its boot has
run run --image "$IMG" --timeout 20 selftest.psci fixture.secondary_crash
check "without --smp the harness boots the .cpus = $cpus test on $cpus CPUs: it runs (and crashes)" \
	1 "^# fixture.secondary_crash: CPU 1 done"
is "...and the other test in a boot of its own, on the default one CPU" \
	grep -qx '# 0 secondary CPUs checked in' "$WORK/out"
run run --image "$IMG" --timeout 20 fixture.crash fixture.secondary_crash selftest.psci
check "a crash in the one-CPU boot: the rest of that boot's tests still run on one CPU" 1 \
	'^# 0 secondary CPUs checked in$' '^# fixture.secondary_crash: CPU 1 done'
run run --image "$IMG" --timeout 20 -j 2 selftest.psci fixture.secondary_crash fixture.pass
check "-j 2: the same grouping" 1 '^# 0 secondary CPUs checked in$' \
	'^# fixture.secondary_crash: CPU 1 done' '^ok 1 fixture.pass$'
run run --image "$IMG" --timeout 20 --smp 1 selftest.psci fixture.secondary_crash
check "an explicit --smp 1: the .cpus = $cpus test skipped by the harness, saying why" 0 \
	"^SKIP +fixture.secondary_crash .*needs $cpus CPUs, --smp is 1\$" '^1 passed, 0 failed, 1 skipped$'
is "...without booting it" test -z "$(grep 'start fixture.secondary_crash' "$WORK/out")"
run run --image "$IMG" --timeout 20 --smp "$cpus" selftest.psci fixture.secondary_crash
check "--smp $cpus: both tests on $cpus CPUs" 1 \
	"^# $((cpus - 1)) secondary CPUs checked in\$" '^# fixture.secondary_crash: CPU 1 done'

run run --image "$IMG" --timeout 20 fixture.pass
check "a manual test runs when named by its exact name" 0 '^1 passed, 0 failed, 0 skipped$'

# --exclude: the same grammar as selectors, for run and list
grep -v -e '^selftest\.' -e '^rpmb\.' "$WORK/names" >"$WORK/kept"
run list --image "$IMG" --timeout 20 --exclude selftest --exclude 'rpmb.*'
check "list --exclude selftest --exclude 'rpmb.*': exit 0" 0
is "...every other test" cmp -s "$WORK/out" "$WORK/kept"
grep -v -e '^selftest\.' -e '^rpmb\.' "$WORK/auto" >"$WORK/auto_kept"
run run --image "$IMG" --timeout 30 --exclude selftest --exclude 'rpmb.*'
sed -n 's/^\(not \)\{0,1\}ok [0-9]* \([^ ]*\).*/\2/p' "$WORK/out" >"$WORK/ran"
check "run --exclude: exit 0" 0
is "...the default set without them ($(wc -l <"$WORK/auto_kept") tests)" \
	cmp -s "$WORK/ran" "$WORK/auto_kept"
run run --image "$IMG" --timeout 20 --exclude nosuch selftest.timer
check "an --exclude that matches no test: exit 2, said" 2 "^testrunner-host: --exclude 'nosuch': matches no test"
run run --image "$IMG" --timeout 20 --exclude 'a b'
check "a malformed --exclude: exit 2 before any boot" 2 "^testrunner-host: --exclude 'a b': only letters"

# list SELECTOR...: what run would pick; list --long: the catalogue's fields
grep -e '^selftest\.' -e '^secure\.' "$WORK/names" >"$WORK/picked"
run list --image "$IMG" --timeout 20 selftest 'secure.*'
check "list selftest 'secure.*': exit 0" 0
is "...exactly those tests" cmp -s "$WORK/out" "$WORK/picked"
run list --image "$IMG" --timeout 20 fixture
check "list of a selector that picks only manual tests: refused like run" 2 \
	'test selector fixture picks only manual tests: name each one'
run list --image "$IMG" --timeout 20 --long
sed -n 's/^# # test //p' "$WORK/raw" >"$WORK/long"
check "list --long: exit 0" 0
is "...one line per test: NAME timeout_s= cpus= manual= file=, as the guest said" \
	cmp -s "$WORK/out" "$WORK/long"
