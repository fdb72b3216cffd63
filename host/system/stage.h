/* SPDX-License-Identifier: MIT */
/* Staging input files into a boot's private directory by symlink, never by copy. */
#ifndef HOST_SYSTEM_STAGE_H
#define HOST_SYSTEM_STAGE_H

#include <stdbool.h>
#include <stddef.h>

/* "<parent>/<name>" into @out, created 0700. 0 or -errno. */
int stage_dir(char *out, size_t len, const char *parent, const char *name);
/* <dir>/<name> a symlink to @target (an absolute path). 0 or -errno. */
int stage_link(const char *dir, const char *name, const char *target);
/*
 * A symlink in @dir for each regular file of @src (an absolute directory)
 * whose name @want accepts, under the same name. Returns how many, or -errno.
 */
int stage_link_matching(const char *dir, const char *src, bool (*want)(const char *name));

#endif
