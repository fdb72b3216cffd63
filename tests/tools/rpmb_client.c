/* SPDX-License-Identifier: MIT */
/*
 * Host-side stand-in for the guest's RPMB client, for end-to-end tests of
 * testrunner-rpmb-dev before (and besides) QEMU: it speaks the socket framing
 * with the guest's own portable client code.
 *
 *   rpmb_client SOCK suite        the rpmb suite's checks, one "ok"/"not ok" line each
 *   rpmb_client SOCK stress N     N write+read-back rounds, "progress K" lines
 *   rpmb_client SOCK garbage      send a malformed header, expect the close
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/sha256.h"
#include "rpmb/rpmb_proto.h"

static int sock_fd;

static int xfer(void *ctx, const uint8_t *req, size_t req_len, uint8_t *res, size_t res_len)
{
	size_t got = 0;

	(void)ctx;
	if (write(sock_fd, req, req_len) != (ssize_t)req_len)
		return -EIO;
	while (got < res_len) {
		ssize_t n = read(sock_fd, res + got, res_len - got);

		if (n <= 0)
			return n == 0 ? -EPIPE : -errno;
		got += (size_t)n;
	}
	return 0;
}

static int failures;

static void check(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	failures += !cond;
}

static void fill(uint8_t *blk, unsigned int count, uint32_t seed)
{
	unsigned int i;

	for (i = 0; i < count * RPMB_DATA_SIZE; i++)
		blk[i] = (uint8_t)(seed * 7 + i * 13);
}

static void suite(struct rpmb_session *s)
{
	static uint8_t frames[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	uint8_t data[3 * RPMB_DATA_SIZE], back[3 * RPMB_DATA_SIZE];
	uint32_t c0 = 0, c1 = 0, got = 0;

	check(rpmb_ensure_key(s) == 0, "key programmed or already ours");
	check(rpmb_ensure_key(s) == 0, "key programming idempotent");
	check(rpmb_read_counter(s, &c0) == RPMB_RES_OK, "read counter");
	printf("# write counter: %u\n", c0);
	fill(data, 3, c0);
	check(rpmb_write(s, 1, 3, data, &got) == RPMB_RES_OK && got == c0 + 1,
	      "write 3 blocks, counter +1");
	check(rpmb_read(s, 1, 3, back) == RPMB_RES_OK && !memcmp(data, back, sizeof(data)),
	      "read back with MAC verified");
	rpmb_read_counter(s, &c1);
	check(rpmb_build_write(s, frames, 5, 1, data, c1) == 0 &&
		      rpmb_send_write(s, frames, 1, &got) == RPMB_RES_OK &&
		      rpmb_send_write(s, frames, 1, &got) == RPMB_RES_COUNT_FAILURE,
	      "replayed write rejected");
	rpmb_build_write(s, frames, 5, 1, data, c1 + 1);
	frames[RPMB_KEY_MAC_OFF] ^= 1;
	check(rpmb_send_write(s, frames, 1, &got) == RPMB_RES_AUTH_FAILURE, "bad MAC rejected");
	check(rpmb_read(s, 0xffff, 2, back) == RPMB_RES_ADDR_FAILURE, "address out of range");
	rpmb_read_counter(s, &got);
	check(got == c0 + 2, "counter rose by exactly one per accepted write");
}

static void stress(struct rpmb_session *s, unsigned long n)
{
	uint8_t data[RPMB_MAX_WRITE_BLOCKS * RPMB_DATA_SIZE], back[sizeof(data)];
	unsigned long i;
	uint32_t got;

	for (i = 0; i < n; i++) {
		unsigned int count = 1 + i % RPMB_MAX_WRITE_BLOCKS;

		fill(data, count, (uint32_t)i);
		if (rpmb_write(s, (uint16_t)(16 + i % 32), count, data, &got) != RPMB_RES_OK ||
		    rpmb_read(s, (uint16_t)(16 + i % 32), count, back) != RPMB_RES_OK ||
		    memcmp(data, back, count * RPMB_DATA_SIZE)) {
			check(0, "stress round");
			return;
		}
		if (i % 16 == 15) {
			printf("progress %lu\n", i + 1);
			fflush(stdout);
		}
	}
	check(1, "stress");
}

int main(int argc, char **argv)
{
	static const uint8_t key[RPMB_KEY_MAC_SIZE] = RPMB_TEST_KEY;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static struct rpmb_session s;

	if (argc < 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: rpmb_client SOCK suite|stress N|garbage\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	sock_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (sock_fd < 0 || connect(sock_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "rpmb_client: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	rpmb_session_init(&s, xfer, NULL, key, (uint64_t)getpid());
	if (!strcmp(argv[2], "suite")) {
		suite(&s);
	} else if (!strcmp(argv[2], "stress") && argc == 4) {
		stress(&s, strtoul(argv[3], NULL, 10));
	} else if (!strcmp(argv[2], "garbage")) {
		static const uint8_t bad[4] = { 0x00, 0x10, 0x01, 0x00 }; /* 4096 frames */
		char c;

		check(write(sock_fd, bad, sizeof(bad)) == sizeof(bad) && read(sock_fd, &c, 1) == 0,
		      "malformed header closes the connection");
	} else {
		fprintf(stderr, "rpmb_client: unknown command %s\n", argv[2]);
		return 2;
	}
	close(sock_fd);
	return failures ? 1 : 0;
}
