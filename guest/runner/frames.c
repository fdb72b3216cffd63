/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/* Packing log text into Trusty-compatible 64-byte frames (portable). */
#include <string.h>

#include "runner/frames.h"

void frames_init(struct frame_writer *fw, const struct frame_sink *sink)
{
	memset(fw, 0, sizeof(*fw));
	fw->sink = *sink;
}

/* Hand the whole frames staged so far to the sink. */
static void write_batch(struct frame_writer *fw)
{
	size_t n = fw->batched;
	int rc;

	/* emptied even after an error: the batch must never overflow */
	fw->batched = 0;
	if (!n || fw->error)
		return;
	rc = fw->sink.write(fw->sink.ctx, fw->batch, n);
	if (rc)
		fw->error = rc;
}

/* The frame at batch + batched is complete. */
static void frame_done(struct frame_writer *fw)
{
	fw->batched += PROTO_FRAME_SIZE;
	if (fw->batched == sizeof(fw->batch))
		write_batch(fw);
}

static void emit_pending(struct frame_writer *fw)
{
	uint8_t *f = fw->batch + fw->batched;

	if (!fw->pending)
		return;
	f[0] = PROTO_FRAME_LOG;
	f[1] = (uint8_t)fw->pending;
	memset(f + 2 + fw->pending, 0, PROTO_LOG_MAX - fw->pending);
	fw->payload_bytes += fw->pending;
	fw->pending = 0;
	frame_done(fw);
}

void frames_log(struct frame_writer *fw, const char *text, size_t len)
{
	while (len) {
		size_t room = PROTO_LOG_MAX - fw->pending;
		size_t n = len < room ? len : room;

		/* after a sink error the text is dropped, as documented */
		if (!fw->error)
			memcpy(fw->batch + fw->batched + 2 + fw->pending, text, n);
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

	write_batch(fw);
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
	emit_pending(fw);
	proto_encode_result(fw->batch + fw->batched, status);
	frame_done(fw);
	return kick(fw);
}
