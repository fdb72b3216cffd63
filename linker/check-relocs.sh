#!/bin/sh
# SPDX-License-Identifier: MIT
# Fails the guest link unless every dynamic relocation (readelf -W -r on
# stdin) is one entry.S applies correctly: R_AARCH64_RELATIVE with an addend
# inside the image [$1, $2] (hex link addresses), or a discarded NONE.
awk -v lo="$1" -v hi="$2" '
function hex(s,  i, v) {
	v = 0; s = tolower(s); sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
$3 == "R_AARCH64_NONE" { next }
$3 == "R_AARCH64_RELATIVE" {
	a = hex($NF)
	if (a < hex(lo) || a > hex(hi)) { printf "relocation at %s: addend 0x%s outside the image\n", $1, $NF; bad = 1 }
	next
}
$3 ~ /^R_AARCH64_/ { printf "relocation at %s: %s, which entry.S does not apply\n", $1, $3; bad = 1 }
END { exit bad }' >&2 || { echo "check-relocs: the image would break when loaded away from its link address" >&2; exit 1; }
