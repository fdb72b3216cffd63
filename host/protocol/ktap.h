/* SPDX-License-Identifier: MIT */
/*
 * KTAP v1 as the guest writes it, parsed from a byte stream whose lines may
 * span frames: version, plan, results with directives, the "# start" test
 * announcements and the crash diagnostics.
 */
#ifndef HOST_KTAP_H
#define HOST_KTAP_H

#include <stdbool.h>
#include <stddef.h>

#include <testrunner/protocol.h>

#define KTAP_LINE_MAX 1024	     /* longer lines are classified by their start */
#define KTAP_NAME_MAX PROTO_NAME_MAX /* suite.case, NUL included */

enum ktap_kind {
	KTAP_VERSION,	/* KTAP version N (num: N, 0 if not a number) */
	KTAP_PLAN,	/* 1..N */
	KTAP_RESULT,	/* [not ]ok N name [# DIRECTIVE reason] */
	KTAP_START,	/* # start suite.case, between results */
	KTAP_EXCEPTION, /* # exception: ESR=.. ELR=.. FAR=.. */
	KTAP_BACKTRACE, /* # backtrace: 0x.. 0x.. */
	KTAP_DIAG,	/* any other "# ..." */
	KTAP_OTHER,	/* anything else (free text, subtests) */
};

enum ktap_directive {
	KTAP_DIR_NONE,
	KTAP_DIR_SKIP,
	KTAP_DIR_TODO,
	KTAP_DIR_ERROR,
	KTAP_DIR_TIMEOUT,
	KTAP_DIR_OTHER,
};

struct ktap_line {
	enum ktap_kind kind;
	const char *text; /* the whole line, NUL-terminated, no '\n' */
	size_t len;
	bool ok;		  /* RESULT */
	unsigned long num;	  /* RESULT: test number; PLAN: N; VERSION: version */
	char name[KTAP_NAME_MAX]; /* RESULT, START */
	enum ktap_directive dir;  /* RESULT */
	const char *reason;	  /* RESULT: text after the directive word, or "" */
	const char *rest;	  /* EXCEPTION/BACKTRACE/DIAG: text after the prefix */
};

/* @l's text into @to, cut to @size - 1 bytes and NUL-terminated. */
void ktap_line_copy(const struct ktap_line *l, char *to, size_t size);

/* Classify one line (without its '\n'); @line must stay valid while @out is used. */
void ktap_parse_line(const char *line, size_t len, struct ktap_line *out);

/*
 * A diagnostic that reports a failed assertion: "file:line: what failed"
 * (a path without spaces, a line number, ": ").
 */
bool ktap_is_assertion(const struct ktap_line *l);

typedef void (*ktap_line_fn)(void *ctx, const struct ktap_line *line);

/* A KTAP stream: splits lines and tracks whether the document is consistent. */
struct ktap_stream {
	char buf[KTAP_LINE_MAX];
	size_t len;
	bool overflow; /* current line exceeded the buffer */
	ktap_line_fn fn;
	void *ctx;

	bool version_seen;	     /* "KTAP version 1" */
	bool bad_version;	     /* a version line other than 1 */
	long plan;		     /* -1 until a plan line */
	unsigned long results;	     /* result lines seen */
	unsigned long not_ok;	     /* ...of which "not ok" */
	unsigned long skipped;	     /* ...of which "ok # SKIP" */
	bool misnumbered;	     /* a result number was not the next one */
	bool extra_plan;	     /* a second plan line */
	char running[KTAP_NAME_MAX]; /* announced, no result yet; "" if none */
};

void ktap_stream_init(struct ktap_stream *s, ktap_line_fn fn, void *ctx);
void ktap_stream_feed(struct ktap_stream *s, const char *data, size_t len);
/* End of stream: a final line without '\n' is still a line. */
void ktap_stream_finish(struct ktap_stream *s);

/*
 * Does the stream prove that every planned test passed or skipped? Needs the
 * version line, one plan, as many results as planned, numbered 1..N, no
 * "not ok". On false, @why (if not NULL) gets a short explanation.
 */
bool ktap_stream_all_passed(const struct ktap_stream *s, char *why, size_t whylen);

#endif
