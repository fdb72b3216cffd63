/* SPDX-License-Identifier: MIT */
/* Private temporary directories, one per boot. */
#ifndef HOST_SYSTEM_TMPDIR_H
#define HOST_SYSTEM_TMPDIR_H

#include <stddef.h>
#include <sys/un.h>

/*
 * A boot's directory and every "<dir>/<name>" in it fit a unix socket
 * address, so its sockets can live there: one buffer size for all of them.
 */
#define TMPDIR_PATH_MAX sizeof(((struct sockaddr_un *)0)->sun_path)
/* Room kept for "/<name>" after the directory ("/serial.log", "/cmdline"). */
#define TMPDIR_NAME_ROOM 32

/*
 * Where boot directories go: $TEST_TMPDIR (Bazel), else $TMPDIR (made absolute), else /tmp;
 * also /tmp when that path leaves no TMPDIR_NAME_ROOM in TMPDIR_PATH_MAX,
 * and then *@too_long (may be NULL) is the path refused, for a warning.
 */
const char *tmpdir_base(const char **too_long);
/* A private 0700 directory under tmpdir_base(). Returns 0 or -errno. */
int tmpdir_make(char *dir, size_t len);
/* "<dir>/<name>" into @out. Returns 0 or -ENAMETOOLONG. */
int tmpdir_path(char *out, size_t len, const char *dir, const char *name);
/* The last @max bytes of <dir>/<name>, NUL-terminated and malloc'd; NULL if none. */
char *tmpdir_read_tail(const char *dir, const char *name, size_t max);
/* Remove the directory and whatever QEMU left in it, subdirectories included. */
void tmpdir_remove(const char *dir);

#endif
