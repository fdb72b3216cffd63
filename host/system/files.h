/* SPDX-License-Identifier: MIT */
/* Input files checked before anything starts (one clear reason each), and copies. */
#ifndef HOST_SYSTEM_FILES_H
#define HOST_SYSTEM_FILES_H

/* NULL when @path is a readable regular file, else why not. */
const char *file_unreadable(const char *path);
/* Copy @from to a new or truncated @to (mode 0644). 0 or -errno (-ENOENT: no @from). */
int file_copy(const char *from, const char *to);

#endif
