/* SPDX-License-Identifier: MIT */
/* virtio-mmio transport, legacy and modern; register layout in mmio.h. */
#include <errno.h>
#include <stdio.h>

#include <libfdt.h>

#include "arch/aarch64/io.h"
#include "platform/platform.h"
#include "virtio/mmio.h"

static uint32_t rd(const struct virtio_mmio_dev *dev, uint32_t off)
{
	return mmio_read32(dev->base + off);
}

static void wr(const struct virtio_mmio_dev *dev, uint32_t off, uint32_t v)
{
	mmio_write32(dev->base + off, v);
}

static void diag(const struct virtio_mmio_dev *dev, const char *what)
{
	char line[96];
	int n = snprintf(line, sizeof(line), "virtio-mmio@%#lx: %s\n",
			 (unsigned long)dev->base, what);

	if (n > 0)
		uart_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* Transports found in the DT, probed once: each dt_reg() walks the tree. */
#define VIRTIO_MMIO_MAX_TRANSPORTS 64

static struct virtio_mmio_dev found[VIRTIO_MMIO_MAX_TRANSPORTS];
static int nfound = -1;

static int probe_all(void)
{
	const void *fdt = dt_blob();
	struct virtio_mmio_dev dev;
	uint64_t base, size;
	int node, rc;

	if (!fdt)
		return -ENODEV;
	nfound = 0;
	for (node = dt_find_compatible(-1, "virtio,mmio"); node >= 0;
	     node = dt_find_compatible(node, "virtio,mmio")) {
		rc = dt_reg(node, 0, &base, &size);
		if (rc < 0 || size < VIRTIO_MMIO_CONFIG)
			continue;
		dev.base = (uintptr_t)base;
		dev.features = 0;
		if (rd(&dev, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC) {
			diag(&dev, "bad magic, skipped");
			continue;
		}
		dev.version = rd(&dev, VIRTIO_MMIO_VERSION);
		dev.device_id = rd(&dev, VIRTIO_MMIO_DEVICE_ID);
		/* QEMU fills all 32 transports; most are empty. */
		if (!dev.device_id)
			continue;
		if (dev.version != 1 && dev.version != 2) {
			diag(&dev, "unknown transport version, skipped");
			continue;
		}
		if (nfound == VIRTIO_MMIO_MAX_TRANSPORTS) {
			diag(&dev, "too many virtio-mmio devices, rest ignored");
			break;
		}
		found[nfound++] = dev;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return -EIO;
	return 0;
}

int virtio_mmio_next(int *cursor, struct virtio_mmio_dev *dev)
{
	int rc;

	if (nfound < 0) {
		rc = probe_all();
		if (rc < 0) {
			nfound = -1;
			return rc;
		}
	}
	if (*cursor < -1)
		return -EINVAL;
	if (*cursor + 1 >= nfound)
		return 0;
	*dev = found[++*cursor];
	return 1;
}

void virtio_mmio_reset(const struct virtio_mmio_dev *dev)
{
	wr(dev, VIRTIO_MMIO_STATUS, 0);
	/* 4.2.3.1: a modern driver waits for the reset to complete. */
	if (dev->version == 2) {
		uint64_t end = timer_now_us() + 100000;

		while (rd(dev, VIRTIO_MMIO_STATUS) && timer_now_us() < end)
			;
	}
}

void virtio_mmio_fail(const struct virtio_mmio_dev *dev)
{
	wr(dev, VIRTIO_MMIO_STATUS, rd(dev, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FAILED);
}

static uint32_t features_word(const struct virtio_mmio_dev *dev, uint32_t sel)
{
	wr(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, sel);
	return rd(dev, VIRTIO_MMIO_DEVICE_FEATURES);
}

int virtio_mmio_begin(struct virtio_mmio_dev *dev, uint64_t wanted)
{
	uint64_t offered;
	uint32_t status;

	virtio_mmio_reset(dev);
	status = VIRTIO_STATUS_ACKNOWLEDGE;
	wr(dev, VIRTIO_MMIO_STATUS, status);
	status |= VIRTIO_STATUS_DRIVER;
	wr(dev, VIRTIO_MMIO_STATUS, status);

	offered = features_word(dev, 0);
	if (dev->version == 2) {
		offered |= (uint64_t)features_word(dev, 1) << 32;
		if (!(offered & (1ull << VIRTIO_F_VERSION_1))) {
			diag(dev, "modern transport without VIRTIO_F_VERSION_1");
			virtio_mmio_fail(dev);
			return -ENODEV;
		}
		wanted |= 1ull << VIRTIO_F_VERSION_1;
	}
	/* QEMU 7.2 offers RING_RESET but has no QueueReset register. */
	wanted &= ~(1ull << VIRTIO_F_RING_RESET);
	dev->features = offered & wanted;

	wr(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)dev->features);
	if (dev->version == 2) {
		wr(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
		wr(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(dev->features >> 32));
		status |= VIRTIO_STATUS_FEATURES_OK;
		wr(dev, VIRTIO_MMIO_STATUS, status);
		if (!(rd(dev, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
			diag(dev, "device refused our features");
			virtio_mmio_fail(dev);
			return -ENODEV;
		}
	} else {
		/* Legacy: QueuePFN is in units of this, set before any queue. */
		wr(dev, VIRTIO_MMIO_GUEST_PAGE_SIZE, VIRTIO_MMIO_LEGACY_PAGE);
	}
	return 0;
}

uint32_t virtio_mmio_ring_align(const struct virtio_mmio_dev *dev)
{
	return dev->version == 1 ? VIRTIO_MMIO_LEGACY_ALIGN : 0;
}

uint32_t virtio_mmio_queue_max(const struct virtio_mmio_dev *dev, uint32_t index)
{
	wr(dev, VIRTIO_MMIO_QUEUE_SEL, index);
	return rd(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
}

int virtio_mmio_queue_enable(const struct virtio_mmio_dev *dev, uint32_t index,
			     const struct virtq *vq)
{
	uint32_t max;

	wr(dev, VIRTIO_MMIO_QUEUE_SEL, index);
	max = rd(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (!max)
		return -ENODEV;
	if (vq->num > max)
		return -EINVAL;
	if (dev->version == 1) {
		uint64_t pfn = virtq_desc_addr(vq) / VIRTIO_MMIO_LEGACY_PAGE;

		if (rd(dev, VIRTIO_MMIO_QUEUE_PFN))
			return -EBUSY;
		if (virtq_desc_addr(vq) % VIRTIO_MMIO_LEGACY_PAGE || pfn > UINT32_MAX)
			return -EINVAL;
		wr(dev, VIRTIO_MMIO_QUEUE_NUM, vq->num);
		wr(dev, VIRTIO_MMIO_QUEUE_ALIGN, VIRTIO_MMIO_LEGACY_ALIGN);
		wr(dev, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)pfn);
		return 0;
	}
	if (rd(dev, VIRTIO_MMIO_QUEUE_READY))
		return -EBUSY;
	wr(dev, VIRTIO_MMIO_QUEUE_NUM, vq->num);
	wr(dev, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)virtq_desc_addr(vq));
	wr(dev, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(virtq_desc_addr(vq) >> 32));
	wr(dev, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)virtq_avail_addr(vq));
	wr(dev, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(virtq_avail_addr(vq) >> 32));
	wr(dev, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)virtq_used_addr(vq));
	wr(dev, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(virtq_used_addr(vq) >> 32));
	wr(dev, VIRTIO_MMIO_QUEUE_READY, 1);
	return 0;
}

void virtio_mmio_driver_ok(const struct virtio_mmio_dev *dev)
{
	/* Rings and posted buffers must be visible before the device goes live. */
	dmb(sy);
	wr(dev, VIRTIO_MMIO_STATUS, rd(dev, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_DRIVER_OK);
}

void virtio_mmio_notify(const struct virtio_mmio_dev *dev, uint32_t index)
{
	/* avail.idx stores must reach the device before the doorbell. */
	dmb(sy);
	wr(dev, VIRTIO_MMIO_QUEUE_NOTIFY, index);
}

bool virtio_mmio_needs_reset(const struct virtio_mmio_dev *dev)
{
	return rd(dev, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET;
}

uint32_t virtio_mmio_config_read32(const struct virtio_mmio_dev *dev, uint32_t offset)
{
	return rd(dev, VIRTIO_MMIO_CONFIG + offset);
}
