/* SPDX-License-Identifier: MIT */
/*
 * virtq.c against a simulated hostile device: a host-side fake that consumes
 * the avail ring and writes whatever used entries the test chooses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "virtio/virtq.h"

#define NUM 8

struct fixture {
	struct virtq vq;
	struct virtq_slot slots[NUM];
	uint8_t mem[2 * 4096] __attribute__((aligned(4096)));
	uint8_t bufs[NUM][64];
	/* the fake device's view */
	uint16_t dev_avail; /* next avail entry it consumes */
	uint16_t dev_used;  /* its used.idx */
};

/* Device pops the next available descriptor id (what a real device reads). */
static int dev_pop(struct fixture *f, uint16_t *id, uint32_t *len)
{
	if (f->dev_avail == f->vq.avail->idx)
		return 0;
	*id = f->vq.avail->ring[f->dev_avail & (NUM - 1)];
	*len = f->vq.desc[*id].len;
	f->dev_avail++;
	return 1;
}

/* Device publishes a used entry of its choosing. */
static void dev_push(struct fixture *f, uint32_t id, uint32_t len)
{
	f->vq.used->ring[f->dev_used & (NUM - 1)].id = id;
	f->vq.used->ring[f->dev_used & (NUM - 1)].len = len;
	f->dev_used++;
	f->vq.used->idx = f->dev_used;
}

/* The ring memory inside must be page-aligned, as for QueuePFN. */
static struct fixture *new_fixture(void)
{
	size_t size = (sizeof(struct fixture) + 4095) & ~(size_t)4095;
	struct fixture *f = aligned_alloc(4096, size);

	if (f)
		memset(f, 0, sizeof(*f));
	return f;
}

static int setup_legacy(void **state)
{
	struct fixture *f = new_fixture();

	if (!f || virtq_init(&f->vq, NUM, 4096, f->mem, sizeof(f->mem), f->slots))
		return -1;
	*state = f;
	return 0;
}

static int setup_modern(void **state)
{
	struct fixture *f = new_fixture();

	if (!f || virtq_init(&f->vq, NUM, 0, f->mem, sizeof(f->mem), f->slots))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void test_layout(void **state)
{
	(void)state;
	/* Legacy: used ring at the next 4096 boundary after desc + avail. */
	assert_int_equal(virtq_ring_size(8, 4096), 4096 + 6 + 8 * 8);
	assert_int_equal(virtq_ring_size(256, 4096), 8192 + 6 + 8 * 256);
	/* Modern: desc 16*Q, avail 6+2Q, used (4-aligned) 6+8Q. */
	assert_int_equal(virtq_ring_size(8, 0), 128 + 24 + 6 + 64);
	assert_int_equal(virtq_ring_size(16, 0), 256 + 40 + 6 + 128);
}

static void test_init_rejects(void **state)
{
	static uint8_t mem[3 * 4096] __attribute__((aligned(4096)));
	struct virtq_slot slots[16];
	struct virtq vq;

	(void)state;
	assert_int_equal(virtq_init(&vq, 12, 0, mem, sizeof(mem), slots), -EINVAL);
	assert_int_equal(virtq_init(&vq, 0, 0, mem, sizeof(mem), slots), -EINVAL);
	assert_int_equal(virtq_init(&vq, 8, 4096, mem + 16, sizeof(mem) - 16, slots), -EINVAL);
	assert_int_equal(virtq_init(&vq, 8, 4096, mem, 4096, slots), -EINVAL);
	assert_int_equal(virtq_init(&vq, 8, 3000, mem, sizeof(mem), slots), -EINVAL);
	assert_int_equal(virtq_init(&vq, 16, 4096, mem, sizeof(mem), slots), 0);
	assert_int_equal(vq.avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_ptr_equal((uint8_t *)vq.used, mem + 4096);
}

/*
 * The packed legacy layout the console uses (QueueAlign 64): the constant
 * expression the ring pool is sized with agrees with virtq_ring_size(), and
 * the used ring lands where QEMU puts it (align_up(desc + 4 + 2Q), no room
 * for used_event) and Linux too (align_up(desc + 6 + 2Q)).
 */
static void test_legacy_small_align(void **state)
{
	static uint8_t mem[VIRTQ_LEGACY_RING_SIZE(1024, 64)] __attribute__((aligned(4096)));
	static struct virtq_slot slots[1024];
	struct virtq vq;
	uint32_t num;

	(void)state;
	for (num = 1; num <= VIRTQ_MAX_NUM; num <<= 1) {
		assert_int_equal(VIRTQ_LEGACY_RING_SIZE(num, 64), virtq_ring_size(num, 64));
		assert_int_equal(VIRTQ_LEGACY_RING_SIZE(num, 4096), virtq_ring_size(num, 4096));
	}
	for (num = 1; num <= 1024; num <<= 1) {
		size_t qemu_used = VIRTQ_ALIGN_UP(18 * (size_t)num + 4, 64);

		assert_int_equal(virtq_init(&vq, num, 64, mem, sizeof(mem), slots), 0);
		assert_ptr_equal((uint8_t *)vq.used, mem + qemu_used);
	}
	assert_int_equal(virtq_ring_size(16, 64), 320 + 6 + 8 * 16);
	/* QEMU would put the used ring at 292, Linux at 296: refused. */
	assert_int_equal(virtq_init(&vq, 16, 4, mem, sizeof(mem), slots), -EINVAL);
	/* 2 entries at align 8: QEMU 40, Linux 48. */
	assert_int_equal(virtq_init(&vq, 2, 8, mem, sizeof(mem), slots), -EINVAL);
}

static void test_roundtrip(void **state)
{
	struct fixture *f = *state;
	uintptr_t tok;
	uint32_t len, dlen = 0;
	uint16_t id = 0;

	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 0xabc), 0);
	assert_true(virtq_kick_prepare(&f->vq));
	/* Nothing new: no second notify. */
	assert_false(virtq_kick_prepare(&f->vq));
	assert_int_equal(virtq_get_used(&f->vq, &tok, &len), 0);
	assert_int_equal(dev_pop(f, &id, &dlen), 1);
	assert_int_equal(dlen, 64);
	assert_int_equal(f->vq.desc[id].flags, VIRTQ_DESC_F_WRITE);
	assert_ptr_equal((void *)(uintptr_t)f->vq.desc[id].addr, f->bufs[0]);
	dev_push(f, id, 10);
	assert_int_equal(virtq_get_used(&f->vq, &tok, &len), 1);
	assert_int_equal(tok, 0xabc);
	assert_int_equal(len, 10);
	assert_int_equal(virtq_outstanding(&f->vq), 0);
	assert_int_equal(virtq_get_used(&f->vq, &tok, &len), 0);
}

