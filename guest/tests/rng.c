/* SPDX-License-Identifier: MIT */
/* selftest.rng: entropy from virtio-rng when the machine has one. */
#include <errno.h>
#include <string.h>

#include "runner/boottest.h"
#include "virtio/rng.h"

static bool all_equal(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (b[i] != b[0])
			return false;
	return true;
}

BOOT_TEST(selftest, rng)
{
	uint8_t a[64], b[64];
	int rc;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	rc = vrng_read(a, sizeof(a));
	if (rc == -ENODEV)
		bt_skip("no virtio-rng");
	ASSERT_EQ(rc, 0);
	rc = vrng_read(b, sizeof(b));
	ASSERT_EQ(rc, 0);
	EXPECT_TRUE(!all_equal(a, sizeof(a)));
	EXPECT_TRUE(!all_equal(b, sizeof(b)));
	EXPECT_NE(memcmp(a, b, sizeof(a)), 0);
	/* More than one request's worth, and an odd size. */
	{
		static uint8_t big[1000];

		EXPECT_EQ(vrng_read(big, sizeof(big)), 0);
		EXPECT_TRUE(!all_equal(big, sizeof(big)));
	}
	/*
	 * Many requests in a row: tests/e2e/virtio_limits.sh counts the
	 * Status reads they cause (polling must not read it per request).
	 */
	for (int i = 0; i < 16; i++) {
		static uint8_t more[1024];

		ASSERT_EQ(vrng_read(more, sizeof(more)), 0);
		EXPECT_TRUE(!all_equal(more, sizeof(more)));
	}
}
