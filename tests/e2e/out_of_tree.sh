#!/usr/bin/env bash
# Boot tests from outside the tree (tests/example/, as an OS repository keeps
# them), built both ways and run in real QEMU through the current harness:
# make EXTRA_TESTS= (a build directory of its own, its harness finds the
# image, a directory symlink followed, a broken one refused, a duplicate
# test refused naming it), and the SDK from `make sdk` moved out of the
# tree, with the example's own Makefile, its CMakeLists.txt and pkg-config
# (a duplicate refused by each; one linked anyway refused by the guest).
# Then the options: visible in the catalogue, the manual test not run by
# default but when named, timed by its own .timeout_s, the .cpus test skipped
# by the guest on one CPU and by the harness at an explicit --smp 1, given 2
# CPUs otherwise; the suite's setup and teardown around its tests; and make
# run ARGS='...'. Expected names and counts come from `list`.
set -u
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EXAMPLE=tests/example
N=27

echo "1..$N"
[ -f "$IMG" ] || fail_all "no guest image at $IMG"
[ -x "$O/tests/tools/raw_request" ] || fail_all "no $O/tests/tools/raw_request"
[ -f "$O/sdk/testrunner.mk" ] || fail_all "no SDK at $O/sdk (make sdk)"
for tool in cmake pkg-config; do
	command -v $tool >/dev/null || fail_all "$tool not installed (make deps)"
done

# this tree's make, not the outer make's jobserver or variables
tmake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j2 --no-print-directory -C "$ROOT" "$@"; }
# --- the SDK, moved out of the tree, with the example's own builds ---------------
cp -r "$O/sdk" "$WORK/sdk"
is "the SDK names nothing in this tree (it works wherever it is copied)" \
	test -z "$(grep -rlI -- "$ROOT" "$WORK/sdk")"
cp -r "$ROOT/$EXAMPLE" "$WORK/os"
make --no-print-directory -C "$WORK/os" TESTRUNNER_SDK="$WORK/sdk" O="$WORK/os/mk" \
	>"$WORK/kit.log" 2>&1
is "the example's Makefile links an image with the SDK" test -f "$WORK/os/mk/example.elf"
KIT=$WORK/os/mk/example.elf
{ cmake -S "$WORK/os" -B "$WORK/os/cm" -DCMAKE_PREFIX_PATH="$WORK/sdk" \
	-DCMAKE_TOOLCHAIN_FILE="$WORK/sdk/lib/cmake/testrunner/toolchain.cmake" &&
	cmake --build "$WORK/os/cm"; } >"$WORK/cmake.log" 2>&1
is "...and its CMakeLists.txt (find_package(testrunner))" test -f "$WORK/os/cm/example.elf"
export PKG_CONFIG_PATH=$WORK/sdk/lib/pkgconfig
cc=$(pkg-config --variable=cc testrunner)
# shellcheck disable=SC2046 # pkg-config's output is a list of flags
{ $cc $(pkg-config --cflags testrunner) -c "$WORK/os/example.c" -o "$WORK/pc.o" &&
	$cc "$WORK/pc.o" $(pkg-config --libs testrunner) -o "$WORK/pc.elf"; } >"$WORK/pc.log" 2>&1
is "...and a plain compile and link with pkg-config's flags" test -f "$WORK/pc.elf"
[ -f "$KIT" ] || { sed 's/^/# kit| /' "$WORK/kit.log" | tail -5; fail_all "no SDK-built image"; }

guest_catalogue "$KIT" "$WORK/kit.cat"
catalogue_names "$WORK/kit.cat" >"$WORK/kit.names"
guest_catalogue "$WORK/os/cm/example.elf" "$WORK/cm.cat"
guest_catalogue "$WORK/pc.elf" "$WORK/pc.cat"
is "the three SDK images hold the same catalogue, the example's tests only" \
	test -s "$WORK/kit.names" -a -z "$(grep -v '^example\.' "$WORK/kit.names")" \
	-a "$(catalogue_names "$WORK/cm.cat")" = "$(cat "$WORK/kit.names")" \
	-a "$(catalogue_names "$WORK/pc.cat")" = "$(cat "$WORK/kit.names")"
