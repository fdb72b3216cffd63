/* SPDX-License-Identifier: MIT */
/* virtio-rng driver: one request queue, device-writable buffers, polled. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "platform/platform.h"
#include "virtio/mmio.h"
#include "virtio/rng.h"
#include "virtio/virtq.h"

#define VRNG_QNUM	4
#define VRNG_BUF	256
#define VRNG_TIMEOUT_US 1000000

static struct virtio_mmio_dev rng_dev;
static struct virtq rng_vq;
static struct virtq_slot rng_slots[VRNG_QNUM];
/* Legacy QueuePFN alignment; the legacy layout is the larger of the two. */
static uint8_t rng_ring[VIRTQ_ALIGN_UP(VIRTQ_LEGACY_RING_SIZE(VRNG_QNUM, VIRTIO_MMIO_LEGACY_ALIGN),
				       VIRTIO_MMIO_LEGACY_PAGE)]
	__attribute__((aligned(VIRTIO_MMIO_LEGACY_PAGE)));
static uint8_t rng_buf[VRNG_BUF] __attribute__((aligned(64)));
static int rng_state; /* 0 unprobed, 1 ready, <0 errno */

static int rng_probe(void)
{
	uint32_t align;
	int cursor = -1, rc;

	while ((rc = virtio_mmio_next(&cursor, &rng_dev)) > 0)
		if (rng_dev.device_id == VIRTIO_ID_RNG)
			break;
	if (rc <= 0)
		return rc < 0 ? rc : -ENODEV;
	rc = virtio_mmio_begin(&rng_dev, 0);
	if (rc < 0)
		return rc;
	align = virtio_mmio_ring_align(&rng_dev);
	rc = virtq_init(&rng_vq, VRNG_QNUM, align, rng_ring, sizeof(rng_ring), rng_slots);
	if (!rc)
		rc = virtio_mmio_queue_enable(&rng_dev, 0, &rng_vq);
	if (rc < 0) {
		virtio_mmio_fail(&rng_dev);
		return rc == -ENODEV ? -EIO : rc;
	}
	virtio_mmio_driver_ok(&rng_dev);
	return 1;
}

/* One request: returns bytes delivered (>= 1) or a negative errno. */
static int rng_fill(uint32_t want)
{
	uint64_t deadline, next_health;
	uintptr_t tok;
	uint32_t len;
	int rc;

	rc = virtq_add_buf(&rng_vq, rng_buf, want, true, 1);
	if (rc < 0)
		return -EIO;
	if (virtq_kick_prepare(&rng_vq))
		virtio_mmio_notify(&rng_dev, 0);
	deadline = timer_now_us() + VRNG_TIMEOUT_US;
	/* Poll the used ring (RAM); Status (MMIO) only every few ms. */
	next_health = timer_now_us() + VIRTIO_MMIO_HEALTH_PERIOD_US;
	for (;;) {
		rc = virtq_get_used(&rng_vq, &tok, &len);
		if (rc < 0) {
			virtio_mmio_diag(&rng_dev, "request queue: %s (%u, %u)",
					 rng_vq.err.what ? rng_vq.err.what : "broken",
					 (unsigned)rng_vq.err.a, (unsigned)rng_vq.err.b);
			return -EIO;
		}
		if (rc > 0)
			return (int)len; /* <= want: checked by virtq */
		if (virtio_mmio_health(&rng_dev, &next_health) < 0)
			return -EIO;
		if (timer_now_us() > deadline) {
			virtio_mmio_diag(&rng_dev, "no answer within %u ms",
					 VRNG_TIMEOUT_US / 1000);
			return -ETIMEDOUT;
		}
	}
}

int vrng_read(void *buf, size_t len)
{
	uint8_t *out = buf;
	uint64_t deadline = timer_now_us() + VRNG_TIMEOUT_US;
	int rc;

	if (!rng_state)
		rng_state = rng_probe();
	if (rng_state < 0)
		return rng_state;
	while (len) {
		uint32_t want = len < VRNG_BUF ? (uint32_t)len : VRNG_BUF;

		rc = rng_fill(want);
		if (rc < 0) {
			/* The request may still be outstanding: never reuse the buffer. */
			rng_state = rc == -ETIMEDOUT ? -ETIMEDOUT : -EIO;
			return rc;
		}
		memcpy(out, rng_buf, (size_t)rc);
		out += rc;
		len -= (size_t)rc;
		/* A device that keeps returning nothing must not hang us. */
		if (!rc && timer_now_us() > deadline)
			return -ETIMEDOUT;
	}
	return 0;
}
