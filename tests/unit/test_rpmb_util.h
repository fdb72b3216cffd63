/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the RPMB unit tests: an in-memory device file that models the
 * page cache and the disk separately (for crash simulation), and request
 * frames built independently of the guest client, with OpenSSL's HMAC.
 */
#ifndef TEST_RPMB_UTIL_H
#define TEST_RPMB_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "rpmb/dev.h"
#include "rpmb/store.h"
#include "testrunner/rpmb.h"

#define MEM_MAX	    (RPMB_HDR_SIZE + 1024 * RPMB_DATA_SIZE + 4096)
#define MEM_PENDING 64

struct mem_write {
	uint64_t off;
	size_t len;
	uint8_t *buf;
};

/*
 * cache is what the process sees; disk what survives a power loss. Writes go
 * to the cache and are queued until sync copies them to disk. After the
 * op numbered crash_at (counting writes and syncs from 1) every call fails:
 * the process is dead. The crashing write itself lands partially, its
 * first torn_len bytes.
 */
struct mem_io {
	struct rpmb_io io;
	uint8_t cache[MEM_MAX], disk[MEM_MAX];
	size_t cache_len, disk_len;
	struct mem_write pend[MEM_PENDING];
	int npend;
	int ops;
	int crash_at; /* 0: never */
	size_t torn_len;
	int fail_read;	   /* reads fail with -EIO */
	int fail_write_at; /* op number whose write/sync returns -EIO (no crash) */
	int crashed;
};

static inline long mem_read(struct rpmb_io *io, void *buf, size_t len, uint64_t off)
{
	struct mem_io *m = (struct mem_io *)io;
	size_t n;

	if (m->crashed || m->fail_read)
		return -EIO;
	if (off >= m->cache_len)
		return 0;
	n = m->cache_len - off < len ? m->cache_len - off : len;
	memcpy(buf, m->cache + off, n);
	return (long)n;
}

static inline void mem_put(uint8_t *img, size_t *img_len, const void *buf, size_t len, uint64_t off)
{
	assert_true(off + len <= MEM_MAX);
	if (off > *img_len)
		memset(img + *img_len, 0, off - *img_len);
	memcpy(img + off, buf, len);
	if (off + len > *img_len)
		*img_len = off + len;
}

static inline int mem_write(struct rpmb_io *io, const void *buf, size_t len, uint64_t off)
{
	struct mem_io *m = (struct mem_io *)io;
	struct mem_write *w;

	if (m->crashed)
		return -EIO;
	if (++m->ops == m->fail_write_at)
		return -EIO;
	if (m->ops == m->crash_at) {
		m->crashed = 1;
		len = m->torn_len < len ? m->torn_len : len;
	}
	mem_put(m->cache, &m->cache_len, buf, len, off);
	assert_true(m->npend < MEM_PENDING);
	w = &m->pend[m->npend++];
	w->off = off;
	w->len = len;
	w->buf = malloc(len ? len : 1);
	memcpy(w->buf, buf, len);
	return m->crashed ? -EIO : 0;
}

static inline void mem_drop_pending(struct mem_io *m)
{
	int i;

	for (i = 0; i < m->npend; i++)
		free(m->pend[i].buf);
	m->npend = 0;
}

static inline int mem_sync(struct rpmb_io *io)
{
	struct mem_io *m = (struct mem_io *)io;
	int i;

	if (m->crashed)
		return -EIO;
	if (++m->ops == m->fail_write_at)
		return -EIO;
	if (m->ops == m->crash_at) {
		m->crashed = 1;
		return -EIO;
	}
	for (i = 0; i < m->npend; i++)
		mem_put(m->disk, &m->disk_len, m->pend[i].buf, m->pend[i].len, m->pend[i].off);
	mem_drop_pending(m);
	return 0;
}

static inline struct mem_io *mem_new(void)
{
	struct mem_io *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->io.read = mem_read;
	m->io.write = mem_write;
	m->io.sync = mem_sync;
	return m;
}

static inline void mem_free(struct mem_io *m)
{
	mem_drop_pending(m);
	free(m);
}

/* A fresh device file whose cache and disk both hold @src's cache (a clean restart). */
static inline struct mem_io *mem_from_image(const uint8_t *img, size_t len)
{
	struct mem_io *m = mem_new();

	memcpy(m->cache, img, len);
	memcpy(m->disk, img, len);
	m->cache_len = m->disk_len = len;
	return m;
}

/*
 * The disk after a power loss: the synced image plus any subset of the
 * unsynced writes, each cut into 512-byte sectors that land independently.
 */
