/* SPDX-License-Identifier: MIT */
/* Frame-stream parser fed every chunking of recorded streams, and hostile ones. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/frames.h"

struct sink {
	char buf[8192];
	size_t len;
	unsigned int calls;
};

static void collect(void *ctx, const char *data, size_t len)
{
	struct sink *s = ctx;

	assert_true(len >= 1 && len <= PROTO_LOG_MAX);
	assert_true(s->len + len <= sizeof(s->buf));
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	s->calls++;
}

static const char ktap[] = "KTAP version 1\n1..3\n# start selftest.timer\nok 1 selftest.timer\n"
			   "# start selftest.mmu\n# a diagnostic long enough to need more than one "
			   "frame of sixty-two bytes\nok 2 selftest.mmu\n# start selftest.skip\n"
			   "ok 3 selftest.skip # SKIP not here\n";

/* A recorded stream: the log in frames of @chunk payload bytes, then a result. */
static size_t record(uint8_t *out, const char *log, size_t chunk, int status)
{
	size_t len = strlen(log), n = 0;

	while (len) {
		size_t take = len < chunk ? len : chunk;

		proto_encode_log(out + n, log, take);
		n += PROTO_FRAME_SIZE;
		log += take;
		len -= take;
	}
	proto_encode_result(out + n, (enum proto_status)status);
	return n + PROTO_FRAME_SIZE;
}

/* Feed @stream cut at the given points; returns the final feed result. */
static int feed_cuts(const uint8_t *stream, size_t len, const size_t *cuts, size_t ncuts,
		     struct frame_parser *p, struct sink *s)
{
	size_t at = 0;
	int ret = 0;

	frame_parser_init(p);
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : len;

		ret = frame_feed(p, stream + at, end - at, collect, s);
		if (ret < 0)
			return ret;
		at = end;
	}
	return ret;
}

static void check_ok(const struct frame_parser *p, const struct sink *s, int ret, int status)
{
	assert_int_equal(ret, 1);
	assert_true(p->done);
	assert_int_equal(p->status, status);
	assert_int_equal(s->len, strlen(ktap));
	assert_memory_equal(s->buf, ktap, s->len);
}

static void test_every_split_point(void **state)
{
	static uint8_t stream[64 * 512];
	struct frame_parser p;
	struct sink s;

	(void)state;
	for (size_t chunk = 1; chunk <= PROTO_LOG_MAX; chunk += 7) {
		size_t len = record(stream, ktap, chunk, 1);

		for (size_t cut = 0; cut <= len; cut++) {
			int ret = feed_cuts(stream, len, &cut, 1, &p, &s);

			check_ok(&p, &s, ret, 1);
		}
	}
}

static void test_every_pair_of_split_points(void **state)
{
	static uint8_t stream[64 * 512];
	size_t len = record(stream, ktap, PROTO_LOG_MAX, 0);
	struct frame_parser p;
	struct sink s;

	(void)state;
	for (size_t a = 0; a <= len; a++)
		for (size_t b = a; b <= len; b++) {
			size_t cuts[2] = { a, b };

			check_ok(&p, &s, feed_cuts(stream, len, cuts, 2, &p, &s), 0);
		}
}

static void test_one_byte_reads_and_coalesced(void **state)
{
	static uint8_t stream[64 * 512];
	static size_t cuts[64 * 512];
	size_t len = record(stream, ktap, 13, 2);
	struct frame_parser p;
	struct sink s;

	(void)state;
	for (size_t i = 0; i < len - 1; i++)
		cuts[i] = i + 1;
	check_ok(&p, &s, feed_cuts(stream, len, cuts, len - 1, &p, &s), 2);
	/* everything in one read */
	check_ok(&p, &s, feed_cuts(stream, len, NULL, 0, &p, &s), 2);
	assert_int_equal(p.frames, len / PROTO_FRAME_SIZE);
}

static void test_empty_log_frame_is_legal(void **state)
{
	uint8_t f[2 * PROTO_FRAME_SIZE] = { 0 };
	struct frame_parser p;
	struct sink s = { 0 };

	(void)state;
	proto_encode_result(f + PROTO_FRAME_SIZE, PROTO_STATUS_PASS);
	frame_parser_init(&p);
	assert_int_equal(frame_feed(&p, f, sizeof(f), collect, &s), 1);
	assert_int_equal(s.calls, 0);
}

