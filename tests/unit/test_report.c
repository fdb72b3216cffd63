/* SPDX-License-Identifier: MIT */
/* The merged KTAP report file: replaced whole, never rewritten in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <unistd.h>

#include <cmocka.h>

#include "reports/ktap_file.h"

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_ktap_file_is_replaced_atomically(void **state)
{
	char dir[] = "/tmp/test_report.XXXXXX", path[64], buf[256];
	struct test_set t;
	struct test_rec *r;
	FILE *old;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/all.ktap", dir);
	old = fopen(path, "w+");
	assert_non_null(old);
	fputs("previous run\n", old);
	fflush(old);

	tests_init(&t);
	r = tests_get(&t, "a.b");
	r->state = TEST_PASS;
	assert_int_equal(ktap_write_file(path, &t), 0);

	/* the reader of the old file still sees the old file, whole */
	rewind(old);
	n = fread(buf, 1, sizeof(buf) - 1, old);
	buf[n] = '\0';
	assert_string_equal(buf, "previous run\n");
	fclose(old);

	old = fopen(path, "r");
	assert_non_null(old);
	n = fread(buf, 1, sizeof(buf) - 1, old);
	buf[n] = '\0';
	fclose(old);
	assert_string_equal(buf, "KTAP version 1\n1..1\n# start a.b\nok 1 a.b\n");
	/* no temporary file left beside it */
	assert_int_equal(entries(dir), 1);

	/* an unwritable place: an error, nothing left behind */
	snprintf(path, sizeof(path), "%s/no/such/dir.ktap", dir);
	assert_int_equal(ktap_write_file(path, &t), -ENOENT);
	assert_int_equal(entries(dir), 1);

	snprintf(path, sizeof(path), "%s/all.ktap", dir);
	unlink(path);
	rmdir(dir);
	tests_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ktap_file_is_replaced_atomically),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
