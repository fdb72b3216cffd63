/* SPDX-License-Identifier: MIT */
/*
 * GICv2 and GICv3 drivers, matched from the DT by compatible string. Register
 * offsets from the GIC architecture specification (ARM IHI 0048B for v2,
 * IHI 0069 for v3).
 */
#include "platform/gic.h"

#include <errno.h>
#include <stdbool.h>

#include "arch/aarch64/io.h"
#include "arch/aarch64/sysreg.h"
#include "platform/platform.h"

/* Distributor (both versions). */
#define GICD_CTLR	0x0000
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_CTLR_RWP	(1U << 31)

/* GICv2 CPU interface. */
#define GICC_CTLR	 0x0000
#define GICC_PMR	 0x0004
#define GICC_BPR	 0x0008
#define GICC_IAR	 0x000c
#define GICC_EOIR	 0x0010
#define GICC_CTLR_ENABLE (1U << 0)
#define GICC_IAR_INTID	 0x3ffU /* IHI 0048B 4.4.4: bits [9:0] */

/* GICv2 GICD_CTLR: forward Group 0 interrupts (the only group we use). */
#define GICD_CTLR_V2_ENABLE (1U << 0)

/* GICv3 redistributor: RD_base frame, then SGI_base frame 64 KiB above. */
#define GICR_CTLR	   0x0000
#define GICR_TYPER	   0x0008
#define GICR_WAKER	   0x0014
#define GICR_SGI_BASE	   0x10000
#define GICR_TYPER_VLPIS   (1U << 1)
#define GICR_TYPER_LAST	   (1U << 4)
#define GICR_WAKER_PSLEEP  (1U << 1)
#define GICR_WAKER_CASLEEP (1U << 2)
#define GICR_FRAME_V3	   0x20000
#define GICR_FRAME_V4	   0x40000

/*
 * GICv3 GICD_CTLR with one security state (DS=1, QEMU virt secure=off); with
 * two (secure=on) the Secure view has these bits plus EnableGrp1S, and bits
 * 1 and 4 are EnableGrp1NS and ARE_S.
 */
#define GICD_CTLR_V3_GRP0  (1U << 0)
#define GICD_CTLR_V3_GRP1  (1U << 1)
#define GICD_CTLR_V3_GRP1S (1U << 2)
#define GICD_CTLR_V3_ARE   (1U << 4)
/* GICv3 SGI_base: group modifier, with IGROUPR selecting Secure Group 1. */
#define GICR_IGRPMODR0 0x0d00

/* GICv3 CPU interface system register fields (IHI 0069 12.2); the
 * registers themselves go by their architectural names to the assembler. */
#define ICC_SRE_SRE	   (1U << 0)
#define ICC_IGRPEN1_ENABLE (1U << 0)
#define ICC_IAR_INTID	   0xffffffU /* bits [23:0] */

/* Priority mask that lets every priority through; no preemption grouping. */
#define PMR_ALLOW_ALL	0xff
#define BPR_NO_GROUPING 0

#define IRQ_PRIORITY 0xa0
#define SPIN_MAX     1000000

static int version;
static uintptr_t gicd, gicc, gicr_region;
static uint64_t gicr_region_size;

struct gic_match {
	const char *compatible;
	int version;
};

static const struct gic_match gic_matches[] = {
	{ "arm,gic-v3", 3 },
	{ "arm,cortex-a15-gic", 2 },
	{ "arm,gic-400", 2 },
	{ "arm,cortex-a9-gic", 2 },
};

int gic_version(void)
{
	return version;
}

/* GIC binding: cell 0 is 0 for SPI, 1 for PPI; cell 1 the number within. */
int gic_dt_intid(const fdt32_t *spec, int cells)
{
	uint32_t type, num;

	if (cells < 2)
		return -EINVAL;
	type = fdt32_to_cpu(spec[0]);
	num = fdt32_to_cpu(spec[1]);
	if (type == 1 && num < 16)
		return (int)(num + 16);
	if (type == 0 && num < 988)
		return (int)(num + 32);
	return -EINVAL;
}

static int gic_match(int node)
{
	size_t i;

	for (i = 0; i < sizeof(gic_matches) / sizeof(gic_matches[0]); i++)
		if (dt_check_compatible(node, gic_matches[i].compatible) == 0)
			return gic_matches[i].version;
	return 0;
}

static int wait_clear(uintptr_t reg, uint32_t mask)
{
	unsigned int i;

	for (i = 0; i < SPIN_MAX; i++)
		if (!(mmio_read32(reg) & mask))
			return 0;
	return -ETIMEDOUT;
}

/* This CPU's redistributor: the frame whose affinity matches MPIDR. */
static int gicv3_find_rd(uintptr_t *rd)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint32_t aff = (uint32_t)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));
	uint64_t off = 0;

	while (off + GICR_FRAME_V3 <= gicr_region_size) {
		uintptr_t base = gicr_region + off;
		uint32_t typer_lo = mmio_read32(base + GICR_TYPER);
		uint32_t typer_hi = mmio_read32(base + GICR_TYPER + 4);

		if (typer_hi == aff) {
			*rd = base;
			return 0;
		}
		if (typer_lo & GICR_TYPER_LAST)
			break;
		off += (typer_lo & GICR_TYPER_VLPIS) ? GICR_FRAME_V4 : GICR_FRAME_V3;
	}
	return -ENODEV;
}

