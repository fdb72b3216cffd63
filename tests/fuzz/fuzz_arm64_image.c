/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the arm64 Image header parser and the kernel/initrd/DTB
 * placement (guest/lib/arm64_image.c) with fuzzer-chosen headers, file sizes
 * and memory maps; every accepted layout is checked against booting.rst.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/arm64_image.h"

#define check(x)                          \
	do {                              \
		if (!(x))                 \
			__builtin_trap(); \
	} while (0)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* [a, a + al) and [b, b + bl) overlap (empty ranges never do) */
static int overlap(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
	return al && bl && a < b + bl && b < a + al;
}

/* Input: 64-byte header, then le64 file_size, ram_base, ram_size, free_start, free_end,
 * initrd_size, dtb_size, mmfr0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t buf[ARM64_IMAGE_HDR_SIZE + 8 * 8] = { 0 };
	struct arm64_layout_req req;
	struct arm64_layout lay;
	struct arm64_image img;
	const char *why = NULL;
	uint64_t file_size, v[8];
	int rc;

	memcpy(buf, data, size < sizeof(buf) ? size : sizeof(buf));
	for (int i = 0; i < 8; i++)
		v[i] = le64(buf + ARM64_IMAGE_HDR_SIZE + 8 * i);
	file_size = v[0];

	/* the parser reads no more than it is given */
	rc = arm64_image_parse(data, size, file_size, &img, &why);
	if (size < ARM64_IMAGE_HDR_SIZE) {
		check(rc == -ENOEXEC && why);
		return 0;
	}
	if (rc) {
		check(rc == -ENOEXEC && why && why[0]);
		return 0;
	}
	check(img.text_offset < ARM64_IMAGE_BASE_ALIGN && img.text_offset % 4096 == 0);
	check(img.image_size >= file_size && img.image_size > 0);
	check(img.page_size <= ARM64_PAGE_64K);
	why = NULL;
	rc = arm64_image_check_granule(&img, v[7], &why);
	check(rc == 0 || (rc == -ENOTSUP && why));

	req.ram_base = v[1];
	req.ram_size = v[2];
	req.free_start = v[3];
	req.free_end = v[4];
	/* bias toward plausible sizes now and then, so placement succeeds too */
	req.initrd_size = buf[0] & 1 ? v[5] & 0xffffff : v[5];
	req.dtb_size = buf[1] & 1 ? v[6] & 0x1fffff : v[6];
	why = NULL;
	rc = arm64_image_place(&img, &req, &lay, &why);
	if (rc) {
		check((rc == -EINVAL || rc == -ENOMEM || rc == -E2BIG) && why && why[0]);
		return 0;
	}
	/* accepted: everything aligned, inside the free range, and disjoint */
	check(lay.kernel_base % ARM64_IMAGE_BASE_ALIGN == 0);
	check(lay.kernel_base >= req.ram_base);
	check(lay.kernel_entry == lay.kernel_base + img.text_offset);
	check(lay.kernel_end - lay.kernel_entry == img.image_size);
	check(lay.kernel_entry >= req.free_start && lay.kernel_end <= req.free_end &&
	      lay.kernel_end >= lay.kernel_entry);
	check(lay.dtb % ARM64_DTB_ALIGN == 0);
	check(lay.dtb >= req.free_start && lay.dtb + req.dtb_size >= lay.dtb &&
	      lay.dtb + req.dtb_size <= req.free_end);
	check(!overlap(lay.kernel_entry, img.image_size, lay.dtb, req.dtb_size));
	if (req.initrd_size) {
		check(lay.initrd_start % ARM64_INITRD_ALIGN == 0);
		check(lay.initrd_end - lay.initrd_start == req.initrd_size);
		check(lay.initrd_start >= req.free_start && lay.initrd_end <= req.free_end &&
		      lay.initrd_end > lay.initrd_start);
		check(!overlap(lay.kernel_entry, img.image_size, lay.initrd_start,
			       req.initrd_size));
		check(!overlap(lay.dtb, req.dtb_size, lay.initrd_start, req.initrd_size));
	} else {
		check(lay.initrd_start == lay.initrd_end);
	}
	return 0;
}
