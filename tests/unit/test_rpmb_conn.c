/* SPDX-License-Identifier: MIT */
/*
 * testrunner-rpmb-dev's socket side, over a socketpair: Trusty's framing,
 * transactions split into single bytes or merged, and malformed input
 * (bad counts, truncation) closing the connection without touching the file.
 * Also --key parsing.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "rpmb/conn.h"
#include "rpmb/keyparse.h"
#include "rpmb/log.h"
#include "test_rpmb_util.h"

struct server {
	struct mem_io *m;
	struct rpmb_store st;
	struct rpmb_dev dev;
	int fds[2];
	pthread_t thread;
	int ret;
};

static void *serve(void *arg)
{
	struct server *s = arg;

	s->ret = rpmb_conn_serve(&s->dev, s->fds[1]);
	close(s->fds[1]);
	return NULL;
}

static struct server *start(void)
{
	struct server *s = calloc(1, sizeof(*s));

	rpmb_log_quiet = true;
	s->m = mem_new();
	assert_int_equal(rpmb_store_format(&s->m->io, 32, test_key), 0);
	assert_int_equal(rpmb_store_open(&s->st, &s->m->io, 0), 0);
	rpmb_dev_init(&s->dev, &s->st);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, s->fds), 0);
	assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
	return s;
}

static int stop(struct server *s)
{
	int ret;

	close(s->fds[0]);
	assert_int_equal(pthread_join(s->thread, NULL), 0);
	ret = s->ret;
	mem_free(s->m);
	free(s);
	return ret;
}

static void send_bytes(int fd, const void *buf, size_t len, bool bytewise)
{
	size_t i;

	if (!bytewise) {
		assert_int_equal(write(fd, buf, len), (ssize_t)len);
		return;
	}
	for (i = 0; i < len; i++)
		assert_int_equal(write(fd, (const uint8_t *)buf + i, 1), 1);
}

static void recv_bytes(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (uint8_t *)buf + done, len - done);

		assert_true(n > 0);
		done += (size_t)n;
	}
}

static void transact(struct server *s, const uint8_t *cmd, uint16_t cmd_count, uint8_t *res,
		     uint16_t res_count, bool bytewise)
{
	uint8_t hdr[RPMB_SOCK_HDR_SIZE];

	rpmb_sock_hdr_encode(hdr, res_count, cmd_count);
	send_bytes(s->fds[0], hdr, sizeof(hdr), bytewise);
	send_bytes(s->fds[0], cmd, (size_t)cmd_count * RPMB_FRAME_SIZE, bytewise);
	recv_bytes(s->fds[0], res, (size_t)res_count * RPMB_FRAME_SIZE);
}

static void test_framing(void **state)
{
	struct server *s = start();
	uint8_t cmd[8 * RPMB_FRAME_SIZE], res[8 * RPMB_FRAME_SIZE];
	uint8_t two[2 * (RPMB_SOCK_HDR_SIZE + RPMB_FRAME_SIZE)];

	(void)state;
	/* The header is little-endian res_count then cmd_count. */
	rpmb_sock_hdr_encode(two, 0x0102, 0x0304);
	assert_int_equal(two[0], 0x02);
	assert_int_equal(two[1], 0x01);
	assert_int_equal(two[2], 0x04);
	assert_int_equal(two[3], 0x03);

	build_write(cmd, test_key, 4, 3, 0, 0x21);
	transact(s, cmd, 4, res, 1, true);
	assert_int_equal(res_result(res), RPMB_RES_OK);
	assert_int_equal(rpmb_get_be32(res, RPMB_WRITE_COUNTER_OFF), 1);

	build_simple(cmd, RPMB_REQ_DATA_READ, 4, 3);
	transact(s, cmd, 1, res, 8, false);
	assert_int_equal(res_result(res), RPMB_RES_OK);
	assert_int_equal(res[2 * RPMB_FRAME_SIZE + RPMB_DATA_OFF], 0x23);
	assert_res_mac(test_key, res, 8);

	/* Two counter reads in one write(): answered in order. */
	rpmb_sock_hdr_encode(two, 1, 1);
	build_simple(two + RPMB_SOCK_HDR_SIZE, RPMB_REQ_GET_COUNTER, 0, 1);
	memcpy(two + RPMB_SOCK_HDR_SIZE + RPMB_FRAME_SIZE, two,
	       RPMB_SOCK_HDR_SIZE + RPMB_FRAME_SIZE);
	two[2 * RPMB_SOCK_HDR_SIZE + RPMB_FRAME_SIZE + RPMB_NONCE_OFF] = 9;
	send_bytes(s->fds[0], two, sizeof(two), false);
	recv_bytes(s->fds[0], res, 2 * RPMB_FRAME_SIZE);
	assert_int_equal(res[RPMB_NONCE_OFF], 1);
	assert_int_equal(res[RPMB_FRAME_SIZE + RPMB_NONCE_OFF], 9);
	assert_int_equal(rpmb_get_be32(res + RPMB_FRAME_SIZE, RPMB_WRITE_COUNTER_OFF), 1);

	assert_int_equal(stop(s), 0);
}

