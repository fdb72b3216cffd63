/* SPDX-License-Identifier: MIT */
/*
 * The socket side: le16 res_count, le16 cmd_count, then the request frames;
 * answer with res_count frames. Counts are checked here, once, before any
 * frame is read; a transaction reaches the device only when complete.
 */
#include "rpmb/conn.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rpmb/log.h"

/* Bytes received, short only when the peer closed; or -errno. */
static long recv_all(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = recv(fd, (uint8_t *)buf + done, len - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (long)done;
}

static int send_all(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = send(fd, (const uint8_t *)buf + done, len - done, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return 0;
}

int rpmb_conn_serve(struct rpmb_dev *dev, int fd)
{
	static uint8_t cmd[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	static uint8_t res[RPMB_SOCK_MAX_FRAMES * RPMB_FRAME_SIZE];
	uint8_t hdr[RPMB_SOCK_HDR_SIZE];
	unsigned long transactions = 0;

	for (;;) {
		uint16_t res_count, cmd_count;
		size_t cmd_len;
		long n;
		int ret;

		n = recv_all(fd, hdr, sizeof(hdr));
		if (n == 0) {
			rpmb_debug("connection closed after %lu transaction(s)", transactions);
			return 0;
		}
		if (n < 0) {
			rpmb_log("socket receive failed: %s", strerror((int)-n));
			return (int)n;
		}
		if ((size_t)n < sizeof(hdr)) {
			rpmb_log("malformed input: connection closed inside a frame header");
			return -EPROTO;
		}
		rpmb_sock_hdr_decode(hdr, &res_count, &cmd_count);
		if (res_count < 1 || res_count > RPMB_SOCK_MAX_FRAMES || cmd_count < 1 ||
		    cmd_count > RPMB_SOCK_MAX_FRAMES) {
			rpmb_log("malformed input: frame counts %u response / %u request "
				 "(each must be 1..%u); closing the connection",
				 res_count, cmd_count, RPMB_SOCK_MAX_FRAMES);
			return -EPROTO;
		}
		cmd_len = (size_t)cmd_count * RPMB_FRAME_SIZE;
		n = recv_all(fd, cmd, cmd_len);
		if (n < 0) {
			rpmb_log("socket receive failed: %s", strerror((int)-n));
			return (int)n;
		}
		if ((size_t)n != cmd_len) {
			rpmb_log(
				"malformed input: connection closed after %ld of %zu request bytes",
				n, cmd_len);
			return -EPROTO;
		}

		rpmb_dev_process(dev, cmd, cmd_count, res, res_count);
		transactions++;

		ret = send_all(fd, res, (size_t)res_count * RPMB_FRAME_SIZE);
		if (ret < 0) {
			rpmb_log("socket send failed: %s", strerror(-ret));
			return ret;
		}
	}
}
