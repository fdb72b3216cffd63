/* SPDX-License-Identifier: MIT */
/*
 * fixture.reset_leave leaves state behind (markers in .bss, .data and free
 * RAM, the GIC with an interrupt acknowledged and never ended, a secondary
 * CPU spinning); fixture.reset_verify, in the next boot after a reset, must
 * find a fresh machine. Run in one boot, reset_verify fails.
 */
#include <stdint.h>

#include "arch/aarch64/io.h"
#include "platform/gic.h"
#include "platform/platform.h"
#include "platform/smp.h"
#include "runner/boottest.h"

#define MARKER_MAGIC 0x7265736574206d65ULL /* "em teser" */
#define DATA_INITIAL 0x5eed5eedU
/* How long the spinning CPU must stay still to count as stopped. */
#define STILL_US 20000
#define WAIT_US	 500000

/* At the start of the largest free RAM range: nothing resets it. */
struct marker {
	uint64_t magic;
	volatile uint64_t spins; /* counted by the spinning secondary */
};

static uint32_t bss_marker;
static uint32_t data_marker = DATA_INITIAL;

static struct marker *free_ram_marker(void)
{
	uintptr_t start, end;

	ram_free_range(&start, &end);
	return end - start >= sizeof(struct marker) ? (struct marker *)start : NULL;
}

/* The first secondary CPU's MPIDR, or fails the test. */
static uint64_t second_cpu(void)
{
	uint64_t mpidrs[SMP_MAX_CPUS], boot = smp_this_mpidr();
	int n = dt_cpus(mpidrs, SMP_MAX_CPUS), i;

	for (i = 0; i < n && mpidrs[i] == boot; i++)
		;
	ASSERT_LT(i, n);
	return mpidrs[i];
}

static void spin(unsigned int cpu, void *arg)
{
	volatile uint64_t *count = arg;

	(void)cpu;
	for (;;)
		(*count)++;
}

static void nothing(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
}

BOOT_TEST(fixture, reset_leave, .manual = true, .cpus = 2)
{
	struct marker *m = free_ram_marker();
	int intid = timer_virt_intid();
	uint64_t start, spins;
	uint32_t got;

	ASSERT_NE(m, NULL);
	if (!psci_version())
		bt_skip("no PSCI to start a second CPU with");
	bss_marker = ~0U;
	data_marker = ~DATA_INITIAL;
	m->magic = MARKER_MAGIC;
	m->spins = 0;
	dsb(ish);

	/* a CPU that never stops: only the reset does that */
	ASSERT_EQ(smp_start(1, second_cpu(), spin, (void *)&m->spins), 0);
	start = timer_now_us();
	while (!(spins = m->spins) && timer_now_us() - start < WAIT_US)
		;
	ASSERT_NE(spins, 0);

	/* the timer's interrupt taken at the GIC and never ended: it stays active */
	ASSERT_GE(intid, 16);
	ASSERT_EQ(gic_ppi_enable((unsigned int)intid, true), 0);
	timer_virt_arm(1);
	start = timer_now_us();
	do
		got = gic_ack();
	while (got == GIC_SPURIOUS && timer_now_us() - start < WAIT_US);
	ASSERT_EQ(got, (uint32_t)intid);
	bt_log("left: .bss and .data markers, free RAM marker at %p, CPU 1 spinning, "
	       "INTID %d active",
	       (void *)m, intid);
}

BOOT_TEST(fixture, reset_verify, .manual = true, .cpus = 2)
{
	struct marker *m = free_ram_marker();
	uint64_t before;
	uint32_t got;

	ASSERT_NE(m, NULL);
	/* .bss cleared by entry.S, .data reloaded by QEMU with the image */
	EXPECT_EQ(bss_marker, 0);
	EXPECT_EQ(data_marker, DATA_INITIAL);

	/* nothing pending or active at the GIC, whatever the last boot left */
	got = gic_ack();
	if (got != GIC_SPURIOUS)
		gic_eoi(got);
	EXPECT_EQ(got, GIC_SPURIOUS);

	if (m->magic == MARKER_MAGIC) {
		/* RAM kept: the same QEMU, reset; the spinning CPU must be gone */
		before = m->spins;
		timer_delay_us(STILL_US);
		EXPECT_EQ(m->spins, before);
		bt_log("free RAM still holds the last boot's marker: reset, not restarted");
	} else {
		bt_log("no marker in free RAM: a fresh QEMU");
	}
	m->magic = 0;
	/* CPU 1 is off (CPU_ON accepted), its per-CPU state fresh */
	if (!psci_version())
		bt_skip("no PSCI to start a second CPU with");
	ASSERT_EQ(smp_start(1, second_cpu(), nothing, NULL), 0);
	EXPECT_EQ(smp_wait_done(1, WAIT_US), 0);
}