static void test_no_notify(void **state)
{
	struct fixture *f = *state;

	f->vq.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 8, false, 1), 0);
	assert_false(virtq_kick_prepare(&f->vq));
}

static void test_full(void **state)
{
	struct fixture *f = *state;
	int i;

	for (i = 0; i < NUM; i++)
		assert_int_equal(virtq_add_buf(&f->vq, f->bufs[i], 64, true, i), 0);
	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 99), -ENOSPC);
	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 0, true, 99), -EINVAL);
	assert_false(virtq_broken(&f->vq));
}

static void expect_broken(struct fixture *f, const char *what)
{
	uintptr_t tok = 0x5a5a;
	uint32_t len = 0x5a5a;

	assert_int_equal(virtq_get_used(&f->vq, &tok, &len), -EIO);
	assert_true(virtq_broken(&f->vq));
	assert_string_equal(f->vq.err.what, what);
	/* Outputs untouched, and the queue stays broken. */
	assert_int_equal(tok, 0x5a5a);
	assert_int_equal(len, 0x5a5a);
	assert_int_equal(virtq_get_used(&f->vq, &tok, &len), -EIO);
	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 8, true, 0), -EIO);
	assert_false(virtq_kick_prepare(&f->vq));
}

static void test_id_out_of_range(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 0), 0);
	dev_push(f, NUM, 4);
	expect_broken(f, "used id out of range");
	assert_int_equal(f->vq.err.a, NUM);
}

static void test_id_huge(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 0), 0);
	dev_push(f, 0xffffffffu, 4);
	expect_broken(f, "used id out of range");
}

static void test_id_not_outstanding(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 0), 0);
	/* descriptor 3 was never posted */
	dev_push(f, 3, 4);
	expect_broken(f, "used id not outstanding");
	assert_int_equal(f->vq.err.a, 3);
}

static void test_duplicate_completion(void **state)
{
	struct fixture *f = *state;
	uintptr_t tok;
	uint32_t len, dlen = 0;
	uint16_t id = 0;

	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 7), 0);
	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[1], 64, true, 8), 0);
	assert_int_equal(dev_pop(f, &id, &dlen), 1);
	dev_push(f, id, 1);
	dev_push(f, id, 1);
	assert_int_equal(virtq_get_used(&f->vq, &tok, &len), 1);
	assert_int_equal(tok, 7);
	expect_broken(f, "used id not outstanding");
}

static void test_len_over_posted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 0), 0);
	dev_push(f, 0, 65);
	expect_broken(f, "used len over the posted buffer");
	assert_int_equal(f->vq.err.a, 65);
	assert_int_equal(f->vq.err.b, 64);
}

static void test_len_clamped_when_asked(void **state)
{
	struct fixture *f = *state;
	uintptr_t tok;
	uint32_t len;

	virtq_set_clamp_len(&f->vq, true);
	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 0), 0);
	dev_push(f, 0, 0xffffffffu);
	assert_int_equal(virtq_get_used(&f->vq, &tok, &len), 1);
	assert_int_equal(len, 64);
	assert_int_equal(f->vq.clamped, 1);
	assert_false(virtq_broken(&f->vq));
}

