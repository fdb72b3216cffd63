/* SPDX-License-Identifier: MIT */
/*
 * fixture.wrap: more buffers through one virtqueue than its 16-bit indices
 * count (Trusty's runner once broke after 65,536 messages). Each line is its
 * own log frame in its own tx buffer with its own notify, so the tx queue's
 * avail and used indices wrap; the host checks every line arrived in order
 * (tests/e2e/virtio_limits.sh). Manual, like the whole fixture suite.
 */
#include <stdint.h>

#include "runner/boottest.h"
#include "testrunner/protocol.h"
#include "virtio/console.h"

/* > 65,536, and small enough to stay well under a second in QEMU. */
#define WRAP_BUFFERS 70000u
#define WRAP_LINE    16 /* "# wrap 0001117f\n" */

BOOT_TEST(fixture, wrap, .manual = true)
{
	static const char hex[] = "0123456789abcdef";
	struct vcons_port *tr = vcons_find_port(PROTO_PORT_NAME);
	uint8_t frame[PROTO_FRAME_SIZE];
	char line[WRAP_LINE] = "# wrap 00000000\n";
	int rc = 0;

	ASSERT_TRUE(tr != NULL);
	/*
	 * The framework flushed its frame batch before starting us, so frames
	 * written straight to the port stay in order with its own output.
	 */
	for (uint32_t n = 0; n < WRAP_BUFFERS && !rc; n++) {
		for (int d = 0; d < 8; d++)
			line[7 + d] = hex[(n >> (28 - 4 * d)) & 0xf];
		proto_encode_log(frame, line, sizeof(line));
		rc = vcons_port_write(tr, frame, sizeof(frame));
		if (!rc)
			rc = vcons_port_kick(tr);
		if (rc)
			bt_log("buffer %u: error %d", (unsigned)n, rc);
	}
	ASSERT_EQ(rc, 0);
	ASSERT_EQ(vcons_port_flush(tr), 0);
}
