/* SPDX-License-Identifier: MIT */
/*
 * An AArch64 frame-record chain walked in guest memory: x29 points at
 * {previous x29, return address}, each record above the last (AAPCS64
 * 6.4.6). Nothing read is trusted: every pointer is checked before use.
 */
#ifndef HOST_MACHINE_FRAME_WALK_H
#define HOST_MACHINE_FRAME_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Frames followed at most: a loop or a smashed stack ends here. */
#define FRAME_WALK_MAX 16

/* Where the walk may read, and how. */
struct frame_mem {
	uint64_t lo, hi; /* RAM: [lo, hi) */
	/* The two words at @addr (16 bytes, 8-aligned, inside RAM); 0 or -errno. */
	int (*read2)(void *ctx, uint64_t addr, uint64_t w[2]);
	void *ctx;
};

/*
 * The return addresses of the records from @fp on, at most @max (and at
 * most FRAME_WALK_MAX): how many, with why it stopped in *@why ("end of
 * the chain" when a record says so, else the first check that failed).
 */
size_t frame_walk(const struct frame_mem *m, uint64_t fp, uint64_t *ret, size_t max,
		  const char **why);

#endif
