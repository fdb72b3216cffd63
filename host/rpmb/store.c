/* SPDX-License-Identifier: MIT */
/*
 * The device file and its crash safety. Layout (Trusty rpmb_dev compatible):
 *
 *   0                 header (write counter, size, key)       512 bytes
 *   512 + 256 * a     block a                                  256 bytes
 *   512 + 256 * N     journal record (ours; Trusty ignores it)
 *
 * A change (authenticated write or key programming) is first written whole
 * to the journal record with a SHA-256 over it and synced: that sync is the
 * commit point. Only then are the blocks and the header updated in place and
 * synced, and the record's magic cleared. A kill or power loss before the
 * commit leaves a record that fails its digest (ignored: the change did not
 * happen); after it, open finds a valid record and writes it in place again,
 * which is idempotent. Nothing is answered before both syncs, so an answered
 * write is never lost, blocks are never torn and data and counter never
 * disagree. docs/rpmb.md has the argument in full.
 */
#include "rpmb/store.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "rpmb/log.h"

/* Journal record: magic, le32 old counter, le16 addr, le16 count, new header, blocks, digest. */
static const uint8_t jrec_magic[8] = { 'T', 'R', 'R', 'P', 'M', 'B', 'J', '1' };
#define JREC_OLD_COUNTER_OFF 8
#define JREC_ADDR_OFF	     12
#define JREC_COUNT_OFF	     14
#define JREC_HDR_OFF	     16
#define JREC_DATA_OFF	     (JREC_HDR_OFF + RPMB_HDR_SIZE)
#define JREC_MAX_SIZE	     (JREC_DATA_OFF + RPMB_STORE_MAX_WRITE * RPMB_DATA_SIZE + SHA256_DIGEST_LENGTH)

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static long fd_read(struct rpmb_io *io, void *buf, size_t len, uint64_t off)
{
	struct rpmb_fd_io *fio = (struct rpmb_fd_io *)io;
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fio->fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (long)done;
}

