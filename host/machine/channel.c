/* SPDX-License-Identifier: MIT */
/* The testrunner0 stream of one boot: frames, KTAP, the relayed log, the last line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "machine/channel.h"

/* Reads per wake-up, so that parallel boots take turns. */
#define READS_PER_STEP 16

static uint8_t rxbuf[64 * 1024];

/* Up to @len bytes more of the line being received, as many as it has room for. */
static void line_append(struct channel *c, const char *data, size_t len)
{
	size_t room = sizeof(c->line) - 1 - c->line_len;

	memcpy(c->line + c->line_len, data, len < room ? len : room);
	c->line_len += len < room ? len : room;
}

/*
 * The guest's last complete log line: the reason when it refuses a request.
 * Only the last two newlines of a chunk matter (a flood is megabytes).
 */
static void keep_last_line(struct channel *c, const char *data, size_t len)
{
	const char *end = data + len, *nl = memrchr(data, '\n', len);

	if (nl) {
		const char *prev = memrchr(data, '\n', (size_t)(nl - data));
		const char *start = prev ? prev + 1 : data;

		if (prev)
			c->line_len = 0; /* the line began in this chunk */
		line_append(c, start, (size_t)(nl - start));
		memcpy(c->last_line, c->line, c->line_len);
		c->last_line[c->line_len] = '\0';
		c->line_len = 0;
		data = nl + 1;
	}
	line_append(c, data, (size_t)(end - data));
}

static void on_log(void *ctx, const char *data, size_t len)
{
	struct channel *c = ctx;

	keep_last_line(c, data, len);
	/* the OS mode's log repeats its UART, which is relayed already */
	if (!c->ktap)
		return;
	if (!c->log_bytes && len && c->ops.alive)
		c->ops.alive(c->ops.ctx);
	c->log_bytes += len;
	/* line by line, so a test's PASS/FAIL line follows its KTAP line */
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;

		if (c->relay_on)
			relay_write(&c->relay, data, n);
		ktap_stream_feed(&c->ks, data, n);
		data += n;
		len -= n;
	}
}

static void on_ktap(void *ctx, const struct ktap_line *l)
{
	struct channel *c = ctx;

	/* the timeout is per test: each announcement and result restarts it */
	if ((l->kind == KTAP_START || l->kind == KTAP_RESULT) && c->ops.alive)
		c->ops.alive(c->ops.ctx);
	if (c->ops.line)
		c->ops.line(c->ops.line_ctx, l);
}

void channel_init(struct channel *c, bool ktap, bool relay, const struct channel_ops *ops)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->ktap = ktap;
	c->relay_on = relay;
	c->ops = *ops;
	relay_init(&c->relay);
	frame_parser_init(&c->fp);
	ktap_stream_init(&c->ks, on_ktap, c);
}

enum channel_event channel_read(struct channel *c)
{
	for (int i = 0; i < READS_PER_STEP && !c->eof; i++) {
		ssize_t n = read(c->fd, rxbuf, sizeof(rxbuf));
		bool had_result = c->fp.done;
		int ret;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return CHANNEL_MORE;
			/* a reset connection is a close */
			n = 0;
		}
		if (n == 0) {
			c->eof = true;
			return CHANNEL_EOF;
		}
		ret = frame_feed(&c->fp, rxbuf, (size_t)n, on_log, c);
		if (ret < 0 || c->ks.bad_version)
			return CHANNEL_VIOLATION;
		if (ret == 1 && !had_result)
			return CHANNEL_RESULT;
	}
	return CHANNEL_MORE;
}

const char *channel_violation(const struct channel *c)
{
	return c->fp.error ? c->fp.why
			   : "the log is not 'KTAP version 1' (the only version understood)";
}

uint64_t channel_offset(const struct channel *c)
{
	return c->fp.offset + c->fp.fill;
}

void channel_finish(struct channel *c)
{
	ktap_stream_finish(&c->ks);
	relay_flush(&c->relay);
}
