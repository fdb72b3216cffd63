// SPDX-License-Identifier: MIT
/* Packing log text into Trusty-compatible 64-byte frames (portable). */
#include <string.h>

#include "runner/frames.h"

void frames_init(struct frame_writer *fw, const struct frame_sink *sink)
{
	memset(fw, 0, sizeof(*fw));
	fw->sink = *sink;
}

static void emit(struct frame_writer *fw, const uint8_t *frame)
{
	int rc;

	if (fw->error)
		return;
	rc = fw->sink.write(fw->sink.ctx, frame, PROTO_FRAME_SIZE);
	if (rc)
		fw->error = rc;
}

static void emit_pending(struct frame_writer *fw)
{
	if (!fw->pending)
		return;
	fw->frame[0] = PROTO_FRAME_LOG;
	fw->frame[1] = (uint8_t)fw->pending;
	memset(fw->frame + 2 + fw->pending, 0, PROTO_LOG_MAX - fw->pending);
	emit(fw, fw->frame);
	fw->payload_bytes += fw->pending;
	fw->pending = 0;
}

void frames_log(struct frame_writer *fw, const char *text, size_t len)
{
	while (len) {
		size_t room = PROTO_LOG_MAX - fw->pending;
		size_t n = len < room ? len : room;

		memcpy(fw->frame + 2 + fw->pending, text, n);
		fw->pending += n;
		text += n;
		len -= n;
		if (fw->pending == PROTO_LOG_MAX)
			emit_pending(fw);
	}
}

static int kick(struct frame_writer *fw)
{
	int rc;

	if (fw->error)
		return fw->error;
	rc = fw->sink.kick(fw->sink.ctx);
	if (rc)
		fw->error = rc;
	return fw->error;
}

int frames_flush(struct frame_writer *fw)
{
	emit_pending(fw);
	return kick(fw);
}

int frames_result(struct frame_writer *fw, enum proto_status status)
{
	uint8_t frame[PROTO_FRAME_SIZE];

	emit_pending(fw);
	proto_encode_result(frame, status);
	emit(fw, frame);
	return kick(fw);
}