static int fd_write(struct rpmb_io *io, const void *buf, size_t len, uint64_t off)
{
	struct rpmb_fd_io *fio = (struct rpmb_fd_io *)io;
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fio->fd, (const uint8_t *)buf + done, len - done,
				   (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

static int fd_sync(struct rpmb_io *io)
{
	struct rpmb_fd_io *fio = (struct rpmb_fd_io *)io;

	return fsync(fio->fd) < 0 ? -errno : 0;
}

/* Written is enough: the page cache survives the process, only not the machine. */
static int fd_nosync(struct rpmb_io *io)
{
	(void)io;
	return 0;
}

void rpmb_fd_io_init(struct rpmb_fd_io *fio, int fd, bool durable)
{
	fio->io.read = fd_read;
	fio->io.write = fd_write;
	fio->io.sync = durable ? fd_sync : fd_nosync;
	fio->fd = fd;
}

static void hdr_encode(uint8_t hdr[RPMB_HDR_SIZE], uint32_t blocks, uint32_t counter,
		       bool key_programmed, const uint8_t *key)
{
	memset(hdr, 0, RPMB_HDR_SIZE);
	put_le32(hdr + RPMB_HDR_COUNTER_OFF, counter);
	put_le16(hdr + RPMB_HDR_MAX_BLOCK_OFF, (uint16_t)(blocks - 1));
	hdr[RPMB_HDR_KEY_SET_OFF] = key_programmed;
	if (key_programmed)
		memcpy(hdr + RPMB_HDR_KEY_OFF, key, RPMB_KEY_MAC_SIZE);
}

/* The one place a header read from disk is checked. */
static int hdr_decode(const uint8_t hdr[RPMB_HDR_SIZE], uint32_t *blocks, uint32_t *counter,
		      bool *key_programmed, uint8_t key[RPMB_KEY_MAC_SIZE])
{
	size_t i;

	if (hdr[6] != 0 || hdr[RPMB_HDR_KEY_SET_OFF] > 1)
		return -EINVAL;
	for (i = RPMB_HDR_KEY_OFF + RPMB_KEY_MAC_SIZE; i < RPMB_HDR_SIZE; i++)
		if (hdr[i])
			return -EINVAL;
	*blocks = (uint32_t)get_le16(hdr + RPMB_HDR_MAX_BLOCK_OFF) + 1;
	*counter = get_le32(hdr + RPMB_HDR_COUNTER_OFF);
	*key_programmed = hdr[RPMB_HDR_KEY_SET_OFF];
	memcpy(key, hdr + RPMB_HDR_KEY_OFF, RPMB_KEY_MAC_SIZE);
	return 0;
}

int rpmb_store_format(struct rpmb_io *io, uint32_t blocks, const uint8_t *key)
{
	static const uint8_t zeros[64 * RPMB_DATA_SIZE];
	uint8_t hdr[RPMB_HDR_SIZE];
	uint64_t off, end;
	int ret;

	if (blocks == 0 || blocks > RPMB_MAX_BLOCKS)
		return -EINVAL;
	hdr_encode(hdr, blocks, 0, key != NULL, key);
	ret = io->write(io, hdr, sizeof(hdr), 0);
	end = rpmb_store_block_off(blocks);
	for (off = RPMB_HDR_SIZE; ret == 0 && off < end; off += sizeof(zeros)) {
		size_t n = end - off < sizeof(zeros) ? (size_t)(end - off) : sizeof(zeros);

		ret = io->write(io, zeros, n, off);
	}
	if (ret == 0)
		ret = io->sync(io);
	return ret;
}

static void load_hdr_state(struct rpmb_store *st, uint32_t counter, bool key_programmed,
			   const uint8_t *key)
{
	st->write_counter = counter;
	st->key_programmed = key_programmed;
	memcpy(st->key, key, RPMB_KEY_MAC_SIZE);
}

/* Write a change in place: blocks first, then the header that accounts for them. */
static int apply(struct rpmb_store *st, const uint8_t *hdr, uint32_t addr, uint32_t count,
		 const uint8_t *data)
{
	int ret = 0;

	if (count)
		ret = st->io->write(st->io, data, (size_t)count * RPMB_DATA_SIZE,
				    rpmb_store_block_off(addr));
	if (ret == 0)
		ret = st->io->write(st->io, hdr, RPMB_HDR_SIZE, 0);
	if (ret == 0)
		ret = st->io->sync(st->io);
	return ret;
}

/*
 * A stale record (its change already in place) may survive when clearing the
 * magic did not reach the disk; writing it again is harmless.
 */
static void clear_journal(struct rpmb_store *st)
{
	static const uint8_t zeros[sizeof(jrec_magic)];
	int ret = st->io->write(st->io, zeros, sizeof(zeros), rpmb_store_block_off(st->blocks));

	if (ret < 0)
		rpmb_log("clearing the journal record failed (%s); it is replayed harmlessly",
			 strerror(-ret));
}

static int commit(struct rpmb_store *st, uint32_t new_counter, bool key_programmed,
		  const uint8_t *key, uint32_t addr, uint32_t count, const uint8_t *data)
{
	uint8_t rec[JREC_MAX_SIZE];
	size_t len = JREC_DATA_OFF + (size_t)count * RPMB_DATA_SIZE;
	uint64_t joff = rpmb_store_block_off(st->blocks);
	int ret;

	if (st->readonly || st->broken)
		return -EROFS;
	if (count > RPMB_STORE_MAX_WRITE || addr + count > st->blocks)
		return -EINVAL;

	memcpy(rec, jrec_magic, sizeof(jrec_magic));
	put_le32(rec + JREC_OLD_COUNTER_OFF, st->write_counter);
	put_le16(rec + JREC_ADDR_OFF, (uint16_t)addr);
	put_le16(rec + JREC_COUNT_OFF, (uint16_t)count);
	hdr_encode(rec + JREC_HDR_OFF, st->blocks, new_counter, key_programmed, key);
	if (count)
		memcpy(rec + JREC_DATA_OFF, data, (size_t)count * RPMB_DATA_SIZE);
	SHA256(rec, len, rec + len);
	len += SHA256_DIGEST_LENGTH;

	ret = st->io->write(st->io, rec, len, joff);
	if (ret == 0)
		ret = st->io->sync(st->io);
	if (ret < 0) {
		/* Not committed unless the record reached the disk: make sure it did not. */
		static const uint8_t zeros[sizeof(jrec_magic)];

		rpmb_log("journal write failed: %s", strerror(-ret));
		if (st->io->write(st->io, zeros, sizeof(zeros), joff) < 0 ||
		    st->io->sync(st->io) < 0) {
			rpmb_log("cannot cancel the journal record; refusing further requests");
			st->broken = true;
		}
		return ret;
	}

	/* Committed: from here on the change survives any crash. */
	ret = apply(st, rec + JREC_HDR_OFF, addr, count, data);
	load_hdr_state(st, new_counter, key_programmed, key);
	if (ret < 0) {
		rpmb_log("in-place update failed (%s); the journal keeps the write, "
			 "refusing further requests until reopened",
			 strerror(-ret));
		st->broken = true;
		return 0;
	}
	clear_journal(st);
	return 0;
}

/*
 * Find a committed change in the journal: a record whose digest matches.
 * Such a record is either the last change (maybe not yet in place) or one
 * already in place whose magic was not cleared; every later change would have
 * overwritten it before touching anything else. Returns 1 when found.
 */
static int journal_find(struct rpmb_store *st, uint8_t rec[JREC_MAX_SIZE], uint32_t *addr,
			uint32_t *count)
{
	uint8_t digest[SHA256_DIGEST_LENGTH], key[RPMB_KEY_MAC_SIZE];
	uint64_t joff = rpmb_store_block_off(st->blocks);
	uint32_t blocks, counter;
	bool key_programmed;
	size_t len;
	long n;

	n = st->io->read(st->io, rec, JREC_DATA_OFF, joff);
	if (n < 0)
		return (int)n;
	if ((size_t)n < JREC_DATA_OFF || memcmp(rec, jrec_magic, sizeof(jrec_magic)))
		return 0; /* no record: nothing was in flight */

	*addr = get_le16(rec + JREC_ADDR_OFF);
	*count = get_le16(rec + JREC_COUNT_OFF);
	if (*count > RPMB_STORE_MAX_WRITE || *addr + *count > st->blocks)
		goto torn;
	len = JREC_DATA_OFF + (size_t)*count * RPMB_DATA_SIZE;
	n = st->io->read(st->io, rec + JREC_DATA_OFF, len + SHA256_DIGEST_LENGTH - JREC_DATA_OFF,
			 joff + JREC_DATA_OFF);
	if (n < 0)
		return (int)n;
	if ((size_t)n != len + SHA256_DIGEST_LENGTH - JREC_DATA_OFF)
		goto torn;
	SHA256(rec, len, digest);
	if (memcmp(digest, rec + len, sizeof(digest)))
		goto torn;
	if (hdr_decode(rec + JREC_HDR_OFF, &blocks, &counter, &key_programmed, key) < 0 ||
	    blocks != st->blocks)
		goto torn;
	return 1;

torn:
	rpmb_debug("ignoring an incomplete journal record (a change that never committed)");
	return 0;
}

int rpmb_store_open(struct rpmb_store *st, struct rpmb_io *io, unsigned int flags)
{
	uint8_t hdr[RPMB_HDR_SIZE], key[RPMB_KEY_MAC_SIZE], rec[JREC_MAX_SIZE];
	uint32_t counter, blocks, addr = 0, count = 0;
	bool key_programmed;
	long n;
	int ret;

	memset(st, 0, sizeof(*st));
	st->io = io;
	st->readonly = flags & RPMB_STORE_RDONLY;
	n = io->read(io, hdr, sizeof(hdr), 0);
	if (n < 0)
		return (int)n;
	if ((size_t)n != sizeof(hdr))
		return -EINVAL;
	/* The size never changes, so it locates the journal even in a torn header. */
	st->blocks = (uint32_t)get_le16(hdr + RPMB_HDR_MAX_BLOCK_OFF) + 1;

	ret = journal_find(st, rec, &addr, &count);
	if (ret < 0)
		return ret;
	if (ret) {
		/* Re-applying is idempotent, so a stale record does no harm. */
		if (!st->readonly) {
			ret = apply(st, rec + JREC_HDR_OFF, addr, count, rec + JREC_DATA_OFF);
			if (ret < 0)
				return ret;
		}
		memcpy(hdr, rec + JREC_HDR_OFF, sizeof(hdr));
		st->journal_replayed = true;
	}
	if (hdr_decode(hdr, &blocks, &counter, &key_programmed, key) < 0)
		return -EINVAL;
	load_hdr_state(st, counter, key_programmed, key);
	if (st->journal_replayed && !st->readonly)
		clear_journal(st);
	return 0;
}

int rpmb_store_read(struct rpmb_store *st, uint32_t addr, uint32_t count, uint8_t *data)
{
	size_t len = (size_t)count * RPMB_DATA_SIZE;
	long n;

	if (st->broken)
		return -EIO;
	if (addr + count > st->blocks)
		return -EINVAL;
	n = st->io->read(st->io, data, len, rpmb_store_block_off(addr));
	if (n < 0)
		return (int)n;
	/* Trusty's --init writes only the header: blocks past the end read as zero. */
	memset(data + n, 0, len - (size_t)n);
	return 0;
}

int rpmb_store_write(struct rpmb_store *st, uint32_t addr, uint32_t count, const uint8_t *data)
{
	if (count == 0 || st->write_counter == RPMB_WRITE_COUNTER_MAX)
		return -EINVAL;
	return commit(st, st->write_counter + 1, st->key_programmed, st->key, addr, count, data);
}

int rpmb_store_program_key(struct rpmb_store *st, const uint8_t key[RPMB_KEY_MAC_SIZE])
{
	if (st->key_programmed)
		return -EEXIST;
	return commit(st, st->write_counter, true, key, 0, 0, NULL);
}

int rpmb_store_set_counter(struct rpmb_store *st, uint32_t counter)
{
	return commit(st, counter, st->key_programmed, st->key, 0, 0, NULL);
}
