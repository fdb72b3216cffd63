/* SPDX-License-Identifier: MIT */
/*
 * The testrunner0 stream of one boot as the session reads it: frames, the
 * KTAP inside them, the log relayed to stdout and the guest's last line.
 */
#ifndef HOST_MACHINE_CHANNEL_H
#define HOST_MACHINE_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/relay.h"
#include "protocol/frames.h"
#include "protocol/ktap.h"

#define CHANNEL_LINE_MAX 256

/* What the reader of a channel hears about. */
struct channel_ops {
	/* KTAP mode: the guest showed life (first log, a test started or ended) */
	void (*alive)(void *ctx);
	void *ctx;
	/* KTAP mode: each line */
	void (*line)(void *line_ctx, const struct ktap_line *l);
	void *line_ctx;
};

struct channel {
	int fd;	       /* -1 until connected */
	bool ktap;     /* parse the log as KTAP (boot tests), else keep only its last line */
	bool relay_on; /* KTAP mode: copy the log to stdout */
	bool eof;
	struct channel_ops ops;
	struct frame_parser fp;
	struct ktap_stream ks;
	uint64_t log_bytes;
	struct line_relay relay;
	char line[CHANNEL_LINE_MAX], last_line[CHANNEL_LINE_MAX];
	size_t line_len;
};

enum channel_event {
	CHANNEL_MORE,	   /* nothing decisive: poll again */
	CHANNEL_RESULT,	   /* the result frame has been parsed */
	CHANNEL_EOF,	   /* the other end closed */
	CHANNEL_VIOLATION, /* the guest broke the protocol: channel_violation() */
};

void channel_init(struct channel *c, bool ktap, bool relay, const struct channel_ops *ops);
/* Read what is there (a bounded number of reads, so that boots take turns). */
enum channel_event channel_read(struct channel *c);
/* Why CHANNEL_VIOLATION. */
const char *channel_violation(const struct channel *c);
/* Stream bytes consumed so far (to tell whether a read made progress). */
uint64_t channel_offset(const struct channel *c);
/* The stream is over: a final line without '\n' still counts; the relay is flushed. */
void channel_finish(struct channel *c);

#endif
