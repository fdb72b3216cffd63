/* SPDX-License-Identifier: MIT */
/* Unit tests for boot's console watch: --expect and --fail-on over lines cut anywhere. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/console_match.h"

static const char console[] = "Booting Linux on physical CPU 0x0\r\n"
			      "Run /init as init process\n"
			      "Kernel panic - not syncing: Attempted to kill init!\r\n"
			      "---[ end Kernel panic ]---\n";

/* The console fed in pieces of @step bytes. */
static void feed(struct console_match *m, const char *text, size_t step)
{
	size_t len = strlen(text);

	for (size_t i = 0; i < len; i += step)
		console_match_feed(m, text + i, len - i < step ? len - i : step);
}

static void test_fail_on_wherever_cut(void **state)
{
	struct console_match m;
	char err[128];

	(void)state;
	for (size_t step = 1; step <= sizeof(console); step++) {
		assert_int_equal(console_match_init(&m, NULL, "Kernel panic - not syncing", err,
						    sizeof(err)),
				 0);
		feed(&m, console, step);
		assert_true(m.failed);
		assert_false(m.expected);
		/* the first matching line, without its \r */
		assert_string_equal(m.failed_line,
				    "Kernel panic - not syncing: Attempted to kill init!");
		console_match_free(&m);
	}
}

static void test_expect(void **state)
{
	struct console_match m;
	char err[128];

	(void)state;
	assert_int_equal(console_match_init(&m, "^Run /init", "", err, sizeof(err)), 0);
	feed(&m, console, 7);
	assert_true(m.expected);
	assert_false(m.failed); /* "": no --fail-on */
	console_match_free(&m);

	/* anchored: must match a whole line's start, not the middle of one */
	assert_int_equal(console_match_init(&m, "^init", NULL, err, sizeof(err)), 0);
	feed(&m, console, 3);
	assert_false(m.expected);
	console_match_free(&m);

	/* the last line without its newline counts once the console ends */
	assert_int_equal(console_match_init(&m, "^login: $", NULL, err, sizeof(err)), 0);
	feed(&m, "Welcome\nlogin: ", 4);
	assert_false(m.expected);
	console_match_end(&m);
	assert_true(m.expected);
	console_match_free(&m);
}

static void test_overlong_lines(void **state)
{
	static char big[3 * CONSOLE_LINE_MAX];
	struct console_match m;
	char err[128];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	memcpy(big + sizeof(big) - 8, "PANIC\n", 7);
	assert_int_equal(console_match_init(&m, "^xxx", "PANIC", err, sizeof(err)), 0);
	feed(&m, big, 100);
	/* matched on its start; the end of an overlong line is never seen */
	assert_true(m.expected);
	assert_false(m.failed);
	feed(&m, "PANIC\n", 6);
	assert_true(m.failed);
	console_match_free(&m);
}

static void test_bad_expressions(void **state)
{
	struct console_match m;
	char err[128];

	(void)state;
	assert_int_equal(console_match_init(&m, "(", NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "--expect: '(': "));
	assert_int_equal(console_match_init(&m, "ok", "a{2,1}", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "--fail-on: 'a{2,1}': "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_on_wherever_cut),
		cmocka_unit_test(test_expect),
		cmocka_unit_test(test_overlong_lines),
		cmocka_unit_test(test_bad_expressions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
