/* SPDX-License-Identifier: MIT */
/* Private temporary directories, one per boot. */
#ifndef HOST_SYSTEM_TMPDIR_H
#define HOST_SYSTEM_TMPDIR_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/un.h>

/* A boot's directory and every "<dir>/<name>" in it: one buffer size for all of them. */
#define TMPDIR_PATH_MAX PATH_MAX
/* A unix socket's path, its NUL included (sun_path). */
#define TMPDIR_SOCK_MAX sizeof(((struct sockaddr_un *)0)->sun_path)
/* Room kept for "/<name>" after the directory ("/serial.log", "/cmdline"). */
#define TMPDIR_NAME_ROOM 32

/* Where boot directories go: $TEST_TMPDIR (Bazel), else $TMPDIR (made absolute), else /tmp. */
const char *tmpdir_base(void);
/*
 * Whether a boot directory there leaves no TMPDIR_NAME_ROOM for a socket's
 * name in TMPDIR_SOCK_MAX: then the sockets go apart (tmpdir_socket).
 */
bool tmpdir_sockets_apart(void);
/*
 * When they go apart, and once per process: a private 0700 directory
 * /tmp/testrunner-sockets.XXXXXX for them, removed at exit, and one warning
 * on stderr that names it. 0 or -errno.
 */
int tmpdir_sockets_init(void);
/*
 * The path of the socket @name of the boot directory @dir: "<dir>/<name>",
 * or, apart, "<socket directory>/<basename of dir>/<name>" (made 0700 here;
 * tmpdir_remove(dir) removes it). 0, -ENAMETOOLONG or -errno.
 */
int tmpdir_socket(char *out, size_t len, const char *dir, const char *name);
/* A private 0700 directory under tmpdir_base(). Returns 0 or -errno. */
int tmpdir_make(char *dir, size_t len);
/* "<dir>/<name>" into @out. Returns 0 or -ENAMETOOLONG. */
int tmpdir_path(char *out, size_t len, const char *dir, const char *name);
/* The last @max bytes of <dir>/<name>, NUL-terminated and malloc'd; NULL if none. */
char *tmpdir_read_tail(const char *dir, const char *name, size_t max);
/*
 * Remove the directory and whatever QEMU left in it, subdirectories included, and its
 * sockets' directory when they went apart.
 */
void tmpdir_remove(const char *dir);

#endif
