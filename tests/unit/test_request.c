/* SPDX-License-Identifier: MIT */
/* Unit tests: request reassembly and parsing (guest/runner/request.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "protocol/request.h" /* the host's side, for the round trip */
#include "runner/request.h"

static void feed_str(struct request_buf *rb, const char *s, int expect)
{
	assert_int_equal(request_feed(rb, s, strlen(s)), expect);
}

static void test_terminators(void **state)
{
	struct request_buf rb;
	(void)state;

	request_buf_init(&rb);
	feed_str(&rb, "boottest a.b\nignored", 1);
	assert_string_equal(rb.text, "boottest a.b");

	request_buf_init(&rb);
	assert_int_equal(request_feed(&rb, "boottest x\0more", 15), 1);
	assert_string_equal(rb.text, "boottest x");

	request_buf_init(&rb);
	feed_str(&rb, "boottest x\r\n", 1);
	assert_string_equal(rb.text, "boottest x");
}

static void test_split_across_buffers(void **state)
{
	const char *req = "boottest selftest.timer fixture.pass\n";
	(void)state;

	/* every split point, and one byte at a time */
	for (size_t cut = 0; cut <= strlen(req); cut++) {
		struct request_buf rb;

		request_buf_init(&rb);
		assert_int_equal(request_feed(&rb, req, cut), cut == strlen(req));
		if (cut < strlen(req))
			assert_int_equal(request_feed(&rb, req + cut, strlen(req) - cut), 1);
		assert_string_equal(rb.text, "boottest selftest.timer fixture.pass");
	}
	struct request_buf rb;
	request_buf_init(&rb);
	for (size_t i = 0; i < strlen(req); i++)
		assert_int_equal(request_feed(&rb, req + i, 1), req[i] == '\n');
	assert_string_equal(rb.text, "boottest selftest.timer fixture.pass");
}

static void test_unterminated_finishes_on_quiet(void **state)
{
	struct request_buf rb;
	(void)state;

	request_buf_init(&rb);
	feed_str(&rb, "boottest fixture.pass", 0);
	assert_false(rb.complete);
	request_finish(&rb);
	assert_true(rb.complete);
	assert_string_equal(rb.text, "boottest fixture.pass");
}

static void test_too_long(void **state)
{
	char big[PROTO_REQUEST_MAX + 2];
	struct request_buf rb;
	(void)state;

	memset(big, 'a', sizeof(big));
	request_buf_init(&rb);
	assert_int_equal(request_feed(&rb, big, PROTO_REQUEST_MAX), 0);
	assert_int_equal(request_feed(&rb, "\n", 1), 1);
	assert_int_equal(strlen(rb.text), PROTO_REQUEST_MAX);

	request_buf_init(&rb);
	assert_int_equal(request_feed(&rb, big, sizeof(big)), -E2BIG);
}

static void test_parse_kinds(void **state)
{
	struct request req;
	const char *bad;
	(void)state;

	assert_int_equal(request_parse("boottest selftest.timer", &req, &bad), 0);
	assert_int_equal(req.kind, REQUEST_BOOTTEST);
	assert_int_equal(req.nr_selectors, 1);
	assert_string_equal(req.selectors[0], "selftest.timer");

	assert_int_equal(request_parse("boottest  a.b\tc,  d.* ", &req, &bad), 0);
	assert_int_equal(req.nr_selectors, 3);
	assert_string_equal(req.selectors[0], "a.b");
	assert_string_equal(req.selectors[1], "c");
	assert_string_equal(req.selectors[2], "d.*");

	assert_int_equal(request_parse("boottest ", &req, &bad), 0);
	assert_int_equal(req.kind, REQUEST_BOOTTEST);
	assert_int_equal(req.nr_selectors, 0);
	assert_int_equal(request_parse("boottest", &req, &bad), 0);
	assert_int_equal(req.kind, REQUEST_BOOTTEST);
	assert_int_equal(req.nr_selectors, 0);

	assert_int_equal(request_parse("boottest --list", &req, &bad), 0);
	assert_int_equal(req.kind, REQUEST_LIST);
	assert_int_equal(request_parse("boottest --list selftest", &req, &bad), 0);
	assert_int_equal(req.kind, REQUEST_LIST);
	assert_int_equal(req.nr_selectors, 1);

	assert_int_equal(request_parse("Boot Secondary OS", &req, &bad), 0);
	assert_int_equal(req.kind, REQUEST_SECONDARY);
	assert_int_equal(request_parse("", &req, &bad), 0);
	assert_int_equal(req.kind, REQUEST_SECONDARY);
	assert_int_equal(request_parse("boottestx", &req, &bad), 0);
	assert_int_equal(req.kind, REQUEST_SECONDARY);
}