static void malformed(const uint8_t *bytes, size_t len)
{
	struct server *s = start();
	uint8_t before[MEM_MAX];
	size_t before_len = s->m->cache_len;
	char c;

	memcpy(before, s->m->cache, before_len);
	send_bytes(s->fds[0], bytes, len, false);
	shutdown(s->fds[0], SHUT_WR);
	/* The server closes its end: EOF, no response. */
	assert_int_equal(read(s->fds[0], &c, 1), 0);
	assert_int_equal(s->m->cache_len, before_len);
	assert_memory_equal(s->m->cache, before, before_len);
	assert_int_equal(stop(s), -EPROTO);
}

static void test_malformed_input(void **state)
{
	uint8_t buf[RPMB_SOCK_HDR_SIZE + 2 * RPMB_FRAME_SIZE];

	(void)state;
	rpmb_sock_hdr_encode(buf, 0, 1);
	malformed(buf, RPMB_SOCK_HDR_SIZE);
	rpmb_sock_hdr_encode(buf, 1, 0);
	malformed(buf, RPMB_SOCK_HDR_SIZE);
	rpmb_sock_hdr_encode(buf, 9, 1);
	malformed(buf, RPMB_SOCK_HDR_SIZE);
	rpmb_sock_hdr_encode(buf, 1, 9);
	malformed(buf, RPMB_SOCK_HDR_SIZE);
	rpmb_sock_hdr_encode(buf, 0xffff, 0xffff);
	malformed(buf, RPMB_SOCK_HDR_SIZE);
	/* Truncated header, and a complete, valid write cut one byte short. */
	malformed(buf, 3);
	rpmb_sock_hdr_encode(buf, 1, 2);
	build_write(buf + RPMB_SOCK_HDR_SIZE, test_key, 0, 1, 0, 0x31);
	malformed(buf, sizeof(buf) - 1);
}

static void test_clean_close(void **state)
{
	(void)state;
	assert_int_equal(stop(start()), 0);
}

static void test_parse_key(void **state)
{
	uint8_t key[RPMB_KEY_MAC_SIZE], want[RPMB_KEY_MAC_SIZE];
	char trusty[200];
	size_t i, n = 0;

	(void)state;
	memcpy(want, RPMB_TEST_KEY, sizeof(want));
	assert_int_equal(rpmb_parse_key(RPMB_TEST_KEY_HEX, key), 0);
	assert_memory_equal(key, want, sizeof(want));
	/* Trusty's form: bytes separated by spaces, one digit allowed. */
	for (i = 0; i < sizeof(want); i++)
		n += (size_t)snprintf(trusty + n, sizeof(trusty) - n, "%x ", (unsigned int)i);
	assert_int_equal(rpmb_parse_key(trusty, key), 0);
	for (i = 0; i < sizeof(want); i++)
		assert_int_equal(key[i], i);
	assert_int_equal(rpmb_parse_key("00:11", key), -EINVAL);
	assert_int_equal(rpmb_parse_key("", key), -EINVAL);
	assert_int_equal(rpmb_parse_key(RPMB_TEST_KEY_HEX "00", key), -EINVAL);
	assert_int_equal(rpmb_parse_key("zz" RPMB_TEST_KEY_HEX, key), -EINVAL);
	assert_int_equal(rpmb_parse_key("123" RPMB_TEST_KEY_HEX, key), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_malformed_input),
		cmocka_unit_test(test_clean_close),
		cmocka_unit_test(test_parse_key),
	};

	return cmocka_run_group_tests_name("rpmb_conn", tests, NULL, NULL);
}
