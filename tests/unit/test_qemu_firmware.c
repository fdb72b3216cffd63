/* SPDX-License-Identifier: MIT */
/*
 * --firmware's QEMU: the command line TF-A needs, its working directory of
 * symlinks to the firmware's images and the testrunner as bl33.bin, and that
 * directory removed with the boot's without touching what the links point to.
 */
#include <errno.h>
#include <limits.h>
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

#include "machine/qemu.h"
#include "system/tmpdir.h"

static size_t find(char **argv, const char *a)
{
	for (size_t i = 0; argv[i]; i++)
		if (!strcmp(argv[i], a))
			return i;
	return SIZE_MAX;
}

static size_t count(char **argv, const char *a)
{
	size_t n = 0;

	for (size_t i = 0; argv[i]; i++)
		n += !strcmp(argv[i], a);
	return n;
}

static void test_argv_without_firmware(void **state)
{
	struct qemu_cfg cfg = { .qemu = "qemu", .image = "img.elf", .memory = "256M", .smp = 1 };
	char **argv = qemu_argv(&cfg, "/tmp/d");
	size_t k;

	(void)state;
	assert_non_null(argv);
	assert_string_equal(argv[find(argv, "-M") + 1], "virt");
	k = find(argv, "-kernel");
	assert_int_not_equal(k, SIZE_MAX);
	assert_string_equal(argv[k + 1], "img.elf");
	assert_int_equal(count(argv, "-serial"), 1);
	assert_int_equal(find(argv, "-bios"), SIZE_MAX);
	assert_int_equal(find(argv, "-semihosting-config"), SIZE_MAX);
	qemu_argv_free(argv);
}

static void test_argv_with_firmware(void **state)
{
	const char *extra[] = { "-machine", "secure=off" };
	struct qemu_cfg cfg = { .qemu = "qemu",
				.image = "/b/testrunner.elf",
				.firmware = "/fw",
				.bl33 = "/b/testrunner.bin",
				.memory = "1G",
				.smp = 1,
				.extra = extra,
				.n_extra = 2 };
	char **argv;
	size_t m, s1, s2, b, sh, x;

	(void)state;
	argv = qemu_argv(&cfg, "/tmp/a,b");
	assert_non_null(argv);
	m = find(argv, "-M");
	assert_string_equal(argv[m + 1], "virt,secure=on,virtualization=on");
	/* TF-A loads the images itself: no -kernel, the image is not even named */
	assert_int_equal(find(argv, "-kernel"), SIZE_MAX);
	for (size_t i = 0; argv[i]; i++)
		assert_null(strstr(argv[i], "testrunner."));
	b = find(argv, "-bios");
	assert_int_not_equal(b, SIZE_MAX);
	assert_string_equal(argv[b + 1], "/fw/bl1.bin");
	sh = find(argv, "-semihosting-config");
	assert_int_not_equal(sh, SIZE_MAX);
	assert_string_equal(argv[sh + 1], "enable=on,target=native");
	/* the guest's UART first (serial 0), the secure world's beside it (serial 1) */
	/* "file:PATH" is taken literally: the comma stays single */
	assert_int_equal(count(argv, "-serial"), 2);
	s1 = find(argv, "file:/tmp/a,b/serial.log");
	s2 = find(argv, "file:/tmp/a,b/secure.log");
	assert_int_not_equal(s1, SIZE_MAX);
	assert_int_not_equal(s2, SIZE_MAX);
	assert_true(s1 < s2);
	assert_string_equal(argv[s2 - 1], "-serial");
	/* the user's -machine comes after ours, so QEMU lets it override */
	x = find(argv, "-machine");
	assert_true(m < x);
	assert_string_equal(argv[x + 1], "secure=off");
	qemu_argv_free(argv);

	/* with the UART on stdio, the secure one still goes to its file */
	cfg.serial_stdio = true;
	argv = qemu_argv(&cfg, "/tmp/d");
	assert_non_null(argv);
	assert_string_equal(argv[find(argv, "-serial") + 1], "stdio");
	assert_int_not_equal(find(argv, "file:/tmp/d/secure.log"), SIZE_MAX);
	qemu_argv_free(argv);
}

