/* SPDX-License-Identifier: MIT */
/* Unit tests for the arm64 Image header parser and placement arithmetic. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/arm64_image.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A header as a 6.1 distribution kernel carries it (text_offset 0, 4K, anywhere). */
static void make_hdr(uint8_t h[64], uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(h, 0, 64);
	h[0] = 0x4d;
	h[1] = 0x5a; /* "MZ": EFI stub, as distribution kernels */
	put_le64(h + 8, text_offset);
	put_le64(h + 16, image_size);
	put_le64(h + 24, flags);
	memcpy(h + 56, "ARM\x64", 4);
}

#define FLAGS_4K_ANYWHERE ((1u << 1) | (1u << 3))

static void test_parse_modern(void **state)
{
	uint8_t h[64];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	make_hdr(h, 0, 0x2c10000, FLAGS_4K_ANYWHERE);
	assert_int_equal(arm64_image_parse(h, sizeof(h), 0x1e00000, &img, &why), 0);
	assert_int_equal(img.text_offset, 0);
	assert_int_equal(img.image_size, 0x2c10000);
	assert_int_equal(img.file_size, 0x1e00000);
	assert_int_equal(img.page_size, ARM64_PAGE_4K);
	assert_true(img.anywhere);
	assert_false(img.legacy);

	make_hdr(h, 0x80000, 0x100000, 3u << 1);
	assert_int_equal(arm64_image_parse(h, sizeof(h), 0x100000, &img, &why), 0);
	assert_int_equal(img.text_offset, 0x80000);
	assert_int_equal(img.page_size, ARM64_PAGE_64K);
	assert_false(img.anywhere);
}

static void test_parse_bad_magic(void **state)
{
	uint8_t h[64];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	make_hdr(h, 0, MiB, 0);
	h[59] = 0x65;
	assert_int_equal(arm64_image_parse(h, sizeof(h), MiB, &img, &why), -ENOEXEC);
	assert_non_null(strstr(why, "magic"));
	/* an ELF vmlinux is a common mistake */
	memset(h, 0, sizeof(h));
	memcpy(h,
	       "\x7f"
	       "ELF",
	       4);
	assert_int_equal(arm64_image_parse(h, sizeof(h), MiB, &img, &why), -ENOEXEC);
}

static void test_parse_short(void **state)
{
	uint8_t h[64];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	make_hdr(h, 0, MiB, 0);
	assert_int_equal(arm64_image_parse(h, 63, MiB, &img, &why), -ENOEXEC);
	assert_int_equal(arm64_image_parse(h, 64, 63, &img, &why), -ENOEXEC);
	assert_non_null(strstr(why, "shorter"));
}

static void test_parse_big_endian(void **state)
{
	uint8_t h[64];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	make_hdr(h, 0, MiB, 1 | FLAGS_4K_ANYWHERE);
	assert_int_equal(arm64_image_parse(h, sizeof(h), MiB, &img, &why), -ENOEXEC);
	assert_non_null(strstr(why, "big-endian"));
}

static void test_parse_text_offset(void **state)
{
	uint8_t h[64];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	make_hdr(h, 0x1ff000, 4 * MiB, 0); /* largest legal randomized offset */
	assert_int_equal(arm64_image_parse(h, sizeof(h), MiB, &img, &why), 0);
	make_hdr(h, 2 * MiB, 4 * MiB, 0);
	assert_int_equal(arm64_image_parse(h, sizeof(h), MiB, &img, &why), -ENOEXEC);
	make_hdr(h, 0x80800, 4 * MiB, 0);
	assert_int_equal(arm64_image_parse(h, sizeof(h), MiB, &img, &why), -ENOEXEC);
	assert_non_null(strstr(why, "text_offset"));
}

static void test_parse_file_larger_than_image(void **state)
{
	uint8_t h[64];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	make_hdr(h, 0, MiB, 0);
	assert_int_equal(arm64_image_parse(h, sizeof(h), MiB + 1, &img, &why), -ENOEXEC);
	assert_int_equal(arm64_image_parse(h, sizeof(h), MiB, &img, &why), 0);
}

