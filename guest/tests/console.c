/* SPDX-License-Identifier: MIT */
/* selftest.console: the multiport console found its ports and the channel is open. */
#include <string.h>

#include "runner/boottest.h"
#include "testrunner/protocol.h"
#include "virtio/console.h"

BOOT_TEST(selftest, console)
{
	struct vcons_port *tr, *p;
	size_t i, n;
	int rc;

	rc = vcons_init();
	ASSERT_GT(rc, 0);
	n = vcons_port_count();
	ASSERT_GE(n, (size_t)rc);
	for (i = 0; i < n; i++) {
		p = vcons_port_at(i);
		ASSERT_TRUE(p != NULL);
		bt_log("port %u on virtio-serial %u: \"%s\"%s%s", (unsigned)vcons_port_id(p),
		       vcons_port_device(p), vcons_port_name(p),
		       vcons_port_host_connected(p) ? " host-connected" : "",
		       vcons_port_guest_open(p) ? " open" : "");
	}
	EXPECT_TRUE(vcons_port_at(n) == NULL);

	tr = vcons_find_port(PROTO_PORT_NAME);
	ASSERT_TRUE(tr != NULL);
	EXPECT_EQ(strcmp(vcons_port_name(tr), PROTO_PORT_NAME), 0);
	/* Names match exactly: a prefix must not find it. */
	EXPECT_TRUE(vcons_find_port("testrunner") == NULL);
	EXPECT_TRUE(vcons_find_port("") == NULL);
	EXPECT_TRUE(vcons_port_host_connected(tr));
	/* The runner opened it to read the request; opening again is a no-op. */
	EXPECT_TRUE(vcons_port_guest_open(tr));
	EXPECT_EQ(vcons_port_open(tr), 0);
	EXPECT_TRUE(vcons_port_guest_open(tr));
}
