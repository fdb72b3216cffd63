/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the guest's multiport control-message handling
 * (guest/virtio/console_ctrl.c): hostile port ids, events, values and
 * PORT_NAME lengths, in any order, from a device of any max_nr_ports.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "virtio/console_ctrl.h"

#define check(x)                          \
	do {                              \
		if (!(x))                 \
			__builtin_trap(); \
	} while (0)

static void check_ports(const struct vcons_ctrl *c)
{
	for (uint32_t i = 0; i < VCONS_CTRL_MAX_PORTS; i++) {
		const struct vcons_ctrl_port *p = &c->ports[i];
		size_t len = strnlen(p->name, sizeof(p->name));

		check(len <= VCONS_CTRL_NAME_MAX);
		if (i >= c->nr_ports)
			check(p->state == VCONS_PORT_ABSENT);
		if (p->state == VCONS_PORT_ABSENT)
			check(!p->named && !p->host_open);
		check(p->named ? len >= 1 : len == 0);
		check(!(p->host_open && p->host_closed));
	}
}

/*
 * Input: le32 max_nr_ports, then messages: one length byte L and L bytes
 * (the used len, so it may be shorter than a header).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vcons_ctrl c, before;
	struct vcons_ctrl_result r;
	uint32_t max;
	int rc;

	if (size < 4)
		return 0;
	max = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
	      (uint32_t)data[3] << 24;
	data += 4, size -= 4;
	rc = vcons_ctrl_init(&c, max);
	if (max == 0 || max > VCONS_CTRL_MAX_NR_PORTS_LIMIT) {
		check(rc == -EINVAL);
		return 0;
	}
	check(rc == 0 && c.nr_ports >= 1 && c.nr_ports <= VCONS_CTRL_MAX_PORTS &&
	      c.nr_ports <= max);

	while (size) {
		size_t len = data[0];
		uint32_t id;
		uint16_t ev;

		data++, size--;
		if (len > size)
			len = size;
		memcpy(&before, &c, sizeof(c));
		rc = vcons_ctrl_handle(&c, data, len, &r);
		if (rc < 0) {
			/* rejected: reported, counted, and no state changed */
			check(rc == -EINVAL || rc == -ENOENT || rc == -EPROTO);
			check(r.error && r.error[0] && !r.reply && r.action == VCONS_ACT_NONE);
			check(c.rejected == before.rejected + 1);
			check(!memcmp(c.ports, before.ports, sizeof(c.ports)));
		} else {
			check(rc == 0 && len >= VCONS_CTRL_MSG_LEN);
			id = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
			     (uint32_t)data[3] << 24;
			ev = (uint16_t)(data[4] | data[5] << 8);
			check(!r.error && c.rejected == before.rejected);
			check(id < c.nr_ports && r.port == id);
			check(before.ports[id].state != VCONS_PORT_ABSENT ||
			      ev == VIRTIO_CONSOLE_PORT_ADD);
			if (r.reply) {
				/* only PORT_ADD is answered, with PORT_READY for that port */
				check(ev == VIRTIO_CONSOLE_PORT_ADD);
				check(r.reply_msg.id == id &&
				      r.reply_msg.event == VIRTIO_CONSOLE_PORT_READY);
				c.ports[id].state = VCONS_PORT_READY; /* as the driver does */
			}
			if (r.action == VCONS_ACT_NAMED) {
				size_t n = strlen(c.ports[id].name);

				check(n >= 1 && n <= VCONS_CTRL_NAME_MAX && n <= len - 8);
				check(!memcmp(c.ports[id].name, data + 8, n));
				check(vcons_ctrl_find(&c, c.ports[id].name) >= 0);
			}
		}
		check_ports(&c);
		data += len, size -= len;
	}
	return 0;
}
