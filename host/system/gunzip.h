/* SPDX-License-Identifier: MIT */
/* Decompressing a gzip'd kernel (Image.gz, Debian's vmlinuz) with zlib. */
#ifndef HOST_GUNZIP_H
#define HOST_GUNZIP_H

#include <stdbool.h>
#include <stdint.h>

/* True when @path starts with the gzip magic 1f 8b; false on any read error. */
bool gunzip_is_gzip(const char *path);

/*
 * Decompress @src into a new file @dst (mode 0600), refusing output larger
 * than @max bytes. Returns 0 or -1 with a one-line reason in @why.
 */
int gunzip_file(const char *src, const char *dst, uint64_t max, char *why, size_t why_len);

#endif
