/* SPDX-License-Identifier: MIT */
/*
 * testrunner-rpmb-dev request semantics: every JEDEC result code, response
 * types, nonces and MACs, checked with frames built here and OpenSSL's HMAC.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>

#include "rpmb/log.h"
#include "test_rpmb_util.h"

#define BLOCKS 64

struct fixture {
	struct mem_io *m;
	struct rpmb_store st;
	struct rpmb_dev dev;
	uint8_t cmd[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	uint8_t res[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	rpmb_log_quiet = true;
	f->m = mem_new();
	assert_int_equal(rpmb_store_format(&f->m->io, BLOCKS, NULL), 0);
	assert_int_equal(rpmb_store_open(&f->st, &f->m->io, 0), 0);
	rpmb_dev_init(&f->dev, &f->st);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mem_free(f->m);
	free(f);
	return 0;
}

static uint16_t xfer(struct fixture *f, unsigned int cmd_count, unsigned int res_count)
{
	return rpmb_dev_process(&f->dev, f->cmd, cmd_count, f->res, res_count);
}

static void program_key(struct fixture *f)
{
	build_program_key(f->cmd, test_key);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_OK);
	assert_int_equal(rpmb_get_be16(f->res, RPMB_REQ_RESP_OFF), 0x0100);
}

static uint32_t read_counter(struct fixture *f, uint16_t expect_result)
{
	build_simple(f->cmd, RPMB_REQ_GET_COUNTER, 0, 0x5a);
	assert_int_equal(xfer(f, 1, 1), expect_result);
	assert_int_equal(rpmb_get_be16(f->res, RPMB_REQ_RESP_OFF), 0x0200);
	assert_int_equal(res_result(f->res), expect_result);
	return rpmb_get_be32(f->res, RPMB_WRITE_COUNTER_OFF);
}

static void test_program_key_ok_and_once(void **state)
{
	struct fixture *f = *state;
	uint8_t other[RPMB_KEY_MAC_SIZE];

	program_key(f);
	assert_int_equal(res_result(f->res), RPMB_RES_OK);
	assert_true(f->st.key_programmed);
	/* The key is one-time programmable: a second programming is a write failure. */
	memset(other, 0x42, sizeof(other));
	build_program_key(f->cmd, other);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_WRITE_FAILURE);
	assert_int_equal(rpmb_get_be16(f->res, RPMB_REQ_RESP_OFF), 0x0100);
	assert_memory_equal(f->st.key, test_key, sizeof(test_key));
}

static void test_program_key_needs_result_read(void **state)
{
	struct fixture *f = *state;

	build_program_key(f->cmd, test_key);
	assert_int_equal(xfer(f, 1, 1), RPMB_RES_GENERAL_FAILURE);
	rpmb_put_be16(f->cmd + RPMB_FRAME_SIZE, RPMB_REQ_RESP_OFF, RPMB_REQ_GET_COUNTER);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_GENERAL_FAILURE);
	assert_false(f->st.key_programmed);
}

static void test_no_auth_key(void **state)
{
	struct fixture *f = *state;

	read_counter(f, RPMB_RES_NO_AUTH_KEY);
	build_write(f->cmd, test_key, 0, 1, 0, 0x11);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_NO_AUTH_KEY);
	assert_int_equal(rpmb_get_be16(f->res, RPMB_REQ_RESP_OFF), 0x0300);
	build_simple(f->cmd, RPMB_REQ_DATA_READ, 0, 1);
	assert_int_equal(xfer(f, 1, 1), RPMB_RES_NO_AUTH_KEY);
	assert_int_equal(f->st.write_counter, 0);
}

static void test_counter_nonce_and_mac(void **state)
{
	struct fixture *f = *state;
	uint8_t nonce[RPMB_NONCE_SIZE];

	program_key(f);
	assert_int_equal(read_counter(f, RPMB_RES_OK), 0);
	memset(nonce, 0x5a, sizeof(nonce));
	assert_memory_equal(f->res + RPMB_NONCE_OFF, nonce, sizeof(nonce));
	assert_res_mac(test_key, f->res, 1);
}

