/* SPDX-License-Identifier: MIT */
/* The guest's log copied to stdout in whole lines. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "machine/relay.h"
#include "system/out_queue.h"

void relay_init(struct line_relay *r)
{
	r->len = 0;
}

void relay_write(struct line_relay *r, const char *data, size_t len)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;

		if (r->len + n > sizeof(r->buf))
			relay_flush(r);
		if (n > sizeof(r->buf)) {
			out_queue_write(data, n);
		} else {
			memcpy(r->buf + r->len, data, n);
			r->len += n;
		}
		if (nl)
			relay_flush(r);
		data += n;
		len -= n;
	}
}

void relay_flush(struct line_relay *r)
{
	if (r->len) {
		out_queue_write(r->buf, r->len);
		r->len = 0;
	}
}

bool relay_fd(int fd, relay_watch_fn watch, void *ctx)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	out_queue_write(buf, (size_t)n);
	if (watch)
		watch(ctx, buf, (size_t)n);
	return true;
}
