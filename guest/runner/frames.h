/* SPDX-License-Identifier: MIT */
/*
 * Guest -> host frame stream: log text packed into full 64-byte log frames
 * (62 payload bytes each), then one result frame. Portable.
 */
#ifndef RUNNER_FRAMES_H
#define RUNNER_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include <testrunner/protocol.h>

struct frame_sink {
	/* Queue whole frames; returns 0 or a negative errno. */
	int (*write)(void *ctx, const void *frames, size_t len);
	/* Make everything queued so far visible to the host now. */
	int (*kick)(void *ctx);
	void *ctx;
};

/*
 * Whole frames are staged and handed to the sink FRAMES_BATCH at a time (and
 * at every kick): the sink's per-call checks, paid per 64-byte frame, were a
 * large share of the log channel's cost in the guest (docs/performance.md).
 */
#define FRAMES_BATCH 16

struct frame_writer {
	struct frame_sink sink;
	/* whole frames, then the frame being filled at batch + batched */
	uint8_t batch[FRAMES_BATCH * PROTO_FRAME_SIZE];
	size_t batched;		/* bytes of whole frames waiting in batch */
	size_t pending;		/* payload bytes in the frame being filled */
	int error;		/* first sink error; later output is dropped */
	uint64_t payload_bytes; /* log payload handed to the sink */
};

void frames_init(struct frame_writer *fw, const struct frame_sink *sink);

/* Append log text; full frames go to the sink FRAMES_BATCH at a time. */
void frames_log(struct frame_writer *fw, const char *text, size_t len);

/* Send the partly filled frame, if any, and kick. Returns fw->error. */
int frames_flush(struct frame_writer *fw);

/* Flush the log, then send the result frame (always the last) and kick. */
int frames_result(struct frame_writer *fw, enum proto_status status);

#endif
