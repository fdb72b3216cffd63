/* SPDX-License-Identifier: MIT */
/*
 * Multiport virtio console over virtio-mmio (console.h), device half: every
 * virtio-serial device in the DT, its rings, the control queue and the port
 * handshake; ports found by name on any device. Port data I/O is in
 * console_port.c. CPU 0 only; not reentrant.
 */
#include <errno.h>
#include <string.h>

#include "platform/platform.h"
#include "virtio/console_priv.h"

/* Not cleared at boot: vcons_init() clears each device before use. */
static struct vcons_dev devs[VCONS_MAX_DEVICES] __attribute__((section(".noinit.devs")));
static size_t ndevs;
/* Not cleared at boot: virtq_init zeroes each ring it is given. */
static uint8_t ring_pool[VCONS_RING_POOL]
	__attribute__((aligned(4096), section(".noinit.ring_pool")));
static size_t ring_used;
static bool inited;
static int init_result;

_Static_assert(VCONS_RING_POOL % VIRTIO_MMIO_LEGACY_PAGE == 0, "ring pool granule");
_Static_assert(VCONS_RING_BYTES(VCONS_DATA_QNUM) >=
		       VIRTQ_ALIGN_UP(16 * VCONS_DATA_QNUM + 6 + 2 * VCONS_DATA_QNUM, 4) + 6 +
			       8 * VCONS_DATA_QNUM,
	       "the modern layout must fit where the legacy one does");

/*
 * A ring of @num entries from the pool. Allocation is a stack: a device
 * whose setup fails gives back everything above its mark (ring_release).
 */
static void *ring_alloc(struct vcons_dev *d, uint32_t num, uint32_t align, size_t *size)
{
	void *mem;

	*size = VIRTQ_ALIGN_UP(virtq_ring_size(num, align), VIRTIO_MMIO_LEGACY_PAGE);
	if (*size > sizeof(ring_pool) - ring_used) {
		virtio_mmio_diag(&d->mmio,
				 "ring pool exhausted: %zu of %zu bytes used, %zu more needed",
				 ring_used, sizeof(ring_pool), *size);
		return NULL;
	}
	mem = ring_pool + ring_used;
	ring_used += *size;
	return mem;
}

static void ring_release(size_t mark)
{
	ring_used = mark;
}

static int queue_setup(struct vcons_dev *d, uint32_t index, struct virtq *vq,
		       struct virtq_slot *slots, uint32_t num)
{
	uint32_t align = virtio_mmio_ring_align(&d->mmio);
	uint32_t max = virtio_mmio_queue_max(&d->mmio, index);
	size_t size;
	void *mem;
	int rc;

	if (!max) {
		virtio_mmio_diag(&d->mmio, "queue %u does not exist", (unsigned)index);
		return -ENODEV;
	}
	while (num > max)
		num >>= 1;
	mem = ring_alloc(d, num, align, &size);
	if (!mem)
		return -ENOMEM;
	rc = virtq_init(vq, num, align, mem, size, slots);
	if (!rc)
		rc = virtio_mmio_queue_enable(&d->mmio, index, vq);
	if (rc < 0)
		virtio_mmio_diag(&d->mmio, "queue %u (%u entries): setup error %d", (unsigned)index,
				 (unsigned)num, rc);
	return rc;
}

int vcons_check_vq(struct vcons_dev *d, struct virtq *vq, const char *name, int rc)
{
	if (rc != -EIO)
		return rc;
	if (!d->failed)
		virtio_mmio_diag(&d->mmio, "%s queue: %s (%u, %u)", name,
				 vq->err.what ? vq->err.what : "broken", (unsigned)vq->err.a,
				 (unsigned)vq->err.b);
	d->failed = true;
	return rc;
}

void vcons_kick(struct vcons_dev *d, struct virtq *vq, uint32_t index)
{
	if (virtq_kick_prepare(vq))
		virtio_mmio_notify(&d->mmio, index);
}

