/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueue (virtio 1.x section 2.7, plus the legacy layout): ring
 * layout, posting single-descriptor buffers, the notify decision, and the one
 * place where every used-ring entry the device writes is validated.
 * Portable: no hardware access, unit-tested on the host against a hostile
 * simulated device.
 */
#ifndef VIRTIO_VIRTQ_H
#define VIRTIO_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "virtq.c assumes a little-endian CPU (virtio 1.x rings are le; legacy is guest-endian)"
#endif

/* Ring structures, virtio 1.x 2.7.5 - 2.7.8. */
#define VIRTQ_DESC_F_NEXT	   1
#define VIRTQ_DESC_F_WRITE	   2
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY	   1

/* The largest queue the split ring allows (2.7: Queue Size <= 32768). */
#define VIRTQ_MAX_NUM 32768

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

/* Driver-private bookkeeping for one descriptor; the device never sees it. */
struct virtq_slot {
	uintptr_t token;
	uint32_t wlen; /* bytes the device may write (0: device reads) */
	uint16_t next_free;
	bool busy;
};

/* Why a queue was marked broken; stays set (like Linux's vq->broken). */
struct virtq_error {
	const char *what; /* static string, NULL while healthy */
	uint32_t a, b;	  /* the offending values, for the diagnostic */
};

struct virtq {
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	struct virtq_slot *slots;
	uint16_t num; /* power of two */
	uint16_t free_head;
	uint16_t num_free;
	uint16_t avail_idx;  /* free-running shadow of avail->idx */
	uint16_t last_used;  /* free-running: next used entry to consume */
	uint16_t kicked_idx; /* avail_idx at the last notify decision */
	bool clamp_len;	     /* see virtq_set_clamp_len() */
	bool broken;
	uint32_t clamped; /* entries whose len was clamped */
	struct virtq_error err;
};

#define VIRTQ_ALIGN_UP(v, a) (((v) + (a)-1) / (a) * (a))

/* virtq_ring_size() of a legacy layout (@align > 0) as a constant expression. */
#define VIRTQ_LEGACY_RING_SIZE(num, align)                                                 \
	(VIRTQ_ALIGN_UP(16 * (size_t)(num) + 6 + 2 * (size_t)(num), (size_t)(align)) + 6 + \
	 8 * (size_t)(num))

/*
 * Bytes of ring memory for a queue of @num entries. @align is the legacy
 * QueueAlign (used ring at the next multiple of it, e.g. 4096); 0 gives the
 * compact virtio 1.x layout (desc 16-, avail 2-, used 4-aligned). The memory
 * itself must be 4096-aligned for legacy (QueuePFN), 16-aligned otherwise.
 */
size_t virtq_ring_size(uint32_t num, uint32_t align);

/*
 * Lay a queue out in @mem (@mem_len bytes; rings zeroed here) with @slots holding
 * @num entries. Returns 0, or -EINVAL for a bad size, alignment or length, or
 * a legacy @align at which the used ring's place is ambiguous: QEMU pads
 * after avail->ring[num], Linux after the used_event word that follows it,
 * and the two disagree when avail->ring[num] ends on an @align boundary.
 */
int virtq_init(struct virtq *vq, uint32_t num, uint32_t align, void *mem, size_t mem_len,
	       struct virtq_slot *slots);

/*
 * QEMU's virtio-serial control queue reports the full message length even
 * when it truncated the copy into a smaller buffer (QEMU 7.2). On a
 * queue marked here, a len over the posted size is clamped and counted
 * instead of breaking the queue.
 */
void virtq_set_clamp_len(struct virtq *vq, bool clamp);

/*
 * Post one buffer. @device_writes: the device fills it (rx), else it reads
 * it (tx). @token comes back from virtq_get_used(). Returns 0, -ENOSPC when
 * every descriptor is in flight, -EINVAL for a zero length, -EIO if broken.
 */
int virtq_add_buf(struct virtq *vq, void *buf, uint32_t len, bool device_writes, uintptr_t token);

/*
 * After one or more virtq_add_buf(): whether the device must be notified
 * (something new was posted and the device did not set NO_NOTIFY). Contains
 * the full barrier between publishing avail.idx and reading used.flags.
 */
bool virtq_kick_prepare(struct virtq *vq);

/*
 * Take the next used entry. Returns 1 and sets *token and *len (bytes the
 * device wrote, never more than posted; 0 for device-read buffers), 0 when
 * none is pending, or -EIO when the queue is broken: used.idx moved by more
 * than the buffers outstanding, an id out of range or not outstanding (this
 * includes a duplicate completion), or len over the posted length. The
 * reason is in vq->err; the queue stays broken.
 */
int virtq_get_used(struct virtq *vq, uintptr_t *token, uint32_t *len);

/* Buffers posted and not yet returned by virtq_get_used(). */
static inline uint16_t virtq_outstanding(const struct virtq *vq)
{
	return (uint16_t)(vq->num - vq->num_free);
}

static inline bool virtq_broken(const struct virtq *vq)
{
	return vq->broken;
}

/* Device addresses of the three areas (identity-mapped guest). */
static inline uint64_t virtq_desc_addr(const struct virtq *vq)
{
	return (uint64_t)(uintptr_t)vq->desc;
}

static inline uint64_t virtq_avail_addr(const struct virtq *vq)
{
	return (uint64_t)(uintptr_t)vq->avail;
}

static inline uint64_t virtq_used_addr(const struct virtq *vq)
{
	return (uint64_t)(uintptr_t)vq->used;
}

#endif
