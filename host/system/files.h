/* SPDX-License-Identifier: MIT */
/* Input files checked before anything starts: one clear reason each. */
#ifndef HOST_SYSTEM_FILES_H
#define HOST_SYSTEM_FILES_H

#include <stddef.h>

/* NULL when @path is a readable regular file, else why not. */
const char *file_unreadable(const char *path);
/* NULL when @path is a directory we may list, else why not. */
const char *file_dir_unlistable(const char *path);
/* 1 when @path begins with the ELF magic, 0 when not, -errno if unreadable. */
int file_is_elf(const char *path);
/* @path, which exists, as an absolute path (realpath). 0 or -errno. */
int file_absolute(const char *path, char *out, size_t len);

#endif
