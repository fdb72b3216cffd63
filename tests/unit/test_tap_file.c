/* SPDX-License-Identifier: MIT */
/* --tap's TAP version 13 and --ktap's nested subtests, line by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reports/ktap_file.h"
#include "reports/tap_file.h"

static char *write_with(int (*w)(FILE *, const struct test_set *), const struct test_set *t)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	assert_int_equal(w(f, t), 0);
	fclose(f);
	return buf;
}

static void test_tap_every_state(void **state)
{
	struct test_set t;
	struct test_rec *r;
	char *buf;

	(void)state;
	tests_init(&t);
	tests_get(&t, "a.pass")->state = TEST_PASS;
	r = tests_get(&t, "a.skip");
	r->state = TEST_SKIP;
	test_set_reason(r, "no GIC");
	r = tests_get(&t, "a.crash");
	r->state = TEST_CRASH;
	test_set_reason(r, "exception");
	test_log_append(&t, r, "    ok 1 sub", 12);
	tests_get(&t, "a.hang")->state = TEST_TIMEOUT;
	tests_get(&t, "a.never");
	buf = write_with(tap_write, &t);
	assert_string_equal(buf, "TAP version 13\n1..5\n"
				 "ok 1 - a.pass\n"
				 "ok 2 - a.skip # SKIP no GIC\n"
				 "#     ok 1 sub\n"
				 "not ok 3 - a.crash\n# a.crash: ERROR: exception\n"
				 "not ok 4 - a.hang\n# a.hang: TIMEOUT\n"
				 "not ok 5 - a.never\n# a.never: not run\n");
	free(buf);
	tests_free(&t);
}

static void test_ktap_subtests_kept(void **state)
{
	static const char *const log[] = { "    KTAP version 1",  "    1..1",
					   "        ok 1 deeper", "    not ok 1 sub",
					   "plain text",	  "  ok 1 two spaces" };
	struct test_set t;
	struct test_rec *r;
	char *buf;

	(void)state;
	tests_init(&t);
	r = tests_get(&t, "a.nested");
	r->state = TEST_FAIL;
	for (size_t i = 0; i < sizeof(log) / sizeof(log[0]); i++)
		test_log_append(&t, r, log[i], strlen(log[i]));
	buf = write_with(ktap_write, &t);
	assert_string_equal(buf, "KTAP version 1\n1..1\n# start a.nested\n"
				 "    KTAP version 1\n    1..1\n        ok 1 deeper\n"
				 "    not ok 1 sub\n# plain text\n#   ok 1 two spaces\n"
				 "not ok 1 a.nested\n");
	free(buf);
	tests_free(&t);
	assert_false(ktap_subtest_line("ok 1 x", 6));
	assert_false(ktap_subtest_line("    free text", 13));
	assert_true(ktap_subtest_line("    # Subtest: x", 16));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tap_every_state),
		cmocka_unit_test(test_ktap_subtests_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
