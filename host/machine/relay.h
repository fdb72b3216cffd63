/* SPDX-License-Identifier: MIT */
/*
 * The guest's output copied to stdout: the log in whole lines (parallel
 * boots share stdout, and the per-test lines on stderr must not land inside
 * a log line), a secondary OS's UART as it comes.
 */
#ifndef HOST_MACHINE_RELAY_H
#define HOST_MACHINE_RELAY_H

#include <stdbool.h>
#include <stddef.h>

/* Lines up to this long reach stdout whole; a longer one is passed on in pieces. */
#define RELAY_LINE_MAX (64 * 1024)

struct line_relay {
	char buf[RELAY_LINE_MAX];
	size_t len;
	const char *prefix; /* put before each line (a terminal under -j: "[2] "); NULL none */
	bool mid_line;	    /* the last bytes queued did not end a line */
};

void relay_init(struct line_relay *r);
/* Each line from now on starts with @prefix (NULL: none); it must outlive the relay. */
void relay_set_prefix(struct line_relay *r, const char *prefix);
/* Copy @len bytes; a line is queued for stdout once its '\n' has arrived. */
void relay_write(struct line_relay *r, const char *data, size_t len);
/* Queue what is held of an unfinished line. */
void relay_flush(struct line_relay *r);

/* Bytes as they were relayed, for whoever watches them (may be NULL). */
typedef void (*relay_watch_fn)(void *ctx, const char *data, size_t len);

/* Read what a non-blocking @fd holds, queue it for stdout as it comes when
 * @to_stdout, append it to @copy_fd (-1: none) and show it to @watch (may be
 * NULL); false at its end. */
bool relay_fd(int fd, bool to_stdout, int copy_fd, relay_watch_fn watch, void *ctx);

#endif
