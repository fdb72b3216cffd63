/* SPDX-License-Identifier: MIT */
/* KTAP line classification and stream consistency, as the harness relies on them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/ktap.h"

static void parse(const char *s, struct ktap_line *l)
{
	ktap_parse_line(s, strlen(s), l);
}

static void test_version_and_plan(void **state)
{
	struct ktap_line l;

	(void)state;
	parse("KTAP version 1", &l);
	assert_int_equal(l.kind, KTAP_VERSION);
	assert_int_equal(l.num, 1);
	parse("1..42", &l);
	assert_int_equal(l.kind, KTAP_PLAN);
	assert_int_equal(l.num, 42);
	parse("1..", &l);
	assert_int_equal(l.kind, KTAP_OTHER);
	parse("1..4x", &l);
	assert_int_equal(l.kind, KTAP_OTHER);
	parse("1..99999999999999999999", &l);
	assert_int_equal(l.kind, KTAP_OTHER);
	parse("KTAP version one", &l);
	assert_int_equal(l.kind, KTAP_VERSION);
	assert_int_equal(l.num, 0);
	parse("KTAP version 2", &l);
	assert_int_equal(l.kind, KTAP_VERSION);
	assert_int_equal(l.num, 2);
}

static void test_only_version_1_is_accepted(void **state)
{
	const char *docs[] = { "KTAP version 2\n1..0\n", "KTAP version 1.0\n1..0\n",
			       "KTAP version 1\nKTAP version 0\n1..0\n" };
	struct ktap_stream ks;
	char why[96];

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		ktap_stream_init(&ks, NULL, NULL);
		ktap_stream_feed(&ks, docs[i], strlen(docs[i]));
		ktap_stream_finish(&ks);
		assert_true(ks.bad_version);
		assert_false(ktap_stream_all_passed(&ks, why, sizeof(why)));
		assert_string_equal(why, "a KTAP version other than 1");
	}
}

static void test_results_and_directives(void **state)
{
	struct ktap_line l;

	(void)state;
	parse("ok 1 selftest.timer", &l);
	assert_int_equal(l.kind, KTAP_RESULT);
	assert_true(l.ok);
	assert_int_equal(l.num, 1);
	assert_string_equal(l.name, "selftest.timer");
	assert_int_equal(l.dir, KTAP_DIR_NONE);

	parse("not ok 7 fixture.crash # ERROR exception", &l);
	assert_false(l.ok);
	assert_int_equal(l.num, 7);
	assert_string_equal(l.name, "fixture.crash");
	assert_int_equal(l.dir, KTAP_DIR_ERROR);
	assert_string_equal(l.reason, "exception");

	parse("ok 3 a.b # SKIP no GICv3 here", &l);
	assert_int_equal(l.dir, KTAP_DIR_SKIP);
	assert_string_equal(l.reason, "no GICv3 here");
	parse("ok 3 a.b # skip", &l);
	assert_int_equal(l.dir, KTAP_DIR_SKIP);
	assert_string_equal(l.reason, "");
	parse("not ok 2 a.b # TIMEOUT 5 s", &l);
	assert_int_equal(l.dir, KTAP_DIR_TIMEOUT);
	parse("ok 2 a.b # TODO later", &l);
	assert_int_equal(l.dir, KTAP_DIR_TODO);
	parse("ok 2 a.b # whatever", &l);
	assert_int_equal(l.dir, KTAP_DIR_OTHER);
	parse("ok 4 - tap.style", &l);
	assert_string_equal(l.name, "tap.style");
	parse("ok 5", &l);
	assert_int_equal(l.kind, KTAP_RESULT);
	assert_string_equal(l.name, "");

	parse("ok x a.b", &l);
	assert_int_equal(l.kind, KTAP_OTHER);
	parse("ok 1a a.b", &l);
	assert_int_equal(l.kind, KTAP_OTHER);
	parse("okay 1 a.b", &l);
	assert_int_equal(l.kind, KTAP_OTHER);
	parse("    ok 1 subtest", &l);
	assert_int_equal(l.kind, KTAP_OTHER);
}

static void test_long_name_is_truncated_not_overflowed(void **state)
{
	char line[600];
	struct ktap_line l;

	(void)state;
	memset(line, 'n', sizeof(line));
	memcpy(line, "ok 1 ", 5);
	line[sizeof(line) - 1] = '\0';
	parse(line, &l);
	assert_int_equal(strlen(l.name), KTAP_NAME_MAX - 1);
	/* no test has a name that long: a diagnostic, not an announcement */
	memcpy(line, "# start ", 8);
	parse(line, &l);
	assert_int_equal(l.kind, KTAP_DIAG);
}

