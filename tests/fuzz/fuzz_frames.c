/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the host's frame-stream parser (host/protocol/frames.c) fed the same
 * stream in fuzzer-chosen chunkings, checked against a whole-frame oracle.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "protocol/frames.h"

#define STREAM_MAX 8192

struct sink {
	uint8_t buf[STREAM_MAX];
	size_t len;
	size_t calls;
};

static void on_log(void *ctx, const char *data, size_t len)
{
	struct sink *s = ctx;

	/* the parser promises 1..62 bytes per call */
	if (len == 0 || len > PROTO_LOG_MAX || s->len + len > sizeof(s->buf))
		__builtin_trap();
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	s->calls++;
}

/* What the stream means, computed frame by frame without any chunking. */
struct verdict {
	int rc; /* final frame_feed() result */
	uint64_t frames;
	bool done;
	int status;
	bool mid_frame;
	struct sink log;
};

static void oracle(const uint8_t *d, size_t n, struct verdict *v)
{
	size_t off = 0;

	memset(v, 0, sizeof(*v));
	while (off < n) {
		const uint8_t *f = d + off;

		if (v->done) {
			v->rc = -EPROTO;
			return;
		}
		if (n - off < PROTO_FRAME_SIZE) {
			v->mid_frame = true;
			break;
		}
		if (f[0] == PROTO_FRAME_LOG && f[1] <= PROTO_LOG_MAX) {
			if (f[1])
				on_log(&v->log, (const char *)f + 2, f[1]);
		} else if (f[0] == PROTO_FRAME_LOG) {
			v->rc = -EMSGSIZE;
			return;
		} else if (f[0] == PROTO_FRAME_RESULT && f[1] <= PROTO_STATUS_ERROR) {
			v->done = true;
			v->status = f[1];
		} else {
			v->rc = -EPROTO;
			return;
		}
		v->frames++;
		off += PROTO_FRAME_SIZE;
	}
	v->rc = v->done ? 1 : 0;
}

static void run(const uint8_t *d, size_t n, const uint8_t *cuts, size_t ncuts, struct verdict *v)
{
	static struct frame_parser p;
	size_t off = 0, i = 0, stall = 0;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	frame_parser_init(&p);
	while (off < n || i == 0) {
		/* chunk sizes 0..255 from the cut bytes, cycling; 0 = an empty read */
		size_t c = ncuts ? cuts[i % ncuts] : n;

		/* a run of empty reads as long as the cut list ends in the rest */
		stall = c ? 0 : stall + 1;
		if (stall > ncuts)
			c = n - off;
		if (c > n - off)
			c = n - off;
		rc = frame_feed(&p, d + off, c, on_log, &v->log);
		i++;
		off += c;
		if (p.fill >= PROTO_FRAME_SIZE)
			__builtin_trap();
		if (rc < 0) {
			/* sticky: feeding more gives the same error, no callback */
			size_t before = v->log.calls;

			if (frame_feed(&p, d, n, on_log, &v->log) != rc || v->log.calls != before ||
			    p.why[0] == '\0' || p.error != rc)
				__builtin_trap();
			break;
		}
	}
	v->rc = rc;
	v->frames = p.frames;
	v->done = p.done;
	v->status = p.status;
	v->mid_frame = rc >= 0 && frame_parser_mid_frame(&p);
	if (rc >= 0 && p.offset != p.frames * PROTO_FRAME_SIZE)
		__builtin_trap();
}

static void same(const struct verdict *a, const struct verdict *b)
{
	if (a->rc != b->rc || a->log.len != b->log.len ||
	    memcmp(a->log.buf, b->log.buf, a->log.len))
		__builtin_trap();
	if (a->rc >= 0 && (a->frames != b->frames || a->done != b->done || a->status != b->status ||
			   a->mid_frame != b->mid_frame))
		__builtin_trap();
}

/*
 * Input: one byte N (number of cut bytes, at most 32), N chunk sizes, then
 * the stream.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct verdict want, whole, chunked, bytewise;
	static const uint8_t one = 1;
	size_t ncuts;

	if (size < 1)
		return 0;
	ncuts = data[0] % 33;
	if (size < 1 + ncuts)
		return 0;
	data++, size--;
	const uint8_t *cuts = data;

	data += ncuts, size -= ncuts;
	if (size > STREAM_MAX)
		return 0;

	oracle(data, size, &want);
	run(data, size, NULL, 0, &whole);
	run(data, size, cuts, ncuts, &chunked);
	run(data, size, &one, 1, &bytewise);
	same(&want, &whole);
	same(&want, &chunked);
	same(&want, &bytewise);
	/* a result of 0 is only ever the result frame's own verdict */
	if (want.rc == 1 && (want.status < 0 || want.status > PROTO_STATUS_ERROR))
		__builtin_trap();
	return 0;
}
