/* SPDX-License-Identifier: MIT */
/*
 * RPMB request semantics (JEDEC JESD84-B51 6.6.22), the checks in the
 * standard's order: for an authenticated write, counter expiry, then the
 * address range, then the MAC, then the write counter.
 */
#include "rpmb/dev.h"

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "rpmb/log.h"

#define FRAME(base, i) ((base) + (size_t)(i)*RPMB_FRAME_SIZE)

void rpmb_dev_init(struct rpmb_dev *dev, struct rpmb_store *store)
{
	memset(dev, 0, sizeof(*dev));
	dev->store = store;
}

const char *rpmb_req_name(uint16_t req)
{
	switch (req) {
	case RPMB_REQ_PROGRAM_KEY:
		return "program-key";
	case RPMB_REQ_GET_COUNTER:
		return "read-counter";
	case RPMB_REQ_DATA_WRITE:
		return "write";
	case RPMB_REQ_DATA_READ:
		return "read";
	case RPMB_REQ_RESULT_READ:
		return "result-read";
	default:
		return "unknown";
	}
}

int rpmb_dev_mac(const uint8_t key[RPMB_KEY_MAC_SIZE], const uint8_t *frames, unsigned int count,
		 uint8_t mac[RPMB_KEY_MAC_SIZE])
{
	uint8_t input[RPMB_SOCK_MAX_FRAMES * RPMB_MAC_INPUT_SIZE];
	unsigned int i, len = 0;

	if (count == 0 || count > RPMB_SOCK_MAX_FRAMES)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		memcpy(input + (size_t)i * RPMB_MAC_INPUT_SIZE,
		       FRAME(frames, i) + RPMB_MAC_INPUT_OFF, RPMB_MAC_INPUT_SIZE);
	}
	if (!HMAC(EVP_sha256(), key, RPMB_KEY_MAC_SIZE, input, (size_t)count * RPMB_MAC_INPUT_SIZE,
		  mac, &len) ||
	    len != RPMB_KEY_MAC_SIZE)
		return -EIO;
	return 0;
}

/* Every response frame of a transaction carries the same status fields. */
static void fill_status(uint8_t *res, unsigned int res_count, const uint8_t *cmd0, uint16_t resp,
			uint16_t result, uint16_t addr, uint16_t block_count)
{
	unsigned int i;

	for (i = 0; i < res_count; i++) {
		uint8_t *f = FRAME(res, i);

		memcpy(f + RPMB_NONCE_OFF, cmd0 + RPMB_NONCE_OFF, RPMB_NONCE_SIZE);
		rpmb_put_be16(f, RPMB_ADDRESS_OFF, addr);
		rpmb_put_be16(f, RPMB_BLOCK_COUNT_OFF, block_count);
		rpmb_put_be16(f, RPMB_RESULT_OFF, result);
		rpmb_put_be16(f, RPMB_REQ_RESP_OFF, resp);
	}
}

static bool frames_all(const uint8_t *cmd, unsigned int from, unsigned int to, uint16_t req)
{
	unsigned int i;

	for (i = from; i < to; i++)
		if (rpmb_get_be16(FRAME(cmd, i), RPMB_REQ_RESP_OFF) != req)
			return false;
	return true;
}

static uint16_t do_program_key(struct rpmb_dev *dev, const uint8_t *cmd, unsigned int cmd_count,
			       unsigned int res_count)
{
	int ret;

	/* Program key travels with its result read, as storageproxyd sends it. */
	if (cmd_count != 2 || res_count != 1 ||
	    rpmb_get_be16(FRAME(cmd, 1), RPMB_REQ_RESP_OFF) != RPMB_REQ_RESULT_READ)
		return RPMB_RES_GENERAL_FAILURE;
	if (dev->store->key_programmed)
		return RPMB_RES_WRITE_FAILURE; /* JEDEC: the key is one-time programmable */
	ret = rpmb_store_program_key(dev->store, cmd + RPMB_KEY_MAC_OFF);
	if (ret < 0) {
		rpmb_log("programming the key failed: %s", strerror(-ret));
		return RPMB_RES_WRITE_FAILURE;
	}
	return RPMB_RES_OK;
}

static uint16_t do_write(struct rpmb_dev *dev, const uint8_t *cmd, unsigned int cmd_count,
			 unsigned int res_count)
{
	struct rpmb_store *st = dev->store;
	unsigned int n = cmd_count - 1, i;
	uint16_t addr = rpmb_get_be16(cmd, RPMB_ADDRESS_OFF);
	uint8_t mac[RPMB_KEY_MAC_SIZE];
	uint8_t data[RPMB_STORE_MAX_WRITE * RPMB_DATA_SIZE];
	int ret;

	if (cmd_count < 2 || res_count != 1 || !frames_all(cmd, 0, n, RPMB_REQ_DATA_WRITE) ||
	    rpmb_get_be16(FRAME(cmd, n), RPMB_REQ_RESP_OFF) != RPMB_REQ_RESULT_READ ||
	    rpmb_get_be16(cmd, RPMB_BLOCK_COUNT_OFF) != n)
		return RPMB_RES_GENERAL_FAILURE;
	if (!st->key_programmed)
		return RPMB_RES_NO_AUTH_KEY;
	if (st->write_counter == RPMB_WRITE_COUNTER_MAX)
		return RPMB_RES_WRITE_FAILURE;
	if ((uint32_t)addr + n > st->blocks)
		return RPMB_RES_ADDR_FAILURE;
	if (rpmb_dev_mac(st->key, cmd, n, mac) < 0)
		return RPMB_RES_GENERAL_FAILURE;
	if (CRYPTO_memcmp(mac, FRAME(cmd, n - 1) + RPMB_KEY_MAC_OFF, sizeof(mac)))
		return RPMB_RES_AUTH_FAILURE;
	if (rpmb_get_be32(cmd, RPMB_WRITE_COUNTER_OFF) != st->write_counter)
		return RPMB_RES_COUNT_FAILURE;

	for (i = 0; i < n; i++)
		memcpy(data + (size_t)i * RPMB_DATA_SIZE, FRAME(cmd, i) + RPMB_DATA_OFF,
		       RPMB_DATA_SIZE);
	ret = rpmb_store_write(st, addr, n, data);
	if (ret < 0) {
		rpmb_log("write of %u block(s) at %u failed: %s", n, addr, strerror(-ret));
		return RPMB_RES_WRITE_FAILURE;
	}
	return RPMB_RES_OK;
}