static void test_parse_legacy(void **state)
{
	uint8_t h[64];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	/* image_size 0: text_offset field and flags are ignored */
	make_hdr(h, 0x12345, 0, 1);
	assert_int_equal(arm64_image_parse(h, sizeof(h), 5 * MiB, &img, &why), 0);
	assert_true(img.legacy);
	assert_int_equal(img.text_offset, 0x80000);
	assert_int_equal(img.image_size, 16 * MiB);
	assert_false(img.anywhere);
	assert_int_equal(arm64_image_parse(h, sizeof(h), 17 * MiB + 3, &img, &why), 0);
	assert_int_equal(img.image_size, 18 * MiB);
}

/* Found by fuzz_arm64_image: rounding a huge legacy file size up wrapped to 0. */
static void test_parse_legacy_huge_file(void **state)
{
	uint8_t h[64];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	make_hdr(h, 0, 0, 0);
	assert_int_equal(arm64_image_parse(h, sizeof(h), 0xffffffffffff0000ull, &img, &why),
			 -ENOEXEC);
	assert_non_null(why);
	/* the largest file that still rounds up is accepted */
	assert_int_equal(arm64_image_parse(h, sizeof(h), 0ull - 2 * MiB, &img, &why), 0);
	assert_int_equal(img.image_size, 0ull - 2 * MiB);
}

static void test_granule(void **state)
{
	uint8_t h[64];
	struct arm64_image img;
	const char *why = NULL;
	uint64_t a57 = 0x00001124; /* cortex-a57: 4K and 64K, no 16K */
	uint64_t no4k = 0xf0000000;

	(void)state;
	make_hdr(h, 0, MiB, 1u << 1);
	assert_int_equal(arm64_image_parse(h, sizeof(h), MiB, &img, &why), 0);
	assert_int_equal(arm64_image_check_granule(&img, a57, &why), 0);
	assert_int_equal(arm64_image_check_granule(&img, no4k, &why), -ENOTSUP);
	img.page_size = ARM64_PAGE_16K;
	assert_int_equal(arm64_image_check_granule(&img, a57, &why), -ENOTSUP);
	assert_non_null(strstr(why, "16 KiB"));
	assert_int_equal(arm64_image_check_granule(&img, a57 | 1u << 20, &why), 0);
	img.page_size = ARM64_PAGE_64K;
	assert_int_equal(arm64_image_check_granule(&img, a57, &why), 0);
	assert_int_equal(arm64_image_check_granule(&img, 0x0f000000, &why), -ENOTSUP);
	img.page_size = ARM64_PAGE_UNSPECIFIED;
	assert_int_equal(arm64_image_check_granule(&img, 0xfff00000, &why), 0);
}

/* virt with 256 MiB; testrunner + its DTB occupy the first 4 MiB. */
static const struct arm64_layout_req virt_req = {
	.ram_base = 0x40000000,
	.ram_size = 256 * MiB,
	.free_start = 0x40312345,
	.free_end = 0x50000000,
	.initrd_size = 3 * MiB + 5,
	.dtb_size = MiB + 4096,
};

static struct arm64_image modern(uint64_t text_offset, uint64_t image_size)
{
	struct arm64_image img = {
		.text_offset = text_offset,
		.image_size = image_size,
		.file_size = image_size / 2,
		.page_size = ARM64_PAGE_4K,
		.anywhere = true,
	};
	return img;
}

static void assert_disjoint(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	assert_true(a + as <= b || b + bs <= a);
}

static void check_layout(const struct arm64_image *img, const struct arm64_layout_req *r,
			 const struct arm64_layout *l)
{
	assert_int_equal(l->kernel_base % (2 * MiB), 0);
	assert_int_equal(l->kernel_entry, l->kernel_base + img->text_offset);
	assert_int_equal(l->kernel_end, l->kernel_entry + img->image_size);
	assert_true(l->kernel_entry >= r->free_start && l->kernel_end <= r->free_end);
	assert_true(l->kernel_base >= r->ram_base);
	assert_int_equal(l->dtb % 8, 0);
	assert_true(l->dtb >= r->free_start && l->dtb + r->dtb_size <= r->free_end);
	assert_disjoint(l->kernel_entry, img->image_size, l->dtb, r->dtb_size);
	if (r->initrd_size) {
		assert_int_equal(l->initrd_end - l->initrd_start, r->initrd_size);
		assert_true(l->initrd_start >= r->free_start && l->initrd_end <= r->free_end);
		assert_disjoint(l->kernel_entry, img->image_size, l->initrd_start, r->initrd_size);
		assert_disjoint(l->dtb, r->dtb_size, l->initrd_start, r->initrd_size);
	} else {
		assert_int_equal(l->initrd_start, 0);
		assert_int_equal(l->initrd_end, 0);
	}
}

