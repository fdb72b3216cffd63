/* SPDX-License-Identifier: MIT */
/*
 * Multiport virtio console (console.h), port half: opening a port and its
 * polled data I/O, with large packed tx buffers, several in flight.
 * CPU 0 only; not reentrant.
 */
#include <errno.h>
#include <string.h>

#include "platform/platform.h"
#include "virtio/console_priv.h"

static struct vcons_chan chans[VCONS_MAX_OPEN];
/* Data buffers, not cleared at boot (576 KiB): only ever read after a fill. */
static struct vcons_chan_bufs chan_bufs[VCONS_MAX_OPEN]
	__attribute__((aligned(64), section(".noinit.chan_bufs")));

static int port_usable(struct vcons_port *port)
{
	if (port->dev->failed)
		return -EIO;
	if (vcons_cport(port)->state == VCONS_PORT_ABSENT)
		return -ENODEV;
	return 0;
}

static int rx_post(struct vcons_port *port, int idx)
{
	int rc = virtq_add_buf(&port->rx, port->chan->b->rx[idx], VCONS_RX_BUF_SIZE, true,
			       (uintptr_t)idx);

	if (rc < 0)
		return vcons_check_vq(port->dev, &port->rx, "port rx", rc);
	/* Re-posting is what makes QEMU read the socket again (guest_writable). */
	vcons_kick(port->dev, &port->rx, vcons_port_rxq(port->id));
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
	rc = vcons_ctrl_send(port->dev, port->id, VIRTIO_CONSOLE_PORT_OPEN, 1);
	if (rc < 0)
		return rc;
	port->guest_open = true;
	/*
	 * QEMU reads the host socket only when its main loop next wakes up
	 * (up to a second later): an rx notify now that the port is open
	 * makes it call guest_writable -> qemu_chr_fe_accept_input at once.
	 */
	virtio_mmio_notify(&port->dev->mmio, vcons_port_rxq(port->id));
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
		c->rx_len = len; /* <= VCONS_RX_BUF_SIZE: checked by virtq */
		return 1;
	}
	return vcons_check_vq(port->dev, &port->rx, "port rx", rc);
}

ssize_t vcons_port_read(struct vcons_port *port, void *buf, size_t len, uint64_t timeout_us)
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
				rc = vcons_ctrl_service(port->dev);
				if (rc < 0)
					return rc;
				rc = rx_take(port);
				if (rc < 0)
					return rc;
				if (!rc) {
					if (vcons_cport(port)->host_closed)
						return -EPIPE;
					if (timer_now_us() - start >= timeout_us)
						return 0;
					rc = vcons_dev_health(port->dev);
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
	return vcons_check_vq(port->dev, &port->tx, "port tx", rc);
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
		rc = vcons_ctrl_service(port->dev);
		if (rc < 0)
			return rc;
		/*
		 * On a host close QEMU drops the buffer it was throttling on
		 * (virtqueue_detach_element: never returned), so waiting for
		 * it would hang.
		 */
		if (vcons_cport(port)->host_closed)
			return -EPIPE;
		if (vcons_cport(port)->state == VCONS_PORT_ABSENT)
			return -ENODEV;
		rc = vcons_dev_health(port->dev);
		if (rc < 0)
			return rc;
		if (timer_now_us() > deadline) {
			virtio_mmio_diag(&port->dev->mmio, "port %u: tx stalled",
					 (unsigned)port->id);
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
		return vcons_check_vq(port->dev, &port->tx, "port tx", rc);
	c->tx_cur = -1;
	c->tx_len = 0;
	vcons_kick(port->dev, &port->tx, vcons_port_rxq(port->id) + 1);
	return 0;
}

static int tx_check_peer(struct vcons_port *port)
{
	int rc = port_usable(port);

	if (rc < 0)
		return rc;
	/* Cheap (a RAM read) unless a message is pending: notices a close. */
	rc = vcons_ctrl_service(port->dev);
	if (rc < 0)
		return rc;
	if (!port->guest_open || !port->chan)
		return -ENOTCONN;
	/* QEMU silently discards what a disconnected host would get. */
	if (vcons_cport(port)->host_closed)
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

int vcons_port_refuse_input(struct vcons_port *port)
{
	int rc = port_usable(port);

	if (rc < 0)
		return rc;
	if (!port->guest_open)
		return -ENOTCONN;
	/* guest_connected = false: virtio_serial_guest_ready() then reads nothing */
	rc = vcons_ctrl_send(port->dev, port->id, VIRTIO_CONSOLE_PORT_OPEN, 0);
	if (rc < 0)
		return rc;
	return vcons_ctrl_settle(port->dev);
}