static uint16_t do_read(struct rpmb_dev *dev, const uint8_t *cmd, unsigned int cmd_count,
			unsigned int res_count, uint8_t *res)
{
	struct rpmb_store *st = dev->store;
	uint16_t addr = rpmb_get_be16(cmd, RPMB_ADDRESS_OFF);
	uint8_t data[RPMB_SOCK_MAX_FRAMES * RPMB_DATA_SIZE];
	unsigned int i;
	int ret;

	if (cmd_count != 1)
		return RPMB_RES_GENERAL_FAILURE;
	if (!st->key_programmed)
		return RPMB_RES_NO_AUTH_KEY;
	/* The block count is the number of response frames asked for. */
	if ((uint32_t)addr + res_count > st->blocks)
		return RPMB_RES_ADDR_FAILURE;
	ret = rpmb_store_read(st, addr, res_count, data);
	if (ret < 0) {
		rpmb_log("read of %u block(s) at %u failed: %s", res_count, addr, strerror(-ret));
		return RPMB_RES_READ_FAILURE;
	}
	for (i = 0; i < res_count; i++)
		memcpy(FRAME(res, i) + RPMB_DATA_OFF, data + (size_t)i * RPMB_DATA_SIZE,
		       RPMB_DATA_SIZE);
	return RPMB_RES_OK;
}

uint16_t rpmb_dev_process(struct rpmb_dev *dev, const uint8_t *cmd, unsigned int cmd_count,
			  uint8_t *res, unsigned int res_count)
{
	struct rpmb_store *st = dev->store;
	uint16_t req = rpmb_get_be16(cmd, RPMB_REQ_RESP_OFF);
	uint16_t addr = rpmb_get_be16(cmd, RPMB_ADDRESS_OFF);
	uint16_t resp = RPMB_RESP(req), block_count = 0, result;
	bool mac = false;

	memset(res, 0, (size_t)res_count * RPMB_FRAME_SIZE);

	switch (req) {
	case RPMB_REQ_PROGRAM_KEY:
		result = do_program_key(dev, cmd, cmd_count, res_count);
		break;
	case RPMB_REQ_GET_COUNTER:
		result = cmd_count == 1 && res_count == 1 ? RPMB_RES_OK : RPMB_RES_GENERAL_FAILURE;
		if (result == RPMB_RES_OK && !st->key_programmed)
			result = RPMB_RES_NO_AUTH_KEY;
		if (result == RPMB_RES_OK)
			rpmb_put_be32(res, RPMB_WRITE_COUNTER_OFF, st->write_counter);
		mac = true;
		break;
	case RPMB_REQ_DATA_WRITE:
		result = do_write(dev, cmd, cmd_count, res_count);
		block_count = (uint16_t)(cmd_count - 1);
		rpmb_put_be32(res, RPMB_WRITE_COUNTER_OFF, st->write_counter);
		mac = true;
		break;
	case RPMB_REQ_DATA_READ:
		result = do_read(dev, cmd, cmd_count, res_count, res);
		block_count = (uint16_t)res_count;
		mac = true;
		break;
	case RPMB_REQ_RESULT_READ:
		/* On its own: the outcome of the last program-key or write (JEDEC two-step form). */
		if (cmd_count != 1 || res_count != 1 || !dev->have_last) {
			result = RPMB_RES_GENERAL_FAILURE;
			break;
		}
		resp = RPMB_RESP(dev->last_req);
		result = dev->last_result;
		if (dev->last_req == RPMB_REQ_DATA_WRITE) {
			rpmb_put_be32(res, RPMB_WRITE_COUNTER_OFF, st->write_counter);
			mac = true;
		}
		fill_status(res, 1, cmd, resp, result, addr, 0);
		goto sign;
	default:
		result = RPMB_RES_GENERAL_FAILURE;
		resp = 0;
		break;
	}
	if (st->write_counter == RPMB_WRITE_COUNTER_MAX)
		result |= RPMB_RES_WRITE_COUNTER_EXPIRED;
	if (req == RPMB_REQ_PROGRAM_KEY || req == RPMB_REQ_DATA_WRITE) {
		dev->have_last = true;
		dev->last_req = req;
		dev->last_result = result;
	}
	fill_status(res, res_count, cmd, resp, result, addr, block_count);

sign:
	/* Without a key there is nothing to sign with: the MAC stays zero. */
	if (mac && st->key_programmed &&
	    rpmb_dev_mac(st->key, res, res_count, FRAME(res, res_count - 1) + RPMB_KEY_MAC_OFF) <
		    0) {
		rpmb_log("computing the response MAC failed");
		result = RPMB_RES_GENERAL_FAILURE;
		fill_status(res, res_count, cmd, resp, result, addr, block_count);
	}
	rpmb_debug("%s addr %u frames %u/%u: result 0x%04x counter %u", rpmb_req_name(req), addr,
		   cmd_count, res_count, result, st->write_counter);
	return result;
}
