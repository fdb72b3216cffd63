/* SPDX-License-Identifier: MIT */
/*
 * A secondary OS's console watched line by line for two regular
 * expressions: one it must show (--expect), one it must not (--fail-on).
 */
#ifndef HOST_PROTOCOL_CONSOLE_MATCH_H
#define HOST_PROTOCOL_CONSOLE_MATCH_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

/* Longer lines are matched on their first this many bytes. */
#define CONSOLE_LINE_MAX 1024

struct console_match {
	regex_t expect, fail_on;
	bool have_expect, have_fail_on;
	bool expected; /* a line matched --expect */
	bool failed;   /* a line matched --fail-on: the first one is in @failed_line */
	char failed_line[CONSOLE_LINE_MAX];
	char line[CONSOLE_LINE_MAX];
	size_t len;
	bool overlong; /* the current line went past CONSOLE_LINE_MAX */
};

/*
 * POSIX extended expressions, either NULL or "" for none. 0, or -EINVAL
 * with the reason in @err.
 */
int console_match_init(struct console_match *m, const char *expect, const char *fail_on, char *err,
		       size_t errlen);
/* Console bytes as they come, split into lines here (a '\r' before '\n' is dropped). */
void console_match_feed(struct console_match *m, const char *data, size_t len);
/* The console ended: an unfinished last line is matched too. */
void console_match_end(struct console_match *m);
void console_match_free(struct console_match *m);

#endif
