/* SPDX-License-Identifier: MIT */
/* KTAP v1 line classification and stream bookkeeping (host side, untrusted input). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "protocol/ktap.h"

#include <testrunner/protocol.h>

static bool prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && memcmp(s, p, n) == 0;
}

/* Decimal number at *pp, bounded; false when there is none. */
static bool number(const char **pp, const char *end, unsigned long *out)
{
	const char *p = *pp;
	unsigned long v = 0;

	if (p >= end || !isdigit((unsigned char)*p))
		return false;
	while (p < end && isdigit((unsigned char)*p)) {
		if (v > 100000000UL)
			return false;
		v = v * 10 + (unsigned long)(*p - '0');
		p++;
	}
	*pp = p;
	*out = v;
	return true;
}

static void copy_name(char *dst, const char *src, size_t len)
{
	if (len >= KTAP_NAME_MAX)
		len = KTAP_NAME_MAX - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void parse_result(const char *p, const char *end, struct ktap_line *out)
{
	const char *hash, *name, *nend, *d;
	size_t dlen;

	if (!number(&p, end, &out->num))
		return;
	if (p < end && *p != ' ')
		return;
	out->kind = KTAP_RESULT;
	while (p < end && *p == ' ')
		p++;
	/* "ok 3" with no name is legal KTAP; so is "ok 3 - name" */
	if (p + 1 < end && p[0] == '-' && p[1] == ' ')
		p += 2;
	name = p;
	hash = memchr(p, '#', (size_t)(end - p));
	nend = hash ? hash : end;
	while (nend > name && nend[-1] == ' ')
		nend--;
	copy_name(out->name, name, (size_t)(nend - name));
	if (!hash)
		return;
	d = hash + 1;
	while (d < end && *d == ' ')
		d++;
	for (dlen = 0; d + dlen < end && isalpha((unsigned char)d[dlen]); dlen++)
		;
	if (dlen == 4 && !strncasecmp(d, "SKIP", 4))
		out->dir = KTAP_DIR_SKIP;
	else if (dlen == 4 && !strncasecmp(d, "TODO", 4))
		out->dir = KTAP_DIR_TODO;
	else if (dlen == 5 && !strncasecmp(d, "ERROR", 5))
		out->dir = KTAP_DIR_ERROR;
	else if (dlen == 7 && !strncasecmp(d, "TIMEOUT", 7))
		out->dir = KTAP_DIR_TIMEOUT;
	else {
		out->dir = KTAP_DIR_OTHER;
		out->reason = d;
		return;
	}
	d += dlen;
	while (d < end && *d == ' ')
		d++;
	out->reason = d;
}

void ktap_line_copy(const struct ktap_line *l, char *to, size_t size)
{
	size_t n = l->len < size - 1 ? l->len : size - 1;

	memcpy(to, l->text, n);
	to[n] = '\0';
}

void ktap_parse_line(const char *line, size_t len, struct ktap_line *out)
{
	const char *end = line + len, *p;

	memset(out, 0, sizeof(*out));
	out->text = line;
	out->len = len;
	out->kind = KTAP_OTHER;
	out->reason = "";
	out->rest = "";

	if (prefix(line, len, "KTAP version ")) {
		/* any version is a version line; the stream refuses all but 1 */
		p = line + 13;
		out->kind = KTAP_VERSION;
		if (!number(&p, end, &out->num) || p != end)
			out->num = 0;
	} else if (prefix(line, len, "1..")) {
		p = line + 3;
		if (number(&p, end, &out->num) && p == end)
			out->kind = KTAP_PLAN;
	} else if (prefix(line, len, "ok ")) {
		out->ok = true;
		parse_result(line + 3, end, out);
	} else if (prefix(line, len, "not ok ")) {
		parse_result(line + 7, end, out);
	} else if (prefix(line, len, PROTO_KTAP_START) &&
		   proto_test_name_valid(line + strlen(PROTO_KTAP_START),
					 (size_t)(end - line) - strlen(PROTO_KTAP_START))) {
		p = line + strlen(PROTO_KTAP_START);
		out->kind = KTAP_START;
		copy_name(out->name, p, (size_t)(end - p));
	} else if (prefix(line, len, "# exception:")) {
		out->kind = KTAP_EXCEPTION;
		out->rest = line + 12;
	} else if (prefix(line, len, "# backtrace:")) {
		out->kind = KTAP_BACKTRACE;
		out->rest = line + 12;
	} else if (prefix(line, len, "#")) {
		out->kind = KTAP_DIAG;
		out->rest = line + (prefix(line, len, "# ") ? 2 : 1);
	}
}

bool ktap_is_assertion(const struct ktap_line *l)
{
	const char *p = l->rest, *colon;

	if (l->kind != KTAP_DIAG)
		return false;
	colon = strchr(p, ':');
	if (!colon || colon == p || memchr(p, ' ', (size_t)(colon - p)) ||
	    !memchr(p, '.', (size_t)(colon - p)))
		return false;
	p = colon + 1;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return p[0] == ':' && p[1] == ' ';
}

void ktap_stream_init(struct ktap_stream *s, ktap_line_fn fn, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->fn = fn;
	s->ctx = ctx;
	s->plan = -1;
}

static void stream_line(struct ktap_stream *s)
{
	struct ktap_line l;

	s->buf[s->len] = '\0';
	/* tolerate CRLF */
	if (s->len && s->buf[s->len - 1] == '\r')
		s->buf[--s->len] = '\0';
	ktap_parse_line(s->buf, s->len, &l);
	switch (l.kind) {
	case KTAP_VERSION:
		if (l.num == 1)
			s->version_seen = true;
		else
			s->bad_version = true;
		break;
	case KTAP_PLAN:
		if (s->plan >= 0)
			s->extra_plan = true;
		else
			s->plan = (long)l.num;
		break;
	case KTAP_RESULT:
		s->results++;
		if (l.num != s->results)
			s->misnumbered = true;
		if (!l.ok)
			s->not_ok++;
		else if (l.dir == KTAP_DIR_SKIP)
			s->skipped++;
		s->running[0] = '\0';
		break;
	case KTAP_START:
		/*
		 * While a test runs, "# start ..." is that test's own output (say
		 * bt_log("start of phase two")): announcements count between results.
		 */
		if (s->running[0]) {
			l.kind = KTAP_DIAG;
			l.rest = l.text + 2;
			l.name[0] = '\0';
			break;
		}
		memcpy(s->running, l.name, sizeof(s->running));
		break;
	default:
		break;
	}
	if (s->fn)
		s->fn(s->ctx, &l);
	s->len = 0;
	s->overflow = false;
}

void ktap_stream_feed(struct ktap_stream *s, const char *data, size_t len)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) : len;
		size_t room = sizeof(s->buf) - 1 - s->len;

		if (n > room) {
			s->overflow = true;
			memcpy(s->buf + s->len, data, room);
			s->len += room;
		} else {
			memcpy(s->buf + s->len, data, n);
			s->len += n;
		}
		if (!nl)
			return;
		stream_line(s);
		data = nl + 1;
		len -= n + 1;
	}
}

void ktap_stream_finish(struct ktap_stream *s)
{
	if (s->len || s->overflow)
		stream_line(s);
}

bool ktap_stream_all_passed(const struct ktap_stream *s, char *why, size_t whylen)
{
	const char *w = NULL;
	char tmp[96];

	if (s->bad_version)
		w = "a KTAP version other than 1";
	else if (!s->version_seen)
		w = "no 'KTAP version 1' line";
	else if (s->plan < 0)
		w = "no plan line";
	else if (s->extra_plan)
		w = "more than one plan line";
	else if (s->misnumbered)
		w = "results out of order";
	else if (s->not_ok) {
		snprintf(tmp, sizeof(tmp), "%lu test(s) not ok", s->not_ok);
		w = tmp;
	} else if ((unsigned long)s->plan != s->results) {
		snprintf(tmp, sizeof(tmp), "plan 1..%ld but %lu result(s)", s->plan, s->results);
		w = tmp;
	}
	if (w && why)
		snprintf(why, whylen, "%s", w);
	return w == NULL;
}
