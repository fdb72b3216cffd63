/* SPDX-License-Identifier: MIT */
/* Listening unix stream sockets: QEMU's chardevs connect to us. */
#ifndef HOST_SYSTEM_UNIX_SOCKET_H
#define HOST_SYSTEM_UNIX_SOCKET_H

#include <stdbool.h>

/*
 * Bind and listen on @path (close-on-exec; non-blocking when @nonblock).
 * Returns the fd, or -errno (-ENAMETOOLONG when @path does not fit).
 */
int unix_listen(const char *path, bool nonblock);

#endif
