#!/bin/sh
# SPDX-License-Identifier: MIT
# Before linking an image: list the boot tests its objects define (the
# boot_test.<suite>.<case> symbols of runner/boottest.h), one per line, and
# refuse a name defined twice, naming the sources (from each object's .d file
# when the build wrote one, else the object).
#
#   boottest-names.sh NM OBJECT...      NM: an nm that reads the objects
#                                       (gcc-nm for LTO objects)
set -eu
[ $# -ge 1 ] || { echo "usage: $0 NM OBJECT..." >&2; exit 2; }
nm=$1
shift
[ $# -ge 1 ] || exit 0

syms=$("$nm" -A --defined-only --quiet "$@") || {
	echo "boottest-names: $nm failed" >&2
	exit 2
}

# object -> its source: the first prerequisite in its dependency file (x.d
# for x.o as gcc -MMD names it, x.o.d as CMake does)
source_of() {
	for d in "${1%.o}.d" "$1.d"; do
		[ -f "$d" ] || continue
		s=$(awk '{ for (i = 1; i <= NF; i++) {
			if (!target) { target = $i ~ /:$/; continue }
			if ($i != "\\") { print $i; exit } } }' "$d")
		[ -n "$s" ] && { echo "$s"; return; }
	done
	echo "$1"
}

# "object name" pairs, sorted by name
pairs=$(printf '%s\n' "$syms" | sed -n 's/^\(.*\):[0-9a-fA-F]* [A-Za-z] boot_test\.\(.*\)$/\1 \2/p' |
	sort -k2,2 -s)
dups=$(printf '%s\n' "$pairs" | awk 'NF == 2 { print $2 }' | uniq -d)
if [ -n "$dups" ]; then
	for name in $dups; do
		files=$(printf '%s\n' "$pairs" | awk -v n="$name" '$2 == n { print $1 }' |
			while read -r o; do source_of "$o"; done | paste -sd, - | sed 's/,/, /g')
		echo "$name is defined twice: $files" >&2
	done
	exit 1
fi
printf '%s\n' "$pairs" | awk 'NF == 2 { print $2 }'