is "the options are in the catalogue: example.hangs manual with its own timeout" \
	grep -qE '^# # test example\.hangs timeout_s=2 cpus=0 manual=1 file=(.*/)?example\.c$' \
	"$WORK/kit.cat"
is "...example.second_cpu needs 2 CPUs" \
	grep -qE '^# # test example\.second_cpu timeout_s=0 cpus=2 manual=0 ' "$WORK/kit.cat"

auto=$(grep -c '^# # test .* manual=0 ' "$WORK/kit.cat")
run run --image "$KIT" --timeout 20 --smp 2
check "the SDK image's default set at -smp 2: all $auto non-manual tests pass" 0 \
	"^$auto passed, 0 failed, 0 skipped\$"
is "...the manual test not among them" test -z "$(grep 'example.hangs' "$WORK/out")"
first=$(sed -n 's/^ok 1 //p' "$WORK/out")
is "...the suite's setup before its first test, teardown before its last result" \
	in_order "$WORK/out" "^# start $first\$" '^# example: setup$' "^ok 1 $first\$" \
	'^# example: teardown$' "^ok $auto "
guest_request "$WORK/os/cm/example.elf" 'boottest example.second_cpu\n' "$WORK/raw1"
is "the CMake image on one CPU: the guest skips the .cpus = 2 test, saying why" \
	grep -qx '# ok 1 example.second_cpu # SKIP needs 2 CPUs, the machine has 1' "$WORK/raw1"
run run --image "$WORK/os/cm/example.elf" --timeout 20 --smp 1 example.second_cpu
check "...and the harness, told --smp 1, skips it without a boot, saying why" 0 \
	'^SKIP +example.second_cpu .*needs 2 CPUs, --smp is 1$'
run run --image "$KIT" --timeout 20
check "without --smp: all $auto non-manual tests pass, the .cpus = 2 one given 2 CPUs" 0 \
	"^$auto passed, 0 failed, 0 skipped\$" '^PASS +example.second_cpu'
timeout_s=$(sed -n 's/^# # test example\.hangs timeout_s=\([0-9]*\) .*/\1/p' "$WORK/kit.cat")
start=$EPOCHREALTIME
run run --image "$WORK/pc.elf" --timeout 60 example.hangs
took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a }')
check "a manual test runs when named (and hangs, as written): its own .timeout_s, not --timeout" 1 \
	"^TIMEOUT +example.hangs .*no result within $timeout_s s\$"
is "...reported after ${took} s, well before --timeout 60" test "$took" -lt 30

printf '#include "runner/boottest.h"\nBOOT_TEST(example, cleans_up)\n{\n}\n' >"$WORK/os/again.c"
make --no-print-directory -C "$WORK/os" TESTRUNNER_SDK="$WORK/sdk" O="$WORK/os/mk" \
	>"$WORK/kit.log" 2>&1
rc=$?
is "the SDK's make fragment refuses a test defined twice, naming both sources" \
	test $rc != 0 -a -n "$(grep -x 'example.cleans_up is defined twice: again.c, example.c' \
		"$WORK/kit.log")"

cmake --build "$WORK/os/cm" >"$WORK/cmake.log" 2>&1
rc=$?
is "...and so does its CMake package (again.c picked up by the glob)" \
	test $rc != 0 -a -n "$(grep -xF "example.cleans_up is defined twice: $WORK/os/again.c, $WORK/os/example.c" \
		"$WORK/cmake.log")"
# linked anyway (no LTO, the linker told to allow it): the guest names it at run time
# shellcheck disable=SC2046 # pkg-config's output is a list of flags
for f in example again; do
	$cc $(pkg-config --cflags testrunner) -fno-lto -c "$WORK/os/$f.c" -o "$WORK/$f.o" || break
