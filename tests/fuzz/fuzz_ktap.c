/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the host's KTAP parser (host/protocol/ktap.c), line classification and
 * the stream bookkeeping that decides whether exit 0 is allowed, fed whole
 * and in fuzzer-chosen chunks.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/ktap.h"

#define check(x)                          \
	do {                              \
		if (!(x))                 \
			__builtin_trap(); \
	} while (0)

/* Every pointer the parser hands out lies inside the line it was given. */
static void check_line(const struct ktap_line *l)
{
	const char *end = l->text + l->len;

	check(l->kind >= KTAP_VERSION && l->kind <= KTAP_OTHER);
	check(memchr(l->name, 0, sizeof(l->name)) != NULL);
	/* in the line, or else the empty string (tested second: no read past the line) */
	check((l->reason >= l->text && l->reason <= end) || l->reason[0] == '\0');
	check((l->rest >= l->text && l->rest <= end) || l->rest[0] == '\0');
	if (l->kind == KTAP_RESULT) {
		check(l->len >= 4);
		check(l->dir >= KTAP_DIR_NONE && l->dir <= KTAP_DIR_OTHER);
		check(strlen(l->name) <= l->len);
	}
	if (l->kind == KTAP_PLAN || l->kind == KTAP_VERSION)
		check(l->num <= 1000000000UL);
	if (l->kind != KTAP_RESULT && l->kind != KTAP_START)
		check(l->name[0] == '\0');
}

struct trace {
	uint64_t hash;
	unsigned long lines;
};

static void on_line(void *ctx, const struct ktap_line *l)
{
	struct trace *t = ctx;

	/* stream lines are NUL-terminated and never longer than the buffer */
	check(l->len < KTAP_LINE_MAX);
	check(l->text[l->len] == '\0');
	check(memchr(l->text, '\n', l->len) == NULL);
	check_line(l);
	t->hash = (t->hash ^ ((uint64_t)l->kind << 32 | l->len | (uint64_t)l->ok << 40 |
			      (uint64_t)l->dir << 44)) *
		  0x100000001b3ULL;
	t->hash = (t->hash ^ l->num) * 0x100000001b3ULL;
	t->lines++;
}

static void feed(struct ktap_stream *s, struct trace *t, const uint8_t *d, size_t n, size_t chunk)
{
	memset(t, 0, sizeof(*t));
	ktap_stream_init(s, on_line, t);
	while (n) {
		size_t c = chunk < n ? chunk : n;

		ktap_stream_feed(s, (const char *)d, c);
		check(s->len < sizeof(s->buf));
		d += c;
		n -= c;
	}
	ktap_stream_finish(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ktap_stream a, b;
	struct trace ta, tb;
	struct ktap_line l;
	char why[96];
	size_t chunk;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] % 70 + 1;
	data++, size--;

	/* One line straight from the fuzzer, in an exact-size heap copy. */
	char *line = malloc(size ? size : 1);

	memcpy(line, data, size);
	ktap_parse_line(line, size, &l);
	check(l.text == line && l.len == size);
	check_line(&l);
	free(line);

	feed(&a, &ta, data, size, size ? size : 1);
	feed(&b, &tb, data, size, chunk);
	/* chunking never changes what the stream says */
	check(ta.hash == tb.hash && ta.lines == tb.lines);
	check(a.results == b.results && a.not_ok == b.not_ok && a.plan == b.plan &&
	      a.skipped == b.skipped && a.misnumbered == b.misnumbered &&
	      a.version_seen == b.version_seen && !strcmp(a.running, b.running));
	check(a.not_ok + a.skipped <= a.results);

	/* exit 0 is only allowed for a complete, consistent, all-ok document */
	if (ktap_stream_all_passed(&a, why, sizeof(why))) {
		check(a.version_seen && a.plan >= 0 && !a.extra_plan && !a.misnumbered);
		check(a.not_ok == 0 && (unsigned long)a.plan == a.results);
	} else {
		check(why[0] != '\0');
	}
	check(ktap_stream_all_passed(&a, NULL, 0) == ktap_stream_all_passed(&b, NULL, 0));
	return 0;
}
