/* SPDX-License-Identifier: MIT */
/* Report files replaced whole: written beside, then renamed over. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/atomic_file.h"

int atomic_file_write(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	FILE *f;
	int ret;

	if (!tmp)
		return -ENOMEM;
	/* a reader (or a crash mid-write) never sees half a report */
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		ret = -errno;
		free(tmp);
		return ret;
	}
	ret = write(f, ctx);
	if (fclose(f) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}
