/* SPDX-License-Identifier: MIT */
/* A free TCP port on the loopback interface, for a server started next (QEMU's gdb stub). */
#ifndef HOST_SYSTEM_TCP_PORT_H
#define HOST_SYSTEM_TCP_PORT_H

/*
 * A port the kernel would give a new listener on 127.0.0.1 now, into
 * *port. It is free when this returns, not reserved: another program may
 * take it before the caller's server binds. 0 or -errno.
 */
int tcp_free_port(unsigned int *port);

#endif
