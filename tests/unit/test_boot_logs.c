/* SPDX-License-Identifier: MIT */
/*
 * Each boot's part of one QEMU's logs (reset mode): where a boot begins, also
 * when the guest reset and wrote its first line before the host marked it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <testrunner/protocol.h>

#include "machine/boot_logs.h"
#include "machine/qemu.h"
#include "system/tmpdir.h"

static char dir[32];

static void append(const char *name, const char *text)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "a");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *name)
{
	static char buf[512];
	char path[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_each_boot_its_own_part(void **state)
{
	struct boot_log_marks m = { { 0 } };
	char out[64];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_boot_logs.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/out", dir);
	assert_int_equal(mkdir(out, 0700), 0);

	append(QEMU_SERIAL_NAME, PROTO_UART_FIRST_LINE "one\nboot one\n");
	append(QEMU_LOG_NAME, "qemu one\n");
	boot_logs_mark(dir, &m); /* boot 2 begins; its guest has not reset yet */
	append(QEMU_SERIAL_NAME, PROTO_UART_FIRST_LINE "two\nboot two\n");
	append(QEMU_LOG_NAME, "qemu two\n");
	assert_int_equal(boot_logs_keep(dir, out, "boot-2", &m), 0);
	assert_string_equal(slurp("out/boot-2." QEMU_SERIAL_NAME),
			    PROTO_UART_FIRST_LINE "two\nboot two\n");
	assert_string_equal(slurp("out/boot-2." QEMU_LOG_NAME), "qemu two\n");

	/* boot 3 reset and wrote its first lines before the host marked it */
	append(QEMU_SERIAL_NAME, "late line of boot two\n" PROTO_UART_FIRST_LINE "three\nboot 3\n");
	boot_logs_mark(dir, &m);
	append(QEMU_SERIAL_NAME, "more of boot 3\n");
	assert_int_equal(boot_logs_keep(dir, out, "boot-3", &m), 0);
	assert_string_equal(slurp("out/boot-3." QEMU_SERIAL_NAME),
			    PROTO_UART_FIRST_LINE "three\nboot 3\nmore of boot 3\n");
	/* whole, without marks */
	assert_int_equal(boot_logs_keep(dir, out, "all", NULL), 0);
	assert_non_null(strstr(slurp("out/all." QEMU_SERIAL_NAME), "boot one"));
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_boot_its_own_part),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
