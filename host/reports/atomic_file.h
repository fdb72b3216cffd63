/* SPDX-License-Identifier: MIT */
/*
 * Report files: a regular one replaced whole, so that a reader (or a crash
 * mid-write) never sees half of one; FIFOs and devices written in place.
 */
#ifndef HOST_REPORTS_ATOMIC_FILE_H
#define HOST_REPORTS_ATOMIC_FILE_H

#include <stdio.h>

/*
 * Write the report @write(f, @ctx) to @path. A regular file (a symlink's
 * target, when @path is one) is replaced whole through a temporary created
 * exclusively beside it; a FIFO or a device is written in place; our own
 * stdout gets it after the log. Returns 0 or -errno.
 */
int atomic_file_write(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx);

#endif