static void test_write_then_read(void **state)
{
	struct fixture *f = *state;
	uint8_t want[RPMB_DATA_SIZE];
	unsigned int i;

	program_key(f);
	build_write(f->cmd, test_key, 5, 1, 0, 0xa0);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_OK);
	assert_int_equal(rpmb_get_be16(f->res, RPMB_REQ_RESP_OFF), 0x0300);
	assert_int_equal(rpmb_get_be32(f->res, RPMB_WRITE_COUNTER_OFF), 1);
	assert_int_equal(rpmb_get_be16(f->res, RPMB_ADDRESS_OFF), 5);
	assert_res_mac(test_key, f->res, 1);
	assert_int_equal(read_counter(f, RPMB_RES_OK), 1);

	/* A multi-block write (the most a transaction carries) and a multi-block read. */
	build_write(f->cmd, test_key, 6, 7, 1, 0xb0);
	assert_int_equal(xfer(f, 8, 1), RPMB_RES_OK);
	assert_int_equal(read_counter(f, RPMB_RES_OK), 2);

	build_simple(f->cmd, RPMB_REQ_DATA_READ, 5, 0x77);
	assert_int_equal(xfer(f, 1, 8), RPMB_RES_OK);
	for (i = 0; i < 8; i++) {
		const uint8_t *r = f->res + i * RPMB_FRAME_SIZE;

		memset(want, i == 0 ? 0xa0 : 0xb0 + i - 1, sizeof(want));
		assert_memory_equal(r + RPMB_DATA_OFF, want, sizeof(want));
		assert_int_equal(rpmb_get_be16(r, RPMB_REQ_RESP_OFF), 0x0400);
		assert_int_equal(rpmb_get_be16(r, RPMB_BLOCK_COUNT_OFF), 8);
		assert_int_equal(r[RPMB_NONCE_OFF], 0x77);
	}
	assert_res_mac(test_key, f->res, 8);
	/* The MAC covers every frame: flipping a data byte of the first must break it. */
	f->res[RPMB_DATA_OFF] ^= 1;
	{
		uint8_t mac[RPMB_KEY_MAC_SIZE];

		frame_mac(test_key, f->res, 8, mac);
		assert_memory_not_equal(mac, f->res + 7 * RPMB_FRAME_SIZE + RPMB_KEY_MAC_OFF,
					sizeof(mac));
	}
}

static void test_bad_mac(void **state)
{
	struct fixture *f = *state;
	uint8_t wrong_key[RPMB_KEY_MAC_SIZE];

	program_key(f);
	build_write(f->cmd, test_key, 1, 1, 0, 0x33);
	f->cmd[RPMB_KEY_MAC_OFF + 7] ^= 0x10;
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_AUTH_FAILURE);
	/* Data changed after signing. */
	build_write(f->cmd, test_key, 1, 1, 0, 0x33);
	f->cmd[RPMB_DATA_OFF] ^= 1;
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_AUTH_FAILURE);
	/* Signed with another key. */
	memset(wrong_key, 0x99, sizeof(wrong_key));
	build_write(f->cmd, wrong_key, 1, 1, 0, 0x33);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_AUTH_FAILURE);
	assert_int_equal(read_counter(f, RPMB_RES_OK), 0);
}

static void test_counter_failure_on_replay(void **state)
{
	struct fixture *f = *state;
	uint8_t saved[2 * RPMB_FRAME_SIZE];

	program_key(f);
	build_write(f->cmd, test_key, 2, 1, 0, 0x44);
	memcpy(saved, f->cmd, sizeof(saved));
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_OK);
	memcpy(f->cmd, saved, sizeof(saved));
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_COUNT_FAILURE);
	assert_int_equal(rpmb_get_be32(f->res, RPMB_WRITE_COUNTER_OFF), 1);
	/* A counter from the future is wrong as well. */
	build_write(f->cmd, test_key, 2, 1, 5, 0x45);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_COUNT_FAILURE);
	assert_int_equal(read_counter(f, RPMB_RES_OK), 1);
}