static void test_place_modern(void **state)
{
	struct arm64_image img = modern(0, 0x2c10000);
	struct arm64_layout l;
	const char *why = NULL;

	(void)state;
	assert_int_equal(arm64_image_place(&img, &virt_req, &l, &why), 0);
	/* first 2 MiB boundary above the free start */
	assert_int_equal(l.kernel_base, 0x40400000);
	assert_int_equal(l.initrd_start, 0x40400000 + 0x2c10000);
	assert_int_equal(l.dtb, (l.initrd_end + 7) & ~7ull);
	check_layout(&img, &virt_req, &l);
}

static void test_place_text_offset(void **state)
{
	struct arm64_image img = modern(0x80000, 8 * MiB);
	struct arm64_layout_req r = virt_req;
	struct arm64_layout l;
	const char *why = NULL;

	(void)state;
	/* base below the free start is fine as long as the image itself is free */
	r.free_start = 0x40400000 + 0x80000;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), 0);
	assert_int_equal(l.kernel_base, 0x40400000);
	assert_int_equal(l.kernel_entry, 0x40480000);
	check_layout(&img, &r, &l);
	r.free_start += 1;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), 0);
	assert_int_equal(l.kernel_base, 0x40600000);
	check_layout(&img, &r, &l);
	/* the base never goes below RAM */
	r.free_start = r.ram_base;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), 0);
	assert_int_equal(l.kernel_base, 0x40000000);
	check_layout(&img, &r, &l);
}

static void test_place_no_initrd(void **state)
{
	struct arm64_image img = modern(0, 20 * MiB);
	struct arm64_layout_req r = virt_req;
	struct arm64_layout l;
	const char *why = NULL;

	(void)state;
	r.initrd_size = 0;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), 0);
	assert_int_equal(l.dtb, l.kernel_end);
	check_layout(&img, &r, &l);
}

static void test_place_too_large(void **state)
{
	struct arm64_image img = modern(0, 1 * GiB);
	struct arm64_layout_req r = virt_req;
	struct arm64_layout l;
	const char *why = NULL;

	(void)state;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), -ENOMEM);
	assert_non_null(strstr(why, "kernel"));

	/* exactly fills the free RAM left after alignment: ok without initrd */
	img = modern(0, 0x50000000 - 0x40400000 - r.dtb_size);
	r.initrd_size = 0;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), 0);
	check_layout(&img, &r, &l);
	img.image_size += 1;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), -ENOMEM);
	/* initrd that does not fit after a kernel that does */
	img = modern(0, 200 * MiB);
	r.initrd_size = 60 * MiB;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), -ENOMEM);
	assert_non_null(strstr(why, "initrd"));
	/* a kernel size that would wrap the address space */
	img = modern(0, UINT64_MAX - 0x1000);
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), -ENOMEM);
}

static void test_place_dtb_limits(void **state)
{
	struct arm64_image img = modern(0, 8 * MiB);
	struct arm64_layout_req r = virt_req;
	struct arm64_layout l;
	const char *why = NULL;

	(void)state;
	r.dtb_size = 2 * MiB;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), 0);
	r.dtb_size = 2 * MiB + 8;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), -E2BIG);
}

static void test_place_bad_request(void **state)
{
	struct arm64_image img = modern(0, 8 * MiB);
	struct arm64_layout_req r = virt_req;
	struct arm64_layout l;
	const char *why = NULL;

	(void)state;
	r.free_end = r.ram_base + r.ram_size + 1;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), -EINVAL);
	r = virt_req;
	r.free_start = r.ram_base - 1;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), -EINVAL);
	r = virt_req;
	r.free_start = r.free_end + 1;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), -EINVAL);
	r = virt_req;
	r.ram_base = UINT64_MAX - 10;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), -EINVAL);
}

