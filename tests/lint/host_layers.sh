#!/usr/bin/env bash
# The host's layers as the tree shows them: each folder of host/ includes
# only its own layer and those below it (protocol -> system -> machine ->
# scheduling -> reports -> commands -> main.c), no module includes itself
# back through another (no circles), no include climbs out with "../", and
# no host file is over 480 lines (a file that long is asking to be split;
# machine/session.c, which keeps struct session private, is the one near it);
# the scheduler's internal header stays inside its layer.
set -u
cd "$(dirname "$0")/../.." || exit 1
layers=(protocol system machine scheduling reports commands)
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
rank() {	# rank LAYER: its place in the order, 99 for main.c, -1 unknown
	for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }; done
	echo -1
}

echo "1..5"

files=$(find host -path host/rpmb -prune -o -name '*.[ch]' -print | sort)
[ -n "$files" ] || { echo "not ok 1 - no host sources"; exit 1; }

bad=""
for f in $files; do
	dir=${f#host/}; dir=${dir%%/*}
	[ "$dir" = main.c ] && me=99 || me=$(rank "$dir")
	[ "$me" -ge 0 ] || { bad="$bad $f(not in a layer)"; continue; }
	while read -r inc; do
		lay=${inc%%/*}
		[ "$lay" = "$inc" ] && { bad="$bad $f->$inc(no layer)"; continue; }
		r=$(rank "$lay")
		if [ "$r" -lt 0 ] || [ "$r" -gt "$me" ]; then bad="$bad $f->$inc"; fi
	done < <(sed -nE 's/^#include "([^"]+)".*/\1/p' "$f")
done
[ -z "$bad" ] && ok "every host include points to its own layer or one below" ||
	not_ok "includes that go up or sideways:$bad"

# module graph: A -> B when A.c or A.h includes B.h; tsort finds any circle
graph=$(for f in $files; do
	m=${f%.*}
	sed -nE 's/^#include "([^"]+)\.h".*/\1/p' "$f" | while read -r inc; do
		[ "host/$inc" != "$m" ] && echo "$m host/$inc"
	done
done)
loops=$(echo "$graph" | tsort 2>&1 >/dev/null)
[ -z "$loops" ] && ok "no circle between host modules" || not_ok "circles: $loops"

ups=$(grep -rlE '^#include "\.\./' host guest include 2>/dev/null)
[ -z "$ups" ] && ok "no include climbs out with ../" || not_ok "../ includes in: $ups"

# a layer's internals stay inside it: the scheduler's state is not for commands
inner=$(grep -lE '^#include "scheduling/runner\.h"' $(echo "$files" | grep -v '^host/scheduling/'))
[ -z "$inner" ] && ok "scheduling/runner.h is included only inside scheduling/" ||
	not_ok "scheduling/runner.h included from: $inner"

big=$(for f in $files; do [ "$(wc -l <"$f")" -gt 480 ] && echo "$f"; done)
[ -z "$big" ] && ok "no host file over 480 lines" || not_ok "too long: $big"
