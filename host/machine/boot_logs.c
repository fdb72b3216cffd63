/* SPDX-License-Identifier: MIT */
/* A boot's own logs kept outside its private directory (CI outputs, log directories). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "machine/boot_logs.h"
#include "machine/qemu.h"
#include "machine/qmp.h"
#include "system/files.h"
#include "system/tmpdir.h"

static const char *const names[BOOT_LOGS_N] = { QEMU_SERIAL_NAME, QEMU_LOG_NAME, QEMU_RPMB_LOG_NAME,
						QMP_LOG_NAME };

void boot_logs_mark(const char *boot_dir, struct boot_log_marks *m)
{
	char path[TMPDIR_PATH_MAX];
	struct stat st;

	for (size_t i = 0; i < BOOT_LOGS_N; i++)
		m->at[i] = boot_dir[0] && !tmpdir_path(path, sizeof(path), boot_dir, names[i]) &&
					   !stat(path, &st)
				   ? st.st_size
				   : 0;
}

int boot_logs_keep(const char *boot_dir, const char *to_dir, const char *prefix,
		   const struct boot_log_marks *from)
{
	char path[TMPDIR_PATH_MAX], to[PATH_MAX];
	int ret, first = 0;

	if (!boot_dir[0]) /* the boot never got a directory */
		return 0;
	for (size_t i = 0; i < BOOT_LOGS_N; i++) {
		ret = tmpdir_path(path, sizeof(path), boot_dir, names[i]);
		if (!ret && (size_t)snprintf(to, sizeof(to), "%s/%s.%s", to_dir, prefix,
					     names[i]) >= sizeof(to))
			ret = -ENAMETOOLONG;
		if (!ret)
			ret = file_copy_from(path, to, from ? from->at[i] : 0);
		if (ret == -ENOENT) /* that boot had none */
			ret = 0;
		if (ret && !first)
			first = ret;
	}
	return first;
}
