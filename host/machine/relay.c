/* SPDX-License-Identifier: MIT */
/* The guest's log copied to stdout in whole lines. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "machine/relay.h"
#include "system/files.h"
#include "system/out_queue.h"

void relay_init(struct line_relay *r)
{
	r->len = 0;
	r->prefix = NULL;
	r->mid_line = false;
}

void relay_set_prefix(struct line_relay *r, const char *prefix)
{
	r->prefix = prefix;
}

/* Queue @n bytes, the prefix first where they start a line. */
static void emit(struct line_relay *r, const char *data, size_t n)
{
	if (r->prefix && !r->mid_line)
		out_queue_write(r->prefix, strlen(r->prefix));
	out_queue_write(data, n);
	r->mid_line = data[n - 1] != '\n';
}

void relay_write(struct line_relay *r, const char *data, size_t len)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;

		if (r->len + n > sizeof(r->buf))
			relay_flush(r);
		if (n > sizeof(r->buf)) {
			emit(r, data, n);
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
		emit(r, r->buf, r->len);
		r->len = 0;
	}
}

bool relay_fd(int fd, bool to_stdout, int copy_fd, relay_watch_fn watch, void *ctx)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	if (to_stdout)
		out_queue_write(buf, (size_t)n);
	/* a copy for the log: what fails to go there is still relayed */
	if (copy_fd >= 0)
		(void)file_write_all(copy_fd, buf, (size_t)n);
	if (watch)
		watch(ctx, buf, (size_t)n);
	return true;
}