done >"$WORK/pc.log" 2>&1
# shellcheck disable=SC2046
$cc "$WORK/example.o" "$WORK/again.o" $(pkg-config --libs testrunner) \
	-Wl,--allow-multiple-definition -o "$WORK/dup.elf" >>"$WORK/pc.log" 2>&1
run list --image "$WORK/dup.elf" --timeout 20
check "an image linked with a test defined twice refuses to run, naming it and both sources" 2 \
	"example.cleans_up is defined twice: $WORK/os/example.c, $WORK/os/again.c\$"
rm "$WORK/os/again.c"

# --- make EXTRA_TESTS=, a build directory of its own -------------------------------
X=$WORK/extra
tmake O="$X" EXTRA_TESTS="$EXAMPLE" all >"$WORK/make.log" 2>&1
is "make EXTRA_TESTS=$EXAMPLE O=...: builds" test -f "$X/guest/testrunner.elf"
H=$X/host/testrunner-host
run list --timeout 20
check "its harness finds its image as it finds the default one" 0
sort "$WORK/out" >"$WORK/extra.names"
H=$O/host/testrunner-host run list --image "$IMG" --timeout 20
sort -u "$WORK/out" "$WORK/kit.names" >"$WORK/union"
is "...which holds the tree's tests and the example's" cmp -s "$WORK/extra.names" "$WORK/union"

mkdir -p "$WORK/links" "$WORK/dup"
ln -s "$ROOT/$EXAMPLE" "$WORK/links/example"
tmake O="$X" EXTRA_TESTS="$WORK/links" guest >"$WORK/make.log" 2>&1
H=$X/host/testrunner-host run list --timeout 20
sort "$WORK/out" >"$WORK/linked.names"
is "a directory symlink among EXTRA_TESTS is followed" cmp -s "$WORK/linked.names" "$WORK/union"
ln -s "$WORK/nowhere" "$WORK/links/broken"
tmake O="$X" EXTRA_TESTS="$WORK/links" guest >"$WORK/make.log" 2>&1
rc=$?
is "...a broken one is refused, named" \
	test $rc != 0 -a -n "$(grep -F "$WORK/links/broken: broken symbolic link" "$WORK/make.log")"
rm "$WORK/links/broken"
printf '#include "runner/boottest.h"\nBOOT_TEST(example, passes, .cpus = 1)\n{\n}\n' \
	>"$WORK/dup/dup.c"
tmake O="$X" EXTRA_TESTS="$EXAMPLE $WORK/dup" guest >"$WORK/make.log" 2>&1
rc=$?
is "a test defined twice is refused at build time, naming it and both sources" \
	test $rc != 0 -a -n "$(grep -xF "example.passes is defined twice: $WORK/dup/dup.c, $EXAMPLE/example.c" \
		"$WORK/make.log")"
tmake O="$X" EXTRA_TESTS="$WORK/nowhere" guest >"$WORK/make.log" 2>&1
rc=$?
is "EXTRA_TESTS naming no directory: refused, named" \
	test $rc != 0 -a -n "$(grep -F "EXTRA_TESTS: $WORK/nowhere: not a directory" "$WORK/make.log")"

# --- make run ARGS='...' -----------------------------------------------------------
tmake O="$X" EXTRA_TESTS="$EXAMPLE" run ARGS='--timeout 20 --smp 2 example.second_cpu' \
	>"$WORK/out" 2>"$WORK/err"
rc=$?
check "make run ARGS='...': the selectors and options reach the harness" 0 \
	'^1 passed, 0 failed, 0 skipped$'
is "...it ran just that test, on 2 CPUs" \
	test "$(grep -c '^PASS' "$WORK/err")" = 1 -a -n "$(grep -E '^PASS +example.second_cpu' "$WORK/err")"
