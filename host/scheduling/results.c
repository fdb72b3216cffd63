/* SPDX-License-Identifier: MIT */
/* Test records for one harness run. */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheduling/results.h"

void tests_init(struct test_set *t)
{
	memset(t, 0, sizeof(*t));
}

static void rec_free(struct test_rec *r)
{
	free(r->name);
	free(r->reason);
	free(r->log);
	free(r->exception);
	free(r->backtrace);
	free(r->file);
	for (size_t i = 0; i < r->n_earlier; i++)
		free(r->earlier[i].reason);
	free(r->earlier);
	free(r->crash_report);
	free(r->failures);
	free(r->hang);
}

void tests_free(struct test_set *t)
{
	for (size_t i = 0; i < t->n; i++)
		rec_free(&t->v[i]);
	free(t->v);
	free(t->index);
	memset(t, 0, sizeof(*t));
}

/* FNV-1a: names come from the guest, but a collision only costs a probe. */
static size_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return (size_t)h;
}

/* The index slot holding @name, or the free slot where it belongs. */
static size_t *index_slot(const struct test_set *t, const char *name)
{
	size_t mask = t->index_cap - 1, i = name_hash(name) & mask;

	while (t->index[i] && strcmp(t->v[t->index[i] - 1].name, name))
		i = (i + 1) & mask;
	return &t->index[i];
}

/* Room in the index for one more record: at most half full, so probes stay short. */
static int index_reserve(struct test_set *t)
{
	size_t cap = t->index_cap ? t->index_cap : 64;
	size_t *old = t->index;

	while (cap < 2 * (t->n + 1))
		cap *= 2;
	if (cap == t->index_cap)
		return 0;
	t->index = calloc(cap, sizeof(*t->index));
	if (!t->index) {
		t->index = old;
		return -ENOMEM;
	}
	t->index_cap = cap;
	for (size_t i = 0; i < t->n; i++)
		*index_slot(t, t->v[i].name) = i + 1;
	free(old);
	return 0;
}

/* A run can report 100,000s of results: found by hash, never by a scan. */
struct test_rec *tests_find(struct test_set *t, const char *name)
{
	size_t at;

	if (!t->index_cap)
		return NULL;
	at = *index_slot(t, name);
	return at ? &t->v[at - 1] : NULL;
}

struct test_rec *tests_get(struct test_set *t, const char *name)
{
	struct test_rec *r = tests_find(t, name);

	if (r)
		return r;
	if (index_reserve(t))
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct test_rec *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	r = &t->v[t->n];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	if (!r->name)
		return NULL;
	*index_slot(t, name) = ++t->n;
	return r;
}

void test_set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? strdup(s) : NULL;
}

void test_append_line(char **dst, const char *s)
{
	char *p;

	if (!*dst) {
		*dst = strdup(s);
		return;
	}
	if (asprintf(&p, "%s\n%s", *dst, s) < 0)
		return;
	free(*dst);
	*dst = p;
}

void test_set_reason(struct test_rec *r, const char *reason)
{
	test_set_str(&r->reason, reason && *reason ? reason : NULL);
}

int test_reset(struct test_set *t, struct test_rec *r)
{
	struct test_attempt *v = realloc(r->earlier, (r->n_earlier + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	r->earlier = v;
	/* the reason moves with its attempt */
	v[r->n_earlier++] = (struct test_attempt){ r->state, r->reason, r->secs };
	r->reason = NULL;
	t->log_total -= r->log_cap;
	r->state = TEST_PENDING;
	r->secs = 0;
	test_set_str(&r->exception, NULL);
	test_set_str(&r->backtrace, NULL);
	test_set_str(&r->crash_report, NULL);
	test_set_str(&r->failures, NULL);
	free(r->hang);
	r->hang = NULL;
	free(r->log);
	r->log = NULL;
	r->log_len = 0;
	r->log_cap = 0;
	r->log_truncated = false;
	return 0;
}

const char *test_log_line(const struct test_rec *r, const char **at, size_t *len)
{
	const char *p = *at ? *at : r->log, *end = r->log + r->log_len, *nl;

	if (!r->log || p >= end)
		return NULL;
	nl = memchr(p, '\n', (size_t)(end - p));
	*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	*at = p + *len + 1;
	return p;
}

void test_log_append(struct test_set *t, struct test_rec *r, const char *line, size_t len)
{
	size_t need = r->log_len + len + 1;

	/* sticky: a short line after a dropped one would hide the gap */
	if (r->log_truncated || need > TEST_LOG_MAX) {
		r->log_truncated = true;
		return;
	}
	if (need > r->log_cap) {
		size_t cap = r->log_cap ? r->log_cap : 256;
		char *p;

		while (cap < need)
			cap *= 2;
		if (cap > TEST_LOG_MAX)
			cap = TEST_LOG_MAX;
		if (t->log_total - r->log_cap + cap > TESTS_LOG_TOTAL_MAX) {
			r->log_truncated = true;
			return;
		}
		p = realloc(r->log, cap);
		if (!p) {
			r->log_truncated = true;
			return;
		}
		t->log_total += cap - r->log_cap;
		r->log = p;
		r->log_cap = cap;
	}
	memcpy(r->log + r->log_len, line, len);
	r->log[r->log_len + len] = '\n';
	r->log_len = need;
}

const char *test_state_name(enum test_state s)
{
	switch (s) {
	case TEST_PENDING:
		return "NOT RUN";
	case TEST_PASS:
		return "PASS";
	case TEST_SKIP:
		return "SKIP";
	case TEST_FAIL:
		return "FAIL";
	case TEST_CRASH:
		return "CRASH";
	case TEST_TIMEOUT:
		return "TIMEOUT";
	case TEST_LOST:
		return "LOST";
	}
	return "?";
}

void tests_count(const struct test_set *t, struct test_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < t->n; i++) {
		const struct test_rec *r = &t->v[i];

		if (r->state == TEST_PASS)
			c->passed++;
		else if (r->state == TEST_SKIP)
			c->skipped++;
		else if (r->state == TEST_PENDING)
			c->pending++;
		else
			c->failed++;
		if (r->flaky)
			c->flaky++;
	}
}
