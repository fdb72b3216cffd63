/* SPDX-License-Identifier: MIT */
/* The frame-record chain of a stopped CPU, read defensively (a hang report's backtrace). */
#include "machine/frame_walk.h"

/* A record is two 8-byte words; its address is 8-aligned at least (AAPCS64). */
#define RECORD_BYTES 16

static bool in_ram(const struct frame_mem *m, uint64_t a, uint64_t len)
{
	return a >= m->lo && a < m->hi && m->hi - a >= len;
}

size_t frame_walk(const struct frame_mem *m, uint64_t fp, uint64_t *ret, size_t max,
		  const char **why)
{
	uint64_t prev = 0;
	size_t n = 0;

	if (max > FRAME_WALK_MAX)
		max = FRAME_WALK_MAX;
	for (;;) {
		uint64_t w[2];

		if (!fp) {
			*why = "end of the chain";
			return n;
		}
		if (n == max) {
			*why = "depth limit";
			return n;
		}
		if (fp & 7) {
			*why = "frame pointer not 8-byte aligned";
			return n;
		}
		if (!in_ram(m, fp, RECORD_BYTES)) {
			*why = "frame pointer outside RAM";
			return n;
		}
		/* the stack grows down: each caller's record is above its callee's */
		if (n && fp <= prev) {
			*why = "frame pointer not above the previous one";
			return n;
		}
		if (m->read2(m->ctx, fp, w)) {
			*why = "frame record unreadable";
			return n;
		}
		/* the outermost record of our entry code has a zero return address */
		if (!w[1]) {
			*why = "end of the chain";
			return n;
		}
		if (!in_ram(m, w[1], 4) || (w[1] & 3)) {
			*why = "return address outside RAM or misaligned";
			return n;
		}
		ret[n++] = w[1];
		prev = fp;
		fp = w[0];
	}
}
