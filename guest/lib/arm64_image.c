/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/*
 * arm64 Linux Image header checks and where to put kernel, initrd and DTB
 * (Documentation/arch/arm64/booting.rst). No hardware access: the guest's
 * secondary-OS loader and the host unit tests share this file.
 */
#include <errno.h>

#include "lib/arm64_image.h"

/* Header fields, by offset (booting.rst section 4). */
#define HDR_TEXT_OFFSET 8
#define HDR_IMAGE_SIZE	16
#define HDR_FLAGS	24

/* ID_AA64MMFR0_EL1 translation granule fields (Arm ARM D19). */
#define MMFR0_TGRAN4_SHIFT  28
#define MMFR0_TGRAN64_SHIFT 24
#define MMFR0_TGRAN16_SHIFT 20

/* Linux's head.S refuses a TEXT_OFFSET that is not 4 KiB aligned or >= 2 MiB. */
#define TEXT_OFFSET_ALIGN 0x1000ull

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

/* a + b, or false when it wraps. */
static bool add_ok(uint64_t a, uint64_t b, uint64_t *sum)
{
	*sum = a + b;
	return *sum >= a;
}

static int refuse(const char **why, const char *reason, int err)
{
	if (why)
		*why = reason;
	return err;
}

int arm64_image_parse(const void *hdr, size_t len, uint64_t file_size, struct arm64_image *img,
		      const char **why)
{
	const uint8_t *h = hdr;
	uint64_t text_offset, image_size, flags;

	if (len < ARM64_IMAGE_HDR_SIZE || file_size < ARM64_IMAGE_HDR_SIZE)
		return refuse(why, "file shorter than the 64-byte arm64 Image header", -ENOEXEC);
	if (le32(h + ARM64_IMAGE_MAGIC_OFF) != ARM64_IMAGE_MAGIC)
		return refuse(why, "no arm64 Image magic \"ARM\\x64\" at offset 56", -ENOEXEC);

	text_offset = le64(h + HDR_TEXT_OFFSET);
	image_size = le64(h + HDR_IMAGE_SIZE);
	flags = le64(h + HDR_FLAGS);

	img->file_size = file_size;
	if (image_size == 0) {
		/* Pre-3.17: flags did not exist and text_offset's endianness is unknown. */
		if (align_up(file_size, ARM64_IMAGE_BASE_ALIGN) < file_size)
			return refuse(why, "file size too large for the address space", -ENOEXEC);
		img->legacy = true;
		img->text_offset = ARM64_IMAGE_LEGACY_TEXT_OFFSET;
		img->image_size = file_size > ARM64_IMAGE_LEGACY_MIN_SIZE
					  ? align_up(file_size, ARM64_IMAGE_BASE_ALIGN)
					  : ARM64_IMAGE_LEGACY_MIN_SIZE;
		img->page_size = ARM64_PAGE_UNSPECIFIED;
		img->anywhere = false;
		return 0;
	}

	if (flags & ARM64_IMAGE_FLAG_BE)
		return refuse(why, "big-endian kernel (flags bit 0); this CPU runs little-endian",
			      -ENOEXEC);
	if (text_offset % TEXT_OFFSET_ALIGN || text_offset >= ARM64_IMAGE_BASE_ALIGN)
		return refuse(why, "text_offset is not 4 KiB aligned below 2 MiB", -ENOEXEC);
	if (file_size > image_size)
		return refuse(why, "file is larger than the image_size in its header", -ENOEXEC);

	img->legacy = false;
	img->text_offset = text_offset;
	img->image_size = image_size;
	img->page_size = (flags >> ARM64_IMAGE_FLAG_PAGE_SHIFT) & ARM64_IMAGE_FLAG_PAGE_MASK;
	img->anywhere = flags & ARM64_IMAGE_FLAG_ANYWHERE;
	return 0;
}

int arm64_image_check_granule(const struct arm64_image *img, uint64_t mmfr0, const char **why)
{
	unsigned int t4 = (mmfr0 >> MMFR0_TGRAN4_SHIFT) & 0xf;
	unsigned int t64 = (mmfr0 >> MMFR0_TGRAN64_SHIFT) & 0xf;
	unsigned int t16 = (mmfr0 >> MMFR0_TGRAN16_SHIFT) & 0xf;

	/* TGran4/TGran64: 0xf = not implemented; TGran16: 0 = not implemented. */
	switch (img->page_size) {
	case ARM64_PAGE_4K:
		if (t4 == 0xf)
			return refuse(why, "kernel uses 4 KiB pages, the CPU has no 4 KiB granule",
				      -ENOTSUP);
		break;
	case ARM64_PAGE_16K:
		if (t16 == 0)
			return refuse(why,
				      "kernel uses 16 KiB pages, the CPU has no 16 KiB granule",
				      -ENOTSUP);
		break;
	case ARM64_PAGE_64K:
		if (t64 == 0xf)
			return refuse(why,
				      "kernel uses 64 KiB pages, the CPU has no 64 KiB granule",
				      -ENOTSUP);
		break;
	case ARM64_PAGE_UNSPECIFIED:
		break;
	}
	return 0;
}

