/* SPDX-License-Identifier: MIT */
/*
 * Report files: a regular file replaced whole through an exclusively
 * created temporary beside its real target, anything else written in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/atomic_file.h"
#include "system/out_queue.h"

/* @write into @f, then its buffer out: the first error as -errno. */
static int fill(FILE *f, int (*write)(FILE *f, const void *ctx), const void *ctx)
{
	int ret;

	errno = 0;
	ret = write(f, ctx);
	/* the callback sees only ferror(): the write that failed set errno */
	if (ret == -EIO && errno)
		ret = -errno;
	if (fflush(f) && !ret)
		ret = -(errno ? errno : EIO);
	return ret;
}

/* A FIFO, a device, a terminal: opened and written, never replaced. */
static int write_in_place(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC), ret;
	FILE *f;

	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = fill(f, write, ctx);
	if (fclose(f) && !ret)
		ret = -(errno ? errno : EIO);
	return ret;
}

/* Our own stdout (/dev/stdout, or the file it goes to): after the log, in order. */
static int write_to_stdout(int (*write)(FILE *f, const void *ctx), const void *ctx)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	if (!f)
		return -errno;
	ret = fill(f, write, ctx);
	if (fclose(f) && !ret)
		ret = -ENOMEM;
	if (!ret)
		out_queue_write(buf, len);
	free(buf);
	return ret;
}

/*
 * @target (no symlink in the way) replaced whole: the temporary is created
 * with O_EXCL, so nothing planted at its name is ever followed.
 */
static int replace(const char *target, int (*write)(FILE *f, const void *ctx), const void *ctx)
{
	char tmp[PATH_MAX + 16];
	const char *slash = strrchr(target, '/');
	mode_t mask = umask(0);
	int fd, ret;
	FILE *f;

	umask(mask);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX",
			     slash ? (int)(slash - target + 1) : 0, target,
			     slash ? slash + 1 : target) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* a report is an ordinary file: the user's umask, not mkstemp's 0600 */
	if (fchmod(fd, 0666 & ~mask) || !(f = fdopen(fd, "w"))) {
		ret = -errno;
		close(fd);
		unlink(tmp);
		return ret;
	}
	ret = fill(f, write, ctx);
	if (fclose(f) && !ret)
		ret = -(errno ? errno : EIO);
	if (!ret && rename(tmp, target))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/* A symlink whose target does not exist yet: that target, as a path. */
static int link_target(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	char to[PATH_MAX];
	ssize_t n = readlink(path, to, sizeof(to) - 1);

	if (n < 0)
		return -errno;
	to[n] = '\0';
	if ((size_t)snprintf(out, len, "%.*s%s",
			     to[0] == '/' || !slash ? 0 : (int)(slash - path + 1), path, to) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* Symlinks followed at most this deep, as the kernel's own limit for paths. */
#define LINKS_MAX 40

static int write_report(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx,
			int depth)
{
	char target[PATH_MAX];
	struct stat st, out;
	int ret;

	if (stat(path, &st)) {
		if (errno != ENOENT)
			return -errno;
		if (lstat(path, &st))
			return replace(path, write, ctx);
		/* a symlink to a file not made yet: the report is made there */
		if (depth >= LINKS_MAX)
			return -ELOOP;
		ret = link_target(path, target, sizeof(target));
		return ret ? ret : write_report(target, write, ctx, depth + 1);
	}
	if (!S_ISREG(st.st_mode))
		return write_in_place(path, write, ctx);
	if (!fstat(STDOUT_FILENO, &out) && out.st_dev == st.st_dev && out.st_ino == st.st_ino)
		return write_to_stdout(write, ctx);
	/* a symlink is followed: its target is the report, the link stays */
	if (!realpath(path, target))
		return -errno;
	return replace(target, write, ctx);
}

int atomic_file_write(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx)
{
	return write_report(path, write, ctx, 0);
}