static void test_tx_len_ignored(void **state)
{
	struct fixture *f = *state;
	uintptr_t tok;
	uint32_t len;

	/* A device-read buffer: whatever len the device reports is ignored. */
	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, false, 0), 0);
	dev_push(f, 0, 1000);
	assert_int_equal(virtq_get_used(&f->vq, &tok, &len), 1);
	assert_int_equal(len, 0);
}

static void test_used_idx_jump(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 0), 0);
	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[1], 64, true, 1), 0);
	/* Two outstanding, device claims three completions. */
	f->vq.used->ring[0].id = 0;
	f->vq.used->ring[0].len = 1;
	f->vq.used->idx = 3;
	expect_broken(f, "used idx moved past the buffers outstanding");
	assert_int_equal(f->vq.err.a, 3);
	assert_int_equal(f->vq.err.b, 2);
}

static void test_used_idx_jump_beyond_size(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 0), 0);
	f->vq.used->idx = NUM + 5;
	expect_broken(f, "used idx moved past the buffers outstanding");
}

static void test_used_idx_backwards(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, 0), 0);
	f->vq.used->idx = 0xffff; /* "minus one" */
	expect_broken(f, "used idx moved past the buffers outstanding");
}

static void test_nothing_outstanding(void **state)
{
	struct fixture *f = *state;

	f->vq.used->idx = 1;
	expect_broken(f, "used idx moved past the buffers outstanding");
}

/*
 * More than 65,536 buffers through the ring (Trusty broke there), in varying
 * batch sizes and out-of-order completions, with tokens and lengths checked.
 */
static void test_wraparound(void **state)
{
	struct fixture *f = *state;
	uint32_t posted = 0, done = 0, rnd = 12345;
	uint16_t ids[NUM];
	static uint8_t seen[70000 + NUM];

	memset(seen, 0, sizeof(seen));
	while (done < 70000) {
		uint32_t batch = 1 + (rnd >> 16) % NUM, i, n = 0, dlen = 0;
		uintptr_t tok;
		uint32_t len;
		uint16_t id = 0;

		rnd = rnd * 1103515245 + 12345;
		while (virtq_outstanding(&f->vq) < batch) {
			assert_int_equal(
				virtq_add_buf(&f->vq, f->bufs[posted % NUM], 64, true, posted), 0);
			posted++;
		}
		virtq_kick_prepare(&f->vq);
		while (dev_pop(f, &id, &dlen))
			ids[n++] = id;
		/* complete in reverse order: ids are not FIFO */
		for (i = n; i-- > 0;)
			dev_push(f, ids[i], ids[i] + 1);
		for (i = 0; i < n; i++) {
			assert_int_equal(virtq_get_used(&f->vq, &tok, &len), 1);
			assert_true(tok < posted);
			/* the device wrote id + 1 bytes */
			assert_in_range(len, 1, NUM);
			assert_false(seen[tok]);
			seen[tok] = 1;
			done++;
		}
		assert_int_equal(virtq_get_used(&f->vq, &tok, &len), 0);
	}
	assert_false(virtq_broken(&f->vq));
	assert_true(f->vq.avail_idx == (uint16_t)posted);
	assert_true(f->vq.last_used == (uint16_t)done);
	assert_true(done > 65536);
}

/* Every token comes back exactly once across the 16-bit wrap. */
static void test_wraparound_tokens(void **state)
{
	struct fixture *f = *state;
	uint32_t next_expected = 0, i;

	for (i = 0; i < 70000; i++) {
		uintptr_t tok;
		uint32_t len, dlen = 0;
		uint16_t id = 0;

		assert_int_equal(virtq_add_buf(&f->vq, f->bufs[0], 64, true, i), 0);
		assert_int_equal(dev_pop(f, &id, &dlen), 1);
		dev_push(f, id, i % 65);
		assert_int_equal(virtq_get_used(&f->vq, &tok, &len), 1);
		assert_int_equal(tok, next_expected++);
		assert_int_equal(len, i % 65);
	}
	/* Even right after the wrap a bad entry is still caught. */
	dev_push(f, NUM + 1, 0);
	expect_broken(f, "used idx moved past the buffers outstanding");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_init_rejects),
		cmocka_unit_test(test_legacy_small_align),
		cmocka_unit_test_setup_teardown(test_roundtrip, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(test_no_notify, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(test_full, setup_modern, teardown),
		cmocka_unit_test_setup_teardown(test_id_out_of_range, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(test_id_huge, setup_modern, teardown),
		cmocka_unit_test_setup_teardown(test_id_not_outstanding, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_completion, setup_modern, teardown),
		cmocka_unit_test_setup_teardown(test_len_over_posted, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(test_len_clamped_when_asked, setup_legacy,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_len_ignored, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(test_used_idx_jump, setup_modern, teardown),
		cmocka_unit_test_setup_teardown(test_used_idx_jump_beyond_size, setup_legacy,
						teardown),
		cmocka_unit_test_setup_teardown(test_used_idx_backwards, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_outstanding, setup_modern, teardown),
		cmocka_unit_test_setup_teardown(test_wraparound, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(test_wraparound_tokens, setup_modern, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
