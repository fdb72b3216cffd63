/* SPDX-License-Identifier: MIT */
/* Unit tests: the catalogue line parser both sides share (testrunner/catalogue.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <testrunner/catalogue.h>

static int parse(const char *line, struct proto_test_info *info)
{
	return proto_catalogue_parse(line, strlen(line), info);
}

static void test_fields(void **state)
{
	struct proto_test_info i;
	(void)state;

	assert_int_equal(parse("# test a.b timeout_s=30 cpus=2 manual=0 file=x.c", &i), 0);
	assert_int_equal(i.name_len, 3);
	assert_memory_equal(i.name, "a.b", 3);
	assert_int_equal(i.timeout_s, 30);
	assert_int_equal(i.cpus, 2);
	assert_false(i.manual);
	assert_int_equal(i.file_len, 3);
	assert_memory_equal(i.file, "x.c", 3);

	/* any order; a path with spaces and '=' runs to the end of the line */
	assert_int_equal(parse("# test a.b manual=1 file=my dir/a=b.c", &i), 0);
	assert_true(i.manual);
	assert_int_equal(i.timeout_s, 0);
	assert_int_equal(i.file_len, strlen("my dir/a=b.c"));

	/* just the name: every option absent */
	assert_int_equal(parse("# test a.b", &i), 0);
	assert_int_equal(i.name_len, 3);
	assert_null(i.file);
	assert_int_equal(i.cpus, 0);
}

/* a later guest may add keys: ignored, whatever their value */
static void test_unknown_keys(void **state)
{
	struct proto_test_info i;
	(void)state;

	assert_int_equal(parse("# test a.b future=x,y cpus=3 other= file=f.c", &i), 0);
	assert_int_equal(i.cpus, 3);
	assert_memory_equal(i.file, "f.c", 3);
}

static void test_refused(void **state)
{
	struct proto_test_info i;
	(void)state;

	/* not a catalogue line */
	assert_int_equal(parse("a.b", &i), -EINVAL);
	assert_int_equal(parse("# start a.b", &i), -EINVAL);
	assert_int_equal(parse("# test ", &i), -EINVAL);
	assert_int_equal(parse("# test  cpus=1", &i), -EINVAL);
	/* a field that is not key=value, an empty field */
	assert_int_equal(parse("# test a.b manual", &i), -EINVAL);
	assert_int_equal(parse("# test a.b  cpus=1", &i), -EINVAL);
	assert_int_equal(parse("# test a.b cpus=1 ", &i), -EINVAL);
	/* bad numbers for known keys */
	assert_int_equal(parse("# test a.b cpus=", &i), -EINVAL);
	assert_int_equal(parse("# test a.b cpus=-1", &i), -EINVAL);
	assert_int_equal(parse("# test a.b cpus=0x2", &i), -EINVAL);
	assert_int_equal(parse("# test a.b timeout_s=4294967296", &i), -EINVAL);
	assert_int_equal(parse("# test a.b timeout_s=4294967295", &i), 0);
	assert_int_equal(parse("# test a.b manual=2", &i), -EINVAL);
	/* the length given is the line: nothing read past it */
	assert_int_equal(proto_catalogue_parse("# test a.b cpus=12", 17, &i), 0);
	assert_int_equal(i.cpus, 1);
}

static void test_format(void **state)
{
	char line[PROTO_CATALOGUE_LINE_MAX];
	/* volatile: the compiler must not see (and warn about) the truncation */
	volatile size_t small = 10;
	(void)state;

	assert_int_equal(proto_catalogue_format(line, sizeof(line), "s", "c", 5, 1, false, "f.c"),
			 (int)strlen("# test s.c timeout_s=5 cpus=1 manual=0 file=f.c"));
	assert_string_equal(line, "# test s.c timeout_s=5 cpus=1 manual=0 file=f.c");
	assert_int_equal(proto_catalogue_format(line, small, "s", "c", 5, 1, false, "f.c"),
			 -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
