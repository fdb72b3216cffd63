/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the RPMB emulator's request handling (host/rpmb/dev.c,
 * store.c) on an in-memory device file: transactions of fuzzer-chosen frames,
 * optionally signed with the right key so authenticated writes get through,
 * checked against a shadow copy of the device.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rpmb/dev.h"
#include "rpmb/log.h"
#include "rpmb/store.h"
#include "testrunner/rpmb.h"
#include "fuzz_input.h"

#define check(x)                          \
	do {                              \
		if (!(x))                 \
			__builtin_trap(); \
	} while (0)

#define BLOCKS_MAX 64
#define FILE_MAX   (RPMB_HDR_SIZE + (BLOCKS_MAX + 16) * RPMB_DATA_SIZE + 8192)

struct mem_io {
	struct rpmb_io io;
	uint8_t buf[FILE_MAX];
	size_t len;
};

static long mem_read(struct rpmb_io *io, void *buf, size_t len, uint64_t off)
{
	struct mem_io *m = (struct mem_io *)io;
	size_t n;

	if (off >= m->len)
		return 0;
	n = m->len - off < len ? m->len - off : len;
	memcpy(buf, m->buf + off, n);
	return (long)n;
}

static int mem_write(struct rpmb_io *io, const void *buf, size_t len, uint64_t off)
{
	struct mem_io *m = (struct mem_io *)io;

	check(off <= sizeof(m->buf) && len <= sizeof(m->buf) - off);
	if (off > m->len)
		memset(m->buf + m->len, 0, off - m->len);
	memcpy(m->buf + off, buf, len);
	if (off + len > m->len)
		m->len = off + len;
	return 0;
}

static int mem_sync(struct rpmb_io *io)
{
	(void)io;
	return 0;
}

static struct mem_io mem = { .io = { mem_read, mem_write, mem_sync } };
static const uint8_t key[RPMB_KEY_MAC_SIZE] = RPMB_TEST_KEY;

static const uint16_t reqs[] = { RPMB_REQ_PROGRAM_KEY,
				 RPMB_REQ_GET_COUNTER,
				 RPMB_REQ_DATA_WRITE,
				 RPMB_REQ_DATA_READ,
				 RPMB_REQ_RESULT_READ,
				 0,
				 0x0006,
				 0xffff };

