/* SPDX-License-Identifier: MIT */
/*
 * Multiport virtio console over virtio-mmio (console.h): every virtio-serial
 * device in the DT, ports found by name on any of them, polled I/O with large
 * packed tx buffers. CPU 0 only; not reentrant.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "platform/platform.h"
#include "virtio/console.h"
#include "virtio/console_ctrl.h"
#include "virtio/mmio.h"
#include "virtio/virtq.h"

#define VCONS_MAX_DEVICES	4
/* Control rx: QEMU answers DEVICE_READY with a PORT_ADD per port at once. */
#define VCONS_CTRL_RX_NUM	64
#define VCONS_CTRL_RX_BUF	128	/* header + 64-byte name + NUL, and room */
#define VCONS_CTRL_TX_NUM	16
#define VCONS_DATA_QNUM		16
/* Data buffers exist only for open ports (few): issue 6 sizes. */
#define VCONS_MAX_OPEN		4
#define VCONS_TX_BUFS		8
#define VCONS_TX_BUF_SIZE	16384
#define VCONS_RX_BUFS		4
#define VCONS_RX_BUF_SIZE	4096	/* QEMU delivers at most 4096 per chunk */
/* Legacy rings are page-granular: 8 KiB each for 16..128 entries. */
#define VCONS_RING_POOL		(1536 * 1024)
/* Handshake: done early once every added port is named. */
#define VCONS_QUIET_US		2000
#define VCONS_HANDSHAKE_US	200000
#define VCONS_TX_TIMEOUT_US	30000000ull
#define VCONS_HEALTH_PERIOD_US	10000

struct vcons_chan_bufs {
	uint8_t tx[VCONS_TX_BUFS][VCONS_TX_BUF_SIZE];
	uint8_t rx[VCONS_RX_BUFS][VCONS_RX_BUF_SIZE];
};

struct vcons_chan {
	struct vcons_chan_bufs *b;
	uint32_t tx_free;	/* bitmask of idle tx buffers */
	int tx_cur;		/* buffer being filled, or -1 */
	size_t tx_len;
	int rx_cur;		/* completed buffer being consumed, or -1 */
	size_t rx_off, rx_len;
	bool used;
};

struct vcons_dev;

struct vcons_port {
	struct vcons_dev *dev;
	uint32_t id;
	struct virtq rx, tx;
	struct virtq_slot rx_slots[VCONS_DATA_QNUM], tx_slots[VCONS_DATA_QNUM];
	struct vcons_chan *chan;
	bool guest_open;
};

struct vcons_dev {
	struct virtio_mmio_dev mmio;
	struct vcons_ctrl ctrl;
	struct virtq crx, ctx;
	struct virtq_slot crx_slots[VCONS_CTRL_RX_NUM], ctx_slots[VCONS_CTRL_TX_NUM];
	uint8_t crx_buf[VCONS_CTRL_RX_NUM][VCONS_CTRL_RX_BUF];
	uint8_t ctx_buf[VCONS_CTRL_TX_NUM][VCONS_CTRL_MSG_LEN];
	uint32_t ctx_free;
	struct vcons_port ports[VCONS_CTRL_MAX_PORTS];
	uint64_t last_msg_us;
	uint64_t next_health_us;
	bool failed;
};

static struct vcons_dev devs[VCONS_MAX_DEVICES];
static size_t ndevs;
static struct vcons_chan chans[VCONS_MAX_OPEN];
/* Data buffers, not cleared at boot (576 KiB): only ever read after a fill. */
static struct vcons_chan_bufs chan_bufs[VCONS_MAX_OPEN]
	__attribute__((aligned(64), section(".noinit.chan_bufs")));
/* Not cleared at boot: virtq_init zeroes each ring it is given. */
static uint8_t ring_pool[VCONS_RING_POOL]
	__attribute__((aligned(4096), section(".noinit.ring_pool")));
static size_t ring_used;
static bool inited;
static int init_result;

