/* SPDX-License-Identifier: MIT */
/* Report files replaced whole: a reader (or a crash mid-write) never sees half of one. */
#ifndef HOST_REPORTS_ATOMIC_FILE_H
#define HOST_REPORTS_ATOMIC_FILE_H

#include <stdio.h>

/*
 * Write @path whole or not at all: @write(f, @ctx) fills a temporary file
 * beside it, which is then renamed over @path. Returns 0 or -errno.
 */
int atomic_file_write(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx);

#endif