/* A stalled device may have flagged an error (2.1.2). */
int vcons_dev_health(struct vcons_dev *d)
{
	if (d->failed)
		return -EIO;
	if (virtio_mmio_health(&d->mmio, &d->next_health_us) < 0) {
		d->failed = true;
		return -EIO;
	}
	return 0;
}

static int ctrl_reclaim(struct vcons_dev *d)
{
	uintptr_t tok;
	uint32_t len;
	int rc;

	/* Tx used.len is meaningless (0 on legacy): virtq_get_used ignores it. */
	while ((rc = virtq_get_used(&d->ctx, &tok, &len)) > 0)
		d->ctx_free |= 1u << tok;
	return vcons_check_vq(d, &d->ctx, "control tx", rc);
}

int vcons_ctrl_send(struct vcons_dev *d, uint32_t id, uint16_t event, uint16_t value)
{
	struct vcons_ctrl_msg m = { .id = id, .event = event, .value = value };
	uint64_t deadline = timer_now_us() + VCONS_TX_TIMEOUT_US;
	int rc, slot;

	for (;;) {
		rc = ctrl_reclaim(d);
		if (rc < 0)
			return rc;
		if (d->ctx_free)
			break;
		rc = vcons_dev_health(d);
		if (rc < 0)
			return rc;
		if (timer_now_us() > deadline) {
			virtio_mmio_diag(&d->mmio, "control tx stalled");
			return -ETIMEDOUT;
		}
	}
	slot = __builtin_ctz(d->ctx_free);
	vcons_ctrl_encode(&m, d->ctx_buf[slot]);
	rc = virtq_add_buf(&d->ctx, d->ctx_buf[slot], VCONS_CTRL_MSG_LEN, false, (uintptr_t)slot);
	if (rc < 0)
		return vcons_check_vq(d, &d->ctx, "control tx", rc);
	d->ctx_free &= ~(1u << slot);
	vcons_kick(d, &d->ctx, 3);
	return 0;
}

int vcons_ctrl_settle(struct vcons_dev *d)
{
	uint32_t all = (d->ctx.num >= 32) ? ~0u : (1u << d->ctx.num) - 1;
	uint64_t deadline = timer_now_us() + VCONS_TX_TIMEOUT_US;
	int rc;

	while ((rc = ctrl_reclaim(d)) == 0 && d->ctx_free != all) {
		rc = vcons_dev_health(d);
		if (rc < 0)
			return rc;
		if (timer_now_us() > deadline) {
			virtio_mmio_diag(&d->mmio, "control tx stalled");
			return -ETIMEDOUT;
		}
	}
	return rc;
}

static int act_on(struct vcons_dev *d, const struct vcons_ctrl_result *res)
{
	struct vcons_port *p = &d->ports[res->port];
	int rc;

	if (res->action == VCONS_ACT_PORT_REMOVED)
		p->guest_open = false;
	if (!res->reply)
		return 0;
	rc = vcons_ctrl_send(d, res->reply_msg.id, res->reply_msg.event, res->reply_msg.value);
	if (rc < 0) {
		/* The port would stay ADDED, never ready: the device is of no use. */
		virtio_mmio_diag(&d->mmio, "port %u: sending event %u failed: error %d",
				 (unsigned)res->port, (unsigned)res->reply_msg.event, rc);
		return rc;
	}
	if (res->reply_msg.event == VIRTIO_CONSOLE_PORT_READY)
		d->ctrl.ports[res->port].state = VCONS_PORT_READY;
	return 0;
}

/*
 * Handle every control message the device has returned. Each buffer is
 * re-posted before we answer, because an answer (PORT_READY) makes QEMU
 * send more messages at once and drops those that find no buffer.
 */
