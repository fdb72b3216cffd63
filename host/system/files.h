/* SPDX-License-Identifier: MIT */
/* Input files checked before anything starts (one clear reason each), and copies. */
#ifndef HOST_SYSTEM_FILES_H
#define HOST_SYSTEM_FILES_H

#include <stddef.h>
#include <sys/types.h>

/* NULL when @path is a readable regular file, else why not. */
const char *file_unreadable(const char *path);
/* NULL when @path is a directory we may list, else why not. */
const char *file_dir_unlistable(const char *path);
/* 1 when @path begins with the ELF magic, 0 when not, -errno if unreadable. */
int file_is_elf(const char *path);
/* @path, which exists, as an absolute path (realpath). 0 or -errno. */
int file_absolute(const char *path, char *out, size_t len);
/* Copy @from to a new or truncated @to (mode 0644). 0 or -errno (-ENOENT: no @from). */
int file_copy(const char *from, const char *to);
/* All @len bytes of @buf to @fd (EINTR retried). 0 or -errno. */
int file_write_all(int fd, const void *buf, size_t len);
/* The same from byte @start of @from on (past its end: an empty copy). */
int file_copy_from(const char *from, const char *to, off_t start);

#endif
