/* SPDX-License-Identifier: MIT */
/*
 * The RPMB device file: Trusty rpmb_dev's layout (512-byte header, then the
 * 256-byte blocks) plus a one-record journal after the last block that makes
 * every key programming and authenticated write atomic and durable.
 */
#ifndef RPMB_STORE_H
#define RPMB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "testrunner/rpmb.h"

/* File I/O behind a table, so unit tests can interrupt it at any call. */
struct rpmb_io {
	/* Bytes read (short only at end of file) or -errno. */
	long (*read)(struct rpmb_io *io, void *buf, size_t len, uint64_t off);
	/* 0 once all @len bytes are written, or -errno. */
	int (*write)(struct rpmb_io *io, const void *buf, size_t len, uint64_t off);
	/* 0 once everything written so far is durable, or -errno. */
	int (*sync)(struct rpmb_io *io);
};

struct rpmb_fd_io {
	struct rpmb_io io;
	int fd;
};

/* !@durable: sync does nothing (a device thrown away after use; not crash-safe). */
void rpmb_fd_io_init(struct rpmb_fd_io *fio, int fd, bool durable);

/* Header, Trusty's struct rpmb_data_header on a little-endian host. */
#define RPMB_HDR_SIZE	       512
#define RPMB_HDR_COUNTER_OFF   0 /* le32 write counter */
#define RPMB_HDR_MAX_BLOCK_OFF 4 /* le16 number of blocks - 1 */
#define RPMB_HDR_KEY_SET_OFF   7 /* u8 key programmed: 0 or 1 */
#define RPMB_HDR_KEY_OFF       8 /* 32-byte key */

/* Most blocks one journal record (one authenticated write) carries. */
#define RPMB_STORE_MAX_WRITE (RPMB_SOCK_MAX_FRAMES - 1)

struct rpmb_store {
	struct rpmb_io *io;
	uint32_t blocks;
	uint32_t write_counter;
	bool key_programmed;
	uint8_t key[RPMB_KEY_MAC_SIZE];
	bool readonly;
	bool journal_replayed; /* open found a committed change and (re)applied it */
	/*
	 * Set when a committed write could not be applied in place: the journal
	 * still holds it, but reads of this instance would be stale.
	 */
	bool broken;
};

#define RPMB_STORE_RDONLY 1u

/* Offset of block @addr, and of the journal record. */
static inline uint64_t rpmb_store_block_off(uint32_t addr)
{
	return RPMB_HDR_SIZE + (uint64_t)addr * RPMB_DATA_SIZE;
}

/* Write a new device: header, zeroed blocks, optional key; then sync. */
int rpmb_store_format(struct rpmb_io *io, uint32_t blocks, const uint8_t *key);

/*
 * Load and check the header, then finish a committed write left in the
 * journal (with RPMB_STORE_RDONLY: only in memory). 0 or -errno
 * (-EINVAL: not a device file).
 */
int rpmb_store_open(struct rpmb_store *st, struct rpmb_io *io, unsigned int flags);

/* Read @count blocks from @addr (already range-checked by the caller). */
int rpmb_store_read(struct rpmb_store *st, uint32_t addr, uint32_t count, uint8_t *data);

/*
 * Atomically write @count blocks at @addr and increment the write counter.
 * Returns 0 once durable, -errno when the write did not happen.
 */
int rpmb_store_write(struct rpmb_store *st, uint32_t addr, uint32_t count, const uint8_t *data);

/* Atomically and durably program the key. */
int rpmb_store_program_key(struct rpmb_store *st, const uint8_t key[RPMB_KEY_MAC_SIZE]);

/* Test hook: set the counter (e.g. to RPMB_WRITE_COUNTER_MAX), durably. */
int rpmb_store_set_counter(struct rpmb_store *st, uint32_t counter);

#endif /* RPMB_STORE_H */
