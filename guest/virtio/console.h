/* SPDX-License-Identifier: MIT */
/*
 * Multiport virtio console (virtio-serial) over virtio-mmio: every device in
 * the DT is probed, the control-queue handshake run, and ports are found by
 * their PORT_NAME. Polled; no interrupts needed.
 */
#ifndef VIRTIO_CONSOLE_H
#define VIRTIO_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vcons_port;

/*
 * Probe every virtio,mmio node, set up each console device (legacy or modern)
 * and run the multiport handshake until the ports have announced their names.
 * Returns the number of named ports found, or a negative errno.
 */
int vcons_init(void);

/* Port by exact name, or NULL. */
struct vcons_port *vcons_find_port(const char *name);

/* Enumeration for diagnostics and tests. */
size_t vcons_port_count(void);
struct vcons_port *vcons_port_at(size_t index);
const char *vcons_port_name(const struct vcons_port *port);
bool vcons_port_host_connected(const struct vcons_port *port);
bool vcons_port_guest_open(const struct vcons_port *port);
/* Which virtio-serial device (0-based, DT order) and port number it is. */
unsigned int vcons_port_device(const struct vcons_port *port);
uint32_t vcons_port_id(const struct vcons_port *port);

/*
 * Guest side open: attach rx/tx buffers and send PORT_OPEN 1. Idempotent.
 * Returns 0, -ENOMEM when too many ports are open, -ENODEV, -EIO.
 */
int vcons_port_open(struct vcons_port *port);

/*
 * Receive up to @len bytes, waiting at most @timeout_us for the first one
 * (0 polls). Returns the number of bytes, 0 on timeout, or a negative errno
 * (-EPIPE when the host closed, -EIO on a device error).
 */
ssize_t vcons_port_read(struct vcons_port *port, void *buf, size_t len, uint64_t timeout_us);

/*
 * Queue bytes for transmission (-ENOTCONN before open, -EPIPE once the host
 * closed). Data is packed into large tx buffers, several
 * in flight; the device is notified once per buffer. Returns 0 or -errno.
 */
int vcons_port_write(struct vcons_port *port, const void *buf, size_t len);

/* Hand the partly filled buffer to the device now, without waiting. */
int vcons_port_kick(struct vcons_port *port);

/* Kick and wait until the device has consumed every queued byte. */
int vcons_port_flush(struct vcons_port *port);

/*
 * Before a reset: tell the device the guest end is closed (PORT_OPEN 0) and
 * wait until it has taken that in. QEMU then leaves what the host sends in
 * its socket for the next boot, while the port still transmits: the result
 * frame may follow. Returns 0 or -errno.
 */
int vcons_port_refuse_input(struct vcons_port *port);

#endif