static void test_diagnostics(void **state)
{
	struct ktap_line l;

	(void)state;
	parse("# start selftest.timer", &l);
	assert_int_equal(l.kind, KTAP_START);
	assert_string_equal(l.name, "selftest.timer");
	/* only a name a test could have announces a test */
	parse("# start of phase two", &l);
	assert_int_equal(l.kind, KTAP_DIAG);
	assert_string_equal(l.rest, "start of phase two");
	parse("# start nodot", &l);
	assert_int_equal(l.kind, KTAP_DIAG);
	parse("# start a..b", &l);
	assert_int_equal(l.kind, KTAP_DIAG);
	parse("# start a.b ", &l);
	assert_int_equal(l.kind, KTAP_DIAG);
	parse("# start a-1.b_2", &l);
	assert_int_equal(l.kind, KTAP_START);
	parse("# exception: ESR=0x96000045 ELR=0x40201234 FAR=0x0", &l);
	assert_int_equal(l.kind, KTAP_EXCEPTION);
	assert_string_equal(l.rest, " ESR=0x96000045 ELR=0x40201234 FAR=0x0");
	parse("# backtrace: 0x1 0x2", &l);
	assert_int_equal(l.kind, KTAP_BACKTRACE);
	parse("# hello", &l);
	assert_int_equal(l.kind, KTAP_DIAG);
	assert_string_equal(l.rest, "hello");
	parse("#", &l);
	assert_int_equal(l.kind, KTAP_DIAG);
	parse("", &l);
	assert_int_equal(l.kind, KTAP_OTHER);
	parse("free text", &l);
	assert_int_equal(l.kind, KTAP_OTHER);
}

static void test_assertions(void **state)
{
	struct ktap_line l;

	(void)state;
	parse("# guest/tests/fixture.c:30: 1 + 1 == 3: 2 vs 3", &l);
	assert_true(ktap_is_assertion(&l));
	parse("# a.c:1: ", &l);
	assert_true(ktap_is_assertion(&l));
	parse("# a.c:1:x", &l);
	assert_false(ktap_is_assertion(&l));
	parse("# a.c:: x", &l);
	assert_false(ktap_is_assertion(&l));
	parse("# note: a.c:1: x", &l);
	assert_false(ktap_is_assertion(&l));
	parse("# nodot:12: x", &l);
	assert_false(ktap_is_assertion(&l));
	parse("# :12: x", &l);
	assert_false(ktap_is_assertion(&l));
	parse("# a.c:12", &l);
	assert_false(ktap_is_assertion(&l));
	parse("not ok 1 a.c:1: x", &l);
	assert_false(ktap_is_assertion(&l));
}

struct seen {
	char kinds[64];
	size_t n;
	char names[8][KTAP_NAME_MAX];
	size_t nn;
};

static void on_line(void *ctx, const struct ktap_line *l)
{
	struct seen *s = ctx;

	if (s->n < sizeof(s->kinds) - 1)
		s->kinds[s->n++] = (char)('0' + l->kind);
	if ((l->kind == KTAP_RESULT || l->kind == KTAP_START) && s->nn < 8)
		strcpy(s->names[s->nn++], l->name);
	/* only results and announcements carry a name (fuzz_ktap found one) */
	else
		assert_string_equal(l->name, "");
}

static const char doc[] = "KTAP version 1\r\n1..2\n# start a.one\nok 1 a.one\n"
			  "# start a.two\n# diag\nnot ok 2 a.two # ERROR exception\n";

static void test_stream_any_chunking(void **state)
{
	size_t len = strlen(doc);

	(void)state;
	for (size_t chunk = 1; chunk <= len; chunk++) {
		struct ktap_stream ks;
		struct seen s = { 0 };

		ktap_stream_init(&ks, on_line, &s);
		for (size_t at = 0; at < len; at += chunk)
			ktap_stream_feed(&ks, doc + at, at + chunk > len ? len - at : chunk);
		ktap_stream_finish(&ks);
		assert_string_equal(s.kinds, "0132362");
		assert_string_equal(s.names[0], "a.one");
		assert_string_equal(s.names[3], "a.two");
		assert_true(ks.version_seen);
		assert_int_equal(ks.plan, 2);
		assert_int_equal(ks.results, 2);
		assert_int_equal(ks.not_ok, 1);
		assert_false(ktap_stream_all_passed(&ks, NULL, 0));
	}
}

static void test_running_test_is_tracked(void **state)
{
	struct ktap_stream ks;
	const char *a = "KTAP version 1\n1..2\n# start a.one\nok 1 a.one\n# start a.hang\n";

	(void)state;
	ktap_stream_init(&ks, NULL, NULL);
	ktap_stream_feed(&ks, a, strlen(a));
	assert_string_equal(ks.running, "a.hang");
	ktap_stream_feed(&ks, "ok 2 a.hang\n", 12);
	assert_string_equal(ks.running, "");
}

