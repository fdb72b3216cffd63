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
#include <stdio.h>

#define RELAY_BUF_SIZE 4096

struct line_relay {
	FILE *out;
	char buf[RELAY_BUF_SIZE];
	size_t len;
};

void relay_init(struct line_relay *r, FILE *out);
/* Copy @len bytes; a line is written once its '\n' has arrived. */
void relay_write(struct line_relay *r, const char *data, size_t len);
/* Write what is held of an unfinished line. */
void relay_flush(struct line_relay *r);

/* Copy what a non-blocking @fd holds to @out as it comes; false at its end. */
bool relay_fd(FILE *out, int fd);

#endif