static void test_place_legacy_top(void **state)
{
	uint8_t h[64];
	struct arm64_image img;
	struct arm64_layout l;
	const char *why = NULL;

	(void)state;
	make_hdr(h, 0, 0, 0);
	assert_int_equal(arm64_image_parse(h, sizeof(h), 10 * MiB, &img, &why), 0);
	assert_int_equal(arm64_image_place(&img, &virt_req, &l, &why), 0);
	assert_int_equal(l.kernel_entry, 0x40480000);
	/* DTB and initrd at the top, leaving the space after the kernel free */
	assert_true(l.dtb + virt_req.dtb_size <= virt_req.free_end);
	assert_true(virt_req.free_end - l.dtb < 2 * MiB);
	assert_true(l.initrd_end <= l.dtb);
	check_layout(&img, &virt_req, &l);
}

static void test_place_initrd_window(void **state)
{
	struct arm64_image img = modern(0, 8 * MiB);
	struct arm64_layout_req r = {
		.ram_base = 0x40000000,
		.ram_size = 64 * GiB,
		.free_start = 0x40400000,
		.free_end = 0x40000000 + 64 * GiB,
		.initrd_size = 40 * GiB,
		.dtb_size = 4096,
	};
	struct arm64_layout l;
	const char *why = NULL;

	(void)state;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), -ENOMEM);
	assert_non_null(strstr(why, "32 GB"));
	r.initrd_size = 30 * GiB;
	assert_int_equal(arm64_image_place(&img, &r, &l, &why), 0);
	check_layout(&img, &r, &l);
}

static void test_free_exclude(void **state)
{
	uint64_t s, e;

	(void)state;
	s = 100;
	e = 200;
	arm64_free_exclude(&s, &e, 0, 50); /* below */
	assert_int_equal(s, 100);
	assert_int_equal(e, 200);
	arm64_free_exclude(&s, &e, 200, 50); /* above, touching */
	assert_int_equal(s, 100);
	assert_int_equal(e, 200);
	arm64_free_exclude(&s, &e, 90, 20); /* low overlap */
	assert_int_equal(s, 110);
	assert_int_equal(e, 200);
	arm64_free_exclude(&s, &e, 190, 20); /* high overlap */
	assert_int_equal(s, 110);
	assert_int_equal(e, 190);
	arm64_free_exclude(&s, &e, 120, 10); /* middle: keep the upper side */
	assert_int_equal(s, 130);
	assert_int_equal(e, 190);
	arm64_free_exclude(&s, &e, 180, 5); /* middle: keep the lower side */
	assert_int_equal(s, 130);
	assert_int_equal(e, 180);
	arm64_free_exclude(&s, &e, 0, 1000); /* covers all */
	assert_int_equal(s, e);
	s = 100;
	e = 200;
	arm64_free_exclude(&s, &e, 150, UINT64_MAX); /* wrapping size */
	assert_int_equal(s, 100);
	assert_int_equal(e, 150);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_modern),
		cmocka_unit_test(test_parse_bad_magic),
		cmocka_unit_test(test_parse_short),
		cmocka_unit_test(test_parse_big_endian),
		cmocka_unit_test(test_parse_text_offset),
		cmocka_unit_test(test_parse_file_larger_than_image),
		cmocka_unit_test(test_parse_legacy),
		cmocka_unit_test(test_parse_legacy_huge_file),
		cmocka_unit_test(test_granule),
		cmocka_unit_test(test_place_modern),
		cmocka_unit_test(test_place_text_offset),
		cmocka_unit_test(test_place_no_initrd),
		cmocka_unit_test(test_place_too_large),
		cmocka_unit_test(test_place_dtb_limits),
		cmocka_unit_test(test_place_bad_request),
		cmocka_unit_test(test_place_legacy_top),
		cmocka_unit_test(test_place_initrd_window),
		cmocka_unit_test(test_free_exclude),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
