/* SPDX-License-Identifier: MIT */
/*
 * Guest RPMB client, transport-free: builds JEDEC request frames in Trusty
 * rpmb_dev's socket framing, MACs them, and verifies every response (type,
 * nonce, MAC) before believing it. Portable: unit-tested on the host against
 * testrunner-rpmb-dev's own request processing.
 */
#ifndef RPMB_PROTO_H
#define RPMB_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "testrunner/rpmb.h"

/* Most data frames in one authenticated write (one frame is the result read). */
#define RPMB_MAX_WRITE_BLOCKS (RPMB_SOCK_MAX_FRAMES - 1)
#define RPMB_MAX_READ_BLOCKS  RPMB_SOCK_MAX_FRAMES

/*
 * One transaction: send @req_len bytes, then receive exactly @res_len bytes.
 * 0 or a negative errno.
 */
typedef int (*rpmb_xfer_fn)(void *ctx, const uint8_t *req, size_t req_len, uint8_t *res,
			    size_t res_len);

struct rpmb_session {
	rpmb_xfer_fn xfer;
	void *ctx;
	uint8_t key[RPMB_KEY_MAC_SIZE];
	uint64_t nonce_seed; /* makes nonces differ between boots */
	uint64_t nonce_seq;
	/* Transaction buffers: no allocation, one session at a time per buffer. */
	uint8_t req[RPMB_SOCK_HDR_SIZE + RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	uint8_t res[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
};

void rpmb_session_init(struct rpmb_session *s, rpmb_xfer_fn xfer, void *ctx,
		       const uint8_t key[RPMB_KEY_MAC_SIZE], uint64_t nonce_seed);

/*
 * Every operation returns the device's JEDEC result (>= 0, RPMB_RES_* possibly
 * with RPMB_RES_WRITE_COUNTER_EXPIRED) once the response is verified, or a
 * negative errno: -EBADMSG when the response has the wrong type, nonce or MAC
 * (never trust it), -EINVAL for bad arguments, the transport's error otherwise.
 */
int rpmb_program_key(struct rpmb_session *s);

/* Program the key unless the device already holds exactly this key: 0 or -errno. */
int rpmb_ensure_key(struct rpmb_session *s);

int rpmb_read_counter(struct rpmb_session *s, uint32_t *counter);

/*
 * Build the frames of an authenticated write of @count blocks at @addr with
 * write counter @counter into @frames ((count + 1) frames: data, result read).
 */
int rpmb_build_write(const struct rpmb_session *s, uint8_t *frames, uint16_t addr,
		     unsigned int count, const uint8_t *data, uint32_t counter);

/* Send frames built by rpmb_build_write (possibly altered); *@counter gets the device's. */
int rpmb_send_write(struct rpmb_session *s, const uint8_t *frames, unsigned int count,
		    uint32_t *counter);

/* Read the counter, then write: the usual authenticated write. */
int rpmb_write(struct rpmb_session *s, uint16_t addr, unsigned int count, const uint8_t *data,
	       uint32_t *counter);

/* Authenticated read of @count (1..8) blocks; data is returned only if the MAC verifies. */
int rpmb_read(struct rpmb_session *s, uint16_t addr, unsigned int count, uint8_t *data);

#endif /* RPMB_PROTO_H */
