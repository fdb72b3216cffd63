#!/usr/bin/env bash
# Per-test options in real QEMU: the catalogue carries each test's options and
# source file after its name, the unmodified harness still lists and runs
# (it skips the option lines like any diagnostic), .manual keeps a test out
# of the default set and out of suite or glob selectors, .cpus skips on a
# machine with too few CPUs. Expected sets come from the catalogue itself.
set -u
. "$(dirname "$0")/lib.sh"
N=11

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
check "the unmodified harness lists: exit 0" 0
is "...exactly the guest's names, none of the option lines" cmp -s "$WORK/out" "$WORK/names"

# the default set: every test the catalogue marks manual=0, nothing else
grep -E '^# # test .* manual=0 ' "$WORK/raw" | sed 's/^# # test \([^ ]*\) .*/\1/' >"$WORK/auto"
run run --image "$IMG" --timeout 30
sed -n 's/^\(not \)\{0,1\}ok [0-9]* \([^ ]*\).*/\2/p' "$WORK/out" >"$WORK/ran"
check "the default set runs through the unmodified harness: exit 0" 0
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

# fixture.secondary_crash needs 2 CPUs (guest_crash.sh runs it on 2)
cpus=$(field fixture.secondary_crash cpus)
run run --image "$IMG" --timeout 20 --smp 1 fixture.secondary_crash
check "a .cpus = $cpus test at -smp 1: skipped with the reason" 0 \
	"^ok 1 fixture.secondary_crash # SKIP needs $cpus CPUs, the machine has 1\$"
# a test that needs no more CPUs than it gets is not skipped: its body runs
run run --image "$IMG" --timeout 20 --smp "$cpus" fixture.secondary_crash
check "...at -smp $cpus it runs (and crashes on CPU 1, as it should)" 1 \
	'^# fixture.secondary_crash: CPU 1 done'
