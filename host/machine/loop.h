/* SPDX-License-Identifier: MIT */
/*
 * The one poll loop every command drives its boots with: the sessions'
 * descriptors, the signal self-pipe and the nearest deadline; SIGINT and
 * SIGTERM stop every boot.
 */
#ifndef HOST_MACHINE_LOOP_H
#define HOST_MACHINE_LOOP_H

#include <stddef.h>

#include "machine/session.h"

/* The most descriptors the layers above may add to one wait. */
#define LOOP_EXTRA_FDS_MAX 8

/*
 * Children other than the boots that the loop waits on for the layers above
 * (addr2line for a crash report), so that they never wait on their own.
 */
struct loop_extra {
	void *ctx;
	/* Fill up to @max descriptors and *deadline (0: none); return how many. */
	int (*pollfds)(void *ctx, struct pollfd *pfd, int max, uint64_t *deadline);
	/* After poll(): the descriptors as filled, revents set, at @now. */
	void (*step)(void *ctx, const struct pollfd *pfd, int n, uint64_t now);
};

/*
 * Wait until a descriptor is ready, a signal arrives or the nearest deadline
 * passes, then step every session in @v (NULL entries are skipped) and
 * @extra (may be NULL). Returns 0, or -errno when poll() itself failed.
 */
int machine_poll(struct session *const *v, size_t n, const struct loop_extra *extra);

#endif
