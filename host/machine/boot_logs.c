/* SPDX-License-Identifier: MIT */
/* A boot's own logs kept outside its private directory (CI outputs, log directories). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "machine/boot_logs.h"
#include "machine/qemu.h"
#include "machine/qmp.h"
#include "system/files.h"
#include "system/tmpdir.h"

int boot_logs_keep(const char *boot_dir, const char *to_dir, const char *prefix)
{
	static const char *const names[] = { QEMU_SERIAL_NAME, QEMU_LOG_NAME, QEMU_RPMB_LOG_NAME,
					     QMP_LOG_NAME };
	char from[TMPDIR_PATH_MAX], to[PATH_MAX];
	int ret, first = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ret = tmpdir_path(from, sizeof(from), boot_dir, names[i]);
		if (!ret && (size_t)snprintf(to, sizeof(to), "%s/%s.%s", to_dir, prefix,
					     names[i]) >= sizeof(to))
			ret = -ENAMETOOLONG;
		if (!ret)
			ret = file_copy(from, to);
		if (ret == -ENOENT) /* that boot had none */
			ret = 0;
		if (ret && !first)
			first = ret;
	}
	return first;
}
