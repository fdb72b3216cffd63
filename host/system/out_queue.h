/* SPDX-License-Identifier: MIT */
/*
 * The guest's log on its way to stdout, queued and written only when fd 1
 * can take it: a reader that stalls never blocks the poll loop, so signals
 * and deadlines still act; past a bound the queue asks the boots to wait.
 */
#ifndef HOST_SYSTEM_OUT_QUEUE_H
#define HOST_SYSTEM_OUT_QUEUE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

/* Queued bytes beyond which the boots' channels are not read. */
#define OUT_QUEUE_HIGH (1024 * 1024)

/* Append @len bytes (dropped once a write has failed). */
void out_queue_write(const void *data, size_t len);
/* More than OUT_QUEUE_HIGH bytes wait: stop reading what would add to it. */
bool out_queue_congested(void);
/* Fill @pfd for fd 1 when bytes wait; returns 1, else 0. */
int out_queue_pollfd(struct pollfd *pfd);
/* After poll(): write what fd 1 takes without blocking. */
void out_queue_step(const struct pollfd *pfd);
/* Write what fd 1 takes right now (poll with no wait), e.g. before a stderr line. */
void out_queue_flush_ready(void);
/*
 * At the end: wait until everything is written, a write fails or a
 * terminating signal arrives (then the rest is dropped). Returns 0 or the
 * first write error as -errno.
 */
int out_queue_drain(void);
/* stdout is a terminal and what was written of it ends inside a line. */
bool out_queue_mid_line(void);
/* That line was ended for the eye by a '\n' on stderr (the same terminal). */
void out_queue_line_ended(void);
/* The first write error as -errno, or 0. */
int out_queue_error(void);

#endif
