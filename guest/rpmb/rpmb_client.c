/* SPDX-License-Identifier: MIT */
/*
 * Transport of the guest RPMB client: one transaction is written to the rpmb0
 * port, flushed, and answered by exactly res_len bytes, which may arrive in
 * any number of chunks.
 */
#include "rpmb/rpmb_client.h"

#include <errno.h>
#include <stddef.h>

#include "platform/platform.h"
#include "testrunner/protocol.h"
#include "virtio/console.h"

/* An authenticated write waits for two fsyncs on the host: allow for a slow disk. */
#define RPMB_XFER_TIMEOUT_US (10 * 1000 * 1000)

static int port_xfer(void *ctx, const uint8_t *req, size_t req_len, uint8_t *res, size_t res_len)
{
	struct vcons_port *port = ctx;
	uint64_t deadline;
	size_t got = 0;
	int ret;

	ret = vcons_port_write(port, req, req_len);
	if (ret < 0)
		return ret;
	ret = vcons_port_flush(port);
	if (ret < 0)
		return ret;
	deadline = timer_now_us() + RPMB_XFER_TIMEOUT_US;
	while (got < res_len) {
		uint64_t now = timer_now_us();
		ssize_t n;

		if (now >= deadline)
			return -ETIMEDOUT;
		n = vcons_port_read(port, res + got, res_len - got, deadline - now);
		if (n < 0)
			return (int)n;
		/* vcons_port_read never returns more than asked for; n == 0 is a timeout. */
		got += (size_t)n;
	}
	return 0;
}

int rpmb_client_open(struct rpmb_session **session)
{
	static const uint8_t key[RPMB_KEY_MAC_SIZE] = RPMB_TEST_KEY;
	static struct rpmb_session s;
	static struct vcons_port *opened;
	struct vcons_port *port;
	int ret;

	if (!opened) {
		port = vcons_find_port(PROTO_RPMB_PORT_NAME);
		if (!port)
			return -ENODEV;
		ret = vcons_port_open(port);
		if (ret < 0)
			return ret;
		opened = port;
		rpmb_session_init(&s, port_xfer, port, key, timer_count());
	}
	*session = &s;
	return 0;
}