static void test_address_failure(void **state)
{
	struct fixture *f = *state;

	program_key(f);
	build_write(f->cmd, test_key, BLOCKS, 1, 0, 0x55);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_ADDR_FAILURE);
	build_write(f->cmd, test_key, BLOCKS - 1, 2, 0, 0x55);
	assert_int_equal(xfer(f, 3, 1), RPMB_RES_ADDR_FAILURE);
	build_write(f->cmd, test_key, 0xffff, 2, 0, 0x55);
	assert_int_equal(xfer(f, 3, 1), RPMB_RES_ADDR_FAILURE);
	build_simple(f->cmd, RPMB_REQ_DATA_READ, 0xffff, 1);
	assert_int_equal(xfer(f, 1, 2), RPMB_RES_ADDR_FAILURE);
	build_simple(f->cmd, RPMB_REQ_DATA_READ, BLOCKS - 2, 1);
	assert_int_equal(xfer(f, 1, 3), RPMB_RES_ADDR_FAILURE);
	/* The last block itself is in range. */
	assert_int_equal(xfer(f, 1, 2), RPMB_RES_OK);
	build_write(f->cmd, test_key, BLOCKS - 1, 1, 0, 0x55);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_OK);
}

static void test_write_failure_io(void **state)
{
	struct fixture *f = *state;
	uint8_t zero[RPMB_DATA_SIZE] = { 0 };

	program_key(f);
	f->m->fail_write_at = f->m->ops + 1; /* the journal write */
	build_write(f->cmd, test_key, 3, 1, 0, 0x66);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_WRITE_FAILURE);
	assert_int_equal(rpmb_get_be32(f->res, RPMB_WRITE_COUNTER_OFF), 0);
	f->m->fail_write_at = f->m->ops + 2; /* its sync */
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_WRITE_FAILURE);
	assert_int_equal(read_counter(f, RPMB_RES_OK), 0);
	build_simple(f->cmd, RPMB_REQ_DATA_READ, 3, 1);
	assert_int_equal(xfer(f, 1, 1), RPMB_RES_OK);
	assert_memory_equal(f->res + RPMB_DATA_OFF, zero, sizeof(zero));
	/* The device keeps working afterwards. */
	build_write(f->cmd, test_key, 3, 1, 0, 0x66);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_OK);
}

static void test_read_failure(void **state)
{
	struct fixture *f = *state;

	program_key(f);
	f->m->fail_read = 1;
	build_simple(f->cmd, RPMB_REQ_DATA_READ, 0, 1);
	assert_int_equal(xfer(f, 1, 1), RPMB_RES_READ_FAILURE);
	assert_int_equal(rpmb_get_be16(f->res, RPMB_REQ_RESP_OFF), 0x0400);
}

static void test_counter_expired(void **state)
{
	struct fixture *f = *state;

	program_key(f);
	assert_int_equal(rpmb_store_set_counter(&f->st, RPMB_WRITE_COUNTER_MAX - 1), 0);
	build_write(f->cmd, test_key, 0, 1, RPMB_WRITE_COUNTER_MAX - 1, 0x77);
	/* The last possible write succeeds and already reports the expiry. */
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_OK | RPMB_RES_WRITE_COUNTER_EXPIRED);
	assert_int_equal(read_counter(f, RPMB_RES_WRITE_COUNTER_EXPIRED), RPMB_WRITE_COUNTER_MAX);
	build_write(f->cmd, test_key, 0, 1, RPMB_WRITE_COUNTER_MAX, 0x78);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_WRITE_FAILURE | RPMB_RES_WRITE_COUNTER_EXPIRED);
	/* Reads still work, with the expired bit. */
	build_simple(f->cmd, RPMB_REQ_DATA_READ, 0, 1);
	assert_int_equal(xfer(f, 1, 1), RPMB_RES_OK | RPMB_RES_WRITE_COUNTER_EXPIRED);
	assert_int_equal(f->res[RPMB_DATA_OFF], 0x77);
}

