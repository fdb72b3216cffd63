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
/* Where the sockets go when the boot directories' paths are too long for them. */
static const char sock_template[] = "/tmp/testrunner-sockets.XXXXXX";

/* The short socket directory of this process ("" until made), and who made it. */
static char sock_dir[sizeof(sock_template)];
static pid_t sock_owner;

const char *tmpdir_base(void)
{
	/* Bazel's per-test directory first: it is writable in the sandbox and cleaned */
	static char abs[PATH_MAX];
	const char *base = getenv("TEST_TMPDIR");

	if (!base || !*base)
		base = getenv("TMPDIR");
	if (!base || !*base)
		return "/tmp";
	/* absolute: QEMU may run in a directory of its own (--firmware) */
	if (*base != '/' && realpath(base, abs))
		base = abs;
	return base;
}

bool tmpdir_sockets_apart(void)
{
	return strlen(tmpdir_base()) + sizeof(name) - 1 + TMPDIR_NAME_ROOM > TMPDIR_SOCK_MAX;
}

/* Remove @dir and everything in it; a symlink is unlinked, never followed. */
static void remove_tree(const char *dir)
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
			/* a directory of our own (QEMU's working directory) */
			if (!lstat(path, &st) && S_ISDIR(st.st_mode))
				remove_tree(path);
			else
				unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

/* At exit (a signal ends a run by returning from main too); never in a forked child. */
static void remove_sock_dir(void)
{
	if (sock_dir[0] && getpid() == sock_owner)
		remove_tree(sock_dir);
}

int tmpdir_sockets_init(void)
{
	const char *base;

	if (sock_dir[0] || !tmpdir_sockets_apart())
		return 0;
	memcpy(sock_dir, sock_template, sizeof(sock_template));
	if (!mkdtemp(sock_dir)) {
		int ret = -errno;

		sock_dir[0] = '\0';
		return ret;
	}
	sock_owner = getpid();
	if (atexit(remove_sock_dir)) {
		remove_tree(sock_dir);
		sock_dir[0] = '\0';
		return -ENOMEM;
	}
	base = tmpdir_base();
	fprintf(stderr,
		"testrunner-host: warning: temporary directory %s (%zu bytes) is too long for a "
		"unix socket address (%zu bytes at most): boot directories stay there, their "
		"sockets go to %s\n",
		base, strlen(base), TMPDIR_SOCK_MAX - 1, sock_dir);
	return 0;
}

/* The boot directory's own one in sock_dir: "<sock_dir>/testrunner.XXXXXX". */
static int sock_sub(char *out, size_t len, const char *dir)
{
	const char *slash = strrchr(dir, '/');

	if ((size_t)snprintf(out, len, "%s/%s", sock_dir, slash ? slash + 1 : dir) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int tmpdir_socket(char *out, size_t len, const char *dir, const char *name)
{
	char sub[TMPDIR_SOCK_MAX];
	int ret = tmpdir_sockets_init();

	if (ret)
		return ret;
	if (sock_dir[0]) {
		ret = sock_sub(sub, sizeof(sub), dir);
		if (ret)
			return ret;
		if (mkdir(sub, 0700) && errno != EEXIST)
			return -errno;
		dir = sub;
	}
	ret = tmpdir_path(out, len, dir, name);
	if (!ret && strlen(out) >= TMPDIR_SOCK_MAX)
		ret = -ENAMETOOLONG;
	return ret;
}

int tmpdir_make(char *dir, size_t len)
{
	const char *base = tmpdir_base();

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
	char sub[TMPDIR_SOCK_MAX];

	remove_tree(dir);
	if (sock_dir[0] && !sock_sub(sub, sizeof(sub), dir))
		remove_tree(sub);
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
