/* SPDX-License-Identifier: MIT */
/*
 * tty_screen: what a terminal would show of a session captured under a
 * pseudo-terminal (`script`), one screen line per output line.
 *
 *   tty_screen < TYPESCRIPT
 *
 * '\r' moves to column 0, '\n' ends the line, '\b' steps back, a tab moves
 * to the next multiple of 8; ESC [ ... K erases to the end of the line and
 * every other ESC [ sequence (colour) is dropped; other bytes are written
 * over what the line held. The line the cursor is on at the end is printed
 * too, when it holds anything. Trailing spaces (an erased status line) are
 * dropped. No wrapping: the status line is cut to the width by the harness.
 * Exit: 0, or 2 on a line longer than 64 KiB.
 */
#include <stdio.h>
#include <string.h>

#define LINE_MAX_COLS (64 * 1024)

static char line[LINE_MAX_COLS + 1];
static size_t col, end;

static void emit(void)
{
	while (end && line[end - 1] == ' ')
		end--;
	fwrite(line, 1, end, stdout);
	fputc('\n', stdout);
	col = end = 0;
}

/* After ESC: a CSI sequence up to its final byte; K erases to the end of the line. */
static void escape(void)
{
	int c = getchar(), mode = 0;

	if (c != '[')
		return;
	while ((c = getchar()) != EOF && (c < 0x40 || c > 0x7e))
		if (c >= '0' && c <= '9')
			mode = mode * 10 + (c - '0');
	if (c == 'K' && mode == 0)
		end = col < end ? col : end;
	else if (c == 'K' && mode == 2)
		memset(line, ' ', end);
}

int main(void)
{
	int c;

	while ((c = getchar()) != EOF) {
		switch (c) {
		case '\r':
			col = 0;
			break;
		case '\n':
			emit();
			break;
		case '\b':
			col -= col > 0;
			break;
		case '\033':
			escape();
			break;
		case '\t':
			col = (col / 8 + 1) * 8;
			if (col >= LINE_MAX_COLS)
				return 2;
			break;
		default:
			if (col >= LINE_MAX_COLS)
				return 2;
			while (end < col)
				line[end++] = ' ';
			line[col++] = (char)c;
			end = col > end ? col : end;
			break;
		}
	}
	if (end)
		emit();
	return 0;
}
