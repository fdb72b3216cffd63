/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by the virtio console's two halves: console.c (devices,
 * rings, control queue and handshake) and console_port.c (port data I/O).
 * Not for use outside guest/virtio/.
 */
#ifndef VIRTIO_CONSOLE_PRIV_H
#define VIRTIO_CONSOLE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio/console.h"
#include "virtio/console_ctrl.h"
#include "virtio/mmio.h"
#include "virtio/virtq.h"

/*
 * virtio-serial devices served (QEMU's virt has 32 transports); more are
 * reported and left alone. docs/architecture.md states the limit.
 */
#define VCONS_MAX_DEVICES 8
/* Control rx: QEMU answers DEVICE_READY with a PORT_ADD per port at once. */
#define VCONS_CTRL_RX_NUM 64
#define VCONS_CTRL_RX_BUF 128 /* header + 64-byte name + NUL, and room */
#define VCONS_CTRL_TX_NUM 16
#define VCONS_DATA_QNUM	  16
/* Data buffers exist only for open ports (few), which keeps the RAM footprint small. */
#define VCONS_MAX_OPEN	  4
#define VCONS_TX_BUFS	  8
#define VCONS_TX_BUF_SIZE 16384
#define VCONS_RX_BUFS	  4
#define VCONS_RX_BUF_SIZE 4096 /* QEMU delivers at most 4096 per chunk */
/*
 * Every ring is set up before DRIVER_OK (3.1.1), before any port has a name,
 * so each port of each device gets its rings whether it is ever opened or
 * not. A ring takes whole VIRTIO_MMIO_LEGACY_PAGE units in either layout
 * (the legacy one is the larger), so the pool holds the worst case exactly.
 */
#define VCONS_RING_BYTES(num)                                                   \
	VIRTQ_ALIGN_UP(VIRTQ_LEGACY_RING_SIZE((num), VIRTIO_MMIO_LEGACY_ALIGN), \
		       VIRTIO_MMIO_LEGACY_PAGE)
#define VCONS_DEV_RING_BYTES                                            \
	(2 * VCONS_CTRL_MAX_PORTS * VCONS_RING_BYTES(VCONS_DATA_QNUM) + \
	 VCONS_RING_BYTES(VCONS_CTRL_RX_NUM) + VCONS_RING_BYTES(VCONS_CTRL_TX_NUM))
#define VCONS_RING_POOL (VCONS_MAX_DEVICES * VCONS_DEV_RING_BYTES)
/* Handshake: done early once every added port is named. */
#define VCONS_QUIET_US	    2000
#define VCONS_HANDSHAKE_US  200000
#define VCONS_TX_TIMEOUT_US 30000000ull

struct vcons_chan_bufs {
	uint8_t tx[VCONS_TX_BUFS][VCONS_TX_BUF_SIZE];
	uint8_t rx[VCONS_RX_BUFS][VCONS_RX_BUF_SIZE];
};

struct vcons_chan {
	struct vcons_chan_bufs *b;
	uint32_t tx_free; /* bitmask of idle tx buffers */
	int tx_cur;	  /* buffer being filled, or -1 */
	size_t tx_len;
	int rx_cur; /* completed buffer being consumed, or -1 */
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

/* Queue numbers, virtio 1.x 5.3.2: port 0 is 0/1, control 2/3, port N 2N+2/2N+3. */
static inline uint32_t vcons_port_rxq(uint32_t id)
{
	return id ? 2 * id + 2 : 0;
}

static inline const struct vcons_ctrl_port *vcons_cport(const struct vcons_port *p)
{
	return &p->dev->ctrl.ports[p->id];
}

/* Pass @rc through; on -EIO (queue broken) report why once and fail the device. */
int vcons_check_vq(struct vcons_dev *d, struct virtq *vq, const char *name, int rc);

/* Notify queue @index if the device wants it. */
void vcons_kick(struct vcons_dev *d, struct virtq *vq, uint32_t index);

/* -EIO if the device failed or (checked every few ms) needs a reset, else 0. */
int vcons_dev_health(struct vcons_dev *d);

/* Send one control message, waiting for a free control tx buffer. */
/* Wait (bounded) until the device has consumed every control message sent. */
int vcons_ctrl_settle(struct vcons_dev *d);
int vcons_ctrl_send(struct vcons_dev *d, uint32_t id, uint16_t event, uint16_t value);

/* Handle the control messages the device returned: count, or -errno. */
int vcons_ctrl_service(struct vcons_dev *d);

#endif
