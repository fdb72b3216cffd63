/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/* Request reassembly and parsing for testrunner0 (portable, host-tested). */
#include <errno.h>
#include <string.h>

#include "runner/request.h"

void request_buf_init(struct request_buf *rb)
{
	rb->len = 0;
	rb->complete = false;
	rb->text[0] = '\0';
}

int request_feed(struct request_buf *rb, const void *data, size_t len)
{
	const char *p = data;

	if (rb->complete)
		return 1;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n' || p[i] == '\0') {
			/* tolerate a CRLF line end from a hand-typed request */
			if (rb->len && rb->text[rb->len - 1] == '\r')
				rb->len--;
			request_finish(rb);
			return 1;
		}
		if (rb->len == PROTO_REQUEST_MAX)
			return -E2BIG;
		rb->text[rb->len++] = p[i];
	}
	return 0;
}

void request_finish(struct request_buf *rb)
{
	rb->text[rb->len] = '\0';
	rb->complete = true;
}

static bool is_separator(char c)
{
	return c == ' ' || c == '\t' || c == ',';
}

int request_parse(const char *text, struct request *req, const char **bad)
{
	static const char prefix[] = PROTO_BOOTTEST_PREFIX;
	const size_t prefix_len = sizeof(prefix) - 1;
	char *p;

	*bad = NULL;
	req->nr_selectors = 0;
	req->reset = PROTO_RESET_NEVER;
	strncpy(req->storage, text, PROTO_REQUEST_MAX);
	req->storage[PROTO_REQUEST_MAX] = '\0';

	/* "boottest" alone is the default set, like "boottest " with no selector */
	if (strncmp(req->storage, prefix, prefix_len) == 0)
		p = req->storage + prefix_len;
	else if (strcmp(req->storage, "boottest") == 0)
		p = req->storage + prefix_len - 1;
	else {
		req->kind = REQUEST_SECONDARY;
		return 0;
	}

	req->kind = REQUEST_BOOTTEST;
	for (;;) {
		char *start;

		while (is_separator(*p))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && !is_separator(*p))
			p++;
		if (*p)
			*p++ = '\0';
		if (strcmp(start, PROTO_LIST_OPTION) == 0) {
			req->kind = REQUEST_LIST;
			continue;
		}
		if (strcmp(start, PROTO_RESET_OPTION) == 0) {
			req->reset = PROTO_RESET_ALWAYS;
			continue;
		}
		if (strcmp(start, PROTO_RESET_AFTER_CRASH_OPTION) == 0) {
			req->reset = PROTO_RESET_AFTER_CRASH;
			continue;
		}
		if (!proto_selector_valid(start, strlen(start), NULL)) {
			*bad = start;
			return -EINVAL;
		}
		if (req->nr_selectors == PROTO_SELECTORS_MAX) {
			*bad = start;
			return -E2BIG;
		}
		req->selectors[req->nr_selectors++] = start;
	}
	return 0;
}
