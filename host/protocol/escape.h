/* SPDX-License-Identifier: MIT */
/*
 * The guest's text made safe to show: a terminal or a report never gets a
 * raw control character from it (ESC sequences, an OSC title, CR, NUL).
 */
#ifndef HOST_PROTOCOL_ESCAPE_H
#define HOST_PROTOCOL_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* What one byte can become: "\xHH". */
#define ESCAPE_GROWTH 4

/*
 * @len bytes of @src into @dst (room for ESCAPE_GROWTH * @len + 1), every
 * control character but tab, and DEL, as \xHH. Returns the length written.
 */
size_t escape_text(char *dst, const char *src, size_t len);
/* The same written to @f. */
void escape_fputs(FILE *f, const char *s, size_t len);

#endif