int vcons_ctrl_service(struct vcons_dev *d)
{
	struct vcons_ctrl_result res;
	uintptr_t tok;
	uint32_t len;
	int rc, n = 0;

	if (d->failed)
		return -EIO;
	while ((rc = virtq_get_used(&d->crx, &tok, &len)) > 0) {
		int hr = vcons_ctrl_handle(&d->ctrl, d->crx_buf[tok], len, &res);

		if (hr < 0)
			virtio_mmio_diag(&d->mmio, "rejected control message (port %u): %s",
					 (unsigned)res.port, res.error);
		rc = virtq_add_buf(&d->crx, d->crx_buf[tok], VCONS_CTRL_RX_BUF, true, tok);
		if (rc < 0)
			return vcons_check_vq(d, &d->crx, "control rx", rc);
		vcons_kick(d, &d->crx, 2);
		if (!hr) {
			rc = act_on(d, &res);
			if (rc < 0) {
				d->failed = true;
				return rc;
			}
		}
		d->last_msg_us = timer_now_us();
		n++;
	}
	rc = vcons_check_vq(d, &d->crx, "control rx", rc);
	return rc < 0 ? rc : n;
}

static bool handshake_done(const struct vcons_dev *d)
{
	uint32_t i, added = 0;

	for (i = 0; i < d->ctrl.nr_ports; i++) {
		const struct vcons_ctrl_port *p = &d->ctrl.ports[i];

		if (p->state == VCONS_PORT_ABSENT)
			continue;
		if (p->state != VCONS_PORT_READY || !p->named)
			return false;
		added++;
	}
	return added > 0;
}

/*
 * Set up one device and run the port handshake. On failure the device is
 * reset (so that it forgets our rings), marked FAILED, and its rings go
 * back to the pool.
 */
static int device_init(struct vcons_dev *d)
{
	size_t mark = ring_used;
	uint32_t i, max_nr;
	uint64_t start;
	int rc;

	rc = virtio_mmio_begin(&d->mmio, 1ull << VIRTIO_CONSOLE_F_MULTIPORT);
	if (rc < 0)
		return rc;
	if (!(d->mmio.features & (1ull << VIRTIO_CONSOLE_F_MULTIPORT))) {
		virtio_mmio_diag(&d->mmio, "no MULTIPORT feature: no named ports, skipped");
		/* Not ours to drive: leave it reset, or FAILED if even that fails. */
		if (virtio_mmio_reset(&d->mmio) < 0)
			virtio_mmio_fail(&d->mmio);
		return -ENODEV;
	}
	max_nr = virtio_mmio_config_read32(&d->mmio, VIRTIO_CONSOLE_CFG_MAX_NR_PORTS);
	if (vcons_ctrl_init(&d->ctrl, max_nr) < 0) {
		virtio_mmio_diag(&d->mmio, "bad max_nr_ports %u", (unsigned)max_nr);
		goto fail;
	}

	rc = queue_setup(d, 2, &d->crx, d->crx_slots, VCONS_CTRL_RX_NUM);
	if (!rc)
		rc = queue_setup(d, 3, &d->ctx, d->ctx_slots, VCONS_CTRL_TX_NUM);
	if (rc < 0)
		goto fail;
	/* QEMU's long PORT_NAME reports the full length after truncating. */
	virtq_set_clamp_len(&d->crx, true);
	d->ctx_free = (d->ctx.num >= 32) ? ~0u : (1u << d->ctx.num) - 1;
	for (i = 0; i < d->ctrl.nr_ports; i++) {
		struct vcons_port *p = &d->ports[i];

		p->dev = d;
		p->id = i;
		rc = queue_setup(d, vcons_port_rxq(i), &p->rx, p->rx_slots, VCONS_DATA_QNUM);
		if (!rc)
			rc = queue_setup(d, vcons_port_rxq(i) + 1, &p->tx, p->tx_slots,
					 VCONS_DATA_QNUM);
		if (rc < 0)
			goto fail;
	}
	/* Control messages that find no buffer are dropped: post before DRIVER_OK. */
	for (i = 0; i < d->crx.num; i++) {
		rc = virtq_add_buf(&d->crx, d->crx_buf[i], VCONS_CTRL_RX_BUF, true, i);
		if (rc < 0) {
			virtio_mmio_diag(&d->mmio, "posting control rx buffers: error %d", rc);
			goto fail;
		}
	}
	virtio_mmio_driver_ok(&d->mmio);
	vcons_kick(d, &d->crx, 2);

	rc = vcons_ctrl_send(d, 0, VIRTIO_CONSOLE_DEVICE_READY, 1);
	if (rc < 0)
		goto fail;
	start = d->last_msg_us = timer_now_us();
	for (;;) {
		rc = vcons_ctrl_service(d);
		if (rc < 0)
			goto fail;
		if (handshake_done(d))
			break;
		if (timer_now_us() - d->last_msg_us > VCONS_QUIET_US ||
		    timer_now_us() - start > VCONS_HANDSHAKE_US)
			break;
		if (vcons_dev_health(d) < 0)
			goto fail;
	}
	return 0;
fail:
	d->failed = true;
	/* Only a device that forgot our rings may have their memory reused. */
	if (virtio_mmio_reset(&d->mmio) == 0)
		ring_release(mark);
	virtio_mmio_fail(&d->mmio);
	virtio_mmio_diag(&d->mmio, "not used");
	return -EIO;
}

