/* SPDX-License-Identifier: MIT */
/*
 * Streaming parser for the guest's 64-byte frames: bytes arrive in any
 * chunking (split or coalesced), frames come out whole.
 */
#ifndef HOST_FRAMES_H
#define HOST_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <testrunner/protocol.h>

/* Called with each log frame's payload (1..PROTO_LOG_MAX bytes, or 0). */
typedef void (*frame_log_fn)(void *ctx, const char *data, size_t len);

struct frame_parser {
	uint8_t partial[PROTO_FRAME_SIZE];
	size_t fill;	 /* bytes of an incomplete frame in @partial */
	uint64_t offset; /* stream bytes consumed so far */
	uint64_t frames; /* whole frames parsed */
	bool done;	 /* the result frame was seen */
	int status;	 /* its status byte */
	int error;	 /* sticky: first protocol violation */
	char why[96];	 /* that violation in words */
};

void frame_parser_init(struct frame_parser *p);

/*
 * Feed @len stream bytes. Log payloads go to @fn as they complete.
 * Returns 0 while more frames are expected, 1 once the result frame has been
 * parsed, or a negative error for a protocol violation (p->why says which):
 * -EPROTO unknown frame type, bad status or bytes after the result frame,
 * -EMSGSIZE a log size byte over PROTO_LOG_MAX. Errors are sticky.
 */
int frame_feed(struct frame_parser *p, const void *data, size_t len, frame_log_fn fn, void *ctx);

/* True when a frame is partly received (the stream stopped mid-frame). */
static inline bool frame_parser_mid_frame(const struct frame_parser *p)
{
	return p->fill != 0;
}

#endif
