/* SPDX-License-Identifier: MIT */
/* Frame-stream reassembly for testrunner0; every byte the guest sends is checked here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "protocol/frames.h"

void frame_parser_init(struct frame_parser *p)
{
	memset(p, 0, sizeof(*p));
}

static int violation(struct frame_parser *p, int err, const char *fmt, unsigned int v)
{
	snprintf(p->why, sizeof(p->why), fmt, v, (unsigned long long)p->offset);
	p->error = err;
	return err;
}

/* One whole frame at @f; p->offset is its first byte. */
static int frame_one(struct frame_parser *p, const uint8_t *f, frame_log_fn fn, void *ctx)
{
	switch (f[0]) {
	case PROTO_FRAME_LOG:
		if (f[1] > PROTO_LOG_MAX)
			return violation(p, -EMSGSIZE, "log frame size %u > 62 at byte %llu", f[1]);
		if (fn && f[1])
			fn(ctx, (const char *)f + 2, f[1]);
		return 0;
	case PROTO_FRAME_RESULT:
		if (f[1] > PROTO_STATUS_ERROR)
			return violation(p, -EPROTO, "result status %u unknown at byte %llu", f[1]);
		p->done = true;
		p->status = f[1];
		return 1;
	default:
		return violation(p, -EPROTO, "unknown frame type %u at byte %llu", f[0]);
	}
}

int frame_feed(struct frame_parser *p, const void *data, size_t len, frame_log_fn fn, void *ctx)
{
	const uint8_t *in = data;
	int ret;

	if (p->error)
		return p->error;
	while (len) {
		const uint8_t *f;

		if (p->done)
			return violation(p, -EPROTO,
					 "%u byte(s) after the result frame at byte %llu",
					 len > 0xffff ? 0xffff : (unsigned int)len);
		if (p->fill == 0 && len >= PROTO_FRAME_SIZE) {
			/* fast path: a whole frame straight from the input */
			f = in;
			in += PROTO_FRAME_SIZE;
			len -= PROTO_FRAME_SIZE;
		} else {
			size_t n = PROTO_FRAME_SIZE - p->fill;

			if (n > len)
				n = len;
			memcpy(p->partial + p->fill, in, n);
			p->fill += n;
			in += n;
			len -= n;
			if (p->fill < PROTO_FRAME_SIZE)
				break;
			p->fill = 0;
			f = p->partial;
		}
		ret = frame_one(p, f, fn, ctx);
		if (ret < 0)
			return ret;
		p->frames++;
		p->offset += PROTO_FRAME_SIZE;
	}
	return p->done ? 1 : 0;
}