int vcons_init(void)
{
	struct virtio_mmio_dev m;
	int cursor = -1, rc, named = 0;
	size_t i;

	if (inited)
		return init_result;
	inited = true;
	while ((rc = virtio_mmio_next(&cursor, &m)) > 0) {
		if (m.device_id != VIRTIO_ID_CONSOLE)
			continue;
		if (ndevs == VCONS_MAX_DEVICES) {
			virtio_mmio_diag(&m, "ignored: more than %d virtio-serial devices",
					 VCONS_MAX_DEVICES);
			continue;
		}
		memset(&devs[ndevs], 0, sizeof(devs[ndevs]));
		devs[ndevs].mmio = m;
		if (device_init(&devs[ndevs]) == 0)
			ndevs++;
	}
	if (rc < 0) {
		init_result = rc;
		return rc;
	}
	for (i = 0; i < ndevs; i++) {
		uint32_t p;

		for (p = 0; p < devs[i].ctrl.nr_ports; p++)
			if (devs[i].ctrl.ports[p].state != VCONS_PORT_ABSENT &&
			    devs[i].ctrl.ports[p].named)
				named++;
	}
	init_result = ndevs ? named : -ENODEV;
	return init_result;
}

size_t vcons_port_count(void)
{
	size_t i, n = 0;
	uint32_t p;

	for (i = 0; i < ndevs; i++)
		for (p = 0; p < devs[i].ctrl.nr_ports; p++)
			if (devs[i].ctrl.ports[p].state != VCONS_PORT_ABSENT)
				n++;
	return n;
}

struct vcons_port *vcons_port_at(size_t index)
{
	size_t i;
	uint32_t p;

	for (i = 0; i < ndevs; i++)
		for (p = 0; p < devs[i].ctrl.nr_ports; p++)
			if (devs[i].ctrl.ports[p].state != VCONS_PORT_ABSENT && !index--)
				return &devs[i].ports[p];
	return NULL;
}

struct vcons_port *vcons_find_port(const char *name)
{
	size_t i;
	int id;

	for (i = 0; i < ndevs; i++) {
		/* A device whose control queue fails is failed (and reported). */
		if (vcons_ctrl_service(&devs[i]) < 0)
			continue;
		id = vcons_ctrl_find(&devs[i].ctrl, name);
		if (id >= 0)
			return &devs[i].ports[id];
	}
	return NULL;
}

const char *vcons_port_name(const struct vcons_port *port)
{
	return vcons_cport(port)->named ? vcons_cport(port)->name : "";
}

bool vcons_port_host_connected(const struct vcons_port *port)
{
	/* A device that failed here (reported) connects nothing. */
	if (vcons_ctrl_service(port->dev) < 0)
		return false;
	return vcons_cport(port)->host_open;
}

bool vcons_port_guest_open(const struct vcons_port *port)
{
	return port->guest_open;
}

unsigned int vcons_port_device(const struct vcons_port *port)
{
	return (unsigned int)(port->dev - devs);
}

uint32_t vcons_port_id(const struct vcons_port *port)
{
	return port->id;
}
