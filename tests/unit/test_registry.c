/* SPDX-License-Identifier: MIT */
/* Unit tests: selector matching (protocol.h), the catalogue's checks, lines and selection (registry.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <testrunner/catalogue.h>
#include <testrunner/protocol.h>

#include "runner/registry.h"

static void nop(void)
{
}

#define T(s, n, ...)                                                         \
	{                                                                    \
		.suite = s, .name = n, .fn = nop, .file = "t.c", __VA_ARGS__ \
	}

/* fixture.*: manual; sub.b too (a manual test outside any "fixture" suite) */
static const struct boot_test catalogue[] = {
	T("fixture", "crash", .manual = true),
	T("fixture", "pass", .manual = true),
	T("selftest", "fdt"),
	T("selftest", "timer"),
	T("selftest", "timerx"),
	T("sub", "a"),
	T("sub", "b", .manual = true),
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
	assert_true(proto_selector_picks("selftest", "selftest.fdt", false));
	assert_true(proto_selector_picks("sub.b", "sub.b", true));
	assert_false(proto_selector_picks("sub", "sub.b", true));
	assert_false(proto_selector_picks("sub.*", "sub.b", true));
}

static void test_select(void **state)
{
	char out[256];
	const char *s1[] = { "selftest.timer" };
	const char *s2[] = { "sub", "fixture.pass", "selftest.*" };
	const char *s3[] = { "selftest", "selftest.fdt" };
	const char *s4[] = { "selftest.fdt", "nosuch.test" };
	const char *s5[] = { "sub", "*.crash" };
	const char *s6[] = { "sub.b", "sub" };
	const char *s7[] = { "fixture" };
	(void)state;

	/* the default set: every test not marked manual */
	assert_int_equal(select_names(NULL, 0, false, out), 4);
	assert_string_equal(out, "selftest.fdt selftest.timer selftest.timerx sub.a");
	assert_int_equal(select_names(NULL, 0, true, out), 7);

	assert_int_equal(select_names(s1, 1, false, out), 1);
	assert_string_equal(out, "selftest.timer");
	/* catalogue order, each test once */
	/* a manual test only by its exact name: "sub" leaves sub.b out */
	assert_int_equal(select_names(s2, 3, false, out), 5);
	assert_string_equal(out, "fixture.pass selftest.fdt selftest.timer selftest.timerx sub.a");
	assert_int_equal(select_names(s3, 2, false, out), 3);
	assert_int_equal(select_names(s6, 2, false, out), 2);
	assert_string_equal(out, "sub.a sub.b");
	/* a glob or suite that matches only manual tests is refused, named */
	assert_int_equal(select_names(s5, 2, false, out), -EPERM);
	assert_string_equal(out, "*.crash");
	assert_int_equal(select_names(s7, 1, true, out), -EPERM);
	assert_string_equal(out, "fixture");

	assert_int_equal(select_names(s4, 2, false, out), -ENOENT);
	assert_string_equal(out, "nosuch.test");
}

/* registry_check's verdict on @tests and the sentence it gives */
static int check(const struct boot_test *tests, size_t n, char *why)
{
	why[0] = '\0';
	return registry_check(tests, n, why, 256);
}

