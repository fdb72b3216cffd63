/* SPDX-License-Identifier: MIT */
/* virtio-mmio transport, legacy and modern; register layout in mmio.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

static const char *type_name(uint32_t device_id)
{
	switch (device_id) {
	case VIRTIO_ID_NET:
		return "virtio-net";
	case VIRTIO_ID_BLOCK:
		return "virtio-blk";
	case VIRTIO_ID_CONSOLE:
		return "virtio-console";
	case VIRTIO_ID_RNG:
		return "virtio-rng";
	default:
		return "virtio-mmio";
	}
}

void virtio_mmio_diag(const struct virtio_mmio_dev *dev, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	int n = snprintf(line, sizeof(line), "%s@%#lx: ", type_name(dev->device_id),
			 (unsigned long)dev->base);

	if (n < 0 || (size_t)n >= sizeof(line) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	uart_write(line, (size_t)n);
}

/* Transports found in the DT, probed once: each dt_reg() walks the tree. */
#define VIRTIO_MMIO_MAX_TRANSPORTS 64

static struct virtio_mmio_dev found[VIRTIO_MMIO_MAX_TRANSPORTS];
static int nfound = -1;

/* A node we cannot use is never silently dropped: it may be the one wanted. */
static void bad_reg_node(const void *fdt, int node, int rc)
{
	char line[128];
	const char *name = fdt_get_name(fdt, node, NULL);
	int n;

	if (rc < 0)
		n = snprintf(line, sizeof(line), "virtio-mmio: %s: unreadable reg (%d), skipped\n",
			     name ? name : "?", rc);
	else
		n = snprintf(line, sizeof(line),
			     "virtio-mmio: %s: reg smaller than the register file, skipped\n",
			     name ? name : "?");
	if (n > 0)
		uart_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

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
		if (rc < 0 || size < VIRTIO_MMIO_CONFIG) {
			bad_reg_node(fdt, node, rc);
			continue;
		}
		dev.base = (uintptr_t)base;
		dev.device_id = 0;
		dev.features = 0;
		if (rd(&dev, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC) {
			virtio_mmio_diag(&dev, "bad magic, skipped");
			continue;
		}
		dev.version = rd(&dev, VIRTIO_MMIO_VERSION);
		dev.device_id = rd(&dev, VIRTIO_MMIO_DEVICE_ID);
		/* QEMU fills all 32 transports; most are empty. */
		if (!dev.device_id)
			continue;
		if (dev.version != 1 && dev.version != 2) {
			virtio_mmio_diag(&dev, "unknown transport version, skipped");
			continue;
		}
		if (nfound == VIRTIO_MMIO_MAX_TRANSPORTS) {
			virtio_mmio_diag(&dev, "too many virtio-mmio devices, rest ignored");
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

int virtio_mmio_reset(const struct virtio_mmio_dev *dev)
{
	uint64_t end;

	wr(dev, VIRTIO_MMIO_STATUS, 0);
	/* 4.2.3.1: a modern driver waits for the reset to complete. */
	if (dev->version != 2)
		return 0;
	end = timer_now_us() + VIRTIO_MMIO_RESET_TIMEOUT_US;
	while (rd(dev, VIRTIO_MMIO_STATUS)) {
		if (timer_now_us() > end) {
			virtio_mmio_diag(dev, "reset not complete after %u ms",
					 VIRTIO_MMIO_RESET_TIMEOUT_US / 1000);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

int virtio_mmio_reset_all(void)
{
	int i, rc, first = 0;

	if (nfound < 0) {
		rc = probe_all();
		if (rc < 0) {
			nfound = -1;
			return rc;
		}
	}
	for (i = 0; i < nfound; i++) {
		rc = virtio_mmio_reset(&found[i]);
		if (rc < 0 && !first)
			first = rc;
	}
	/* The resets must have reached every device before the caller goes on. */
	dsb(sy);
	return first;
}

int virtio_mmio_health(const struct virtio_mmio_dev *dev, uint64_t *next_us)
{
	uint64_t now = timer_now_us();

	if (now < *next_us)
		return 0;
	*next_us = now + VIRTIO_MMIO_HEALTH_PERIOD_US;
	if (rd(dev, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET) {
		virtio_mmio_diag(dev, "device set DEVICE_NEEDS_RESET");
		return -EIO;
	}
	return 0;
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
	int rc;

	rc = virtio_mmio_reset(dev);
	if (rc < 0)
		return -EIO;
	status = VIRTIO_STATUS_ACKNOWLEDGE;
	wr(dev, VIRTIO_MMIO_STATUS, status);
	status |= VIRTIO_STATUS_DRIVER;
	wr(dev, VIRTIO_MMIO_STATUS, status);

	offered = features_word(dev, 0);
	if (dev->version == 2) {
		offered |= (uint64_t)features_word(dev, 1) << 32;
		if (!(offered & (1ull << VIRTIO_F_VERSION_1))) {
			virtio_mmio_diag(dev, "modern transport without VIRTIO_F_VERSION_1");
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
			virtio_mmio_diag(dev, "device refused our features");
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

uint32_t virtio_mmio_config_read32(const struct virtio_mmio_dev *dev, uint32_t offset)
{
	return rd(dev, VIRTIO_MMIO_CONFIG + offset);
}