/* One request frame: compact fuzzer fields, or 512 raw bytes. */
static void build_frame(struct input *in, uint8_t *f, bool raw, uint32_t counter)
{
	uint8_t ctl;

	memset(f, 0, RPMB_FRAME_SIZE);
	if (raw) {
		size_t n = in->n < RPMB_FRAME_SIZE ? in->n : RPMB_FRAME_SIZE;

		memcpy(f, in->p, n);
		in->p += n, in->n -= n;
		return;
	}
	ctl = (uint8_t)take(in, 1);
	rpmb_put_be16(f, RPMB_REQ_RESP_OFF, reqs[ctl & 7]);
	rpmb_put_be16(f, RPMB_ADDRESS_OFF, (uint16_t)take(in, 1) | (ctl & 0x80 ? 0xff00 : 0));
	rpmb_put_be16(f, RPMB_BLOCK_COUNT_OFF, (uint16_t)take(in, 1));
	/* the device's counter, or a fuzzer-chosen one */
	rpmb_put_be32(f, RPMB_WRITE_COUNTER_OFF, ctl & 0x40 ? take(in, 4) : counter);
	memset(f + RPMB_DATA_OFF, (int)take(in, 1), RPMB_DATA_SIZE);
	memset(f + RPMB_NONCE_OFF, ctl, RPMB_NONCE_SIZE);
	if (ctl & 0x20)
		memset(f + RPMB_KEY_MAC_OFF, (int)take(in, 1), RPMB_KEY_MAC_SIZE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t shadow[BLOCKS_MAX * RPMB_DATA_SIZE];
	static uint8_t cmd[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	static uint8_t res[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	static uint8_t got[RPMB_SOCK_MAX_FRAMES * RPMB_DATA_SIZE];
	static uint8_t key_now[RPMB_KEY_MAC_SIZE];
	struct input in = { data, size };
	struct rpmb_store st;
	struct rpmb_dev dev;
	uint32_t blocks;
	bool keyed;
	uint8_t setup;

	rpmb_log_quiet = true;
	if (size < 2)
		return 0;
	setup = (uint8_t)take(&in, 1);
	blocks = (uint32_t)take(&in, 1) % BLOCKS_MAX + 1;
	keyed = setup & 1;
	mem.len = 0;
	check(rpmb_store_format(&mem.io, blocks, keyed ? key : NULL) == 0);
	check(rpmb_store_open(&st, &mem.io, 0) == 0);
	if (setup & 2) /* near the end of the counter's life */
		check(rpmb_store_set_counter(&st, RPMB_WRITE_COUNTER_MAX - (setup >> 7)) == 0);
	rpmb_dev_init(&dev, &st);
	memcpy(key_now, key, sizeof(key));
	memset(shadow, 0, sizeof(shadow));

	while (in.n) {
		uint8_t hdr = (uint8_t)take(&in, 1), flags = (uint8_t)take(&in, 1);
		unsigned int res_count = (hdr & 7) + 1, cmd_count = (hdr >> 3 & 7) + 1, i, n;
		uint32_t before = st.write_counter;
		bool key_before = st.key_programmed;
		uint16_t req, result;

		for (i = 0; i < cmd_count; i++)
			build_frame(&in, cmd + i * RPMB_FRAME_SIZE, flags & 1, st.write_counter);
		req = rpmb_get_be16(cmd, RPMB_REQ_RESP_OFF);
		/* sign frames 0..n-1 as an honest writer would, MAC in frame n-1 */
		n = cmd_count - 1;
		if ((flags & 2) && n >= 1)
			check(rpmb_dev_mac(key, cmd, n,
					   cmd + (n - 1) * RPMB_FRAME_SIZE + RPMB_KEY_MAC_OFF) ==
			      0);

		result = rpmb_dev_process(&dev, cmd, cmd_count, res, res_count);
		check((result & RPMB_RES_CODE_MASK) <= RPMB_RES_NO_AUTH_KEY);
		check((result & ~(RPMB_RES_CODE_MASK | RPMB_RES_WRITE_COUNTER_EXPIRED)) == 0);
		/* every response frame carries the same verdict */
		for (i = 0; i < res_count; i++)
			check(rpmb_get_be16(res + i * RPMB_FRAME_SIZE, RPMB_RESULT_OFF) == result);

		/* the counter moves only on a successful write, by one */
		if (req == RPMB_REQ_DATA_WRITE && (result & RPMB_RES_CODE_MASK) == RPMB_RES_OK) {
			uint16_t addr = rpmb_get_be16(cmd, RPMB_ADDRESS_OFF);

			check(st.key_programmed && st.write_counter == before + 1);
			check(addr + n <= blocks);
			for (i = 0; i < n; i++)
				memcpy(shadow + (size_t)(addr + i) * RPMB_DATA_SIZE,
				       cmd + i * RPMB_FRAME_SIZE + RPMB_DATA_OFF, RPMB_DATA_SIZE);
		} else {
			check(st.write_counter == before);
		}
		/* the key is programmed once, never changed */
		if (key_before)
			check(st.key_programmed && !memcmp(st.key, key_now, sizeof(key_now)));
		else if (st.key_programmed)
			memcpy(key_now, st.key, sizeof(key_now));
		/* a successful read returns exactly what was written */
		if (req == RPMB_REQ_DATA_READ && (result & RPMB_RES_CODE_MASK) == RPMB_RES_OK) {
			uint16_t addr = rpmb_get_be16(cmd, RPMB_ADDRESS_OFF);

			check(addr + res_count <= blocks);
			for (i = 0; i < res_count; i++)
				check(!memcmp(res + i * RPMB_FRAME_SIZE + RPMB_DATA_OFF,
					      shadow + (size_t)(addr + i) * RPMB_DATA_SIZE,
					      RPMB_DATA_SIZE));
		}
		/* now and then, restart the emulator from its file: nothing lost */
		if (flags & 4) {
			struct rpmb_store again;

			check(rpmb_store_open(&again, &mem.io, 0) == 0);
			check(again.write_counter == st.write_counter &&
			      again.key_programmed == st.key_programmed && again.blocks == blocks);
			st = again;
			check(rpmb_store_read(&st, 0, blocks < 8 ? blocks : 8, got) == 0);
			check(!memcmp(got, shadow,
				      (size_t)(blocks < 8 ? blocks : 8) * RPMB_DATA_SIZE));
		}
	}
	return 0;
}
