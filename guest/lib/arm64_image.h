/* SPDX-License-Identifier: MIT */
/*
 * arm64 Linux Image header validation and placement arithmetic, by
 * Documentation/arch/arm64/booting.rst. Portable: unit-tested on the host.
 */
#ifndef LIB_ARM64_IMAGE_H
#define LIB_ARM64_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARM64_IMAGE_HDR_SIZE   64
#define ARM64_IMAGE_MAGIC      0x644d5241u /* "ARM\x64", little endian */
#define ARM64_IMAGE_MAGIC_OFF  56
#define ARM64_IMAGE_BASE_ALIGN (2ull << 20) /* the "2MB aligned base" */

/* booting.rst: image_size 0 is a pre-3.17 kernel, text_offset is 0x80000. */
#define ARM64_IMAGE_LEGACY_TEXT_OFFSET 0x80000ull
/* Room reserved for such a kernel when its file is smaller (as U-Boot does). */
#define ARM64_IMAGE_LEGACY_MIN_SIZE (16ull << 20)

/* booting.rst: the DTB must not exceed 2 megabytes and be 8-byte aligned. */
#define ARM64_DTB_MAX_SIZE (2ull << 20)
#define ARM64_DTB_ALIGN	   8ull
/* The initrd starts on a boundary that suits every kernel page size. */
#define ARM64_INITRD_ALIGN (64ull << 10)
/* booting.rst: initrd and kernel inside one 1 GB aligned window of <= 32 GB. */
#define ARM64_INITRD_WINDOW_ALIGN (1ull << 30)
#define ARM64_INITRD_WINDOW_SIZE  (32ull << 30)

/* flags field, booting.rst "Header notes". */
#define ARM64_IMAGE_FLAG_BE	    (1ull << 0)
#define ARM64_IMAGE_FLAG_PAGE_SHIFT 1
#define ARM64_IMAGE_FLAG_PAGE_MASK  3ull
#define ARM64_IMAGE_FLAG_ANYWHERE   (1ull << 3)

enum arm64_page_size {
	ARM64_PAGE_UNSPECIFIED = 0,
	ARM64_PAGE_4K = 1,
	ARM64_PAGE_16K = 2,
	ARM64_PAGE_64K = 3,
};

/* What a validated header says, with the image_size == 0 rule applied. */
struct arm64_image {
	uint64_t text_offset;
	uint64_t image_size; /* bytes the kernel owns from its first byte */
	uint64_t file_size;
	enum arm64_page_size page_size;
	bool anywhere; /* flags bit 3: base need not be near DRAM start */
	bool legacy;   /* image_size was 0 (pre-3.17 kernel) */
};

/*
 * Validate the 64-byte header at @hdr (@len bytes available) of an image file
 * of @file_size bytes. Returns 0, or -ENOEXEC (not an arm64 Image, big-endian
 * kernel, inconsistent fields) with @why set to a one-line reason.
 */
int arm64_image_parse(const void *hdr, size_t len, uint64_t file_size, struct arm64_image *img,
		      const char **why);

/*
 * Check the kernel's page size against ID_AA64MMFR0_EL1 of the CPU that will
 * run it. Returns 0 or -ENOTSUP with @why set.
 */
int arm64_image_check_granule(const struct arm64_image *img, uint64_t mmfr0, const char **why);

/* Everything the kernel, initrd and DTB copy must fit in. */
struct arm64_layout_req {
	uint64_t ram_base, ram_size;   /* the DT /memory range */
	uint64_t free_start, free_end; /* usable part of it: [start, end) */
	uint64_t initrd_size;	       /* 0: no initrd */
	uint64_t dtb_size;	       /* room for the edited DTB copy */
};

struct arm64_layout {
	uint64_t kernel_base;		   /* 2 MiB aligned */
	uint64_t kernel_entry;		   /* base + text_offset: file loaded here */
	uint64_t kernel_end;		   /* entry + image_size */
	uint64_t initrd_start, initrd_end; /* equal when there is none */
	uint64_t dtb;
};

/*
 * Choose where the kernel, initrd and DTB go inside the free range. Returns 0,
 * -EINVAL for an inconsistent request, -ENOMEM when they do not fit, -E2BIG
 * for a DTB over 2 MiB; @why says which.
 */
int arm64_image_place(const struct arm64_image *img, const struct arm64_layout_req *req,
		      struct arm64_layout *out, const char **why);

/*
 * Shrink the free range [*start, *end) so that it does not overlap the busy
 * range [busy, busy + size), keeping the larger remaining side.
 */
void arm64_free_exclude(uint64_t *start, uint64_t *end, uint64_t busy, uint64_t size);

#endif
