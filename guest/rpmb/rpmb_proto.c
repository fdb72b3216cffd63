/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/*
 * RPMB requests and response verification (JEDEC JESD84-B51 6.6.22) in the
 * transaction shape Trusty's storageproxyd uses, so the guest talks to
 * testrunner-rpmb-dev and to Trusty's rpmb_dev alike.
 */
#include "rpmb_proto.h"

#include <errno.h>
#include <string.h>

#include "lib/hmac_sha256.h"

#define FRAME(base, i) ((base) + (size_t)(i)*RPMB_FRAME_SIZE)

void rpmb_session_init(struct rpmb_session *s, rpmb_xfer_fn xfer, void *ctx,
		       const uint8_t key[RPMB_KEY_MAC_SIZE], uint64_t nonce_seed)
{
	memset(s, 0, sizeof(*s));
	s->xfer = xfer;
	s->ctx = ctx;
	memcpy(s->key, key, RPMB_KEY_MAC_SIZE);
	s->nonce_seed = nonce_seed;
}

static void frames_mac(const uint8_t key[RPMB_KEY_MAC_SIZE], const uint8_t *frames,
		       unsigned int count, uint8_t mac[RPMB_KEY_MAC_SIZE])
{
	struct hmac_sha256_ctx ctx;
	unsigned int i;

	hmac_sha256_init(&ctx, key, RPMB_KEY_MAC_SIZE);
	for (i = 0; i < count; i++)
		hmac_sha256_update(&ctx, FRAME(frames, i) + RPMB_MAC_INPUT_OFF,
				   RPMB_MAC_INPUT_SIZE);
	hmac_sha256_final(&ctx, mac);
}

/* A fresh nonce per request, so an old response cannot be replayed to us. */
static void make_nonce(struct rpmb_session *s, uint8_t *frame)
{
	uint64_t seq = ++s->nonce_seq;
	uint8_t input[16], digest[SHA256_DIGEST_SIZE];
	int i;

	for (i = 0; i < 8; i++) {
		input[i] = (uint8_t)(s->nonce_seed >> (8 * i));
		input[8 + i] = (uint8_t)(seq >> (8 * i));
	}
	sha256(input, sizeof(input), digest);
	memcpy(frame + RPMB_NONCE_OFF, digest, RPMB_NONCE_SIZE);
}

/* Send s->req (header already set by the caller) and receive into s->res. */
static int transact(struct rpmb_session *s, unsigned int cmd_count, unsigned int res_count)
{
	rpmb_sock_hdr_encode(s->req, (uint16_t)res_count, (uint16_t)cmd_count);
	return s->xfer(s->ctx, s->req, RPMB_SOCK_HDR_SIZE + (size_t)cmd_count * RPMB_FRAME_SIZE,
		       s->res, (size_t)res_count * RPMB_FRAME_SIZE);
}

static uint8_t *req_frame(struct rpmb_session *s, unsigned int i)
{
	return FRAME(s->req + RPMB_SOCK_HDR_SIZE, i);
}

/*
 * The one place a response is checked: type, nonce (when one was sent) and,
 * for signed responses, the MAC over all @count frames. Returns the result.
 */
static int check_response(struct rpmb_session *s, unsigned int count, uint16_t req,
			  const uint8_t *nonce, bool signed_resp)
{
	const uint8_t *last = FRAME(s->res, count - 1);
	uint16_t result = rpmb_get_be16(last, RPMB_RESULT_OFF);
	uint8_t mac[RPMB_KEY_MAC_SIZE];
	unsigned int i;

	for (i = 0; i < count; i++) {
		const uint8_t *f = FRAME(s->res, i);

		if (rpmb_get_be16(f, RPMB_REQ_RESP_OFF) != RPMB_RESP(req))
			return -EBADMSG;
		if (nonce && memcmp(f + RPMB_NONCE_OFF, nonce, RPMB_NONCE_SIZE))
			return -EBADMSG;
	}
	/* Without a key the device cannot sign: such a response only says so. */
	if ((result & RPMB_RES_CODE_MASK) == RPMB_RES_NO_AUTH_KEY)
		return result;
	if (signed_resp) {
		frames_mac(s->key, s->res, count, mac);
		if (!hmac_sha256_equal(mac, last + RPMB_KEY_MAC_OFF))
			return -EBADMSG;
	}
	return result;
}

int rpmb_program_key(struct rpmb_session *s)
{
	int ret;

	memset(s->req, 0, RPMB_SOCK_HDR_SIZE + 2 * RPMB_FRAME_SIZE);
	memcpy(req_frame(s, 0) + RPMB_KEY_MAC_OFF, s->key, RPMB_KEY_MAC_SIZE);
	rpmb_put_be16(req_frame(s, 0), RPMB_REQ_RESP_OFF, RPMB_REQ_PROGRAM_KEY);
	rpmb_put_be16(req_frame(s, 1), RPMB_REQ_RESP_OFF, RPMB_REQ_RESULT_READ);
	ret = transact(s, 2, 1);
	/* The key must not linger in a buffer longer than needed. */
	memset(req_frame(s, 0) + RPMB_KEY_MAC_OFF, 0, RPMB_KEY_MAC_SIZE);
	if (ret < 0)
		return ret;
	/* JEDEC: the program-key response carries no MAC. */
	return check_response(s, 1, RPMB_REQ_PROGRAM_KEY, NULL, false);
}

