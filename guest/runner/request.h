/* SPDX-License-Identifier: MIT */
/*
 * The host's request on testrunner0: reassembled from a byte stream and parsed
 * into a kind and selectors (docs/protocol.md, "Request"). Portable.
 */
#ifndef RUNNER_REQUEST_H
#define RUNNER_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include <testrunner/protocol.h>

/* Accumulates request bytes until a terminator ('\n' or '\0'). */
struct request_buf {
	char text[PROTO_REQUEST_MAX + 1];
	size_t len;
	bool complete;
};

void request_buf_init(struct request_buf *rb);

/*
 * Feed received bytes. Returns 1 when the request is complete (a terminator
 * was seen; later bytes are ignored), 0 when more may follow, -E2BIG when the
 * request exceeds PROTO_REQUEST_MAX bytes.
 */
int request_feed(struct request_buf *rb, const void *data, size_t len);

/* The quiet period passed with bytes pending: the request ends here. */
void request_finish(struct request_buf *rb);

enum request_kind {
	REQUEST_BOOTTEST,  /* run the selected tests */
	REQUEST_LIST,	   /* send the catalogue */
	REQUEST_SECONDARY, /* anything else: boot the secondary OS */
};

struct request {
	enum request_kind kind;
	enum proto_reset reset; /* when to end in SYSTEM_RESET, not SYSTEM_OFF */
	char storage[PROTO_REQUEST_MAX + 1];
	const char *selectors[PROTO_SELECTORS_MAX];
	size_t nr_selectors;
};

/*
 * Parse a complete request. Selectors are separated by spaces, tabs or commas
 * (Trusty's semihosting runner joined them with commas) and follow
 * proto_selector_valid; "--list", "--reset" and "--reset-after-crash" may
 * stand anywhere among them (the last reset option counts).
 * Returns 0, -EINVAL with *bad pointing at the offending
 * selector (inside req->storage) for a malformed one, or -E2BIG for too many.
 */
int request_parse(const char *text, struct request *req, const char **bad);

#endif