static void test_general_failures(void **state)
{
	struct fixture *f = *state;

	program_key(f);
	/* Unknown request type. */
	build_simple(f->cmd, 0x0009, 0, 1);
	assert_int_equal(xfer(f, 1, 1), RPMB_RES_GENERAL_FAILURE);
	/* A response type sent as a request. */
	build_simple(f->cmd, 0x0200, 0, 1);
	assert_int_equal(xfer(f, 1, 1), RPMB_RES_GENERAL_FAILURE);
	/* Counter read asking for two response frames. */
	build_simple(f->cmd, RPMB_REQ_GET_COUNTER, 0, 1);
	assert_int_equal(xfer(f, 1, 2), RPMB_RES_GENERAL_FAILURE);
	/* Write without its result read, and with a block count that lies. */
	build_write(f->cmd, test_key, 0, 2, 0, 0x10);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_GENERAL_FAILURE);
	build_write(f->cmd, test_key, 0, 1, 0, 0x10);
	rpmb_put_be16(f->cmd, RPMB_BLOCK_COUNT_OFF, 2);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_GENERAL_FAILURE);
	/* Read with two request frames. */
	build_simple(f->cmd, RPMB_REQ_DATA_READ, 0, 1);
	memcpy(f->cmd + RPMB_FRAME_SIZE, f->cmd, RPMB_FRAME_SIZE);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_GENERAL_FAILURE);
	assert_int_equal(read_counter(f, RPMB_RES_OK), 0);
}

/* JEDEC's two-step form: the result of the last write, asked for separately. */
static void test_standalone_result_read(void **state)
{
	struct fixture *f = *state;

	build_simple(f->cmd, RPMB_REQ_RESULT_READ, 0, 1);
	assert_int_equal(xfer(f, 1, 1), RPMB_RES_GENERAL_FAILURE);
	program_key(f);
	build_write(f->cmd, test_key, 0, 1, 7, 0x10);
	assert_int_equal(xfer(f, 2, 1), RPMB_RES_COUNT_FAILURE);
	build_simple(f->cmd, RPMB_REQ_RESULT_READ, 0, 1);
	assert_int_equal(xfer(f, 1, 1), RPMB_RES_COUNT_FAILURE);
	assert_int_equal(rpmb_get_be16(f->res, RPMB_REQ_RESP_OFF), 0x0300);
	assert_res_mac(test_key, f->res, 1);
}

/* Nothing but the first frame's fields matter to a read; stuff bytes are ignored. */
static void test_req_resp_values(void **state)
{
	(void)state;
	assert_int_equal(RPMB_RESP(RPMB_REQ_PROGRAM_KEY), 0x0100);
	assert_int_equal(RPMB_RESP(RPMB_REQ_GET_COUNTER), 0x0200);
	assert_int_equal(RPMB_RESP(RPMB_REQ_DATA_WRITE), 0x0300);
	assert_int_equal(RPMB_RESP(RPMB_REQ_DATA_READ), 0x0400);
	assert_int_equal(RPMB_RESP(RPMB_REQ_RESULT_READ), 0x0500);
	assert_int_equal(RPMB_MAC_INPUT_SIZE, 284);
	assert_int_equal(RPMB_REQ_RESP_OFF + 2, RPMB_FRAME_SIZE);
	assert_int_equal(sizeof(RPMB_TEST_KEY) - 1, RPMB_KEY_MAC_SIZE);
	assert_int_equal(sizeof(RPMB_TEST_KEY_HEX) - 1, 2 * RPMB_KEY_MAC_SIZE);
	for (unsigned int i = 0; i < RPMB_KEY_MAC_SIZE; i++) {
		static const char hex[] = RPMB_TEST_KEY_HEX;
		unsigned int v;

		assert_int_equal(sscanf(&hex[2 * i], "%2x", &v), 1);
		assert_int_equal(v, (uint8_t)RPMB_TEST_KEY[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_program_key_ok_and_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_key_needs_result_read, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_auth_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counter_nonce_and_mac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_then_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_mac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counter_failure_on_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_failure_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counter_expired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_general_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standalone_result_read, setup, teardown),
		cmocka_unit_test(test_req_resp_values),
	};

	return cmocka_run_group_tests_name("rpmb_dev", tests, NULL, NULL);
}
