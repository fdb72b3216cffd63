/* SPDX-License-Identifier: MIT */
/* The guest's log copied to stdout in whole lines. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "machine/relay.h"

void relay_init(struct line_relay *r, FILE *out)
{
	r->out = out;
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
			fwrite(data, 1, n, r->out);
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
		fwrite(r->buf, 1, r->len, r->out);
		r->len = 0;
	}
}

bool relay_fd(FILE *out, int fd)
{
	char buf[RELAY_BUF_SIZE];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	fwrite(buf, 1, (size_t)n, out);
	fflush(out);
	return true;
}
