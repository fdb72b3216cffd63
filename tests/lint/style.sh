#!/usr/bin/env bash
# House style, held in make check: every C, assembly and linker source starts
# with the one SPDX line, and every C source is as clang-format (the repository's
# .clang-format) writes it. Run from the top of the tree.
set -u
mapfile -t srcs < <(git ls-files '*.c' '*.h' '*.S' '*.ld' 2>/dev/null)
if [ ${#srcs[@]} -eq 0 ]; then	# not a git checkout: every file in the tree
	mapfile -t srcs < <(find guest host include linker tests \
		\( -name '*.c' -o -name '*.h' -o -name '*.S' -o -name '*.ld' \) | sort)
fi
echo 1..2
bad=()
for f in "${srcs[@]}"; do
	[ "$(head -1 "$f")" = '/* SPDX-License-Identifier: MIT */' ] || bad+=("$f")
done
if [ ${#bad[@]} -eq 0 ]; then
	echo "ok 1 - ${#srcs[@]} sources start with /* SPDX-License-Identifier: MIT */"
else
	echo "not ok 1 - ${#bad[@]} sources without the SPDX line:"
	printf '#   %s\n' "${bad[@]}"
fi
unformatted=()
for f in "${srcs[@]}"; do
	case "$f" in *.c | *.h) ;; *) continue ;; esac
	clang-format --style=file "$f" | cmp -s - "$f" || unformatted+=("$f")
done
if [ ${#unformatted[@]} -eq 0 ]; then
	echo "ok 2 - C sources are clang-format clean"
else
	echo "not ok 2 - ${#unformatted[@]} C sources differ from clang-format's output" \
		"(clang-format -i FILE):"
	printf '#   %s\n' "${unformatted[@]}"
fi
