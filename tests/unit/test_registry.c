/* SPDX-License-Identifier: MIT */
/* Unit tests: selector matching (protocol.h) and test selection (registry.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <testrunner/protocol.h>

#include "runner/registry.h"

static void nop(void)
{
}

static const struct boot_test catalogue[] = {
	{ "fixture", "crash", nop }, { "fixture", "pass", nop },
	{ "selftest", "fdt", nop },  { "selftest", "timer", nop },
	{ "selftest", "timerx", nop }, { "sub", "a", nop },
};
#define COUNT (sizeof(catalogue) / sizeof(catalogue[0]))

static int select_names(const char *const *sel, size_t n, bool all, char *out)
{
	uint16_t picked[REGISTRY_MAX_TESTS];
	const char *unknown;
	char name[REGISTRY_NAME_MAX];
	int rc = registry_select(catalogue, COUNT, sel, n, all, picked, &unknown);

	out[0] = '\0';
	if (rc < 0) {
		strcpy(out, unknown);
		return rc;
	}
	for (int i = 0; i < rc; i++) {
		registry_full_name(&catalogue[picked[i]], name, sizeof(name));
		if (i)
			strcat(out, " ");
		strcat(out, name);
	}
	return rc;
}

static void test_glob(void **state)
{
	(void)state;
	assert_true(proto_glob_match("*", ""));
	assert_true(proto_glob_match("*", "abc"));
	assert_true(proto_glob_match("a*c", "abbbc"));
	assert_true(proto_glob_match("a*c", "ac"));
	assert_false(proto_glob_match("a*c", "acb"));
	assert_true(proto_glob_match("*.t*", "selftest.timer"));
	assert_true(proto_glob_match("a**b", "ab"));
	assert_false(proto_glob_match("abc", "ab"));
	assert_false(proto_glob_match("ab", "abc"));
	assert_true(proto_glob_match("*a*a*a*", "banana a"));
}

static void test_selector_kinds(void **state)
{
	(void)state;
	assert_true(proto_selector_match("selftest.timer", "selftest.timer"));
	assert_false(proto_selector_match("selftest.timer", "selftest.timerx"));
	assert_true(proto_selector_match("selftest", "selftest.fdt"));
	assert_false(proto_selector_match("self", "selftest.fdt"));
	assert_false(proto_selector_match("selftest", "selftestx.fdt"));
	assert_true(proto_selector_match("*.fdt", "selftest.fdt"));
	assert_true(proto_in_default_set("selftest.fdt"));
	assert_false(proto_in_default_set("fixture.pass"));
}

static void test_select(void **state)
{
	char out[256];
	const char *s1[] = { "selftest.timer" };
	const char *s2[] = { "sub", "fixture.pass", "selftest.*" };
	const char *s3[] = { "selftest", "selftest.fdt" };
	const char *s4[] = { "selftest.fdt", "nosuch.test" };
	(void)state;

	assert_int_equal(select_names(NULL, 0, false, out), 4);
	assert_string_equal(out, "selftest.fdt selftest.timer selftest.timerx sub.a");
	assert_int_equal(select_names(NULL, 0, true, out), 6);

	assert_int_equal(select_names(s1, 1, false, out), 1);
	assert_string_equal(out, "selftest.timer");
	/* catalogue order, each test once */
	assert_int_equal(select_names(s2, 3, false, out), 5);
	assert_string_equal(out, "fixture.pass selftest.fdt selftest.timer selftest.timerx sub.a");
	assert_int_equal(select_names(s3, 2, false, out), 3);

	assert_int_equal(select_names(s4, 2, false, out), -ENOENT);
	assert_string_equal(out, "nosuch.test");
}

static void test_check(void **state)
{
	static const struct boot_test unsorted[] = {
		{ "b", "x", nop }, { "a", "x", nop },
	};
	static const struct boot_test dup[] = {
		{ "a", "x", nop }, { "a", "x", nop },
	};
	char longname[REGISTRY_NAME_MAX + 8];
	(void)state;

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	const struct boot_test toolong[] = { { "a", longname, nop } };

	assert_int_equal(registry_check(catalogue, COUNT), 0);
	assert_int_equal(registry_check(unsorted, 2), -EINVAL);
	assert_int_equal(registry_check(dup, 2), -EINVAL);
	assert_int_equal(registry_check(toolong, 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_selector_kinds),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
