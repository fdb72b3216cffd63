/* SPDX-License-Identifier: MIT */
/* Staging input files into a boot's private directory by symlink, never by copy. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system/stage.h"

int stage_dir(char *out, size_t len, const char *parent, const char *name)
{
	if ((size_t)snprintf(out, len, "%s/%s", parent, name) >= len)
		return -ENAMETOOLONG;
	return mkdir(out, 0700) ? -errno : 0;
}

int stage_link(const char *dir, const char *name, const char *target)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	return symlink(target, path) ? -errno : 0;
}

int stage_link_matching(const char *dir, const char *src, bool (*want)(const char *name))
{
	DIR *d = opendir(src);
	struct dirent *e;
	struct stat st;
	char path[PATH_MAX];
	int n = 0, ret = 0;

	if (!d)
		return -errno;
	while (!ret && (e = readdir(d))) {
		if (!want(e->d_name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", src, e->d_name) >= sizeof(path))
			ret = -ENAMETOOLONG;
		else if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue; /* a dangling link or a directory is nothing to load */
		else if (!(ret = stage_link(dir, e->d_name, path)))
			n++;
	}
	closedir(d);
	return ret ? ret : n;
}
