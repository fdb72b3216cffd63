/* SPDX-License-Identifier: MIT */
/*
 * The guest RPMB client (guest/rpmb/rpmb_proto.c, built for the host) against
 * testrunner-rpmb-dev's request processing: the rpmb boot suite's scenarios,
 * plus a hostile device whose responses are altered and must be refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rpmb/log.h"
#include "rpmb/rpmb_proto.h"
#include "test_rpmb_util.h"

enum corruption { NONE, FLIP_MAC, FLIP_DATA, FLIP_NONCE, WRONG_TYPE, WRONG_COUNTER };

struct device {
	struct mem_io *m;
	struct rpmb_store st;
	struct rpmb_dev dev;
	enum corruption corrupt;
	int transactions;
};

/* The transport: Trusty's framing decoded here, processed by the emulator. */
static int xfer(void *ctx, const uint8_t *req, size_t req_len, uint8_t *res, size_t res_len)
{
	struct device *d = ctx;
	uint16_t res_count, cmd_count;

	rpmb_sock_hdr_decode(req, &res_count, &cmd_count);
	assert_int_equal(req_len, RPMB_SOCK_HDR_SIZE + (size_t)cmd_count * RPMB_FRAME_SIZE);
	assert_int_equal(res_len, (size_t)res_count * RPMB_FRAME_SIZE);
	assert_in_range(res_count, 1, RPMB_SOCK_MAX_FRAMES);
	assert_in_range(cmd_count, 1, RPMB_SOCK_MAX_FRAMES);
	rpmb_dev_process(&d->dev, req + RPMB_SOCK_HDR_SIZE, cmd_count, res, res_count);
	d->transactions++;
	switch (d->corrupt) {
	case NONE:
		break;
	case FLIP_MAC:
		res[res_len - RPMB_FRAME_SIZE + RPMB_KEY_MAC_OFF + 3] ^= 1;
		break;
	case FLIP_DATA:
		res[RPMB_DATA_OFF + 17] ^= 0x40;
		break;
	case FLIP_NONCE:
		res[RPMB_NONCE_OFF] ^= 1;
		break;
	case WRONG_TYPE:
		res[RPMB_REQ_RESP_OFF] = 0x07;
		break;
	case WRONG_COUNTER:
		res[RPMB_WRITE_COUNTER_OFF + 3] ^= 1;
		break;
	}
	return 0;
}

static struct device *device_new(const uint8_t *key)
{
	struct device *d = calloc(1, sizeof(*d));

	rpmb_log_quiet = true;
	d->m = mem_new();
	assert_int_equal(rpmb_store_format(&d->m->io, 128, key), 0);
	assert_int_equal(rpmb_store_open(&d->st, &d->m->io, 0), 0);
	rpmb_dev_init(&d->dev, &d->st);
	return d;
}

static void device_free(struct device *d)
{
	mem_free(d->m);
	free(d);
}

static struct rpmb_session sess;

static void open_session(struct device *d, const uint8_t *key)
{
	rpmb_session_init(&sess, xfer, d, key, 0x1234);
}

static void test_ensure_key(void **state)
{
	struct device *d = device_new(NULL);
	uint8_t other[RPMB_KEY_MAC_SIZE];
	uint32_t counter;

	(void)state;
	open_session(d, test_key);
	assert_int_equal(rpmb_read_counter(&sess, &counter), RPMB_RES_NO_AUTH_KEY);
	assert_int_equal(rpmb_ensure_key(&sess), 0);
	assert_true(d->st.key_programmed);
	/* Idempotent when the device already holds our key. */
	assert_int_equal(rpmb_ensure_key(&sess), 0);
	assert_int_equal(rpmb_program_key(&sess), RPMB_RES_WRITE_FAILURE);
	/* A device keyed by someone else is refused. */
	memset(other, 0x3c, sizeof(other));
	open_session(d, other);
	assert_int_equal(rpmb_ensure_key(&sess), -EACCES);
	device_free(d);
}

static void test_write_read_counter(void **state)
{
	struct device *d = device_new(test_key);
	uint8_t data[3 * RPMB_DATA_SIZE], back[3 * RPMB_DATA_SIZE];
	uint32_t before, after, got;
	size_t i;

	(void)state;
	open_session(d, test_key);
	assert_int_equal(rpmb_ensure_key(&sess), 0);
	assert_int_equal(rpmb_read_counter(&sess, &before), RPMB_RES_OK);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 31 + 7);
	assert_int_equal(rpmb_write(&sess, 10, 3, data, &got), RPMB_RES_OK);
	assert_int_equal(got, before + 1);
	assert_int_equal(rpmb_read_counter(&sess, &after), RPMB_RES_OK);
	assert_int_equal(after, before + 1);
	assert_int_equal(rpmb_read(&sess, 10, 3, back), RPMB_RES_OK);
	assert_memory_equal(data, back, sizeof(data));
	device_free(d);
}