static char top[64];

static void touch(const char *dir, const char *name)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(name, f);
	fclose(f);
}

/* The link <dir>/<name> points at @target. */
static void assert_link(const char *dir, const char *name, const char *target)
{
	char path[PATH_MAX], got[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	n = readlink(path, got, sizeof(got) - 1);
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, target);
}

static void test_stage_firmware(void **state)
{
	char fw[96], boot[TMPDIR_PATH_MAX], cwd[TMPDIR_PATH_MAX], path[PATH_MAX + 16];
	char bl33[96], target[PATH_MAX + 16];
	static const char *const staged[] = { "bl1.bin",  "bl2.bin",	     "bl31.bin",
					      "bl32.bin", "bl32_extra1.bin", "bl32_extra2.bin" };
	struct qemu_cfg cfg = { .firmware = fw, .bl33 = bl33 };
	struct stat st;
	size_t entries = 0;
	FILE *ls;

	(void)state;
	snprintf(fw, sizeof(fw), "%s/tfa", top);
	snprintf(bl33, sizeof(bl33), "%s/testrunner.bin", top);
	assert_int_equal(mkdir(fw, 0700), 0);
	touch(top, "testrunner.bin");
	for (size_t i = 0; i < sizeof(staged) / sizeof(staged[0]); i++)
		touch(fw, staged[i]);
	/* not TF-A's images, or not files: left out; the firmware's own bl33 is replaced */
	touch(fw, "bl33.bin");
	touch(fw, "bl31.elf");
	touch(fw, "notes.txt");
	snprintf(path, sizeof(path), "%s/bl9.bin", fw);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/bl8.bin", fw);
	assert_int_equal(symlink("/nonexistent", path), 0);

	snprintf(boot, sizeof(boot), "%s/boot", top);
	assert_int_equal(mkdir(boot, 0700), 0);
	assert_int_equal(qemu_stage_firmware(&cfg, boot, cwd, sizeof(cwd)), 0);
	snprintf(path, sizeof(path), "%s/firmware", boot);
	assert_string_equal(cwd, path);
	for (size_t i = 0; i < sizeof(staged) / sizeof(staged[0]); i++) {
		snprintf(target, sizeof(target), "%s/%s", fw, staged[i]);
		assert_link(cwd, staged[i], target);
	}
	assert_link(cwd, "bl33.bin", bl33);
	snprintf(path, sizeof(path), "ls -A '%s'", cwd);
	ls = popen(path, "r");
	assert_non_null(ls);
	while (fgets(path, sizeof(path), ls))
		entries++;
	pclose(ls);
	assert_int_equal(entries, sizeof(staged) / sizeof(staged[0]) + 1);

	/* staged twice into one directory: an error, not a silent mix */
	assert_int_equal(qemu_stage_firmware(&cfg, boot, cwd, sizeof(cwd)), -EEXIST);

	/* removed with the boot's directory; the firmware and the image stay */
	tmpdir_remove(boot);
	assert_int_equal(lstat(boot, &st), -1);
	snprintf(path, sizeof(path), "%s/bl31.bin", fw);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(stat(bl33, &st), 0);

	/* a firmware directory that cannot be listed */
	assert_int_equal(mkdir(boot, 0700), 0);
	snprintf(fw, sizeof(fw), "%s/missing", top);
	assert_int_equal(qemu_stage_firmware(&cfg, boot, cwd, sizeof(cwd)), -ENOENT);
	tmpdir_remove(boot);
}

static int setup(void **state)
{
	(void)state;
	snprintf(top, sizeof(top), "/tmp/test_qemu_firmware.XXXXXX");
	return mkdtemp(top) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_without_firmware),
		cmocka_unit_test(test_argv_with_firmware),
		cmocka_unit_test(test_stage_firmware),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
