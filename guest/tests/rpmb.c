/* SPDX-License-Identifier: MIT */
/*
 * The rpmb suite: authenticated storage through the host's RPMB emulator on
 * the rpmb0 port. Every response is verified (type, nonce, MAC) by the
 * client before a test looks at it. Skips when QEMU has no rpmb0 port.
 *
 * Blocks written here describe themselves (address, counter, digest), so any
 * later run can tell a torn or misplaced block from a good one: that is how a
 * file that survived a kill mid-stress is checked.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "lib/sha256.h"
#include "rpmb/rpmb_client.h"
#include "runner/boottest.h"

#define BLK_FUNC      1 /* functional tests */
#define BLK_REPLAY    2
#define BLK_STRESS    16 /* stress region: BLK_STRESS .. BLK_STRESS + STRESS_SPAN - 1 */
#define STRESS_SPAN   64
#define STRESS_ITERS  256
#define BLK_CHECK_END (BLK_STRESS + STRESS_SPAN)

static const uint8_t blk_magic[4] = { 'T', 'R', 'B', 'K' };

static struct rpmb_session *session(void)
{
	struct rpmb_session *s;
	int ret = rpmb_client_open(&s);

	if (ret == -ENODEV)
		bt_skip("no rpmb0 port (run with an RPMB device)");
	ASSERT_EQ(ret, 0);
	ret = rpmb_ensure_key(s);
	ASSERT_EQ(ret, 0);
	return s;
}

static uint32_t counter_of(struct rpmb_session *s)
{
	uint32_t counter = 0;
	int ret = rpmb_read_counter(s, &counter);

	ASSERT_EQ(ret, RPMB_RES_OK);
	return counter;
}

static void block_fill(uint8_t *blk, uint16_t addr, uint32_t counter)
{
	uint32_t x = (uint32_t)addr * 2654435761u ^ counter;
	size_t i;

	memcpy(blk, blk_magic, sizeof(blk_magic));
	rpmb_put_be16(blk, 4, addr);
	rpmb_put_be32(blk, 6, counter);
	for (i = 10; i < RPMB_DATA_SIZE - SHA256_DIGEST_SIZE; i++) {
		x = x * 1103515245u + 12345u;
		blk[i] = (uint8_t)(x >> 16);
	}
	sha256(blk, RPMB_DATA_SIZE - SHA256_DIGEST_SIZE, blk + RPMB_DATA_SIZE - SHA256_DIGEST_SIZE);
}

/* Never written (all zero), or written whole by us for this address. */
static bool block_consistent(const uint8_t *blk, uint16_t addr)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t i;

	for (i = 0; i < RPMB_DATA_SIZE && !blk[i]; i++)
		;
	if (i == RPMB_DATA_SIZE)
		return true;
	if (memcmp(blk, blk_magic, sizeof(blk_magic)) || rpmb_get_be16(blk, 4) != addr)
		return false;
	sha256(blk, RPMB_DATA_SIZE - SHA256_DIGEST_SIZE, digest);
	return !memcmp(digest, blk + RPMB_DATA_SIZE - SHA256_DIGEST_SIZE, sizeof(digest));
}

/* Write @count self-describing blocks at @addr and read them back. */
static void write_and_verify(struct rpmb_session *s, uint16_t addr, unsigned int count)
{
	static uint8_t data[RPMB_MAX_WRITE_BLOCKS * RPMB_DATA_SIZE];
	static uint8_t back[RPMB_MAX_WRITE_BLOCKS * RPMB_DATA_SIZE];
	uint32_t before = counter_of(s), after = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < count; i++)
		block_fill(data + i * RPMB_DATA_SIZE, (uint16_t)(addr + i), before);
	ret = rpmb_write(s, addr, count, data, &after);
	ASSERT_EQ(ret, RPMB_RES_OK);
	ASSERT_EQ(after, before + 1);
	ret = rpmb_read(s, addr, count, back);
	ASSERT_EQ(ret, RPMB_RES_OK);
	ASSERT_TRUE(memcmp(data, back, count * RPMB_DATA_SIZE) == 0);
}

BOOT_TEST(rpmb, program_key)
{
	struct rpmb_session *s = session(); /* programs the key, or proves it is ours */

	EXPECT_EQ(rpmb_ensure_key(s), 0);
	/* The key is one-time programmable (JEDEC): a second programming fails. */
	EXPECT_EQ(rpmb_program_key(s) & RPMB_RES_CODE_MASK, RPMB_RES_WRITE_FAILURE);
}

BOOT_TEST(rpmb, read_counter)
{
	struct rpmb_session *s = session();
	uint32_t a = counter_of(s), b = counter_of(s);

	bt_log("write counter: %lu", (unsigned long)a);
	EXPECT_EQ(a, b);
	EXPECT_LT(a, RPMB_WRITE_COUNTER_MAX);
}

BOOT_TEST(rpmb, write_read)
{
	write_and_verify(session(), BLK_FUNC, 1);
}

