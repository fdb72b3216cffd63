/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio transport (virtio 1.x section 4.2), legacy (Version 1) and
 * modern (Version 2): DT probing, feature negotiation, queue setup, notify.
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio/virtq.h"

/* Register offsets, 4.2.2 (modern) and 4.2.4 (legacy). */
#define VIRTIO_MMIO_MAGIC_VALUE		0x000
#define VIRTIO_MMIO_VERSION		0x004
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE	0x028 /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_ALIGN		0x03c /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN		0x040 /* legacy */
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW	0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW	0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc
#define VIRTIO_MMIO_CONFIG		0x100

#define VIRTIO_MMIO_MAGIC 0x74726976 /* "virt" */

/* Device status bits, 2.1. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER	  2
#define VIRTIO_STATUS_DRIVER_OK	  4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED	  0x80

/* Reserved feature bits, 6. */
#define VIRTIO_F_VERSION_1  32
#define VIRTIO_F_RING_RESET 40

/* Device IDs, 5. */
#define VIRTIO_ID_NET	  1
#define VIRTIO_ID_BLOCK	  2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG	  4

/*
 * Legacy ring layout (4.2.4): QueuePFN counts GuestPageSize units and the
 * used ring starts at the next QueueAlign boundary; the driver writes both.
 * QEMU's defaults (4096 each) make every ring at least 8 KiB; with 512 and
 * 64 a 16-entry ring fits in 512 bytes. Any power of two works for QEMU
 * (guest_page_shift = ctz(GuestPageSize)); 64 keeps the used ring where QEMU
 * and Linux both put it (virtq_init checks).
 */
#define VIRTIO_MMIO_LEGACY_PAGE	 512
#define VIRTIO_MMIO_LEGACY_ALIGN 64

/* How long a modern device may take to read back Status 0 after a reset. */
#define VIRTIO_MMIO_RESET_TIMEOUT_US 100000
/*
 * How often a polling driver reads Status: every MMIO access takes QEMU's
 * global lock, and a vCPU polling a register in a tight loop starves the I/O
 * thread that completes our requests (seen as ~1 s stalls).
 */
#define VIRTIO_MMIO_HEALTH_PERIOD_US 10000

struct virtio_mmio_dev {
	uintptr_t base;
	uint32_t version; /* 1 legacy, 2 modern */
	uint32_t device_id;
	uint64_t features; /* negotiated */
};

/*
 * Iterate over the DT's "virtio,mmio" nodes in DT order, skipping empty
 * transports (DeviceID 0) and nodes with a bad magic or version; the DT is
 * scanned once, on the first call. Start with *cursor = -1. Returns 1 and
 * fills @dev (features not yet negotiated), 0 at the end, or a negative errno.
 */
int virtio_mmio_next(int *cursor, struct virtio_mmio_dev *dev);

/*
 * Reset, ACKNOWLEDGE|DRIVER, negotiate @wanted (device-type bits; VERSION_1
 * is added for modern, RING_RESET never accepted) and for modern confirm
 * FEATURES_OK. The result is in dev->features. Returns 0, -ENODEV when the
 * device refuses, or -EIO.
 */
int virtio_mmio_begin(struct virtio_mmio_dev *dev, uint64_t wanted);

/* Ring alignment virtq_init() needs for this transport's layout. */
uint32_t virtio_mmio_ring_align(const struct virtio_mmio_dev *dev);

/* QueueNumMax of queue @index (0: the queue does not exist). */
uint32_t virtio_mmio_queue_max(const struct virtio_mmio_dev *dev, uint32_t index);

/* Hand a laid-out queue to the device. Returns 0, -ENODEV, -EINVAL or -EBUSY. */
int virtio_mmio_queue_enable(const struct virtio_mmio_dev *dev, uint32_t index,
			     const struct virtq *vq);

void virtio_mmio_driver_ok(const struct virtio_mmio_dev *dev);
void virtio_mmio_fail(const struct virtio_mmio_dev *dev);

/*
 * Write Status 0; a modern device is then waited for (4.2.3.1). Returns 0,
 * or -ETIMEDOUT (reported) when it still shows a status after
 * VIRTIO_MMIO_RESET_TIMEOUT_US.
 */
int virtio_mmio_reset(const struct virtio_mmio_dev *dev);

/*
 * Reset every device virtio_mmio_next() finds, so that none of them still
 * uses rings in RAM (before handing the machine to another OS). Returns 0,
 * or the first error (each reported).
 */
int virtio_mmio_reset_all(void);

/*
 * Rate-limited DEVICE_NEEDS_RESET check for polling loops (2.1.2): reads
 * Status only when *next_us has passed, then sets the next time. Returns 0,
 * or -EIO (reported) when the device flagged an error.
 */
int virtio_mmio_health(const struct virtio_mmio_dev *dev, uint64_t *next_us);

/* One line "virtio-<type>@<base>: <text>" on the UART. */
void virtio_mmio_diag(const struct virtio_mmio_dev *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Notify the device of new buffers on queue @index (orders ring writes first). */
void virtio_mmio_notify(const struct virtio_mmio_dev *dev, uint32_t index);

/* 32-bit read of device config space (the only width QEMU honours). */
uint32_t virtio_mmio_config_read32(const struct virtio_mmio_dev *dev, uint32_t offset);

#endif
