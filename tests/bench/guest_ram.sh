#!/usr/bin/env bash
# The guest's RAM footprint from its ELF: every allocated section (loaded
# image, .bss, stacks, .noinit, TLS blocks), and the largest objects outside
# the loaded image.
set -u
elf=${1:?usage: guest_ram.sh IMAGE.elf}
RE=${CROSS_COMPILE:-aarch64-linux-gnu-}readelf
NM=${CROSS_COMPILE:-aarch64-linux-gnu-}nm
total=0 loaded=0 part=
while read -r name type size flags; do
	[ "$name" = .tbss ] && continue	# only the template; the blocks are .tls_blocks
	case $flags in *A*) ;; *) continue ;; esac
	size=$((16#$size))
	total=$((total + size))
	[ "$type" = NOBITS ] || loaded=$((loaded + size))
	part="$part $name $((size / 1024)) KiB,"
done < <("$RE" -SW "$elf" | sed -n 's/^ *\[ *[0-9]*\] *//p' | awk 'NF >= 7 { print $1, $2, $5, $7 }')
printf 'guest RAM footprint: %d KiB (loaded %d KiB, not loaded: bss, stacks, noinit %d KiB):%s\n' \
	$((total / 1024)) $((loaded / 1024)) $(((total - loaded) / 1024)) "${part%,}"
printf 'largest objects outside the loaded image:'
"$NM" -S --size-sort "$elf" | awk '$3 ~ /^[bB]$/' | tail -5 | sort -k2,2r |
	while read -r _ size _ name; do printf ' %s %d KiB' "$name" $((16#$size / 1024)); done
echo
