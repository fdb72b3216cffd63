/* SPDX-License-Identifier: MIT */
/* JUnit writer: hostile guest output must still give well-formed XML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reports/junit.h"

static char *escape(const char *s, size_t len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	assert_int_equal(xml_write_escaped(f, s, len), 0);
	fclose(f);
	return buf;
}

static void expect_escape(const char *in, size_t len, const char *want)
{
	char *got = escape(in, len);

	assert_string_equal(got, want);
	free(got);
}

static void test_markup_is_escaped(void **state)
{
	(void)state;
	expect_escape("<a href=\"x\">&'</a>", 18,
		      "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
	expect_escape("]]>", 3, "]]&gt;");
	expect_escape("tab\tnl\ncr\r", 10, "tab\tnl\ncr\r");
}

static void test_control_chars_replaced(void **state)
{
	(void)state;
	/* XML 1.0 cannot carry these even as character references */
	expect_escape("a\x01"
		      "b\x1b[31m\x7f"
		      "c",
		      10,
		      "a\xef\xbf\xbd"
		      "b\xef\xbf\xbd[31m\xef\xbf\xbd"
		      "c");
	expect_escape("nul\0byte", 8,
		      "nul\xef\xbf\xbd"
		      "byte");
}

static void test_invalid_utf8_replaced(void **state)
{
	(void)state;
	expect_escape("\xc3\xa9", 2, "\xc3\xa9");		  /* é stays */
	expect_escape("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80"); /* emoji stays */
	expect_escape("\xff", 1, "\xef\xbf\xbd");
	expect_escape("\xc3\x28", 2, "\xef\xbf\xbd(");		  /* bad continuation */
	expect_escape("\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd"); /* overlong */
	expect_escape("\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
	expect_escape("\xef\xbf\xbe", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* U+FFFE */
	expect_escape("\xe2\x82", 2, "\xef\xbf\xbd\xef\xbf\xbd");		  /* truncated */
	expect_escape("\xf4\x90\x80\x80", 4,
		      "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* > U+10FFFF */
}

/* Every byte pair: the output holds no byte XML forbids and no raw markup. */
static void test_every_byte_pair(void **state)
{
	(void)state;
	for (int a = 0; a < 256; a++)
		for (int b = 0; b < 256; b++) {
			char in[2] = { (char)a, (char)b };
			char *out = escape(in, 2);

			for (const unsigned char *p = (unsigned char *)out; *p; p++) {
				assert_true(*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r');
				assert_true(*p != '<' && *p != '>' && *p != '"' && *p != 0x7f);
			}
			free(out);
		}
}

static void test_report_structure(void **state)
{
	struct junit_run run = {
		.name = "testrunner", .secs = 1.5, .started = 1000000000, .hostname = "ci&1"
	};
	struct test_set t;
	struct test_rec *r;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	(void)state;
	tests_init(&t);
	r = tests_get(&t, "selftest.timer");
	r->state = TEST_PASS;
	r->secs = 0.0125;
	r = tests_get(&t, "fixture.crash");
	r->state = TEST_CRASH;
	test_set_reason(r, "exception <&>");
	test_set_str(&r->exception, " ESR=0x96000045 ELR=0x40201234 FAR=0x0");
	test_log_append(&t, r, "# out \x01<script>", 15);
	r = tests_get(&t, "selftest.skip");
	r->state = TEST_SKIP;
	test_set_reason(r, "no \"GIC\"");
	r = tests_get(&t, "fixture.fail");
	r->state = TEST_FAIL;
	r = tests_get(&t, "fixture.hang");
	r->state = TEST_TIMEOUT;

	f = open_memstream(&buf, &size);
	assert_int_equal(junit_write(f, &t, &run), 0);
	fclose(f);
	/* the top level splits failures and errors as the suites do: 1 + 2, not 3 */
	assert_non_null(strstr(
		buf,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"testrunner\" tests=\"5\" failures=\"1\" errors=\"2\" time=\"1.500\">"));
	assert_non_null(strstr(
		buf,
		"<testsuite name=\"selftest\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\" "
		"time=\"0.013\" timestamp=\"2001-09-09T01:46:40\" hostname=\"ci&amp;1\">"));
	assert_non_null(strstr(
		buf,
		"<testsuite name=\"fixture\" tests=\"3\" failures=\"1\" errors=\"2\" skipped=\"0\""));
	assert_non_null(
		strstr(buf, "<testcase classname=\"selftest\" name=\"timer\" time=\"0.013\">"));
	assert_non_null(strstr(buf, "<error type=\"CRASH\" message=\"exception &lt;&amp;&gt;\">"));
	assert_non_null(
		strstr(buf, "<system-out># out \xef\xbf\xbd&lt;script&gt;\n"
			    "# exception: ESR=0x96000045 ELR=0x40201234 FAR=0x0\n</system-out>"));
	assert_non_null(strstr(buf, "<skipped message=\"no &quot;GIC&quot;\"/>"));
	assert_non_null(strstr(buf, "<failure type=\"FAIL\" message=\"failed\">"));
	assert_non_null(strstr(buf, "<error type=\"TIMEOUT\" message=\"timed out\">"));
	/* one suite element per suite even when they interleave */
	assert_null(strstr(strstr(buf, "<testsuite name=\"fixture\"") + 1,
			   "<testsuite name=\"fixture\""));
	free(buf);
	tests_free(&t);
}

/* Retries as Surefire writes them, the source file, nothing after the last attempt lost. */
static void test_retries_and_files(void **state)
{
	struct junit_run run = { .name = "r", .started = 0 };
	struct test_set t;
	struct test_rec *r;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	(void)state;
	tests_init(&t);
	r = tests_get(&t, "a.flaky");
	test_set_str(&r->file, "guest/tests/a b&.c");
	r->state = TEST_FAIL;
	test_set_reason(r, "EXPECT_EQ(1, 2)");
	assert_int_equal(test_reset(&t, r), 0);
	r->state = TEST_PASS;
	r = tests_get(&t, "a.broken");
	r->state = TEST_CRASH;
	assert_int_equal(test_reset(&t, r), 0);
	r->state = TEST_FAIL;
	assert_int_equal(test_reset(&t, r), 0);
	r->state = TEST_TIMEOUT;

	f = open_memstream(&buf, &size);
	assert_int_equal(junit_write(f, &t, &run), 0);
	fclose(f);
	assert_non_null(strstr(buf, "<testcase classname=\"a\" name=\"flaky\" "
				    "file=\"guest/tests/a b&amp;.c\" time="));
	assert_non_null(strstr(buf, "<flakyFailure type=\"FAIL\" message=\"EXPECT_EQ(1, 2)\">"
				    "attempt 1 of 2: FAIL"));
	assert_null(strstr(buf, "hostname="));
	/* every attempt failed: the last is the error, the earlier ones reruns */
	assert_non_null(strstr(buf, "<rerunError type=\"CRASH\" message=\"CRASH\">attempt 1 of 3"));
	assert_non_null(strstr(buf, "<rerunFailure type=\"FAIL\" message=\"FAIL\">attempt 2 of 3"));
	assert_non_null(strstr(buf, "<error type=\"TIMEOUT\""));
	assert_null(strstr(buf, "flakyError"));
	free(buf);

	/* for Jenkins (JENKINS_URL): the same report without <testcase file> */
	run.no_case_file = true;
	f = open_memstream(&buf, &size);
	assert_int_equal(junit_write(f, &t, &run), 0);
	fclose(f);
	assert_non_null(strstr(buf, "<testcase classname=\"a\" name=\"flaky\" time="));
	assert_null(strstr(buf, "file="));
	free(buf);
	tests_free(&t);
}

/* A crash's error body is its decoded report; every raw line stays in system-out. */
static void test_crash_body(void **state)
{
	struct junit_run run = { .name = "testrunner", .started = 0 };
	struct test_set t;
	struct test_rec *r;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	(void)state;
	tests_init(&t);
	r = tests_get(&t, "fixture.crash");
	r->state = TEST_CRASH;
	test_append_line(&r->exception, " x0=0x1 SP=0x2");
	test_append_line(&r->exception, " ESR=0x96000004 ELR=0x40201234 FAR=0x0 LR=0x4 sync cpu 0");
	test_set_str(&r->backtrace, " 0x40201234");
	test_set_str(&r->crash_report, "    data abort <x>\n    ELR 0x40201234: f at a.c:3\n");
	r = tests_get(&t, "fixture.fail_twice");
	r->state = TEST_FAIL;
	test_set_reason(r, "b.c:2: second");
	test_append_line(&r->failures, "a.c:1: first <");
	test_append_line(&r->failures, "b.c:2: second");
	r = tests_get(&t, "fixture.crash2");
	r->state = TEST_CRASH;
	test_append_line(&r->exception, " ESR=0x2000000 ELR=0x8 FAR=0x0 LR=0x4 sync cpu 0");

	f = open_memstream(&buf, &size);
	assert_int_equal(junit_write(f, &t, &run), 0);
	fclose(f);
	assert_non_null(strstr(buf,
			       "message=\"crashed: exception in the guest\">crashed: exception "
			       "in the guest\n    data abort &lt;x&gt;\n    ELR 0x40201234: "
			       "f at a.c:3\n</error>"));
	assert_non_null(strstr(buf,
			       "<system-out># exception: x0=0x1 SP=0x2\n"
			       "# exception: ESR=0x96000004 ELR=0x40201234 FAR=0x0 LR=0x4 sync "
			       "cpu 0\n# backtrace: 0x40201234\n</system-out>"));
	/* every failed assertion in the failure body, not only the last */
	assert_non_null(strstr(buf, "<failure type=\"FAIL\" message=\"b.c:2: second\">a.c:1: first "
				    "&lt;\nb.c:2: second</failure>"));
	/* not symbolized (no image): the raw lines, each its own */
	assert_non_null(strstr(buf, ">crashed: exception in the guest\nexception: ESR=0x2000000 "
				    "ELR=0x8 FAR=0x0 LR=0x4 sync cpu 0</error>"));
	free(buf);
	tests_free(&t);
}

static void test_log_capture_is_bounded(void **state)
{
	struct test_set t;
	struct test_rec *r;
	char line[1000];

	(void)state;
	memset(line, 'x', sizeof(line));
	tests_init(&t);
	r = tests_get(&t, "a.flood");
	for (int i = 0; i < 1000; i++)
		test_log_append(&t, r, line, sizeof(line));
	assert_true(r->log_len <= TEST_LOG_MAX);
	assert_true(r->log_truncated);
	/* once a line is dropped, nothing after it lands before "[log truncated]" */
	size_t len = r->log_len;

	test_log_append(&t, r, "x", 1);
	assert_int_equal(r->log_len, len);
	tests_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup_is_escaped),
		cmocka_unit_test(test_control_chars_replaced),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_every_byte_pair),
		cmocka_unit_test(test_report_structure),
		cmocka_unit_test(test_retries_and_files),
		cmocka_unit_test(test_crash_body),
		cmocka_unit_test(test_log_capture_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
