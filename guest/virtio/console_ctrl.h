/* SPDX-License-Identifier: MIT */
/*
 * virtio-console multiport control messages (virtio 1.x 5.3.6.2): a state
 * machine over one device's port table. Portable; every message the device
 * sends is validated here, in one place, before the driver acts on it.
 */
#ifndef VIRTIO_CONSOLE_CTRL_H
#define VIRTIO_CONSOLE_CTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Events, 5.3.6.2. */
#define VIRTIO_CONSOLE_DEVICE_READY 0
#define VIRTIO_CONSOLE_PORT_ADD	    1
#define VIRTIO_CONSOLE_PORT_REMOVE  2
#define VIRTIO_CONSOLE_PORT_READY   3
#define VIRTIO_CONSOLE_CONSOLE_PORT 4
#define VIRTIO_CONSOLE_RESIZE	    5
#define VIRTIO_CONSOLE_PORT_OPEN    6
#define VIRTIO_CONSOLE_PORT_NAME    7

/* Feature bits, 5.3.3. */
#define VIRTIO_CONSOLE_F_SIZE	   0
#define VIRTIO_CONSOLE_F_MULTIPORT 1

/* Config space offsets, 5.3.4. */
#define VIRTIO_CONSOLE_CFG_COLS_ROWS	0
#define VIRTIO_CONSOLE_CFG_MAX_NR_PORTS 4

/* Ports per device we track (QEMU's virtio-serial offers 31). */
#define VCONS_CTRL_MAX_PORTS 32
/* Linux rejects max_nr_ports above this (virtio_console.c). */
#define VCONS_CTRL_MAX_NR_PORTS_LIMIT 0x8000
/* Longest port name accepted, excluding the terminating NUL. */
#define VCONS_CTRL_NAME_MAX 64

/* struct virtio_console_control: le32 id, le16 event, le16 value. */
#define VCONS_CTRL_MSG_LEN 8

struct vcons_ctrl_msg {
	uint32_t id;
	uint16_t event;
	uint16_t value;
};

enum vcons_port_state {
	VCONS_PORT_ABSENT = 0,
	VCONS_PORT_ADDED, /* PORT_ADD seen: driver posts rx, sends PORT_READY */
	VCONS_PORT_READY, /* PORT_READY sent */
};

struct vcons_ctrl_port {
	enum vcons_port_state state;
	bool named;
	bool console;
	bool host_open;	  /* host end connected (device PORT_OPEN) */
	bool host_closed; /* host end was connected and went away */
	char name[VCONS_CTRL_NAME_MAX + 1];
};

struct vcons_ctrl {
	uint32_t nr_ports; /* min(max_nr_ports, VCONS_CTRL_MAX_PORTS) */
	struct vcons_ctrl_port ports[VCONS_CTRL_MAX_PORTS];
	uint32_t rejected; /* messages refused so far */
};

/* What the driver must do after a message was accepted. */
enum vcons_ctrl_action {
	VCONS_ACT_NONE = 0,
	VCONS_ACT_PORT_ADDED,	/* set the port up, then send PORT_READY (reply) */
	VCONS_ACT_PORT_REMOVED, /* forget the port's buffers */
	VCONS_ACT_HOST_OPENED,
	VCONS_ACT_HOST_CLOSED, /* drain rx first: QEMU orders rx and control queues apart */
	VCONS_ACT_NAMED,
};

struct vcons_ctrl_result {
	enum vcons_ctrl_action action;
	uint32_t port;
	bool reply; /* send reply_msg on the control tx queue */
	struct vcons_ctrl_msg reply_msg;
	const char *error; /* why a message was rejected (static) */
};

/*
 * Start tracking a device whose config says @max_nr_ports. Returns 0, or
 * -EINVAL for 0 or more than VCONS_CTRL_MAX_NR_PORTS_LIMIT (the port count is
 * capped at VCONS_CTRL_MAX_PORTS).
 */
int vcons_ctrl_init(struct vcons_ctrl *c, uint32_t max_nr_ports);

/*
 * Handle one device->driver control message of @len bytes (the used len,
 * already clamped to the buffer). Returns 0 with @res filled, or -EINVAL
 * (malformed, bad port id or name), -ENOENT (unknown port), -EPROTO
 * (unknown or driver-only event) with res->error saying why; a rejected
 * message changes no state.
 */
int vcons_ctrl_handle(struct vcons_ctrl *c, const void *msg, size_t len,
		      struct vcons_ctrl_result *res);

/* Encode a driver->device message into 8 wire bytes. */
void vcons_ctrl_encode(const struct vcons_ctrl_msg *m, uint8_t out[VCONS_CTRL_MSG_LEN]);

/* The port named exactly @name, or -ENOENT. */
int vcons_ctrl_find(const struct vcons_ctrl *c, const char *name);

#endif
