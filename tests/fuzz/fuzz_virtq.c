/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the guest's split virtqueue (guest/virtio/virtq.c) against a
 * simulated device whose used-ring writes the fuzzer chooses: honest
 * completions, wrong ids, long lens, idx jumps. Checked against a model of
 * what the driver has outstanding.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "virtio/virtq.h"
#include "fuzz_input.h"

#define check(x)                          \
	do {                              \
		if (!(x))                 \
			__builtin_trap(); \
	} while (0)

#define QMAX 256

struct model {
	bool out[QMAX];	     /* token -> outstanding */
	uint32_t wlen[QMAX]; /* what the token's buffer lets the device write */
	unsigned int nout;
};

static uint8_t ring[16384] __attribute__((aligned(4096)));
static struct virtq_slot slots[QMAX];
static uint8_t bufs[QMAX][1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct virtq vq;
	static struct model m;
	uint32_t num, align, dev_avail;
	uint16_t start;
	bool clamp, honest_so_far = true;
	int rc;

	if (size < 4)
		return 0;
	num = 1u << (take(&in, 1) % 9);	     /* 1..256 */
	align = take(&in, 1) & 1 ? 4096 : 0; /* legacy or 1.x layout */
	clamp = take(&in, 1) & 1;
	start = (uint16_t)take(&in, 2); /* free-running indices start here */
	check(virtq_ring_size(num, align) <= sizeof(ring));
	check(virtq_init(&vq, num, align, ring, sizeof(ring), slots) == 0);
	virtq_set_clamp_len(&vq, clamp);
	/* a queue that has already run @start buffers: exercises the 16-bit wrap */
	vq.avail_idx = vq.kicked_idx = vq.last_used = start;
	vq.avail->idx = start;
	vq.used->idx = start;
	dev_avail = start; /* next avail entry the device will take */
	memset(&m, 0, sizeof(m));

	while (in.n) {
		uint8_t op = (uint8_t)take(&in, 1);

		switch (op % 4) {
		case 0: { /* driver posts a buffer */
			uint32_t len = take(&in, 1) % 64;
			bool wr = op & 0x10;
			unsigned int tok;

			for (tok = 0; tok < QMAX && m.out[tok]; tok++)
				;
			rc = virtq_add_buf(&vq, len ? bufs[tok] : NULL, len, wr, tok);
			if (virtq_broken(&vq)) {
				check(rc == -EIO);
			} else if (!len) {
				check(rc == -EINVAL);
			} else if (m.nout == num) {
				check(rc == -ENOSPC);
			} else {
				check(rc == 0 && tok < QMAX);
				m.out[tok] = true;
				m.wlen[tok] = wr ? len : 0;
				m.nout++;
			}
			break;
		}
		case 1: { /* honest device: complete the next avail buffer */
			uint16_t id, u;
			uint32_t len;

			if ((uint16_t)(vq.avail->idx - dev_avail) == 0)
				break;
			id = vq.avail->ring[dev_avail % num];
			dev_avail++;
			len = vq.desc[id].flags & VIRTQ_DESC_F_WRITE
				      ? take(&in, 1) % (vq.desc[id].len + 1)
				      : 0;
			u = vq.used->idx;
			vq.used->ring[u % num].id = id;
			vq.used->ring[u % num].len = len;
			vq.used->idx = (uint16_t)(u + 1);
			break;
		}
		case 2: { /* hostile device: any entry, any idx step */
			uint16_t u = vq.used->idx;

			vq.used->ring[u % num].id = take(&in, 2) | (op & 0x80 ? 0xffff0000u : 0);
			vq.used->ring[u % num].len = take(&in, 2) << (op & 0x40 ? 16 : 0);
			vq.used->idx = (uint16_t)(u + (int16_t)take(&in, 2));
			honest_so_far = false;
			break;
		}
		default: { /* driver reaps */
			uintptr_t tok = ~(uintptr_t)0;
			uint32_t len = ~0u;
			uint16_t before = virtq_outstanding(&vq);

			rc = virtq_get_used(&vq, &tok, &len);
			if (rc == 1) {
				/* only a token that was outstanding, within its buffer */
				check(tok < QMAX && m.out[tok]);
				check(len <= m.wlen[tok]);
				m.out[tok] = false;
				m.nout--;
				check(virtq_outstanding(&vq) == before - 1);
			} else if (rc == 0) {
				check(!virtq_broken(&vq));
				check(vq.used->idx == vq.last_used);
			} else {
				check(rc == -EIO && virtq_broken(&vq) && vq.err.what);
				/* an honest device never breaks the queue */
				check(!honest_so_far);
				check(virtq_get_used(&vq, &tok, &len) == -EIO);
			}
			break;
		}
		}
		check(virtq_outstanding(&vq) == m.nout);
		check(vq.num_free + m.nout == num);
	}
	return 0;
}