/* A violation is found wherever the stream is cut. */
static void expect_violation(const uint8_t *stream, size_t len, int err, const char *why)
{
	struct frame_parser p;
	struct sink s;

	for (size_t cut = 0; cut <= len; cut++) {
		assert_int_equal(feed_cuts(stream, len, &cut, 1, &p, &s), err);
		assert_non_null(strstr(p.why, why));
		/* sticky: nothing more is accepted */
		assert_int_equal(frame_feed(&p, stream, 1, collect, &s), err);
	}
}

static void test_unknown_type(void **state)
{
	uint8_t st[3 * PROTO_FRAME_SIZE] = { 0 };

	(void)state;
	proto_encode_log(st, "hello\n", 6);
	st[PROTO_FRAME_SIZE] = 2;
	expect_violation(st, sizeof(st), -EPROTO, "unknown frame type 2 at byte 64");
	st[PROTO_FRAME_SIZE] = 0xff;
	expect_violation(st, sizeof(st), -EPROTO, "unknown frame type 255");
}

static void test_log_size_over_62(void **state)
{
	uint8_t st[2 * PROTO_FRAME_SIZE] = { 0 };

	(void)state;
	st[1] = 63;
	expect_violation(st, sizeof(st), -EMSGSIZE, "size 63 > 62 at byte 0");
	st[1] = 255;
	expect_violation(st, sizeof(st), -EMSGSIZE, "size 255");
}

static void test_bad_status_and_trailing_bytes(void **state)
{
	uint8_t st[2 * PROTO_FRAME_SIZE] = { 0 };
	struct frame_parser p;

	(void)state;
	proto_encode_result(st, PROTO_STATUS_PASS);
	st[1] = 3;
	expect_violation(st, PROTO_FRAME_SIZE, -EPROTO, "result status 3");
	st[1] = 0;
	/* a result frame is the last: a byte after it is a violation */
	st[PROTO_FRAME_SIZE] = 0;
	expect_violation(st, PROTO_FRAME_SIZE + 1, -EPROTO, "after the result frame");
	frame_parser_init(&p);
	assert_int_equal(frame_feed(&p, st, PROTO_FRAME_SIZE, NULL, NULL), 1);
	assert_false(frame_parser_mid_frame(&p));
}

static void test_stream_ending_mid_frame(void **state)
{
	uint8_t st[PROTO_FRAME_SIZE] = { 0 };
	struct frame_parser p;

	(void)state;
	proto_encode_log(st, "abc", 3);
	frame_parser_init(&p);
	assert_int_equal(frame_feed(&p, st, 10, NULL, NULL), 0);
	assert_true(frame_parser_mid_frame(&p));
	assert_false(p.done);
}

static void test_random_bytes_never_crash(void **state)
{
	uint8_t junk[4096];
	struct frame_parser p;
	struct sink s;

	(void)state;
	srand(1);
	for (int round = 0; round < 200; round++) {
		int ret = 0;

		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (uint8_t)rand();
		/* mostly-valid frames with random sizes and types */
		for (size_t i = 0; i < sizeof(junk); i += PROTO_FRAME_SIZE)
			junk[i] = (uint8_t)(rand() % 4 ? 0 : rand() % 3);
		frame_parser_init(&p);
		memset(&s, 0, sizeof(s));
		for (size_t at = 0; at < sizeof(junk) && ret == 0;) {
			size_t n = (size_t)rand() % 200 + 1;

			if (n > sizeof(junk) - at)
				n = sizeof(junk) - at;
			s.len = 0;
			ret = frame_feed(&p, junk + at, n, collect, &s);
			at += n;
		}
		assert_true(ret == 0 || ret == 1 || ret == -EPROTO || ret == -EMSGSIZE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_split_point),
		cmocka_unit_test(test_every_pair_of_split_points),
		cmocka_unit_test(test_one_byte_reads_and_coalesced),
		cmocka_unit_test(test_empty_log_frame_is_legal),
		cmocka_unit_test(test_unknown_type),
		cmocka_unit_test(test_log_size_over_62),
		cmocka_unit_test(test_bad_status_and_trailing_bytes),
		cmocka_unit_test(test_stream_ending_mid_frame),
		cmocka_unit_test(test_random_bytes_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
