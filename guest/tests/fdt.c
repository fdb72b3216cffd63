/* SPDX-License-Identifier: MIT */
/* selftest.fdt: the DTB QEMU handed over is valid and describes what we need. */
#include <libfdt.h>

#include "arch/aarch64/layout.h"
#include "platform/platform.h"
#include "runner/boottest.h"

BOOT_TEST(selftest, fdt)
{
	const void *fdt = dt_blob();
	uint64_t base, size, reg, rsize;
	int node, ret, virtio = 0, populated_reg = 0;

	ASSERT_TRUE(fdt != NULL);
	EXPECT_EQ(fdt_magic(fdt), FDT_MAGIC);
	EXPECT_EQ(fdt_check_header(fdt), 0);
	EXPECT_TRUE(dt_string(0, "model") != NULL);
	EXPECT_TRUE(dt_string(0, "compatible") != NULL);

	ret = dt_memory(&base, &size);
	ASSERT_EQ(ret, 0);
	EXPECT_GT(size, 0);
	/* We run from RAM, so /memory must contain the image. */
	EXPECT_LE(base, (uintptr_t)__image_start);
	EXPECT_LE((uintptr_t)__image_end, base + size);
	bt_log("memory 0x%llx + 0x%llx", (unsigned long long)base, (unsigned long long)size);

	for (node = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio"); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio")) {
		virtio++;
		ret = dt_reg(node, 0, &reg, &rsize);
		EXPECT_EQ(ret, 0);
		if (ret == 0 && reg != 0 && rsize >= 0x100)
			populated_reg++;
	}
	EXPECT_EQ(node, -FDT_ERR_NOTFOUND);
	EXPECT_GT(virtio, 0);
	EXPECT_EQ(populated_reg, virtio);
	bt_log("%d virtio,mmio nodes", virtio);
}