static void diag(const struct vcons_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void diag(const struct vcons_dev *d, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	int n = snprintf(line, sizeof(line), "virtio-console@%#lx: ",
			 (unsigned long)d->mmio.base);

	if (n < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	uart_write(line, (size_t)n);
}

static void *ring_alloc(size_t size, size_t align)
{
	size_t start = (ring_used + align - 1) & ~(align - 1);

	if (start + size > sizeof(ring_pool))
		return NULL;
	ring_used = start + size;
	return ring_pool + start;
}

static int queue_setup(struct vcons_dev *d, uint32_t index, struct virtq *vq,
		       struct virtq_slot *slots, uint32_t num)
{
	uint32_t align = virtio_mmio_ring_align(&d->mmio);
	uint32_t max = virtio_mmio_queue_max(&d->mmio, index);
	size_t size;
	void *mem;
	int rc;

	if (!max)
		return -ENODEV;
	while (num > max)
		num >>= 1;
	size = virtq_ring_size(num, align);
	if (align)
		size = (size + align - 1) & ~(size_t)(align - 1);
	mem = ring_alloc(size, align ? align : 64);
	if (!mem)
		return -ENOMEM;
	rc = virtq_init(vq, num, align, mem, size, slots);
	if (rc < 0)
		return rc;
	return virtio_mmio_queue_enable(&d->mmio, index, vq);
}

/* Queue numbers, virtio 1.x 5.3.2: port 0 is 0/1, control 2/3, port N 2N+2/2N+3. */
static uint32_t port_rxq(uint32_t id)
{
	return id ? 2 * id + 2 : 0;
}

static int check_vq(struct vcons_dev *d, struct virtq *vq, const char *name, int rc)
{
	if (rc != -EIO)
		return rc;
	if (!d->failed)
		diag(d, "%s queue: %s (%u, %u)", name, vq->err.what ? vq->err.what : "broken",
		     (unsigned)vq->err.a, (unsigned)vq->err.b);
	d->failed = true;
	return rc;
}

static void kick(struct vcons_dev *d, struct virtq *vq, uint32_t index)
{
	if (virtq_kick_prepare(vq))
		virtio_mmio_notify(&d->mmio, index);
}

/*
 * A stalled device may have flagged an error (2.1.2). Rate-limited: every
 * MMIO access takes QEMU's global lock, and a vCPU polling a register in a
 * tight loop starves the I/O thread that feeds our queues (seen as ~1 s
 * stalls on the request read).
 */
static int device_health(struct vcons_dev *d)
{
	uint64_t now;

	if (d->failed)
		return -EIO;
	now = timer_now_us();
	if (now < d->next_health_us)
		return 0;
	d->next_health_us = now + VCONS_HEALTH_PERIOD_US;
	if (virtio_mmio_needs_reset(&d->mmio)) {
		diag(d, "device set DEVICE_NEEDS_RESET");
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
	return check_vq(d, &d->ctx, "control tx", rc);
}

static int ctrl_send(struct vcons_dev *d, uint32_t id, uint16_t event, uint16_t value)
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
		rc = device_health(d);
		if (rc < 0)
			return rc;
		if (timer_now_us() > deadline) {
			diag(d, "control tx stalled");
			return -ETIMEDOUT;
		}
	}
	slot = __builtin_ctz(d->ctx_free);
	vcons_ctrl_encode(&m, d->ctx_buf[slot]);
	rc = virtq_add_buf(&d->ctx, d->ctx_buf[slot], VCONS_CTRL_MSG_LEN, false,
			   (uintptr_t)slot);
	if (rc < 0)
		return check_vq(d, &d->ctx, "control tx", rc);
	d->ctx_free &= ~(1u << slot);
	kick(d, &d->ctx, 3);
	return 0;
}

static void act_on(struct vcons_dev *d, const struct vcons_ctrl_result *res)
{
	struct vcons_port *p = &d->ports[res->port];

	if (res->action == VCONS_ACT_PORT_REMOVED)
		p->guest_open = false;
	if (res->reply) {
		if (ctrl_send(d, res->reply_msg.id, res->reply_msg.event,
			      res->reply_msg.value) < 0)
			return;
		if (res->reply_msg.event == VIRTIO_CONSOLE_PORT_READY)
			d->ctrl.ports[res->port].state = VCONS_PORT_READY;
	}
}

/*
 * Handle every control message the device has returned. Each buffer is
 * re-posted before we answer, because an answer (PORT_READY) makes QEMU
 * send more messages at once and drops those that find no buffer.
 */
static int ctrl_service(struct vcons_dev *d)
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
			diag(d, "rejected control message (port %u): %s", (unsigned)res.port,
			     res.error);
		rc = virtq_add_buf(&d->crx, d->crx_buf[tok], VCONS_CTRL_RX_BUF, true, tok);
		if (rc < 0)
			return check_vq(d, &d->crx, "control rx", rc);
		kick(d, &d->crx, 2);
		if (!hr)
			act_on(d, &res);
		d->last_msg_us = timer_now_us();
		n++;
	}
	rc = check_vq(d, &d->crx, "control rx", rc);
	return rc < 0 ? rc : n;
}

