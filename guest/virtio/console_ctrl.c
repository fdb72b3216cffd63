/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/* Multiport control-message state machine (see console_ctrl.h). */
#include <errno.h>
#include <string.h>

#include "virtio/console_ctrl.h"

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

void vcons_ctrl_encode(const struct vcons_ctrl_msg *m, uint8_t out[VCONS_CTRL_MSG_LEN])
{
	out[0] = (uint8_t)m->id;
	out[1] = (uint8_t)(m->id >> 8);
	out[2] = (uint8_t)(m->id >> 16);
	out[3] = (uint8_t)(m->id >> 24);
	out[4] = (uint8_t)m->event;
	out[5] = (uint8_t)(m->event >> 8);
	out[6] = (uint8_t)m->value;
	out[7] = (uint8_t)(m->value >> 8);
}

int vcons_ctrl_init(struct vcons_ctrl *c, uint32_t max_nr_ports)
{
	memset(c, 0, sizeof(*c));
	if (!max_nr_ports || max_nr_ports > VCONS_CTRL_MAX_NR_PORTS_LIMIT)
		return -EINVAL;
	c->nr_ports = max_nr_ports < VCONS_CTRL_MAX_PORTS ? max_nr_ports : VCONS_CTRL_MAX_PORTS;
	return 0;
}

static int reject(struct vcons_ctrl *c, struct vcons_ctrl_result *res, int err, const char *why)
{
	c->rejected++;
	res->action = VCONS_ACT_NONE;
	res->reply = false;
	res->error = why;
	return err;
}

/*
 * PORT_NAME payload: the spec says it is not terminated, QEMU sends a
 * trailing NUL. Accept both, but only a name of 1..VCONS_CTRL_NAME_MAX bytes
 * with no NUL inside it.
 */
static int take_name(struct vcons_ctrl_port *p, const uint8_t *name, size_t n, const char **why)
{
	const uint8_t *nul = memchr(name, 0, n);
	size_t len = nul ? (size_t)(nul - name) : n;

	if (nul && nul != name + n - 1) {
		*why = "PORT_NAME with bytes after its NUL";
		return -EINVAL;
	}
	if (!len) {
		*why = "empty PORT_NAME";
		return -EINVAL;
	}
	if (len > VCONS_CTRL_NAME_MAX) {
		*why = "PORT_NAME longer than 64 bytes";
		return -EINVAL;
	}
	memcpy(p->name, name, len);
	p->name[len] = '\0';
	p->named = true;
	return 0;
}

int vcons_ctrl_handle(struct vcons_ctrl *c, const void *buf, size_t len,
		      struct vcons_ctrl_result *res)
{
	const uint8_t *b = buf;
	struct vcons_ctrl_port *p;
	struct vcons_ctrl_msg m;
	const char *why = NULL;

	memset(res, 0, sizeof(*res));
	if (len < VCONS_CTRL_MSG_LEN)
		return reject(c, res, -EINVAL, "control message shorter than 8 bytes");
	m.id = get_le32(b);
	m.event = get_le16(b + 4);
	m.value = get_le16(b + 6);
	res->port = m.id;

	if (m.id >= c->nr_ports)
		return reject(c, res, -EINVAL, "port id beyond max_nr_ports");
	p = &c->ports[m.id];

	switch (m.event) {
	case VIRTIO_CONSOLE_PORT_ADD:
		if (p->state != VCONS_PORT_ABSENT)
			return reject(c, res, -EINVAL, "PORT_ADD for a port already added");
		memset(p, 0, sizeof(*p));
		p->state = VCONS_PORT_ADDED;
		res->action = VCONS_ACT_PORT_ADDED;
		res->reply = true;
		res->reply_msg.id = m.id;
		res->reply_msg.event = VIRTIO_CONSOLE_PORT_READY;
		res->reply_msg.value = 1;
		return 0;
	case VIRTIO_CONSOLE_PORT_REMOVE:
	case VIRTIO_CONSOLE_CONSOLE_PORT:
	case VIRTIO_CONSOLE_RESIZE:
	case VIRTIO_CONSOLE_PORT_OPEN:
	case VIRTIO_CONSOLE_PORT_NAME:
		break;
	default:
		/* DEVICE_READY and PORT_READY only ever go driver->device. */
		return reject(c, res, -EPROTO, "unknown or driver-only control event");
	}
	if (p->state == VCONS_PORT_ABSENT)
		return reject(c, res, -ENOENT, "control message for a port never added");

	switch (m.event) {
	case VIRTIO_CONSOLE_PORT_REMOVE:
		memset(p, 0, sizeof(*p));
		res->action = VCONS_ACT_PORT_REMOVED;
		return 0;
	case VIRTIO_CONSOLE_CONSOLE_PORT:
		p->console = m.value != 0;
		return 0;
	case VIRTIO_CONSOLE_RESIZE:
		/* Size follows the header; we have no use for it, so read nothing. */
		return 0;
	case VIRTIO_CONSOLE_PORT_OPEN:
		if (m.value) {
			p->host_open = true;
			p->host_closed = false;
			res->action = VCONS_ACT_HOST_OPENED;
		} else {
			if (p->host_open)
				p->host_closed = true;
			p->host_open = false;
			res->action = VCONS_ACT_HOST_CLOSED;
		}
		return 0;
	default: /* VIRTIO_CONSOLE_PORT_NAME */
		if (p->named)
			return reject(c, res, -EINVAL, "second PORT_NAME for a port");
		if (take_name(p, b + VCONS_CTRL_MSG_LEN, len - VCONS_CTRL_MSG_LEN, &why) < 0)
			return reject(c, res, -EINVAL, why);
		res->action = VCONS_ACT_NAMED;
		return 0;
	}
}

int vcons_ctrl_find(const struct vcons_ctrl *c, const char *name)
{
	uint32_t i;

	for (i = 0; i < c->nr_ports; i++)
		if (c->ports[i].state != VCONS_PORT_ABSENT && c->ports[i].named &&
		    !strcmp(c->ports[i].name, name))
			return (int)i;
	return -ENOENT;
}
