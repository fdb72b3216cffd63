/* SPDX-License-Identifier: MIT */
/* The files of a log directory: per test, and per boot copied before its directory goes. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "machine/boot_logs.h"
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

int log_dir_save_boot(const char *dir, unsigned int boot, const char *boot_dir,
		      const struct boot_log_marks *from)
{
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "boot-%u", boot);
	return boot_logs_keep(boot_dir, dir, prefix, from);
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
