#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make check-ktap-parser: the harness's --ktap read by the kernel's own KTAP
# parser (tools/testing/kunit/kunit.py parse, from Debian's linux-source-6.1,
# unpacked into $O/kunit/), on real runs: an all-pass suite, a failing test,
# a crash, a hang, a skip (real QEMU), and a guest's nested subtests with a
# failing one (the fake guest). Each test's verdict in the parser's JSON
# must be the harness's own (its --json); the subtests the guest's. Not part
# of make check: it needs the 130 MB kernel source package.
set -u
. "$(dirname "$0")/../e2e/lib.sh"
E2E_TIMEOUT=120
SRC=/usr/src/linux-source-6.1.tar.xz
KDIR=$(realpath -m "$O/kunit")
KUNIT=$KDIR/tools/testing/kunit/kunit.py
n=0

[ -x "$H" ] && [ -f "$IMG" ] || { echo "1..1"; not_ok "no harness or image in $O (make)"; exit 1; }
if [ ! -f "$KUNIT" ]; then
	[ -f "$SRC" ] || { echo "1..1"; not_ok "no $SRC (apt-get install linux-source-6.1)"; exit 1; }
	mkdir -p "$KDIR"
	tar -xJf "$SRC" -C "$KDIR" --strip-components=1 --wildcards 'linux-source-6.1/tools/testing/kunit/*' ||
		{ echo "1..1"; not_ok "cannot unpack tools/testing/kunit from $SRC"; exit 1; }
fi

# verdicts NAME KTAP HARNESS_JSON [SUBTESTS]: the parser's verdict for each of
# the harness's tests (PASS, SKIP; FAIL for FAIL, CRASH and TIMEOUT), and for
# SUBTESTS ("test:sub=STATUS ..."), what the guest said; one TAP line each
verdicts() {
	local name=$1 ktap=$2 json=$3 subs=${4:-}
	python3 "$KUNIT" parse --json="$WORK/kunit.json" "$ktap" >"$WORK/kunit.out" 2>&1
	echo "# $name: kunit.py parse exit $?: $(tail -1 "$WORK/kunit.out")"
	local verdict title
	while IFS='|' read -r verdict title; do
		case $verdict in
		ok) ok "$title" ;;
		"#") echo "# $title" ;;
		*) not_ok "$title" ;;
		esac
	done < <(python3 - "$WORK/kunit.json" "$json" "$name" $subs <<'PY'
import json, sys

kunit, harness, name, subs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
try:
    tree = json.load(open(kunit))
except (OSError, ValueError) as e:
    tree = {}
    print(f"#|{name}: the parser wrote no JSON: {e}")

# every case and group of the parser's tree by name: its status
seen = {}
def walk(group, parent):
    for case in group.get("test_cases", []):
        seen[(parent, case["name"])] = case["status"]
        seen.setdefault((None, case["name"]), case["status"])
    for sub in group.get("sub_groups", []):
        seen.setdefault((None, sub["name"]), "FAIL" if any(
            c.get("status") == "FAIL" for c in sub.get("test_cases", [])) else "PASS")
        walk(sub, sub["name"])
walk(tree, None)

want = {"PASS": "PASS", "SKIP": "SKIP", "FAIL": "FAIL", "CRASH": "FAIL", "TIMEOUT": "FAIL"}
results = []
for line in open(harness):
    rec = json.loads(line)
    got = seen.get((None, rec["name"]))
    results.append((f"{name}: {rec['name']} ({rec['status']})", want.get(rec["status"]), got))
for s in subs:
    test, rest = s.split(":", 1)
    sub, status = rest.split("=")
    got = seen.get((test, sub))
    results.append((f"{name}: {test} subtest {sub} ({status}, as the guest said)", status, got))
for title, exp, got in results:
    print(("ok" if exp == got else "not ok") + f"|{title}: the parser says {got}")
if not results:
    print(f"not ok|{name}: the harness's --json has no test")
PY
	)
}

# real QEMU, an all-pass suite: the parser exits 0 too
run -- run -j 2 --ktap "$WORK/pass.ktap" --json "$WORK/pass.json" selftest
check "selftest, all pass: exit 0" 0
python3 "$KUNIT" parse "$WORK/pass.ktap" >/dev/null 2>&1
is "selftest, all pass: kunit.py parse exits 0" test $? = 0
verdicts selftest "$WORK/pass.ktap" "$WORK/pass.json"

# real QEMU: a failure, a crash, a hang and a skip
run -- run -j 2 --timeout 4 --ktap "$WORK/bad.ktap" --json "$WORK/bad.json" \
	fixture.pass fixture.fail fixture.crash fixture.hang fixture_setup_skips.only
check "fail, crash, hang, skip: exit 1" 1
python3 "$KUNIT" parse "$WORK/bad.ktap" >/dev/null 2>&1
is "fail, crash, hang, skip: kunit.py parse exits non-zero" test $? != 0
verdicts fixture "$WORK/bad.ktap" "$WORK/bad.json"

# a guest's nested KTAP (the fake guest's a.nested: sub_a ok, sub_b not ok)
use_fake_guest
run FAKE_TESTS="a.nested a.ok a.skip" -- run --image "$IMG" --qemu "$F" --timeout 2 \
	--ktap "$WORK/nested.ktap" --json "$WORK/nested.json" a
check "nested subtests: exit 1" 1
verdicts nested "$WORK/nested.ktap" "$WORK/nested.json" "a.nested:sub_a=PASS a.nested:sub_b=FAIL"
echo "1..$n"
