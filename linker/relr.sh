#!/bin/sh
# SPDX-License-Identifier: MIT
# Packs the guest's relocations (readelf -W -r on stdin) into RELR form, as
# assembly on stdout: an even word is the link address of a word to relocate,
# an odd one a bitmap whose bit i (1-63) relocates the (i-1)-th word after the
# last one covered; zeros fill the rest of ARCH_RELR_MAX. Fails unless every
# relocation is one entry.S can apply this way: R_AARCH64_RELATIVE, 8-byte
# aligned, with an addend inside the image [$1, $2] (hex link addresses), or a
# discarded NONE. A constant the link marked relative would otherwise move
# with the load address.
awk -v lo="$1" -v hi="$2" '
function hex(s,  i, v) {
	v = 0; s = tolower(s); sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
function bad(why) { printf "relr: relocation at %s: %s\n", $1, why >"/dev/stderr"; err = 1 }
$3 == "R_AARCH64_NONE" { next }
$3 == "R_AARCH64_RELATIVE" {
	a = hex($NF); o = hex($1)
	if (a < hex(lo) || a > hex(hi)) bad("addend 0x" $NF " outside the image")
	else if (o % 8) bad("not 8-byte aligned")
	else off[n++] = o
	next
}
$3 ~ /^R_AARCH64_/ { bad($3 ", which entry.S does not apply") }
END {
	if (err) {
		print "relr: the image would break when loaded away from its link address" >"/dev/stderr"
		exit 1
	}
	# insertion sort: a few hundred entries at most
	for (i = 1; i < n; i++) {
		v = off[i]
		for (j = i - 1; j >= 0 && off[j] > v; j--) off[j + 1] = off[j]
		off[j + 1] = v
	}
	print "#include \"arch/aarch64/layout.h\""
	print "\t.data"
	print "relr_start:"
	for (i = 0; i < n; ) {
		printf "\t.quad 0x%x\n", off[i]
		where = off[i++] + 8
		for (;;) {
			bits = ""
			while (i < n && off[i] < where + 63 * 8) {
				bits = bits sprintf(" | (1 << %d)", (off[i] - where) / 8 + 1)
				i++
			}
			if (bits == "") break
			print "\t.quad 1" bits
			where += 63 * 8
		}
	}
	print "\t.if (. - relr_start) > ARCH_RELR_MAX"
	print "\t.error \"packed relocations larger than ARCH_RELR_MAX (arch/aarch64/layout.h)\""
	print "\t.endif"
	print "\t.fill ARCH_RELR_MAX - (. - relr_start), 1, 0"
}'
