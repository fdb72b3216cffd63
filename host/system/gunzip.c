/* SPDX-License-Identifier: MIT */
/* gzip decompression for testrunner-host boot: distributions ship Image.gz. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "system/files.h"
#include "system/gunzip.h"

bool gunzip_is_gzip(const char *path)
{
	unsigned char magic[2];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, magic, sizeof(magic));
	close(fd);
	return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

int gunzip_file(const char *src, const char *dst, uint64_t max, char *why, size_t why_len)
{
	static char buf[1 << 16];
	uint64_t total = 0;
	gzFile in;
	int out, n, err, werr, ret = -1;

	in = gzopen(src, "rb");
	if (!in) {
		snprintf(why, why_len, "%s: %s", src, strerror(errno ? errno : ENOMEM));
		return -1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		snprintf(why, why_len, "%s: %s", dst, strerror(errno));
		gzclose(in);
		return -1;
	}
	for (;;) {
		n = gzread(in, buf, sizeof(buf));
		if (n < 0) {
			const char *msg = gzerror(in, &err);

			snprintf(why, why_len, "%s: corrupt gzip data (%s)", src,
				 err == Z_ERRNO ? strerror(errno) : msg);
			goto out;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > max) {
			snprintf(why, why_len, "%s: decompresses to more than %llu MiB", src,
				 (unsigned long long)(max >> 20));
			goto out;
		}
		if ((werr = file_write_all(out, buf, (size_t)n)) < 0) {
			snprintf(why, why_len, "%s: %s", dst, strerror(-werr));
			goto out;
		}
	}
	/* gzread returns 0 at a truncated stream too: zlib reports it here */
	gzerror(in, &err);
	if (err != Z_OK && err != Z_STREAM_END) {
		snprintf(why, why_len, "%s: truncated gzip data", src);
		goto out;
	}
	ret = 0;
out:
	if (close(out) < 0 && ret == 0) {
		snprintf(why, why_len, "%s: %s", dst, strerror(errno));
		ret = -1;
	}
	gzclose(in);
	return ret;
}
