/* SPDX-License-Identifier: MIT */
/*
 * RPMB as both sides see it: the JEDEC eMMC frame layout, request/response
 * types and result codes, the socket framing of Trusty's rpmb_dev (which
 * testrunner-rpmb-dev follows), and the fixed key the harness initialises
 * test devices with. docs/rpmb.md is the contract.
 */
#ifndef TESTRUNNER_RPMB_H
#define TESTRUNNER_RPMB_H

#include <stdint.h>

/* JEDEC JESD84 (eMMC) 6.6.22: one 512-byte data frame, multi-byte fields big-endian. */
#define RPMB_FRAME_SIZE	       512
#define RPMB_STUFF_OFF	       0   /* 196 stuff bytes */
#define RPMB_KEY_MAC_OFF       196 /* key (program key) or HMAC-SHA256 */
#define RPMB_KEY_MAC_SIZE      32
#define RPMB_DATA_OFF	       228 /* one 256-byte half-sector */
#define RPMB_DATA_SIZE	       256
#define RPMB_NONCE_OFF	       484
#define RPMB_NONCE_SIZE	       16
#define RPMB_WRITE_COUNTER_OFF 500 /* be32 */
#define RPMB_ADDRESS_OFF       504 /* be16, in 256-byte blocks */
#define RPMB_BLOCK_COUNT_OFF   506 /* be16 */
#define RPMB_RESULT_OFF	       508 /* be16 */
#define RPMB_REQ_RESP_OFF      510 /* be16 */

/* The MAC covers bytes 228..511 of every frame of a request or response, in order. */
#define RPMB_MAC_INPUT_OFF  RPMB_DATA_OFF
#define RPMB_MAC_INPUT_SIZE (RPMB_FRAME_SIZE - RPMB_DATA_OFF) /* 284 */

enum rpmb_request {
	RPMB_REQ_PROGRAM_KEY = 0x0001,
	RPMB_REQ_GET_COUNTER = 0x0002,
	RPMB_REQ_DATA_WRITE = 0x0003,
	RPMB_REQ_DATA_READ = 0x0004,
	RPMB_REQ_RESULT_READ = 0x0005,
};

/*
 * JEDEC response types are the request type in the high byte: 0x0100 program
 * key, 0x0200 counter, 0x0300 write, 0x0400 read, 0x0500 result read
 * (Trusty's RPMB_RESP_* are the same values).
 */
#define RPMB_RESP(req) ((uint16_t)((req) << 8))

enum rpmb_result {
	RPMB_RES_OK = 0x0000,
	RPMB_RES_GENERAL_FAILURE = 0x0001,
	RPMB_RES_AUTH_FAILURE = 0x0002,
	RPMB_RES_COUNT_FAILURE = 0x0003,
	RPMB_RES_ADDR_FAILURE = 0x0004,
	RPMB_RES_WRITE_FAILURE = 0x0005,
	RPMB_RES_READ_FAILURE = 0x0006,
	RPMB_RES_NO_AUTH_KEY = 0x0007,
};

/* Or-ed into every result once the write counter has reached its maximum. */
#define RPMB_RES_WRITE_COUNTER_EXPIRED 0x0080
#define RPMB_RES_CODE_MASK	       0x007f
#define RPMB_WRITE_COUNTER_MAX	       0xffffffffu

/* Addresses are 16-bit: a device has at most 65536 half-sectors (16 MiB). */
#define RPMB_MAX_BLOCKS 65536u

/*
 * Socket framing of Trusty's rpmb_dev, as sent by storageproxyd's
 * send_virt_rpmb_req() and by our guest over the rpmb0 port. One transaction:
 *
 *   -> le16 res_count, le16 cmd_count, cmd_count * 512-byte request frames
 *   <- res_count * 512-byte response frames
 *
 * The counts are host-order uint16 in Trusty (little-endian on every target it
 * runs on); both are 1..RPMB_SOCK_MAX_FRAMES. A program-key or write request
 * ends with a result-read frame and gets one response frame (the result); a
 * read asks for res_count blocks.
 */
#define RPMB_SOCK_HDR_SIZE   4
#define RPMB_SOCK_MAX_FRAMES 8

static inline void rpmb_sock_hdr_encode(uint8_t hdr[RPMB_SOCK_HDR_SIZE], uint16_t res_count,
					uint16_t cmd_count)
{
	hdr[0] = (uint8_t)res_count;
	hdr[1] = (uint8_t)(res_count >> 8);
	hdr[2] = (uint8_t)cmd_count;
	hdr[3] = (uint8_t)(cmd_count >> 8);
}

static inline void rpmb_sock_hdr_decode(const uint8_t hdr[RPMB_SOCK_HDR_SIZE], uint16_t *res_count,
					uint16_t *cmd_count)
{
	*res_count = (uint16_t)(hdr[0] | hdr[1] << 8);
	*cmd_count = (uint16_t)(hdr[2] | hdr[3] << 8);
}

/* Big-endian frame fields. */
static inline uint16_t rpmb_get_be16(const uint8_t *frame, unsigned int off)
{
	return (uint16_t)(frame[off] << 8 | frame[off + 1]);
}

static inline uint32_t rpmb_get_be32(const uint8_t *frame, unsigned int off)
{
	return (uint32_t)frame[off] << 24 | (uint32_t)frame[off + 1] << 16 |
	       (uint32_t)frame[off + 2] << 8 | (uint32_t)frame[off + 3];
}

static inline void rpmb_put_be16(uint8_t *frame, unsigned int off, uint16_t v)
{
	frame[off] = (uint8_t)(v >> 8);
	frame[off + 1] = (uint8_t)v;
}

static inline void rpmb_put_be32(uint8_t *frame, unsigned int off, uint32_t v)
{
	frame[off] = (uint8_t)(v >> 24);
	frame[off + 1] = (uint8_t)(v >> 16);
	frame[off + 2] = (uint8_t)(v >> 8);
	frame[off + 3] = (uint8_t)v;
}

/*
 * The authentication key of test devices: the harness creates a device with
 * it (`testrunner-rpmb-dev --init --key RPMB_TEST_KEY_HEX`) or the guest
 * programs it. Not a secret: it only has to be the same on both sides.
 */
#define RPMB_TEST_KEY	  "testrunner-rpmb-test-key-0000001" /* 32 bytes, no NUL */
#define RPMB_TEST_KEY_HEX "7465737472756e6e65722d72706d622d746573742d6b65792d30303030303031"

#endif /* TESTRUNNER_RPMB_H */
