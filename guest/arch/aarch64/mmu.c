/* SPDX-License-Identifier: MIT */
/*
 * Identity page tables and MMU enable. mmu_build_boot_tables() runs with the
 * MMU off, before any C library code: it must not call memset/memcpy (which
 * may use DC ZVA or unaligned accesses, both faulting on Device memory).
 * The image's GiB (two when it straddles a boundary: it runs wherever it was
 * loaded) is mapped by level-2 tables of 2 MiB Normal blocks, with level-3
 * pages where the per-CPU stacks are, so their guard pages can stay unmapped.
 */
#include "arch/aarch64/mmu.h"

#include <errno.h>
#include <stdbool.h>

#include "arch/aarch64/io.h"
#include "arch/aarch64/layout.h"
#include "arch/aarch64/sysreg.h"

#define ENTRIES	 512
#define L1_SHIFT 30
#define L2_SHIFT 21
#define L3_SHIFT 12
#define VA_BITS	 39
#define L2_POOL	 8
/* 2 MiB blocks the stacks may touch: they are far smaller than 2 MiB. */
#define L3_STACKS 2

/* MAIR_EL1 attribute indexes. */
#define ATTR_DEVICE 0 /* Device-nGnRE */
#define ATTR_NORMAL 1 /* Normal, inner/outer write-back RW-allocate */
#define MAIR_VALUE  ((0x04ULL << (8 * ATTR_DEVICE)) | (0xffULL << (8 * ATTR_NORMAL)))

/* Stage-1 VMSAv8-64 descriptor bits (ARM ARM D8.3). */
#define DESC_BLOCK    0x1ULL
#define DESC_TABLE    0x3ULL
#define DESC_PAGE     0x3ULL /* at level 3 */
#define DESC_ATTR(i)  ((uint64_t)(i) << 2)
#define DESC_SH_INNER (3ULL << 8)
#define DESC_AF	      (1ULL << 10)
#define DESC_PXN      (1ULL << 53)
#define DESC_UXN      (1ULL << 54)
#define DESC_ADDR     0x0000fffffffff000ULL

#define BLOCK_DEVICE (DESC_BLOCK | DESC_ATTR(ATTR_DEVICE) | DESC_AF | DESC_PXN | DESC_UXN)
#define BLOCK_NORMAL (DESC_BLOCK | DESC_ATTR(ATTR_NORMAL) | DESC_AF | DESC_SH_INNER | DESC_UXN)

/* TCR_EL1: T0SZ = 64 - 39, WBWA inner-shareable walks, 4 KiB, no TTBR1 walks. */
#define TCR_T0SZ      (64 - VA_BITS)
#define TCR_IRGN0_WB  (1ULL << 8)
#define TCR_ORGN0_WB  (1ULL << 10)
#define TCR_SH0_INNER (3ULL << 12)
#define TCR_EPD1      (1ULL << 23)
#define TCR_IPS_SHIFT 32

static uint64_t l1_table[ENTRIES] __attribute__((aligned(4096)));
static uint64_t l2_pool[L2_POOL][ENTRIES] __attribute__((aligned(4096)));
static unsigned int l2_used;
/* layout.h's ARCH_IMAGE_MAX (checked by the linker) keeps it to two GiBs. */
#define IMAGE_GIBS 2
static uint64_t l2_image[IMAGE_GIBS][ENTRIES] __attribute__((aligned(4096)));
static uint64_t l3_stacks[L3_STACKS][ENTRIES] __attribute__((aligned(4096)));

/* The GiBs [first, last] holding the image. */
static uint64_t image_gib_first(void)
{
	return (uintptr_t)__image_start >> L1_SHIFT;
}

static uint64_t image_gib_last(void)
{
	return ((uintptr_t)__image_end - 1) >> L1_SHIFT;
}

/* A guard page of a per-CPU stack slot (arch/aarch64/layout.h): left unmapped. */
static bool is_guard_page(uint64_t addr)
{
	uint64_t lo = (uintptr_t)__stacks_start, off;

	if (addr < lo || addr >= (uintptr_t)__stacks_end)
		return false;
	off = (addr - lo) % ARCH_CPU_SLOT_SIZE;
	return off < ARCH_EXC_STACK_OFF ||
	       (off >= ARCH_EXC_STACK_OFF + ARCH_EXC_STACK_SIZE && off < ARCH_STACK_OFF);
}

/*
 * Written with the MMU off (non-cacheable); the walker reads through the
 * caches once they are on, so drop any stale lines.
 */
static void clean_table(const uint64_t *t)
{
	uintptr_t p;

	for (p = (uintptr_t)t; p < (uintptr_t)(t + ENTRIES); p += 64)
		__asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
}

/* Fill @l2 with Normal 2 MiB blocks for the GiB at @gbase, stacks by page. */
static void build_image_gib(uint64_t *l2, uint64_t gbase, unsigned int *l3)
{
	uint64_t stacks_lo = (uintptr_t)__stacks_start >> L2_SHIFT;
	uint64_t stacks_hi = ((uintptr_t)__stacks_end - 1) >> L2_SHIFT;
	uint64_t i, j;

	for (i = 0; i < ENTRIES; i++) {
		uint64_t bs = gbase + (i << L2_SHIFT), *t;

		l2[i] = bs | BLOCK_NORMAL;
		if ((bs >> L2_SHIFT) < stacks_lo || (bs >> L2_SHIFT) > stacks_hi ||
		    *l3 == L3_STACKS)
			continue;
		t = l3_stacks[(*l3)++];
		for (j = 0; j < ENTRIES; j++) {
			uint64_t pa = bs + (j << L3_SHIFT);

			t[j] = is_guard_page(pa) ? 0 : pa | (BLOCK_NORMAL & ~3ULL) | DESC_PAGE;
		}
		clean_table(t);
		l2[i] = (uintptr_t)t | DESC_TABLE;
	}
	clean_table(l2);
}

