/* SPDX-License-Identifier: MIT */
/* Private temporary directories, one per boot. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system/tmpdir.h"

static const char name[] = "/testrunner.XXXXXX";

const char *tmpdir_base(const char **too_long)
{
	/* Bazel's per-test directory first: it is writable in the sandbox and cleaned */
	static char abs[PATH_MAX];
	const char *base = getenv("TEST_TMPDIR");

	if (!base || !*base)
		base = getenv("TMPDIR");
	if (too_long)
		*too_long = NULL;
	if (!base || !*base)
		return "/tmp";
	/* absolute: QEMU may run in a directory of its own (--firmware) */
	if (*base != '/' && realpath(base, abs))
		base = abs;
	if (strlen(base) + sizeof(name) - 1 + TMPDIR_NAME_ROOM > TMPDIR_PATH_MAX) {
		if (too_long)
			*too_long = base;
		return "/tmp";
	}
	return base;
}

int tmpdir_make(char *dir, size_t len)
{
	const char *base = tmpdir_base(NULL);

	if ((size_t)snprintf(dir, len, "%s%s", base, name) >= len)
		return -ENAMETOOLONG;
	if (!mkdtemp(dir))
		return -errno;
	/* mkdtemp already uses 0700; say so for the reader and for odd libcs */
	if (chmod(dir, 0700)) {
		int ret = -errno;

		rmdir(dir);
		return ret;
	}
	return 0;
}

int tmpdir_path(char *out, size_t len, const char *dir, const char *name)
{
	if ((size_t)snprintf(out, len, "%s/%s", dir, name) >= len)
		return -ENAMETOOLONG;
	return 0;
}

void tmpdir_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	char path[TMPDIR_PATH_MAX];

	if (d) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (tmpdir_path(path, sizeof(path), dir, e->d_name))
				continue;
			/* a directory of our own (QEMU's working directory); a symlink is
			 * only unlinked, never followed */
			if (!lstat(path, &st) && S_ISDIR(st.st_mode))
				tmpdir_remove(path);
			else
				unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

char *tmpdir_read_tail(const char *dir, const char *name, size_t max)
{
	char path[TMPDIR_PATH_MAX], *buf;
	struct stat st;
	ssize_t n;
	off_t off;
	int fd;

	if (tmpdir_path(path, sizeof(path), dir, name))
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !(buf = malloc(max + 1))) {
		close(fd);
		return NULL;
	}
	off = st.st_size > (off_t)max ? st.st_size - (off_t)max : 0;
	n = pread(fd, buf, max, off);
	close(fd);
	if (n <= 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}