static void test_check(void **state)
{
	static const struct boot_test unsorted[] = { T("b", "x"), T("a", "x") };
	static const struct boot_test dup[] = {
		{ .suite = "a", .name = "x", .fn = nop, .file = "guest/tests/one.c" },
		{ .suite = "a", .name = "x", .fn = nop, .file = "../os/tests/two.c" },
	};
	char longname[REGISTRY_NAME_MAX + 8], longpath[PROTO_CATALOGUE_FILE_MAX + 2], why[256];
	(void)state;

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	const struct boot_test toolong[] = { T("a", longname) };
	const struct boot_test pathlong[] = { { .suite = "a", .name = "b", .file = longpath } };

	assert_int_equal(check(catalogue, COUNT, why), 0);
	assert_int_equal(check(unsorted, 2, why), -EINVAL);
	assert_string_equal(why, "test catalogue is not sorted: a.x after b.x");
	assert_int_equal(check(dup, 2, why), -EINVAL);
	assert_string_equal(why, "a.x is defined twice: guest/tests/one.c, ../os/tests/two.c");
	assert_int_equal(check(toolong, 1, why), -EINVAL);
	assert_non_null(strstr(why, ": name longer than 63 bytes"));
	assert_int_equal(check(pathlong, 1, why), -EINVAL);
	assert_string_equal(why, "a.b: source path longer than 255 bytes");
	longpath[PROTO_CATALOGUE_FILE_MAX] = '\0';
	assert_int_equal(check(pathlong, 1, why), 0);
	assert_int_equal(check(catalogue, REGISTRY_MAX_TESTS + 1, why), -EINVAL);
	assert_string_equal(why, "1025 boot tests, more than the 1024 a catalogue holds");
}

/* What `list` sends for a test reads back, through the shared parser, as it was. */
/* "suite.case" exactly when it fits with its NUL, else -ENAMETOOLONG and an empty string. */
static void test_full_name(void **state)
{
	const struct boot_test t = T("selftest", "timer");
	char buf[sizeof("selftest.timer")];

	(void)state;
	assert_int_equal(registry_full_name(&t, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "selftest.timer");
	assert_int_equal(registry_full_name(&t, buf, sizeof(buf) - 1), -ENAMETOOLONG);
	assert_string_equal(buf, "");
	assert_int_equal(registry_full_name(&t, buf, 0), -ENAMETOOLONG);
}

static void test_describe(void **state)
{
	char longpath[PROTO_CATALOGUE_FILE_MAX + 1], longname[REGISTRY_NAME_MAX];
	char line[PROTO_CATALOGUE_LINE_MAX];
	struct proto_test_info info;
	int len;
	(void)state;

	const struct boot_test t = { .suite = "mysuite",
				     .name = "passes",
				     .fn = nop,
				     .file = "my os/tests/a.c",
				     .timeout_s = 2,
				     .cpus = 4,
				     .manual = true };

	len = registry_describe(&t, line, sizeof(line));
	assert_string_equal(line, "# test mysuite.passes timeout_s=2 cpus=4 manual=1 "
				  "file=my os/tests/a.c");
	assert_int_equal(len, (int)strlen(line));
	assert_int_equal(proto_catalogue_parse(line, (size_t)len, &info), 0);
	assert_int_equal(info.name_len, strlen("mysuite.passes"));
	assert_memory_equal(info.name, "mysuite.passes", info.name_len);
	assert_int_equal(info.timeout_s, 2);
	assert_int_equal(info.cpus, 4);
	assert_true(info.manual);
	assert_int_equal(info.file_len, strlen(t.file));
	assert_memory_equal(info.file, t.file, info.file_len);

	/* the longest name and path registry_check allows fit the line */
	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	memset(longname, 'n', sizeof(longname) - 3);
	longname[sizeof(longname) - 3] = '\0';
	const struct boot_test big = { .suite = "s",
				       .name = longname,
				       .file = longpath,
				       .timeout_s = UINT32_MAX,
				       .cpus = UINT16_MAX };
	char why[256];

	assert_int_equal(registry_check(&big, 1, why, sizeof(why)), 0);
	len = registry_describe(&big, line, sizeof(line));
	assert_true(len > 0);
	assert_int_equal(proto_catalogue_parse(line, (size_t)len, &info), 0);
	assert_int_equal(info.timeout_s, UINT32_MAX);
	assert_int_equal(info.file_len, PROTO_CATALOGUE_FILE_MAX);
	assert_int_equal(registry_describe(&big, line, 64), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),	 cmocka_unit_test(test_selector_kinds),
		cmocka_unit_test(test_select),	 cmocka_unit_test(test_check),
		cmocka_unit_test(test_describe), cmocka_unit_test(test_full_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
