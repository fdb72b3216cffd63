/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/*
 * Split virtqueue bookkeeping (see virtq.h). Nothing the device writes is
 * trusted: virtq_get_used() is the single place where used-ring entries are
 * read and checked.
 */
#include <errno.h>
#include <string.h>

#include "virtio/virtq.h"
#include "virtio/virtq_barrier.h"

/* Shared ring fields: the compiler must neither cache nor tear them. */
#define RING_READ(x)	 (*(const volatile __typeof__(x) *)&(x))
#define RING_WRITE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* Offsets of avail and used inside the ring memory; 2.7 and legacy 2.7.2. */
static void ring_offsets(uint32_t num, uint32_t align, size_t *avail_off, size_t *used_off,
			 size_t *total)
{
	size_t desc_sz = 16 * (size_t)num;
	/* flags, idx, ring[num], used_event */
	size_t avail_sz = 6 + 2 * (size_t)num;
	/* flags, idx, ring[num], avail_event */
	size_t used_sz = 6 + 8 * (size_t)num;

	*avail_off = desc_sz;
	if (align)
		*used_off = align_up(desc_sz + avail_sz, align);
	else
		*used_off = align_up(desc_sz + avail_sz, 4);
	*total = *used_off + used_sz;
}

size_t virtq_ring_size(uint32_t num, uint32_t align)
{
	size_t a, u, t;

	ring_offsets(num, align, &a, &u, &t);
	return t;
}

int virtq_init(struct virtq *vq, uint32_t num, uint32_t align, void *mem, size_t mem_len,
	       struct virtq_slot *slots)
{
	size_t avail_off, used_off, total;
	uint32_t i;

	if (!is_pow2(num) || num > VIRTQ_MAX_NUM || (align && !is_pow2(align)) || !mem || !slots)
		return -EINVAL;
	if ((uintptr_t)mem & ((align ? align : 16) - 1))
		return -EINVAL;
	if (align && align_up(18 * (size_t)num + 4, align) != align_up(18 * (size_t)num + 6, align))
		return -EINVAL;
	ring_offsets(num, align, &avail_off, &used_off, &total);
	if (mem_len < total)
		return -EINVAL;

	/* Only the rings: legacy padding up to QueueAlign is never read. */
	memset(mem, 0, avail_off + 6 + 2 * (size_t)num);
	memset((uint8_t *)mem + used_off, 0, total - used_off);
	memset(vq, 0, sizeof(*vq));
	vq->desc = mem;
	vq->avail = (struct virtq_avail *)((uint8_t *)mem + avail_off);
	vq->used = (struct virtq_used *)((uint8_t *)mem + used_off);
	vq->slots = slots;
	vq->num = (uint16_t)num; /* 32768 fits */
	vq->num_free = (uint16_t)num;
	for (i = 0; i < num; i++) {
		slots[i].token = 0;
		slots[i].wlen = 0;
		slots[i].busy = false;
		slots[i].next_free = (uint16_t)(i + 1);
	}
	vq->free_head = 0;
	/* We poll: tell the device not to bother raising interrupts. */
	vq->avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	return 0;
}

void virtq_set_clamp_len(struct virtq *vq, bool clamp)
{
	vq->clamp_len = clamp;
}

int virtq_add_buf(struct virtq *vq, void *buf, uint32_t len, bool device_writes, uintptr_t token)
{
	struct virtq_slot *s;
	uint16_t id;

	if (vq->broken)
		return -EIO;
	if (!len || !buf)
		return -EINVAL;
	if (!vq->num_free)
		return -ENOSPC;

	id = vq->free_head;
	s = &vq->slots[id];
	vq->free_head = s->next_free;
	vq->num_free--;
	s->busy = true;
	s->token = token;
	s->wlen = device_writes ? len : 0;

	vq->desc[id].addr = (uint64_t)(uintptr_t)buf;
	vq->desc[id].len = len;
	vq->desc[id].flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
	vq->desc[id].next = 0;
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = id;
	/* The descriptor and ring slot must be visible before the new idx. */
	virtq_wmb();
	vq->avail_idx++;
	RING_WRITE(vq->avail->idx, vq->avail_idx);
	return 0;
}

bool virtq_kick_prepare(struct virtq *vq)
{
	bool pending = vq->kicked_idx != vq->avail_idx;

	/* avail.idx must be published before we sample the device's flags. */
	virtq_mb();
	vq->kicked_idx = vq->avail_idx;
	if (!pending || vq->broken)
		return false;
	return !(RING_READ(vq->used->flags) & VIRTQ_USED_F_NO_NOTIFY);
}

static int bad_ring(struct virtq *vq, const char *what, uint32_t a, uint32_t b)
{
	vq->broken = true;
	vq->err.what = what;
	vq->err.a = a;
	vq->err.b = b;
	return -EIO;
}

int virtq_get_used(struct virtq *vq, uintptr_t *token, uint32_t *len)
{
	struct virtq_used_elem e;
	struct virtq_slot *s;
	uint16_t used_idx, pending;

	if (vq->broken)
		return -EIO;
	used_idx = RING_READ(vq->used->idx);
	pending = (uint16_t)(used_idx - vq->last_used);
	if (!pending)
		return 0;
	if (pending > virtq_outstanding(vq))
		return bad_ring(vq, "used idx moved past the buffers outstanding", pending,
				virtq_outstanding(vq));
	/* Entries are read only after the idx that published them. */
	virtq_rmb();
	e.id = RING_READ(vq->used->ring[vq->last_used & (vq->num - 1)].id);
	e.len = RING_READ(vq->used->ring[vq->last_used & (vq->num - 1)].len);

	if (e.id >= vq->num)
		return bad_ring(vq, "used id out of range", e.id, vq->num);
	s = &vq->slots[e.id];
	if (!s->busy)
		return bad_ring(vq, "used id not outstanding", e.id, 0);
	if (!s->wlen) {
		/* The device only read this buffer; legacy QEMU reports 0 anyway. */
		e.len = 0;
	} else if (e.len > s->wlen) {
		if (!vq->clamp_len)
			return bad_ring(vq, "used len over the posted buffer", e.len, s->wlen);
		e.len = s->wlen;
		vq->clamped++;
	}

	vq->last_used++;
	s->busy = false;
	s->next_free = vq->free_head;
	vq->free_head = (uint16_t)e.id;
	vq->num_free++;
	*token = s->token;
	*len = e.len;
	return 1;
}