BOOT_TEST(rpmb, counter_increments)
{
	struct rpmb_session *s = session();
	uint32_t start = counter_of(s);

	write_and_verify(s, BLK_FUNC, 1);
	EXPECT_EQ(counter_of(s), start + 1);
	write_and_verify(s, BLK_FUNC, 3);
	EXPECT_EQ(counter_of(s), start + 2);
}

BOOT_TEST(rpmb, replay_rejected)
{
	static uint8_t frames[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	uint8_t data[RPMB_DATA_SIZE], back[RPMB_DATA_SIZE];
	struct rpmb_session *s = session();
	uint32_t counter = counter_of(s), got = 0;

	block_fill(data, BLK_REPLAY, counter);
	ASSERT_EQ(rpmb_build_write(s, frames, BLK_REPLAY, 1, data, counter), 0);
	ASSERT_EQ(rpmb_send_write(s, frames, 1, &got), RPMB_RES_OK);
	EXPECT_EQ(got, counter + 1);
	/* The very same frames again: the counter in them is stale now. */
	EXPECT_EQ(rpmb_send_write(s, frames, 1, &got), RPMB_RES_COUNT_FAILURE);
	EXPECT_EQ(counter_of(s), counter + 1);
	ASSERT_EQ(rpmb_read(s, BLK_REPLAY, 1, back), RPMB_RES_OK);
	EXPECT_TRUE(memcmp(data, back, sizeof(data)) == 0);
}

BOOT_TEST(rpmb, bad_mac_rejected)
{
	static uint8_t frames[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	uint8_t data[RPMB_DATA_SIZE], before[RPMB_DATA_SIZE], after[RPMB_DATA_SIZE];
	struct rpmb_session *s = session();
	uint32_t counter = counter_of(s), got = 0;

	ASSERT_EQ(rpmb_read(s, BLK_FUNC, 1, before), RPMB_RES_OK);
	memset(data, 0xa5, sizeof(data));
	ASSERT_EQ(rpmb_build_write(s, frames, BLK_FUNC, 1, data, counter), 0);
	frames[RPMB_KEY_MAC_OFF + 5] ^= 0x01;
	EXPECT_EQ(rpmb_send_write(s, frames, 1, &got), RPMB_RES_AUTH_FAILURE);
	/* Signed, then altered in transit. */
	ASSERT_EQ(rpmb_build_write(s, frames, BLK_FUNC, 1, data, counter), 0);
	frames[RPMB_DATA_OFF + 100] ^= 0x10;
	EXPECT_EQ(rpmb_send_write(s, frames, 1, &got), RPMB_RES_AUTH_FAILURE);
	EXPECT_EQ(counter_of(s), counter);
	ASSERT_EQ(rpmb_read(s, BLK_FUNC, 1, after), RPMB_RES_OK);
	EXPECT_TRUE(memcmp(before, after, sizeof(before)) == 0);
}

BOOT_TEST(rpmb, address_rejected)
{
	uint8_t data[2 * RPMB_DATA_SIZE];
	struct rpmb_session *s = session();
	uint32_t counter = counter_of(s), got = 0;

	/* 0xffff + 2 blocks is past the end of any device (addresses are 16-bit). */
	memset(data, 0x11, sizeof(data));
	EXPECT_EQ(rpmb_write(s, 0xffff, 2, data, &got), RPMB_RES_ADDR_FAILURE);
	EXPECT_EQ(rpmb_read(s, 0xffff, 2, data), RPMB_RES_ADDR_FAILURE);
	EXPECT_EQ(counter_of(s), counter);
}

/* Every block this suite writes is whole: checks a file that survived a kill. */
BOOT_TEST(rpmb, blocks_consistent)
{
	struct rpmb_session *s = session();
	uint8_t blk[RPMB_MAX_READ_BLOCKS * RPMB_DATA_SIZE];
	uint16_t addr;
	unsigned int i, bad = 0;

	for (addr = 0; addr < BLK_CHECK_END; addr += RPMB_MAX_READ_BLOCKS) {
		ASSERT_EQ(rpmb_read(s, addr, RPMB_MAX_READ_BLOCKS, blk), RPMB_RES_OK);
		for (i = 0; i < RPMB_MAX_READ_BLOCKS; i++) {
			if (!block_consistent(blk + i * RPMB_DATA_SIZE, (uint16_t)(addr + i))) {
				bt_log("block %u is torn or misplaced", addr + i);
				bad++;
			}
		}
	}
	EXPECT_EQ(bad, 0);
}

/* Long runs of writes and read-backs, logged as they go: the target for kill tests. */
BOOT_TEST(rpmb, stress)
{
	struct rpmb_session *s = session();
	uint32_t start = counter_of(s);
	unsigned int i;

	for (i = 0; i < STRESS_ITERS; i++) {
		unsigned int count = 1 + i % RPMB_MAX_WRITE_BLOCKS;
		uint16_t addr = (uint16_t)(BLK_STRESS + (i * 5) % (STRESS_SPAN - count + 1));

		write_and_verify(s, addr, count);
		if (i % 32 == 31)
			bt_log("rpmb.stress: %u writes, counter %lu", i + 1,
			       (unsigned long)(start + i + 1));
	}
	EXPECT_EQ(counter_of(s), start + STRESS_ITERS);
}
