/* SPDX-License-Identifier: MIT */
/* Unit tests: frame packing (frames.c) and KTAP output (ktap.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "runner/frames.h"
#include "runner/ktap.h"

struct capture {
	uint8_t buf[1 << 16];
	size_t len;
	unsigned int kicks;
	int fail_after; /* write calls before returning -EIO; <0 never */
};

static int cap_write(void *ctx, const void *frames, size_t len)
{
	struct capture *c = ctx;

	if (c->fail_after == 0)
		return -EIO;
	if (c->fail_after > 0)
		c->fail_after--;
	assert_int_equal(len % PROTO_FRAME_SIZE, 0);
	assert_true(c->len + len <= sizeof(c->buf));
	memcpy(c->buf + c->len, frames, len);
	c->len += len;
	return 0;
}

static int cap_kick(void *ctx)
{
	((struct capture *)ctx)->kicks++;
	return 0;
}

static struct capture cap;
static struct frame_writer fw;

static int setup(void **state)
{
	const struct frame_sink sink = { cap_write, cap_kick, &cap };
	(void)state;

	memset(&cap, 0, sizeof(cap));
	cap.fail_after = -1;
	frames_init(&fw, &sink);
	return 0;
}

/* Decode captured frames: the log text and the result (-1 if none). */
static int decode(char *text, size_t size)
{
	size_t t = 0;
	int result = -1;

	for (size_t off = 0; off < cap.len; off += PROTO_FRAME_SIZE) {
		const uint8_t *f = cap.buf + off;

		assert_int_equal(result, -1); /* nothing after the result */
		if (f[0] == PROTO_FRAME_LOG) {
			assert_true(f[1] <= PROTO_LOG_MAX);
			for (size_t i = 2u + f[1]; i < PROTO_FRAME_SIZE; i++)
				assert_int_equal(f[i], 0);
			assert_true(t + f[1] < size);
			memcpy(text + t, f + 2, f[1]);
			t += f[1];
		} else {
			assert_int_equal(f[0], PROTO_FRAME_RESULT);
			result = f[1];
		}
	}
	text[t] = '\0';
	return result;
}

static void test_packing(void **state)
{
	char text[4096], in[1000];
	(void)state;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)('a' + i % 26);
	/* many small writes pack into full frames */
	for (size_t i = 0; i < sizeof(in); i += 10)
		frames_log(&fw, in + i, 10);
	/* whole frames reach the sink in batches of FRAMES_BATCH */
	assert_int_equal(cap.len, (sizeof(in) / PROTO_LOG_MAX) / FRAMES_BATCH * FRAMES_BATCH *
					  PROTO_FRAME_SIZE);
	assert_int_equal(frames_result(&fw, PROTO_STATUS_FAIL), 0);
	assert_int_equal(decode(text, sizeof(text)), PROTO_STATUS_FAIL);
	assert_int_equal(strlen(text), sizeof(in));
	assert_memory_equal(text, in, sizeof(in));
	assert_int_equal(fw.payload_bytes, sizeof(in));
	assert_int_equal(cap.kicks, 1);
}

static void test_flush_partial(void **state)
{
	char text[256];
	(void)state;

	frames_log(&fw, "abc", 3);
	assert_int_equal(cap.len, 0);
	assert_int_equal(frames_flush(&fw), 0);
	assert_int_equal(cap.len, PROTO_FRAME_SIZE);
	assert_int_equal(cap.kicks, 1);
	/* a flush with nothing pending sends no empty frame */
	assert_int_equal(frames_flush(&fw), 0);
	assert_int_equal(cap.len, PROTO_FRAME_SIZE);
	assert_int_equal(decode(text, sizeof(text)), -1);
	assert_string_equal(text, "abc");
}

static void test_sink_error_sticks(void **state)
{
	/* enough for three batches: the second write fails */
	char in[3 * FRAMES_BATCH * PROTO_LOG_MAX] = { 0 };
	(void)state;

	cap.fail_after = 1;
	frames_log(&fw, in, sizeof(in));
	assert_int_equal(fw.error, -EIO);
	assert_int_equal(frames_result(&fw, PROTO_STATUS_PASS), -EIO);
	assert_int_equal(cap.len, FRAMES_BATCH * PROTO_FRAME_SIZE);
	assert_int_equal(cap.kicks, 0);
}

static void test_ktap_document(void **state)
{
	char text[4096], line[128];
	(void)state;

	ktap_header(&fw, 3);
	ktap_diag(&fw, "two\nlines");
	ktap_result(&fw, 1, "a.b", KTAP_PASS, NULL, line, sizeof(line));
	assert_string_equal(line, "ok 1 a.b\n");
	ktap_result(&fw, 2, "a.c", KTAP_FAIL, NULL, line, sizeof(line));
	ktap_result(&fw, 3, "a.d", KTAP_SKIP, "no\ndevice", line, sizeof(line));
	assert_string_equal(line, "ok 3 a.d # SKIP no device\n");
	ktap_result(&fw, 4, "a.e", KTAP_ERROR, "exception", line, sizeof(line));
	frames_result(&fw, PROTO_STATUS_FAIL);
	decode(text, sizeof(text));
	assert_string_equal(text, "KTAP version 1\n1..3\n# two\n# lines\nok 1 a.b\n"
				  "not ok 2 a.c\nok 3 a.d # SKIP no device\n"
				  "not ok 4 a.e # ERROR exception\n");
}

static void test_ktap_truncation(void **state)
{
	char text[4096], line[16], big[1000];
	(void)state;

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ktap_diag(&fw, "%s", big);
	size_t n = ktap_result(&fw, 1, "very.long.test.name", KTAP_PASS, NULL, line, sizeof(line));
	assert_int_equal(n, sizeof(line) - 1);
	assert_int_equal(line[n - 1], '\n');
	frames_flush(&fw);
	decode(text, sizeof(text));
	char *nl = strchr(text, '\n');
	assert_non_null(nl);
	assert_int_equal(nl - text, 2 + KTAP_LINE_MAX);
	assert_memory_equal(nl - 3, "...", 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_packing, setup),
		cmocka_unit_test_setup(test_flush_partial, setup),
		cmocka_unit_test_setup(test_sink_error_sticks, setup),
		cmocka_unit_test_setup(test_ktap_document, setup),
		cmocka_unit_test_setup(test_ktap_truncation, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