/* A running test's own "# start x.y" output is its diagnostic, not a new test. */
static void test_start_inside_a_test_is_a_diagnostic(void **state)
{
	const char *d = "KTAP version 1\n1..2\n# start a.one\n# start b.phase\n"
			"# start of phase two\nok 1 a.one\n# start a.two\nok 2 a.two\n";
	struct ktap_stream ks;
	struct seen s = { 0 };

	(void)state;
	ktap_stream_init(&ks, on_line, &s);
	ktap_stream_feed(&ks, d, 50);
	assert_string_equal(ks.running, "a.one");
	ktap_stream_feed(&ks, d + 50, strlen(d) - 50);
	ktap_stream_finish(&ks);
	/* version, plan, start, diag, diag, result, start, result */
	assert_string_equal(s.kinds, "01366232");
	assert_string_equal(s.names[0], "a.one");
	assert_string_equal(s.names[1], "a.one");
	assert_string_equal(s.names[2], "a.two");
	assert_true(ktap_stream_all_passed(&ks, NULL, 0));
}

static bool verdict(const char *text, char *why)
{
	struct ktap_stream ks;

	ktap_stream_init(&ks, NULL, NULL);
	ktap_stream_feed(&ks, text, strlen(text));
	ktap_stream_finish(&ks);
	return ktap_stream_all_passed(&ks, why, 96);
}

static void test_all_passed_requires_agreement(void **state)
{
	char why[96];

	(void)state;
	assert_true(verdict("KTAP version 1\n1..2\nok 1 a\nok 2 b # SKIP x\n", why));
	assert_true(verdict("KTAP version 1\n1..0\n", why));
	assert_false(verdict("1..1\nok 1 a\n", why));
	assert_string_equal(why, "no 'KTAP version 1' line");
	assert_false(verdict("KTAP version 1\nok 1 a\n", why));
	assert_string_equal(why, "no plan line");
	assert_false(verdict("KTAP version 1\n1..2\nok 1 a\n", why));
	assert_string_equal(why, "plan 1..2 but 1 result(s)");
	assert_false(verdict("KTAP version 1\n1..1\nok 1 a\nok 2 b\n", why));
	assert_false(verdict("KTAP version 1\n1..2\nok 2 a\nok 1 b\n", why));
	assert_string_equal(why, "results out of order");
	assert_false(verdict("KTAP version 1\n1..1\n1..1\nok 1 a\n", why));
	assert_false(verdict("KTAP version 1\n1..1\nnot ok 1 a\n", why));
	assert_string_equal(why, "1 test(s) not ok");
	/* the final line counts even without its newline */
	assert_true(verdict("KTAP version 1\n1..1\nok 1 a", why));
}

static void test_overlong_line_is_bounded(void **state)
{
	static char big[10000];
	struct ktap_stream ks;
	struct seen s = { 0 };

	(void)state;
	memset(big, 'x', sizeof(big));
	memcpy(big, "ok 1 ", 5);
	big[sizeof(big) - 1] = '\n';
	ktap_stream_init(&ks, on_line, &s);
	ktap_stream_feed(&ks, big, sizeof(big));
	ktap_stream_feed(&ks, "# start z.z\n", 12);
	assert_int_equal(ks.results, 1);
	assert_string_equal(s.kinds, "23");
	assert_string_equal(ks.running, "z.z");
}

/* A line kept for a report: whole when it fits, cut and terminated when not. */
static void test_line_copy(void **state)
{
	const char *text = "# a diagnostic";
	struct ktap_line l;
	char buf[8];

	(void)state;
	ktap_parse_line(text, strlen(text), &l);
	ktap_line_copy(&l, buf, sizeof(buf));
	assert_string_equal(buf, "# a dia");
	ktap_parse_line(text, 3, &l);
	ktap_line_copy(&l, buf, sizeof(buf));
	assert_string_equal(buf, "# a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_and_plan),
		cmocka_unit_test(test_line_copy),
		cmocka_unit_test(test_results_and_directives),
		cmocka_unit_test(test_long_name_is_truncated_not_overflowed),
		cmocka_unit_test(test_assertions),
		cmocka_unit_test(test_diagnostics),
		cmocka_unit_test(test_stream_any_chunking),
		cmocka_unit_test(test_running_test_is_tracked),
		cmocka_unit_test(test_start_inside_a_test_is_a_diagnostic),
		cmocka_unit_test(test_only_version_1_is_accepted),
		cmocka_unit_test(test_all_passed_requires_agreement),
		cmocka_unit_test(test_overlong_line_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