static void test_rejections(void **state)
{
	static uint8_t frames[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	struct device *d = device_new(test_key);
	uint8_t data[2 * RPMB_DATA_SIZE], back[RPMB_DATA_SIZE];
	uint32_t counter, got;

	(void)state;
	open_session(d, test_key);
	memset(data, 0x5e, sizeof(data));
	assert_int_equal(rpmb_read_counter(&sess, &counter), RPMB_RES_OK);
	assert_int_equal(rpmb_build_write(&sess, frames, 1, 1, data, counter), 0);
	assert_int_equal(rpmb_send_write(&sess, frames, 1, &got), RPMB_RES_OK);
	/* Replayed write. */
	assert_int_equal(rpmb_send_write(&sess, frames, 1, &got), RPMB_RES_COUNT_FAILURE);
	assert_int_equal(got, counter + 1);
	/* Bad MAC. */
	assert_int_equal(rpmb_build_write(&sess, frames, 1, 1, data, counter + 1), 0);
	frames[RPMB_KEY_MAC_OFF] ^= 0x80;
	assert_int_equal(rpmb_send_write(&sess, frames, 1, &got), RPMB_RES_AUTH_FAILURE);
	/* Out of range, for any device size: 0xffff + 2 blocks passes 65536. */
	assert_int_equal(rpmb_write(&sess, 0xffff, 2, data, &got), RPMB_RES_ADDR_FAILURE);
	assert_int_equal(rpmb_read(&sess, 0xffff, 2, data), RPMB_RES_ADDR_FAILURE);
	assert_int_equal(rpmb_read_counter(&sess, &got), RPMB_RES_OK);
	assert_int_equal(got, counter + 1);
	assert_int_equal(rpmb_read(&sess, 1, 1, back), RPMB_RES_OK);
	assert_memory_equal(back, data, sizeof(back));
	/* Arguments the client refuses to send. */
	assert_int_equal(rpmb_build_write(&sess, frames, 0, 0, data, 0), -EINVAL);
	assert_int_equal(rpmb_build_write(&sess, frames, 0, 8, data, 0), -EINVAL);
	assert_int_equal(rpmb_read(&sess, 0, 9, data), -EINVAL);
	device_free(d);
}

static void test_hostile_device(void **state)
{
	struct device *d = device_new(test_key);
	uint8_t data[RPMB_DATA_SIZE];
	uint32_t counter = 0;

	(void)state;
	open_session(d, test_key);
	memset(data, 0x42, sizeof(data));
	d->corrupt = FLIP_MAC;
	assert_int_equal(rpmb_read_counter(&sess, &counter), -EBADMSG);
	assert_int_equal(rpmb_read(&sess, 0, 1, data), -EBADMSG);
	d->corrupt = FLIP_DATA;
	assert_int_equal(rpmb_read(&sess, 0, 2, data), -EBADMSG);
	d->corrupt = FLIP_NONCE;
	assert_int_equal(rpmb_read_counter(&sess, &counter), -EBADMSG);
	assert_int_equal(rpmb_read(&sess, 0, 1, data), -EBADMSG);
	d->corrupt = WRONG_TYPE;
	assert_int_equal(rpmb_read_counter(&sess, &counter), -EBADMSG);
	assert_int_equal(rpmb_program_key(&sess), -EBADMSG);
	d->corrupt = WRONG_COUNTER;
	assert_int_equal(rpmb_read_counter(&sess, &counter), -EBADMSG);
	d->corrupt = NONE;
	assert_int_equal(rpmb_read_counter(&sess, &counter), RPMB_RES_OK);
	/* A replayed counter response (same bytes, stale nonce) is refused. */
	{
		uint8_t old[RPMB_FRAME_SIZE];
		uint32_t c2;

		memcpy(old, sess.res, sizeof(old));
		assert_int_equal(rpmb_read_counter(&sess, &c2), RPMB_RES_OK);
		assert_memory_not_equal(old + RPMB_NONCE_OFF, sess.res + RPMB_NONCE_OFF,
					RPMB_NONCE_SIZE);
	}
	device_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ensure_key),
		cmocka_unit_test(test_write_read_counter),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_hostile_device),
	};

	return cmocka_run_group_tests_name("rpmb_client", tests, NULL, NULL);
}