void arm64_free_exclude(uint64_t *start, uint64_t *end, uint64_t busy, uint64_t size)
{
	uint64_t busy_end = busy + size < busy ? UINT64_MAX : busy + size;

	if (size == 0 || busy_end <= *start || busy >= *end)
		return;
	if (busy <= *start && busy_end >= *end) {
		*end = *start; /* nothing left */
	} else if (busy <= *start) {
		*start = busy_end;
	} else if (busy_end >= *end) {
		*end = busy;
	} else if (busy - *start >= *end - busy_end) {
		*end = busy;
	} else {
		*start = busy_end;
	}
}

/* [base, base + size) fits in [start, end)? */
static bool fits(uint64_t base, uint64_t size, uint64_t start, uint64_t end)
{
	uint64_t last;

	return base >= start && add_ok(base, size, &last) && last <= end;
}

int arm64_image_place(const struct arm64_image *img, const struct arm64_layout_req *req,
		      struct arm64_layout *out, const char **why)
{
	uint64_t ram_end, lowest, base, entry, kend, next, window;
	uint64_t fs = req->free_start, fe = req->free_end;

	if (!add_ok(req->ram_base, req->ram_size, &ram_end) || fs > fe || fs < req->ram_base ||
	    fe > ram_end)
		return refuse(why, "free range is not inside RAM", -EINVAL);
	if (req->dtb_size > ARM64_DTB_MAX_SIZE)
		return refuse(why, "device tree larger than the 2 MiB booting.rst allows", -E2BIG);

	/*
	 * The lowest 2 MiB aligned base whose image start is free RAM: as close
	 * to the start of DRAM as we can, which flags bit 3 == 0 asks for and
	 * every kernel accepts. The base itself must still be RAM.
	 */
	lowest = fs > img->text_offset ? fs - img->text_offset : 0;
	if (lowest < req->ram_base)
		lowest = req->ram_base;
	base = align_up(lowest, ARM64_IMAGE_BASE_ALIGN);
	if (base < lowest)
		return refuse(why, "kernel image does not fit in free RAM", -ENOMEM);
	entry = base + img->text_offset;
	if (!fits(entry, img->image_size, fs, fe))
		return refuse(why, "kernel image_size does not fit in free RAM", -ENOMEM);
	kend = entry + img->image_size;

	out->kernel_base = base;
	out->kernel_entry = entry;
	out->kernel_end = kend;

	if (img->legacy) {
		/*
		 * booting.rst: with image_size 0 keep as much memory as possible
		 * free right after the kernel: DTB and initrd go to the top.
		 */
		if (req->dtb_size > fe - kend)
			return refuse(why, "no room for the device tree above the kernel", -ENOMEM);
		out->dtb = align_down(fe - req->dtb_size, ARM64_DTB_ALIGN);
		if (out->dtb < kend)
			return refuse(why, "no room for the device tree above the kernel", -ENOMEM);
		if (req->initrd_size > out->dtb - kend)
			return refuse(why, "no room for the initrd above the kernel", -ENOMEM);
		out->initrd_start = align_down(out->dtb - req->initrd_size, ARM64_INITRD_ALIGN);
		if (out->initrd_start < kend)
			return refuse(why, "no room for the initrd above the kernel", -ENOMEM);
		out->initrd_end = out->initrd_start + req->initrd_size;
	} else {
		out->initrd_start = align_up(kend, ARM64_INITRD_ALIGN);
		if (!fits(out->initrd_start, req->initrd_size, fs, fe))
			return refuse(why, "initrd does not fit in free RAM after the kernel",
				      -ENOMEM);
		out->initrd_end = out->initrd_start + req->initrd_size;
		next = req->initrd_size ? out->initrd_end : kend;
		out->dtb = align_up(next, ARM64_DTB_ALIGN);
		if (!fits(out->dtb, req->dtb_size, fs, fe))
			return refuse(why, "device tree copy does not fit in free RAM", -ENOMEM);
	}
	if (req->initrd_size == 0) {
		out->initrd_start = out->initrd_end = 0;
	} else {
		window = align_down(entry, ARM64_INITRD_WINDOW_ALIGN);
		if (out->initrd_end - window > ARM64_INITRD_WINDOW_SIZE)
			return refuse(why, "initrd outside the 32 GB window that covers the kernel",
				      -ENOMEM);
	}
	return 0;
}