static void ctrl_service_all(void)
{
	size_t i;

	for (i = 0; i < ndevs; i++)
		ctrl_service(&devs[i]);
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

static int device_init(struct vcons_dev *d)
{
	uint32_t i, max_nr;
	uint64_t start;
	int rc;

	rc = virtio_mmio_begin(&d->mmio, 1ull << VIRTIO_CONSOLE_F_MULTIPORT);
	if (rc < 0)
		return rc;
	if (!(d->mmio.features & (1ull << VIRTIO_CONSOLE_F_MULTIPORT))) {
		diag(d, "no MULTIPORT feature: no named ports, skipped");
		virtio_mmio_reset(&d->mmio);
		return -ENODEV;
	}
	max_nr = virtio_mmio_config_read32(&d->mmio, VIRTIO_CONSOLE_CFG_MAX_NR_PORTS);
	if (vcons_ctrl_init(&d->ctrl, max_nr) < 0) {
		diag(d, "bad max_nr_ports %u", (unsigned)max_nr);
		goto fail;
	}

	rc = queue_setup(d, 2, &d->crx, d->crx_slots, VCONS_CTRL_RX_NUM);
	if (!rc)
		rc = queue_setup(d, 3, &d->ctx, d->ctx_slots, VCONS_CTRL_TX_NUM);
	if (rc < 0) {
		diag(d, "control queues: error %d", rc);
		goto fail;
	}
	/* QEMU's long PORT_NAME reports the full length after truncating. */
	virtq_set_clamp_len(&d->crx, true);
	d->ctx_free = (d->ctx.num >= 32) ? ~0u : (1u << d->ctx.num) - 1;
	for (i = 0; i < d->ctrl.nr_ports; i++) {
		struct vcons_port *p = &d->ports[i];

		p->dev = d;
		p->id = i;
		rc = queue_setup(d, port_rxq(i), &p->rx, p->rx_slots, VCONS_DATA_QNUM);
		if (!rc)
			rc = queue_setup(d, port_rxq(i) + 1, &p->tx, p->tx_slots,
					 VCONS_DATA_QNUM);
		if (rc < 0) {
			diag(d, "port %u queues: error %d", (unsigned)i, rc);
			goto fail;
		}
	}
	/* Control messages that find no buffer are dropped: post before DRIVER_OK. */
	for (i = 0; i < d->crx.num; i++) {
		rc = virtq_add_buf(&d->crx, d->crx_buf[i], VCONS_CTRL_RX_BUF, true, i);
		if (rc < 0)
			goto fail;
	}
	virtio_mmio_driver_ok(&d->mmio);
	kick(d, &d->crx, 2);

	rc = ctrl_send(d, 0, VIRTIO_CONSOLE_DEVICE_READY, 1);
	if (rc < 0)
		goto fail;
	start = d->last_msg_us = timer_now_us();
	for (;;) {
		rc = ctrl_service(d);
		if (rc < 0)
			goto fail;
		if (handshake_done(d))
			break;
		if (timer_now_us() - d->last_msg_us > VCONS_QUIET_US ||
		    timer_now_us() - start > VCONS_HANDSHAKE_US)
			break;
		if (device_health(d) < 0)
			goto fail;
	}
	return 0;
fail:
	d->failed = true;
	virtio_mmio_fail(&d->mmio);
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
			uart_write("virtio-console: too many devices, rest ignored\n", 47);
			break;
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

static const struct vcons_ctrl_port *cport(const struct vcons_port *p)
{
	return &p->dev->ctrl.ports[p->id];
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

	ctrl_service_all();
	for (i = 0; i < ndevs; i++) {
		if (devs[i].failed)
			continue;
		id = vcons_ctrl_find(&devs[i].ctrl, name);
		if (id >= 0)
			return &devs[i].ports[id];
	}
	return NULL;
}

const char *vcons_port_name(const struct vcons_port *port)
{
	return cport(port)->named ? cport(port)->name : "";
}

bool vcons_port_host_connected(const struct vcons_port *port)
{
	ctrl_service(port->dev);
	return cport(port)->host_open;
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

static int port_usable(struct vcons_port *port)
{
	if (port->dev->failed)
		return -EIO;
	if (cport(port)->state == VCONS_PORT_ABSENT)
		return -ENODEV;
	return 0;
}

static int rx_post(struct vcons_port *port, int idx)
{
	int rc = virtq_add_buf(&port->rx, port->chan->b->rx[idx], VCONS_RX_BUF_SIZE, true,
			       (uintptr_t)idx);

	if (rc < 0)
		return check_vq(port->dev, &port->rx, "port rx", rc);
	/* Re-posting is what makes QEMU read the socket again (guest_writable). */
	kick(port->dev, &port->rx, port_rxq(port->id));
	return 0;
}

int vcons_port_open(struct vcons_port *port)
{
	struct vcons_chan *c = NULL;
	int rc, i;

	rc = port_usable(port);
	if (rc < 0)
		return rc;
	if (port->guest_open)
		return 0;
	if (!port->chan) {
		for (i = 0; i < VCONS_MAX_OPEN; i++)
			if (!chans[i].used) {
				c = &chans[i];
				break;
			}
		if (!c)
			return -ENOMEM;
		c->used = true;
		c->b = &chan_bufs[c - chans];
		c->tx_len = 0;
		c->rx_off = c->rx_len = 0;
		c->tx_free = (1u << VCONS_TX_BUFS) - 1;
		c->tx_cur = -1;
		c->rx_cur = -1;
		port->chan = c;
		/*
		 * QEMU holds host data back until the guest's PORT_OPEN
		 * (virtio_serial_guest_ready), so rx buffers are only needed
		 * from here on: ports we never open cost no buffer memory.
		 */
		for (i = 0; i < VCONS_RX_BUFS && i < port->rx.num; i++) {
			rc = rx_post(port, i);
			if (rc < 0)
				return rc;
		}
	}
	rc = ctrl_send(port->dev, port->id, VIRTIO_CONSOLE_PORT_OPEN, 1);
	if (rc < 0)
		return rc;
	port->guest_open = true;
	/*
	 * QEMU reads the host socket only when its main loop next wakes up
	 * (up to a second later): an rx notify now that the port is open
	 * makes it call guest_writable -> qemu_chr_fe_accept_input at once.
	 */
	virtio_mmio_notify(&port->dev->mmio, port_rxq(port->id));
	return 0;
}

/* Next completed rx buffer into chan->rx_cur; 1 got one, 0 none, <0 error. */
static int rx_take(struct vcons_port *port)
{
	struct vcons_chan *c = port->chan;
	uintptr_t tok;
	uint32_t len;
	int rc;

	while ((rc = virtq_get_used(&port->rx, &tok, &len)) > 0) {
		if (!len) {
			rc = rx_post(port, (int)tok);
			if (rc < 0)
				return rc;
			continue;
		}
		c->rx_cur = (int)tok;
		c->rx_off = 0;
		c->rx_len = len;	/* <= VCONS_RX_BUF_SIZE: checked by virtq */
		return 1;
	}
	return check_vq(port->dev, &port->rx, "port rx", rc);
}

ssize_t vcons_port_read(struct vcons_port *port, void *buf, size_t len,
			uint64_t timeout_us)
{
	uint64_t start = timer_now_us();
	struct vcons_chan *c = port->chan;
	uint8_t *out = buf;
	size_t got = 0;
	int rc;

	rc = port_usable(port);
	if (rc < 0)
		return rc;
	if (!port->guest_open || !c)
		return -ENOTCONN;
	while (got < len) {
		if (c->rx_cur < 0) {
			rc = rx_take(port);
			if (rc < 0)
				return rc;
			if (!rc) {
				if (got)
					break;
				/* Only when rx is drained does a close count. */
				rc = ctrl_service(port->dev);
				if (rc < 0)
					return rc;
				rc = rx_take(port);
				if (rc < 0)
					return rc;
				if (!rc) {
					if (cport(port)->host_closed)
						return -EPIPE;
					if (timer_now_us() - start >= timeout_us)
						return 0;
					rc = device_health(port->dev);
					if (rc < 0)
						return rc;
					continue;
				}
			}
		}
		{
			size_t n = c->rx_len - c->rx_off;

			if (n > len - got)
				n = len - got;
			memcpy(out + got, c->b->rx[c->rx_cur] + c->rx_off, n);
			got += n;
			c->rx_off += n;
			if (c->rx_off == c->rx_len) {
				int idx = c->rx_cur;

				c->rx_cur = -1;
				rc = rx_post(port, idx);
				if (rc < 0)
					return rc;
			}
		}
	}
	return (ssize_t)got;
}

static int tx_reclaim(struct vcons_port *port)
{
	uintptr_t tok;
	uint32_t len;
	int rc;

	while ((rc = virtq_get_used(&port->tx, &tok, &len)) > 0)
		port->chan->tx_free |= 1u << tok;
	return check_vq(port->dev, &port->tx, "port tx", rc);
}

/* Wait until @done(port) or an error/timeout, servicing the control queue. */
static int tx_wait(struct vcons_port *port, bool (*done)(const struct vcons_port *))
{
	uint64_t deadline = timer_now_us() + VCONS_TX_TIMEOUT_US;
	int rc;

	for (;;) {
		rc = tx_reclaim(port);
		if (rc < 0)
			return rc;
		if (done(port))
			return 0;
		rc = ctrl_service(port->dev);
		if (rc < 0)
			return rc;
		/*
		 * On a host close QEMU drops the buffer it was throttling on
		 * (virtqueue_detach_element: never returned), so waiting for
		 * it would hang.
		 */
		if (cport(port)->host_closed)
			return -EPIPE;
		if (cport(port)->state == VCONS_PORT_ABSENT)
			return -ENODEV;
		rc = device_health(port->dev);
		if (rc < 0)
			return rc;
		if (timer_now_us() > deadline) {
			diag(port->dev, "port %u: tx stalled", (unsigned)port->id);
			return -ETIMEDOUT;
		}
	}
}

static bool tx_has_free(const struct vcons_port *port)
{
	return port->chan->tx_free && port->tx.num_free;
}

static bool tx_idle(const struct vcons_port *port)
{
	return !virtq_outstanding(&port->tx);
}

static int tx_submit(struct vcons_port *port)
{
	struct vcons_chan *c = port->chan;
	int rc;

	if (c->tx_cur < 0 || !c->tx_len)
		return 0;
	if (!port->tx.num_free) {
		rc = tx_wait(port, tx_has_free);
		if (rc < 0)
			return rc;
	}
	rc = virtq_add_buf(&port->tx, c->b->tx[c->tx_cur], (uint32_t)c->tx_len, false,
			   (uintptr_t)c->tx_cur);
	if (rc < 0)
		return check_vq(port->dev, &port->tx, "port tx", rc);
	c->tx_cur = -1;
	c->tx_len = 0;
	kick(port->dev, &port->tx, port_rxq(port->id) + 1);
	return 0;
}

static int tx_check_peer(struct vcons_port *port)
{
	int rc = port_usable(port);

	if (rc < 0)
		return rc;
	/* Cheap (a RAM read) unless a message is pending: notices a close. */
	rc = ctrl_service(port->dev);
	if (rc < 0)
		return rc;
	if (!port->guest_open || !port->chan)
		return -ENOTCONN;
	/* QEMU silently discards what a disconnected host would get. */
	if (cport(port)->host_closed)
		return -EPIPE;
	return 0;
}

int vcons_port_write(struct vcons_port *port, const void *buf, size_t len)
{
	struct vcons_chan *c = port->chan;
	const uint8_t *in = buf;
	int rc = tx_check_peer(port);

	if (rc < 0)
		return rc;
	while (len) {
		size_t n;

		if (c->tx_cur < 0) {
			rc = tx_reclaim(port);
			if (rc < 0)
				return rc;
			if (!c->tx_free) {
				rc = tx_wait(port, tx_has_free);
				if (rc < 0)
					return rc;
			}
			c->tx_cur = __builtin_ctz(c->tx_free);
			c->tx_free &= ~(1u << c->tx_cur);
			c->tx_len = 0;
		}
		n = VCONS_TX_BUF_SIZE - c->tx_len;
		if (n > len)
			n = len;
		memcpy(c->b->tx[c->tx_cur] + c->tx_len, in, n);
		c->tx_len += n;
		in += n;
		len -= n;
		if (c->tx_len == VCONS_TX_BUF_SIZE) {
			rc = tx_submit(port);
			if (!rc && len)
				rc = tx_check_peer(port);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int vcons_port_kick(struct vcons_port *port)
{
	int rc = tx_check_peer(port);

	if (rc < 0)
		return rc;
	return tx_submit(port);
}

int vcons_port_flush(struct vcons_port *port)
{
	int rc = vcons_port_kick(port);

	if (rc < 0)
		return rc;
	return tx_wait(port, tx_idle);
}
