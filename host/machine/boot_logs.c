/* SPDX-License-Identifier: MIT */
/* A boot's own logs kept outside its private directory (CI outputs, log directories). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "machine/boot_logs.h"
#include "machine/qemu.h"
#include "system/tmpdir.h"

/* One file copied whole; a missing source is no error (that boot had none). */
static int copy(const char *from, const char *to)
{
	char buf[64 * 1024];
	int in, out, ret = 0;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT ? 0 : -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			ret = -EIO;
			break;
		}
	if (n < 0 && !ret)
		ret = -errno;
	if (close(out) && !ret)
		ret = -EIO;
	close(in);
	return ret;
}

int boot_logs_keep(const char *boot_dir, const char *to_dir, const char *prefix)
{
	static const char *const names[] = { QEMU_SERIAL_NAME, QEMU_LOG_NAME, QEMU_RPMB_LOG_NAME };
	char from[TMPDIR_PATH_MAX], to[PATH_MAX];
	int ret, first = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ret = tmpdir_path(from, sizeof(from), boot_dir, names[i]);
		if (!ret && (size_t)snprintf(to, sizeof(to), "%s/%s.%s", to_dir, prefix,
					     names[i]) >= sizeof(to))
			ret = -ENAMETOOLONG;
		if (!ret)
			ret = copy(from, to);
		if (ret && !first)
			first = ret;
	}
	return first;
}