/* --reset: anywhere among the items, with selectors or --list; absent in Trusty's requests. */
static void test_parse_reset(void **state)
{
	struct request req;
	const char *bad;
	(void)state;

	assert_int_equal(request_parse("boottest a.b c", &req, &bad), 0);
	assert_int_equal(req.reset, PROTO_RESET_NEVER);
	assert_int_equal(request_parse("boottest --reset a.b c", &req, &bad), 0);
	assert_int_equal(req.reset, PROTO_RESET_ALWAYS);
	assert_int_equal(req.kind, REQUEST_BOOTTEST);
	assert_int_equal(req.nr_selectors, 2);
	assert_string_equal(req.selectors[0], "a.b");
	assert_string_equal(req.selectors[1], "c");
	assert_int_equal(request_parse("boottest a.b,--reset", &req, &bad), 0);
	assert_int_equal(req.reset, PROTO_RESET_ALWAYS);
	assert_int_equal(req.nr_selectors, 1);
	assert_int_equal(request_parse("boottest --reset", &req, &bad), 0);
	assert_int_equal(req.reset, PROTO_RESET_ALWAYS);
	assert_int_equal(req.kind, REQUEST_BOOTTEST);
	assert_int_equal(req.nr_selectors, 0);
	assert_int_equal(request_parse("boottest --list --reset", &req, &bad), 0);
	assert_int_equal(req.reset, PROTO_RESET_ALWAYS);
	assert_int_equal(req.kind, REQUEST_LIST);
	/* after a crash only; the last option of the two counts */
	assert_int_equal(request_parse("boottest --reset-after-crash a.b", &req, &bad), 0);
	assert_int_equal(req.reset, PROTO_RESET_AFTER_CRASH);
	assert_int_equal(req.nr_selectors, 1);
	assert_int_equal(request_parse("boottest --reset-after-crash --reset", &req, &bad), 0);
	assert_int_equal(req.reset, PROTO_RESET_ALWAYS);
	assert_int_equal(request_parse("boottest --reset --reset-after-crash", &req, &bad), 0);
	assert_int_equal(req.reset, PROTO_RESET_AFTER_CRASH);
	assert_int_equal(request_parse("boottest --reset-after", &req, &bad), -EINVAL);
	/* a request parsed before leaves nothing behind */
	assert_int_equal(request_parse("boottest x.y", &req, &bad), 0);
	assert_int_equal(req.reset, PROTO_RESET_NEVER);
	/* only the exact option: anything else starting with '-' is malformed */
	assert_int_equal(request_parse("boottest --resets", &req, &bad), -EINVAL);
	assert_string_equal(bad, "--resets");
	assert_int_equal(request_parse("boottest -reset", &req, &bad), -EINVAL);
	/* not a boottest request: the secondary OS, whatever follows */
	assert_int_equal(request_parse("Boot Secondary OS --reset", &req, &bad), 0);
	assert_int_equal(req.kind, REQUEST_SECONDARY);
	assert_int_equal(req.reset, PROTO_RESET_NEVER);
}

/* What the host builds, the guest parses back: selectors and the reset option. */
static void test_host_requests_round_trip(void **state)
{
	const char *sel[] = { "selftest", "fixture.pass", "*.timer" };
	char buf[REQUEST_BUF_SIZE];
	struct request req;
	const char *bad;
	size_t len;
	(void)state;

	for (enum proto_reset reset = PROTO_RESET_NEVER; reset <= PROTO_RESET_AFTER_CRASH;
	     reset++) {
		struct request_buf rb;

		assert_int_equal(request_build(buf, sel, 3, reset, &len), 3);
		request_buf_init(&rb);
		assert_int_equal(request_feed(&rb, buf, len), 1);
		assert_int_equal(request_parse(rb.text, &req, &bad), 0);
		assert_int_equal(req.kind, REQUEST_BOOTTEST);
		assert_int_equal(req.reset, reset);
		assert_int_equal(req.nr_selectors, 3);
		for (int i = 0; i < 3; i++)
			assert_string_equal(req.selectors[i], sel[i]);
		request_build_list(buf, reset);
		request_buf_init(&rb);
		assert_int_equal(request_feed(&rb, buf, strlen(buf)), 1);
		assert_int_equal(request_parse(rb.text, &req, &bad), 0);
		assert_int_equal(req.kind, REQUEST_LIST);
		assert_int_equal(req.reset, reset);
		assert_int_equal(req.nr_selectors, 0);
	}
}

static void test_parse_rejects(void **state)
{
	static const char *const malformed[] = {
		"boottest a.b;rm", "boottest .x",   "boottest x.",	    "boottest a..b",
		"boottest a/b",	   "boottest \x01", "boottest caf\xc3\xa9",
	};
	struct request req;
	const char *bad;
	char many[PROTO_REQUEST_MAX + 1] = "boottest";
	(void)state;

	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		assert_int_equal(request_parse(malformed[i], &req, &bad), -EINVAL);
		assert_non_null(bad);
	}
	assert_int_equal(request_parse("boottest ok.one bad!", &req, &bad), -EINVAL);
	assert_string_equal(bad, "bad!");

	for (int i = 0; i < PROTO_SELECTORS_MAX + 1; i++)
		strcat(many, " x");
	assert_int_equal(request_parse(many, &req, &bad), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terminators),
		cmocka_unit_test(test_split_across_buffers),
		cmocka_unit_test(test_unterminated_finishes_on_quiet),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_parse_kinds),
		cmocka_unit_test(test_parse_reset),
		cmocka_unit_test(test_host_requests_round_trip),
		cmocka_unit_test(test_parse_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
