/* SPDX-License-Identifier: MIT */
/* Input files checked before anything starts: one clear reason each. */
#ifndef HOST_SYSTEM_FILES_H
#define HOST_SYSTEM_FILES_H

/* NULL when @path is a readable regular file, else why not. */
const char *file_unreadable(const char *path);

#endif