int rpmb_read_counter(struct rpmb_session *s, uint32_t *counter)
{
	uint8_t nonce[RPMB_NONCE_SIZE];
	int ret;

	memset(s->req, 0, RPMB_SOCK_HDR_SIZE + RPMB_FRAME_SIZE);
	make_nonce(s, req_frame(s, 0));
	memcpy(nonce, req_frame(s, 0) + RPMB_NONCE_OFF, sizeof(nonce));
	rpmb_put_be16(req_frame(s, 0), RPMB_REQ_RESP_OFF, RPMB_REQ_GET_COUNTER);
	ret = transact(s, 1, 1);
	if (ret < 0)
		return ret;
	ret = check_response(s, 1, RPMB_REQ_GET_COUNTER, nonce, true);
	if (ret >= 0)
		*counter = rpmb_get_be32(s->res, RPMB_WRITE_COUNTER_OFF);
	return ret;
}

int rpmb_ensure_key(struct rpmb_session *s)
{
	uint32_t counter;
	int ret = rpmb_program_key(s);

	if (ret < 0)
		return ret;
	if ((ret & RPMB_RES_CODE_MASK) == RPMB_RES_OK)
		return 0;
	if ((ret & RPMB_RES_CODE_MASK) != RPMB_RES_WRITE_FAILURE)
		return -EIO;
	/* Already programmed: a counter read signed with our key proves it is ours. */
	ret = rpmb_read_counter(s, &counter);
	if (ret < 0)
		return ret == -EBADMSG ? -EACCES : ret;
	return (ret & RPMB_RES_CODE_MASK) == RPMB_RES_OK ? 0 : -EIO;
}

int rpmb_build_write(const struct rpmb_session *s, uint8_t *frames, uint16_t addr,
		     unsigned int count, const uint8_t *data, uint32_t counter)
{
	unsigned int i;

	if (count < 1 || count > RPMB_MAX_WRITE_BLOCKS)
		return -EINVAL;
	memset(frames, 0, (size_t)(count + 1) * RPMB_FRAME_SIZE);
	for (i = 0; i < count; i++) {
		uint8_t *f = FRAME(frames, i);

		memcpy(f + RPMB_DATA_OFF, data + (size_t)i * RPMB_DATA_SIZE, RPMB_DATA_SIZE);
		rpmb_put_be32(f, RPMB_WRITE_COUNTER_OFF, counter);
		rpmb_put_be16(f, RPMB_ADDRESS_OFF, addr);
		rpmb_put_be16(f, RPMB_BLOCK_COUNT_OFF, (uint16_t)count);
		rpmb_put_be16(f, RPMB_REQ_RESP_OFF, RPMB_REQ_DATA_WRITE);
	}
	frames_mac(s->key, frames, count, FRAME(frames, count - 1) + RPMB_KEY_MAC_OFF);
	rpmb_put_be16(FRAME(frames, count), RPMB_REQ_RESP_OFF, RPMB_REQ_RESULT_READ);
	return 0;
}

int rpmb_send_write(struct rpmb_session *s, const uint8_t *frames, unsigned int count,
		    uint32_t *counter)
{
	int ret;

	if (count < 1 || count > RPMB_MAX_WRITE_BLOCKS)
		return -EINVAL;
	memcpy(req_frame(s, 0), frames, (size_t)(count + 1) * RPMB_FRAME_SIZE);
	ret = transact(s, count + 1, 1);
	if (ret < 0)
		return ret;
	/*
	 * The write response has no nonce of ours; its MAC and the counter it
	 * reports are what bind it to this write.
	 */
	ret = check_response(s, 1, RPMB_REQ_DATA_WRITE, NULL, true);
	if (ret >= 0 && counter)
		*counter = rpmb_get_be32(s->res, RPMB_WRITE_COUNTER_OFF);
	return ret;
}

int rpmb_write(struct rpmb_session *s, uint16_t addr, unsigned int count, const uint8_t *data,
	       uint32_t *counter)
{
	static uint8_t frames[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	uint32_t now;
	int ret;

	ret = rpmb_read_counter(s, &now);
	if (ret != RPMB_RES_OK)
		return ret;
	ret = rpmb_build_write(s, frames, addr, count, data, now);
	if (ret < 0)
		return ret;
	ret = rpmb_send_write(s, frames, count, counter);
	/* An acknowledged write moves the counter by exactly one. */
	if (ret == RPMB_RES_OK && counter && *counter != now + 1)
		return -EBADMSG;
	return ret;
}

int rpmb_read(struct rpmb_session *s, uint16_t addr, unsigned int count, uint8_t *data)
{
	uint8_t nonce[RPMB_NONCE_SIZE];
	unsigned int i;
	int ret;

	if (count < 1 || count > RPMB_MAX_READ_BLOCKS)
		return -EINVAL;
	memset(s->req, 0, RPMB_SOCK_HDR_SIZE + RPMB_FRAME_SIZE);
	make_nonce(s, req_frame(s, 0));
	memcpy(nonce, req_frame(s, 0) + RPMB_NONCE_OFF, sizeof(nonce));
	rpmb_put_be16(req_frame(s, 0), RPMB_ADDRESS_OFF, addr);
	rpmb_put_be16(req_frame(s, 0), RPMB_BLOCK_COUNT_OFF, (uint16_t)count);
	rpmb_put_be16(req_frame(s, 0), RPMB_REQ_RESP_OFF, RPMB_REQ_DATA_READ);
	ret = transact(s, 1, count);
	if (ret < 0)
		return ret;
	ret = check_response(s, count, RPMB_REQ_DATA_READ, nonce, true);
	if (ret == RPMB_RES_OK || ret == (RPMB_RES_OK | RPMB_RES_WRITE_COUNTER_EXPIRED)) {
		for (i = 0; i < count; i++)
			memcpy(data + (size_t)i * RPMB_DATA_SIZE, FRAME(s->res, i) + RPMB_DATA_OFF,
			       RPMB_DATA_SIZE);
	}
	return ret;
}
