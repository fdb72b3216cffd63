/* SPDX-License-Identifier: MIT */
/* A boot's own logs kept outside its private directory (CI outputs, log directories). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <testrunner/protocol.h>

#include "machine/boot_logs.h"
#include "machine/qemu.h"
#include "machine/qmp.h"
#include "system/files.h"
#include "system/tmpdir.h"

enum { SERIAL, QEMU_OUT, RPMB_OUT, QMP_OUT };
static const char *const names[BOOT_LOGS_N] = {
	[SERIAL] = QEMU_SERIAL_NAME,
	[QEMU_OUT] = QEMU_LOG_NAME,
	[RPMB_OUT] = QEMU_RPMB_LOG_NAME,
	[QMP_OUT] = QMP_LOG_NAME,
};

/* How much of the serial log before its end is searched for the next boot's first line. */
#define SERIAL_SEARCH_MAX (64 * 1024)

/*
 * The serial log's start for the boot after the one that began at @from, the
 * file being @size bytes now: the guest may have reset and written its first
 * line (PROTO_UART_FIRST_LINE) before the host got round to marking, so the
 * last such line after @from is where it begins; else @size.
 */
static off_t serial_start(const char *path, off_t from, off_t size)
{
	static const char first[] = "\n" PROTO_UART_FIRST_LINE;
	off_t lo = size - from > SERIAL_SEARCH_MAX ? size - SERIAL_SEARCH_MAX : from;
	char *buf = size > lo ? malloc((size_t)(size - lo)) : NULL;
	int fd = buf ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	ssize_t n = fd >= 0 ? pread(fd, buf, (size_t)(size - lo), lo) : -1;
	off_t at = size;

	for (ssize_t i = n - (ssize_t)sizeof(first) + 1; i >= 0; i--)
		if (!memcmp(buf + i, first, sizeof(first) - 1)) {
			at = lo + i + 1;
			break;
		}
	if (fd >= 0)
		close(fd);
	free(buf);
	return at;
}

void boot_logs_mark(const char *boot_dir, struct boot_log_marks *m)
{
	char path[TMPDIR_PATH_MAX];
	struct stat st;

	for (size_t i = 0; i < BOOT_LOGS_N; i++) {
		off_t from = m->at[i];

		m->at[i] = 0;
		if (!boot_dir[0] || tmpdir_path(path, sizeof(path), boot_dir, names[i]) ||
		    stat(path, &st))
			continue;
		m->at[i] = i == SERIAL ? serial_start(path, from, st.st_size) : st.st_size;
	}
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
