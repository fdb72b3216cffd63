/* SPDX-License-Identifier: MIT */
/* --json records: escaping on the way out, every malformed line refused on the way back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "reports/json_file.h"

static char path[64], err[300];

static void put(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static long read_back(char ***names)
{
	err[0] = '\0';
	return json_read_failed(path, names, err, sizeof(err));
}

static void test_round_trip(void **state)
{
	struct test_set t;
	struct test_rec *r;
	char **names;
	FILE *f;

	(void)state;
	tests_init(&t);
	tests_get(&t, "a.pass")->state = TEST_PASS;
	r = tests_get(&t, "a.fail");
	r->state = TEST_FAIL;
	/* hostile text from the guest: quotes, a control byte, invalid UTF-8 */
	test_set_reason(r, "EXPECT \"x\"\\\x01\xff ok");
	r->boot = 2;
	tests_get(&t, "a.skip")->state = TEST_SKIP;
	tests_get(&t, "b.never"); /* pending: not run */
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(json_write(f, &t, "/outs"), 0);
	fclose(f);
	f = fopen(path, "r");
	{
		char line[512];

		assert_non_null(fgets(line, sizeof(line), f));
		assert_string_equal(line, "{\"name\":\"a.pass\",\"status\":\"PASS\",\"time\":0.000,"
					  "\"reason\":null,\"log\":null,\"tries\":1}\n");
		assert_non_null(fgets(line, sizeof(line), f));
		assert_string_equal(line, "{\"name\":\"a.fail\",\"status\":\"FAIL\",\"time\":0.000,"
					  "\"reason\":\"EXPECT \\\"x\\\"\\\\\\u0001\\ufffd ok\","
					  "\"log\":\"/outs/boot-2.serial.log\",\"tries\":1}\n");
	}
	fclose(f);
	assert_int_equal(read_back(&names), 2);
	assert_string_equal(names[0], "a.fail");
	assert_string_equal(names[1], "b.never");
	json_names_free(names, 2);
	tests_free(&t);
}

static void test_bad_lines(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "[1]\n", "line 1: not a --json record: expected '{'" },
		{ "{\"name\":\"a.b\"}\n", "no name or status" },
		{ "{\"name\":\"a.b\",\"status\":\"FAIL\"} x\n", "text after the record" },
		{ "{\"name\":\"a.b\" \"status\":\"FAIL\"}\n", "expected ',' or '}'" },
		{ "{\"name\":\"a.b\",\"status\":\"FAIL\n", "bad value" },
		{ "{\"name\":\"a\\q\",\"status\":\"FAIL\"}\n", "bad value" },
		{ "{\"name\":\"a\\u12\",\"status\":\"FAIL\"}\n", "bad value" },
		{ "{\"name\":\"a b\",\"status\":\"FAIL\"}\n", "name is not a test name" },
		{ "{\"name\":\"a.b\",\"status\":\"FAIL\",\"time\":}\n", "bad value" },
		{ "{\"name\" \"a.b\"}\n", "expected ':'" },
		{ "{1:2}\n", "expected a key" },
		{ "\n{\"name\":\"a.b\",\"status\":\"PASS\"}\n{\n", "line 3:" },
	};
	char **names;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(bad[i].text);
		assert_int_equal(read_back(&names), -EINVAL);
		assert_null(names);
		if (!strstr(err, bad[i].why))
			fail_msg("'%s': error '%s' lacks '%s'", bad[i].text, err, bad[i].why);
	}
}

static void test_long_line_and_missing_file(void **state)
{
	char **names, *big = malloc(40000);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', 39998);
	big[39998] = 'x';
	big[39999] = '\0';
	put(big);
	free(big);
	assert_int_equal(read_back(&names), -EINVAL);
	assert_non_null(strstr(err, "line 1: longer than"));
	unlink(path);
	assert_int_equal(read_back(&names), -ENOENT);
	/* an empty file: nothing failed */
	put("");
	assert_int_equal(read_back(&names), 0);
	json_names_free(names, 0);
}

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test_json_file.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_long_line_and_missing_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
