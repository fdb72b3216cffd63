/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the unit tests that run the real emulator
 * ($O/host/testrunner-rpmb-dev): a private directory, a client of its socket.
 * Include after <cmocka.h>.
 */
#ifndef TEST_RPMBDEV_UTIL_H
#define TEST_RPMBDEV_UTIL_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "system/signals.h"
#include "system/tmpdir.h"

#include <testrunner/rpmb.h>

static char err[512];

/* "/tmp/test_rpmbdev.XXXXXX": short, so that the socket paths inside fit */
static char emu[PATH_MAX], dir[32];

static int setup(void **state)
{
	const char *b = getenv("O");

	(void)state;
	snprintf(emu, sizeof(emu), "%s/host/testrunner-rpmb-dev", b && *b ? b : "build");
	snprintf(dir, sizeof(dir), "/tmp/test_rpmbdev.XXXXXX");
	if (!mkdtemp(dir) || signals_init())
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpdir_remove(dir);
	return 0;
}

static void need_emulator(void)
{
	if (access(emu, X_OK))
		skip();
}

/* A client of the socket @sock; a read waits at most 5 s, so no test hangs. */
static int connect_to(const char *sock)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 5 };
	int c;

	assert_true(strlen(sock) < sizeof(sun.sun_path));
	memcpy(sun.sun_path, sock, strlen(sock) + 1);
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(c >= 0);
	assert_int_equal(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(connect(c, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return c;
}

/* One counter read over @c: the device answers it. */
static void read_counter(int c)
{
	uint8_t req[4 + RPMB_FRAME_SIZE] = { 1, 0, 1, 0 }, resp[RPMB_FRAME_SIZE];
	size_t got = 0;

	req[4 + RPMB_REQ_RESP_OFF + 1] = RPMB_REQ_GET_COUNTER;
	assert_int_equal(write(c, req, sizeof(req)), sizeof(req));
	while (got < sizeof(resp)) {
		ssize_t n = read(c, resp + got, sizeof(resp) - got);

		assert_true(n > 0);
		got += (size_t)n;
	}
	assert_int_equal(resp[RPMB_REQ_RESP_OFF] << 8 | resp[RPMB_REQ_RESP_OFF + 1],
			 RPMB_RESP(RPMB_REQ_GET_COUNTER));
	assert_int_equal(resp[RPMB_RESULT_OFF + 1], RPMB_RES_OK);
}

#endif