static inline struct mem_io *mem_power_loss(const struct mem_io *m, unsigned int seed)
{
	struct mem_io *r = mem_from_image(m->disk, m->disk_len);
	int i;

	for (i = 0; i < m->npend; i++) {
		const struct mem_write *w = &m->pend[i];
		uint64_t pos = w->off;

		while (pos < w->off + w->len) {
			uint64_t end = (pos / 512 + 1) * 512;

			if (end > w->off + w->len)
				end = w->off + w->len;
			if (rand_r(&seed) & 1) {
				mem_put(r->cache, &r->cache_len, w->buf + (pos - w->off), end - pos,
					pos);
			}
			pos = end;
		}
	}
	memcpy(r->disk, r->cache, r->cache_len);
	r->disk_len = r->cache_len;
	return r;
}

static const uint8_t test_key[RPMB_KEY_MAC_SIZE] = RPMB_TEST_KEY;

static inline void frame_mac(const uint8_t *key, const uint8_t *frames, unsigned int count,
			     uint8_t *mac)
{
	uint8_t input[RPMB_SOCK_MAX_FRAMES * RPMB_MAC_INPUT_SIZE];
	unsigned int i, len = 0;

	for (i = 0; i < count; i++)
		memcpy(input + i * RPMB_MAC_INPUT_SIZE,
		       frames + i * RPMB_FRAME_SIZE + RPMB_MAC_INPUT_OFF, RPMB_MAC_INPUT_SIZE);
	assert_non_null(HMAC(EVP_sha256(), key, RPMB_KEY_MAC_SIZE, input,
			     count * RPMB_MAC_INPUT_SIZE, mac, &len));
	assert_int_equal(len, RPMB_KEY_MAC_SIZE);
}

/* Frames of a program-key request: key frame + result read. */
static inline void build_program_key(uint8_t cmd[2 * RPMB_FRAME_SIZE], const uint8_t *key)
{
	memset(cmd, 0, 2 * RPMB_FRAME_SIZE);
	memcpy(cmd + RPMB_KEY_MAC_OFF, key, RPMB_KEY_MAC_SIZE);
	rpmb_put_be16(cmd, RPMB_REQ_RESP_OFF, RPMB_REQ_PROGRAM_KEY);
	rpmb_put_be16(cmd + RPMB_FRAME_SIZE, RPMB_REQ_RESP_OFF, RPMB_REQ_RESULT_READ);
}

/* Frames of an authenticated write of @n blocks filled with @fill: n frames + result read. */
static inline void build_write(uint8_t *cmd, const uint8_t *key, uint16_t addr, unsigned int n,
			       uint32_t counter, uint8_t fill)
{
	unsigned int i;

	memset(cmd, 0, (n + 1) * RPMB_FRAME_SIZE);
	for (i = 0; i < n; i++) {
		uint8_t *f = cmd + i * RPMB_FRAME_SIZE;

		memset(f + RPMB_DATA_OFF, fill + i, RPMB_DATA_SIZE);
		rpmb_put_be32(f, RPMB_WRITE_COUNTER_OFF, counter);
		rpmb_put_be16(f, RPMB_ADDRESS_OFF, addr);
		rpmb_put_be16(f, RPMB_BLOCK_COUNT_OFF, (uint16_t)n);
		rpmb_put_be16(f, RPMB_REQ_RESP_OFF, RPMB_REQ_DATA_WRITE);
	}
	frame_mac(key, cmd, n, cmd + (n - 1) * RPMB_FRAME_SIZE + RPMB_KEY_MAC_OFF);
	rpmb_put_be16(cmd + n * RPMB_FRAME_SIZE, RPMB_REQ_RESP_OFF, RPMB_REQ_RESULT_READ);
}

static inline void build_simple(uint8_t cmd[RPMB_FRAME_SIZE], uint16_t req, uint16_t addr,
				uint8_t nonce_fill)
{
	memset(cmd, 0, RPMB_FRAME_SIZE);
	memset(cmd + RPMB_NONCE_OFF, nonce_fill, RPMB_NONCE_SIZE);
	rpmb_put_be16(cmd, RPMB_ADDRESS_OFF, addr);
	rpmb_put_be16(cmd, RPMB_REQ_RESP_OFF, req);
}

static inline uint16_t res_result(const uint8_t *res)
{
	return rpmb_get_be16(res, RPMB_RESULT_OFF);
}

/* The response MAC must verify with @key over all @count frames. */
static inline void assert_res_mac(const uint8_t *key, const uint8_t *res, unsigned int count)
{
	uint8_t mac[RPMB_KEY_MAC_SIZE];

	frame_mac(key, res, count, mac);
	assert_memory_equal(mac, res + (count - 1) * RPMB_FRAME_SIZE + RPMB_KEY_MAC_OFF,
			    RPMB_KEY_MAC_SIZE);
}

#endif /* TEST_RPMB_UTIL_H */
