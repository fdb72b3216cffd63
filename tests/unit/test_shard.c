/* SPDX-License-Identifier: MIT */
/* Sharding, -j parts and request packing arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/request.h"
#include "scheduling/shard.h"

#include <testrunner/protocol.h>

static void test_shards_partition_the_list(void **state)
{
	(void)state;
	for (unsigned long count = 1; count <= 9; count++)
		for (size_t n = 0; n <= 40; n++) {
			size_t hits[41] = { 0 }, per[10] = { 0 };

			for (unsigned long idx = 0; idx < count; idx++)
				for (size_t i = 0; i < n; i++)
					if (shard_selects(i, idx, count)) {
						hits[i]++;
						per[idx]++;
					}
			/* every test in exactly one shard, shards within one of each other */
			for (size_t i = 0; i < n; i++)
				assert_int_equal(hits[i], 1);
			for (unsigned long idx = 0; idx < count; idx++)
				assert_true(per[idx] == n / count || per[idx] == n / count + 1);
		}
	assert_true(shard_selects(5, 0, 0));
	assert_true(shard_selects(5, 0, 1));
	assert_false(shard_selects(5, 0, 2));
	assert_true(shard_selects(5, 1, 2));
}

static void test_parts_are_contiguous_and_balanced(void **state)
{
	(void)state;
	for (size_t parts = 1; parts <= 8; parts++)
		for (size_t n = 0; n <= 50; n++) {
			size_t next = 0, min = (size_t)-1, max = 0;

			for (size_t p = 0; p < parts; p++) {
				size_t start, len = shard_part(n, parts, p, &start);

				assert_int_equal(start, next);
				next = start + len;
				min = len < min ? len : min;
				max = len > max ? len : max;
			}
			assert_int_equal(next, n);
			assert_true(max - min <= 1);
		}
	{
		size_t start;

		assert_int_equal(shard_part(10, 0, 0, &start), 0);
		assert_int_equal(shard_part(10, 2, 2, &start), 0);
		assert_int_equal(shard_part(10, 3, 0, &start), 4);
		assert_int_equal(shard_part(10, 3, 2, &start), 3);
		assert_int_equal(start, 7);
	}
}

static void test_request_default_and_small(void **state)
{
	char buf[PROTO_REQUEST_MAX + 2];
	const char *sel[] = { "selftest", "fixture.pass" };
	size_t len;

	(void)state;
	assert_int_equal(request_build(buf, NULL, 0, PROTO_RESET_NEVER, &len), 0);
	assert_string_equal(buf, "boottest\n");
	assert_int_equal(len, 9);
	assert_int_equal(request_build(buf, sel, 2, PROTO_RESET_NEVER, &len), 2);
	assert_string_equal(buf, "boottest selftest fixture.pass\n");
	assert_int_equal(len, strlen(buf));
}

/* --reset right after "boottest", counted against the 255 bytes; --list likewise. */
static void test_request_reset(void **state)
{
	char buf[PROTO_REQUEST_MAX + 2], big[300];
	const char *sel[] = { "selftest", "fixture.pass" }, *one[] = { big };
	size_t len;

	(void)state;
	assert_int_equal(request_build(buf, sel, 2, PROTO_RESET_ALWAYS, &len), 2);
	assert_string_equal(buf, "boottest --reset selftest fixture.pass\n");
	assert_int_equal(len, strlen(buf));
	assert_int_equal(request_build(buf, NULL, 0, PROTO_RESET_ALWAYS, &len), 0);
	assert_string_equal(buf, "boottest --reset\n");
	assert_int_equal(request_build_list(buf, PROTO_RESET_NEVER), strlen("boottest --list\n"));
	assert_string_equal(buf, "boottest --list\n");
	len = request_build_list(buf, PROTO_RESET_ALWAYS);
	assert_string_equal(buf, "boottest --reset --list\n");
	assert_int_equal(len, strlen(buf));
	request_build(buf, sel, 1, PROTO_RESET_AFTER_CRASH, &len);
	assert_string_equal(buf, "boottest --reset-after-crash selftest\n");
	memset(big, 'x', sizeof(big));
	big[PROTO_REQUEST_MAX - 10] = '\0'; /* fits alone, not after " --reset" */
	assert_int_equal(request_build(buf, one, 1, PROTO_RESET_NEVER, &len), 1);
	assert_int_equal(request_build(buf, one, 1, PROTO_RESET_ALWAYS, &len), 0);
	big[PROTO_REQUEST_MAX - 18] = '\0';
	assert_int_equal(request_build(buf, one, 1, PROTO_RESET_ALWAYS, &len), 1);
	assert_int_equal(len, PROTO_REQUEST_MAX);
}

static void test_request_split_at_255_bytes(void **state)
{
	static char names[100][40];
	const char *sel[100];
	char buf[PROTO_REQUEST_MAX + 2];
	size_t at = 0, requests = 0, len;

	(void)state;
	for (int i = 0; i < 100; i++) {
		snprintf(names[i], sizeof(names[i]), "suite%02d.a_rather_long_case_%d", i, i);
		sel[i] = names[i];
	}
	while (at < 100) {
		size_t n = request_build(buf, sel + at, 100 - at, PROTO_RESET_NEVER, &len);
		char *p, *save = NULL;
		size_t k = 0;

		assert_true(n >= 1);
		assert_true(len <= PROTO_REQUEST_MAX);
		assert_int_equal(strlen(buf), len);
		assert_int_equal(buf[len - 1], '\n');
		buf[len - 1] = '\0';
		/* exactly the names taken, in order, joined by single spaces */
		p = strtok_r(buf, " ", &save);
		assert_string_equal(p, "boottest");
		while ((p = strtok_r(NULL, " ", &save)))
			assert_string_equal(p, sel[at + k++]);
		assert_int_equal(k, n);
		/* and the next name would not have fitted */
		if (at + n < 100)
			assert_true(len + 1 + strlen(sel[at + n]) > PROTO_REQUEST_MAX);
		at += n;
		requests++;
	}
	assert_true(requests > 1);
}

static void test_request_at_most_64_selectors(void **state)
{
	const char *sel[100];
	char buf[PROTO_REQUEST_MAX + 2];
	size_t len;

	(void)state;
	for (int i = 0; i < 100; i++)
		sel[i] = "a";
	assert_int_equal(request_build(buf, sel, 100, PROTO_RESET_NEVER, &len),
			 PROTO_SELECTORS_MAX);
	assert_int_equal(len, 8 + 2 * 64 + 1);
}

static void test_request_name_that_cannot_fit(void **state)
{
	char big[300], buf[PROTO_REQUEST_MAX + 2];
	const char *sel[] = { big };
	size_t len;

	(void)state;
	memset(big, 'x', sizeof(big));
	big[PROTO_REQUEST_MAX - 9] = '\0'; /* "boottest " + name + '\n' = 256 */
	assert_int_equal(request_build(buf, sel, 1, PROTO_RESET_NEVER, &len), 0);
	big[PROTO_REQUEST_MAX - 10] = '\0'; /* exactly 255 */
	assert_int_equal(request_build(buf, sel, 1, PROTO_RESET_NEVER, &len), 1);
	assert_int_equal(len, PROTO_REQUEST_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shards_partition_the_list),
		cmocka_unit_test(test_parts_are_contiguous_and_balanced),
		cmocka_unit_test(test_request_default_and_small),
		cmocka_unit_test(test_request_reset),
		cmocka_unit_test(test_request_split_at_255_bytes),
		cmocka_unit_test(test_request_at_most_64_selectors),
		cmocka_unit_test(test_request_name_that_cannot_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
