/* SPDX-License-Identifier: MIT */
/* selftest.timer: the generic timer counts, monotonically, at a sane rate. */
#include "arch/aarch64/sysreg.h"
#include "platform/platform.h"
#include "runner/boottest.h"

#define DELAY_US     20000 /* 20 ms */
#define TOLERANCE_US 50000 /* TCG on a busy 2-core host can be late */
#define DELAY_TRIES  3

BOOT_TEST(selftest, timer)
{
	uint64_t freq = timer_freq(), first, prev, now, t0, t1, p0, v0, fastest;
	unsigned int i;

	/* Real systems run 1 MHz..1 GHz; QEMU uses 62.5 MHz. */
	EXPECT_GE(freq, 1000000);
	EXPECT_LE(freq, 1000000000);
	EXPECT_EQ(freq, read_sysreg(cntfrq_el0) & 0xffffffff);
	bt_log("CNTFRQ %llu Hz", (unsigned long long)freq);

	first = prev = timer_count();
	for (i = 0; i < 10000; i++) {
		now = timer_count();
		if (now < prev) {
			EXPECT_GE(now, prev);
			break;
		}
		prev = now;
	}
	/* 10,000 reads take far longer than one tick at any sane rate. */
	EXPECT_GT(prev, first);

	/* Virtual and physical counters tick together (CNTVOFF is constant). */
	__asm__ volatile("isb" ::: "memory");
	p0 = read_sysreg(cntpct_el0);
	v0 = read_sysreg(cntvct_el0);
	timer_delay_us(1000);
	__asm__ volatile("isb" ::: "memory");
	now = read_sysreg(cntvct_el0);
	prev = read_sysreg(cntpct_el0);
	EXPECT_LE((prev - p0) > (now - v0) ? (prev - p0) - (now - v0) : (now - v0) - (prev - p0),
		  freq / 1000);

	/*
	 * Never short; not far too long either. The counter follows the host's
	 * clock, so a vCPU the host does not schedule sees a long delay: the
	 * upper bound holds for the fastest of a few tries, which a delay that
	 * really overshoots (a wrong rate) fails every time.
	 */
	fastest = UINT64_MAX;
	for (i = 0; i < DELAY_TRIES && fastest > DELAY_US + TOLERANCE_US; i++) {
		t0 = timer_now_us();
		timer_delay_us(DELAY_US);
		t1 = timer_now_us();
		EXPECT_GE(t1 - t0, DELAY_US);
		if (t1 - t0 < fastest)
			fastest = t1 - t0;
	}
	EXPECT_LE(fastest, DELAY_US + TOLERANCE_US);
}