static uintptr_t gicr_this_cpu;

static int gicv3_init(void)
{
	uint32_t ctlr;
	int ret;

	ret = gicv3_find_rd(&gicr_this_cpu);
	if (ret < 0)
		return ret;
	ctlr = mmio_read32(gicd + GICD_CTLR);
	/* In the Secure state (entered at EL3) ours are Secure Group 1 interrupts. */
	if (arch_secure_state())
		ctlr |= GICD_CTLR_V3_GRP1S;
	mmio_write32(gicd + GICD_CTLR,
		     ctlr | GICD_CTLR_V3_ARE | GICD_CTLR_V3_GRP1 | GICD_CTLR_V3_GRP0);
	ret = wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
	if (ret < 0)
		return ret;
	/* Wake the redistributor (IHI 0069 9.5.5 / GICR_WAKER). */
	mmio_write32(gicr_this_cpu + GICR_WAKER,
		     mmio_read32(gicr_this_cpu + GICR_WAKER) & ~GICR_WAKER_PSLEEP);
	ret = wait_clear(gicr_this_cpu + GICR_WAKER, GICR_WAKER_CASLEEP);
	if (ret < 0)
		return ret;
	/* CPU interface through system registers. */
	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | ICC_SRE_SRE);
	isb();
	if (!(read_sysreg(ICC_SRE_EL1) & ICC_SRE_SRE))
		return -ENODEV;
	write_sysreg(ICC_PMR_EL1, PMR_ALLOW_ALL);
	write_sysreg(ICC_BPR1_EL1, BPR_NO_GROUPING);
	write_sysreg(ICC_IGRPEN1_EL1, ICC_IGRPEN1_ENABLE);
	isb();
	return 0;
}

static int gicv2_init(void)
{
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_V2_ENABLE);
	mmio_write32(gicc + GICC_PMR, PMR_ALLOW_ALL);
	mmio_write32(gicc + GICC_BPR, BPR_NO_GROUPING);
	mmio_write32(gicc + GICC_CTLR, GICC_CTLR_ENABLE);
	return 0;
}

int gic_init(void)
{
	const void *fdt = dt_blob();
	uint64_t base, size, base2, size2;
	int node, timer, v, ret;
	size_t i;

	if (!fdt)
		return -ENODEV;
	/* Prefer the controller the timer is wired to. */
	node = -ENOENT;
	timer = dt_find_compatible(-1, "arm,armv8-timer");
	if (timer >= 0)
		node = dt_interrupt_parent(timer);
	if (node < 0 || !gic_match(node)) {
		node = -ENODEV;
		for (i = 0; i < sizeof(gic_matches) / sizeof(gic_matches[0]) && node < 0; i++)
			node = dt_find_compatible(-1, gic_matches[i].compatible);
		if (node < 0)
			return -ENODEV;
	}
	v = gic_match(node);
	ret = dt_reg(node, 0, &base, &size);
	if (ret < 0)
		return ret;
	ret = dt_reg(node, 1, &base2, &size2);
	if (ret < 0)
		return ret;
	gicd = base;
	if (v == 3) {
		gicr_region = base2;
		gicr_region_size = size2;
		ret = gicv3_init();
	} else {
		gicc = base2;
		ret = gicv2_init();
	}
	if (ret < 0)
		return ret;
	version = v;
	return 0;
}

/* Byte-wide priority and bit-wise enable registers: the layout is the same
 * in the v2 distributor and the v3 SGI_base frame for INTIDs 0-31. */
int gic_ppi_enable(unsigned int intid, bool enable)
{
	uintptr_t frame;

	if (!version)
		return -ENODEV;
	if (intid < 16 || intid > 31)
		return -EINVAL;
	frame = version == 3 ? gicr_this_cpu + GICR_SGI_BASE : gicd;
	if (enable) {
		mmio_write8(frame + GICD_IPRIORITYR + intid, IRQ_PRIORITY);
		/*
		 * v3: Group 1, which IGRPEN1 enables, of our security state: with
		 * one security state (or non-secure) IGROUPR 1; in the Secure state
		 * IGROUPR 0 with IGRPMODR 1, Secure Group 1 (a non-secure one would
		 * arrive as FIQ at secure EL1).
		 */
		if (version == 3 && arch_secure_state())
			mmio_write32(frame + GICR_IGRPMODR0,
				     mmio_read32(frame + GICR_IGRPMODR0) | 1U << intid);
		else if (version == 3)
			mmio_write32(frame + GICD_IGROUPR,
				     mmio_read32(frame + GICD_IGROUPR) | 1U << intid);
		mmio_write32(frame + GICD_ISENABLER, 1U << intid);
	} else {
		mmio_write32(frame + GICD_ICENABLER, 1U << intid);
	}
	dsb(sy);
	return 0;
}

uint32_t gic_ack(void)
{
	uint32_t iar;

	if (version == 3) {
		iar = (uint32_t)read_sysreg(ICC_IAR1_EL1);
		dsb(sy);
		return iar & ICC_IAR_INTID;
	}
	if (version == 2)
		return mmio_read32(gicc + GICC_IAR) & GICC_IAR_INTID;
	return GIC_SPURIOUS;
}

void gic_eoi(uint32_t intid)
{
	if (version == 3) {
		write_sysreg(ICC_EOIR1_EL1, intid);
		isb();
	} else if (version == 2) {
		mmio_write32(gicc + GICC_EOIR, intid);
	}
}
