/* SPDX-License-Identifier: MIT */
/* The files of a log directory: per test, and per boot copied before its directory goes. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "machine/qemu.h"
#include "machine/qmp.h"
#include "reports/atomic_file.h"
#include "reports/ktap_file.h"
#include "reports/log_dir.h"
#include "system/files.h"

int log_dir_create(const char *dir)
{
	struct stat st;

	if (!mkdir(dir, 0755))
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (stat(dir, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int log_dir_save_boot(const char *dir, unsigned int boot, const char *boot_dir)
{
	static const char *const names[][2] = {
		{ QEMU_SERIAL_NAME, "serial.log" },
		{ QEMU_LOG_NAME, "qemu.log" },
		{ QMP_LOG_NAME, "qmp.log" },
	};
	char from[4096], to[4096];
	int ret = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int rc;

		if (snprintf(from, sizeof(from), "%s/%s", boot_dir, names[i][0]) >=
			    (int)sizeof(from) ||
		    snprintf(to, sizeof(to), "%s/boot-%u.%s", dir, boot, names[i][1]) >=
			    (int)sizeof(to))
			return -ENAMETOOLONG;
		rc = file_copy(from, to);
		if (rc && rc != -ENOENT && !ret)
			ret = rc;
	}
	return ret;
}

int log_dir_test_path(const char *dir, const struct test_rec *t, char *buf, size_t len)
{
	/* test names are [A-Za-z0-9_.-]: safe as file names */
	return snprintf(buf, len, "%s/%s.log", dir, t->name) >= (int)len ? -ENAMETOOLONG : 0;
}

static int write_test(FILE *f, const void *ctx)
{
	const struct test_rec *t = ctx;

	if (t->boot)
		fprintf(f, "# boot %u: boot-%u.serial.log, boot-%u.qemu.log\n", t->boot, t->boot,
			t->boot);
	ktap_write_test(f, t, 1);
	return ferror(f) ? -EIO : 0;
}

int log_dir_write_tests(const char *dir, const struct test_set *t)
{
	char path[4096];
	int ret = 0;

	for (size_t i = 0; i < t->n; i++) {
		int rc = log_dir_test_path(dir, &t->v[i], path, sizeof(path));

		if (!rc)
			rc = atomic_file_write(path, write_test, &t->v[i]);
		if (rc && !ret)
			ret = rc;
	}
	return ret;
}