void mmu_build_boot_tables(void)
{
	uint64_t i, gib;
	unsigned int l3 = 0;

	for (i = 0; i < ENTRIES; i++)
		l1_table[i] = (i << L1_SHIFT) | BLOCK_DEVICE;
	for (gib = image_gib_first(); gib <= image_gib_last(); gib++) {
		uint64_t *l2 = l2_image[gib - image_gib_first()];

		build_image_gib(l2, gib << L1_SHIFT, &l3);
		l1_table[gib] = (uintptr_t)l2 | DESC_TABLE;
	}
	clean_table(l1_table);
	dsb(sy);
}

void mmu_enable(void)
{
	uint64_t ips = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	/* 52-bit PA needs LPA descriptors we do not use: 48 bits is plenty. */
	if (ips > 5)
		ips = 5;
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, TCR_T0SZ | TCR_IRGN0_WB | TCR_ORGN0_WB | TCR_SH0_INNER | TCR_EPD1 |
				      (ips << TCR_IPS_SHIFT));
	write_sysreg(ttbr0_el1, (uintptr_t)l1_table);
	isb();
	__asm__ volatile("tlbi vmalle1\n\tic iallu" ::: "memory");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el1, SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I);
	isb();
}

/* Break-before-make for a live entry (ARM ARM D8.14.1). */
static void set_entry(uint64_t *entry, uint64_t value)
{
	*entry = 0;
	dsb(ishst);
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	isb();
	*entry = value;
	dsb(ishst);
	isb();
}

/* Only whole 2 MiB blocks inside [lo, hi) become Normal. */
static bool l2_block_normal(uint64_t bs, uint64_t lo, uint64_t hi)
{
	return bs >= lo && bs + (1ULL << L2_SHIFT) <= hi;
}

int mmu_map_normal(uint64_t base, uint64_t size)
{
	uint64_t end, gib;

	if (size == 0)
		return 0;
	end = base + size;
	if (end < base || end > (1ULL << VA_BITS))
		return -EINVAL;

	for (gib = base >> L1_SHIFT; gib <= (end - 1) >> L1_SHIFT; gib++) {
		uint64_t gstart = gib << L1_SHIFT, gend = gstart + (1ULL << L1_SHIFT);
		uint64_t lo = base > gstart ? base : gstart;
		uint64_t hi = end < gend ? end : gend;
		uint64_t *l2, i;
		bool was_normal;

		/* The image's GiBs are Normal already and their tables stay. */
		if (gib >= image_gib_first() && gib <= image_gib_last())
			continue;
		if (lo == gstart && hi == gend) {
			set_entry(&l1_table[gib], gstart | BLOCK_NORMAL);
			continue;
		}
		if ((l1_table[gib] & 3) == DESC_TABLE) {
			/* Live table: change entries one by one. */
			l2 = (uint64_t *)(uintptr_t)(l1_table[gib] & DESC_ADDR);
			for (i = 0; i < ENTRIES; i++) {
				uint64_t bs = gstart + (i << L2_SHIFT);

				if (l2_block_normal(bs, lo, hi) && l2[i] != (bs | BLOCK_NORMAL))
					set_entry(&l2[i], bs | BLOCK_NORMAL);
			}
			continue;
		}
		/* New table: fill it completely, then swap it in for the block. */
		if (l2_used == L2_POOL)
			return -ENOMEM;
		l2 = l2_pool[l2_used++];
		was_normal = (l1_table[gib] & DESC_ATTR(7)) == DESC_ATTR(ATTR_NORMAL);
		for (i = 0; i < ENTRIES; i++) {
			uint64_t bs = gstart + (i << L2_SHIFT);

			l2[i] = bs | (was_normal || l2_block_normal(bs, lo, hi) ? BLOCK_NORMAL
										: BLOCK_DEVICE);
		}
		dsb(ishst);
		set_entry(&l1_table[gib], (uintptr_t)l2 | DESC_TABLE);
	}
	return 0;
}

/* The leaf descriptor mapping @addr (0 when unmapped). */
static uint64_t leaf(uint64_t addr)
{
	uint64_t d;

	if (addr >= (1ULL << VA_BITS))
		return 0;
	d = l1_table[addr >> L1_SHIFT];
	if ((d & 3) != DESC_TABLE)
		return d;
	d = ((uint64_t *)(uintptr_t)(d & DESC_ADDR))[(addr >> L2_SHIFT) & (ENTRIES - 1)];
	if ((d & 3) != DESC_TABLE)
		return d;
	d = ((uint64_t *)(uintptr_t)(d & DESC_ADDR))[(addr >> L3_SHIFT) & (ENTRIES - 1)];
	/* at level 3, 0b11 is a page and 0b01 is invalid */
	return (d & 3) == DESC_PAGE ? (d & ~3ULL) | DESC_BLOCK : 0;
}

int mmu_is_normal(uint64_t addr)
{
	uint64_t d = leaf(addr);

	return (d & 3) == DESC_BLOCK && (d & DESC_ATTR(7)) == DESC_ATTR(ATTR_NORMAL);
}

int mmu_is_mapped(uint64_t addr)
{
	return (leaf(addr) & 1) != 0;
}
