/* SPDX-License-Identifier: MIT */
/* Input files checked before anything starts (one clear reason each), and copies. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system/files.h"

const char *file_unreadable(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return strerror(errno);
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	if (access(path, R_OK))
		return strerror(errno);
	return NULL;
}

const char *file_dir_unlistable(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return strerror(errno);
	if (!S_ISDIR(st.st_mode))
		return "not a directory";
	if (access(path, R_OK | X_OK))
		return strerror(errno);
	return NULL;
}

int file_is_elf(const char *path)
{
	static const char magic[4] = { 0x7f, 'E', 'L', 'F' };
	char head[sizeof(magic)];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, head, sizeof(head));
	ret = n < 0 ? -errno : n == sizeof(head) && !memcmp(head, magic, sizeof(magic));
	close(fd);
	return ret;
}

int file_absolute(const char *path, char *out, size_t len)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		return -errno;
	if ((size_t)snprintf(out, len, "%s", real) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int file_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_copy(const char *from, const char *to)
{
	return file_copy_from(from, to, 0);
}

int file_copy_from(const char *from, const char *to, off_t start)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, ret = 0;
	ssize_t n;

	if (in < 0)
		return -errno;
	if (start && lseek(in, start, SEEK_SET) < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	while (!ret && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno != EINTR)
				ret = -errno;
			continue;
		}
		ret = file_write_all(out, buf, (size_t)n);
	}
	if (close(out) && !ret)
		ret = -errno;
	close(in);
	return ret;
}
