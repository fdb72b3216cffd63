/* SPDX-License-Identifier: MIT */
/*
 * Powering off without PSCI (QEMU `virt` with secure=on and no firmware, or
 * firmware that offers none): the DT's gpio-poweroff line on a PL061, then
 * semihosting SYS_EXIT when QEMU has semihosting on.
 */
#include <libfdt.h>
#include <stdbool.h>

#include "arch/aarch64/exception.h"
#include "arch/aarch64/io.h"
#include "arch/aarch64/sysreg.h"
#include "platform/internal.h"
#include "platform/platform.h"

/* PL061 (ARM DDI 0190): data at 0x000-0x3fc, the address bits [9:2] mask the pins. */
#define PL061_DATA(pin) ((1U << (pin)) << 2)
#define PL061_DIR	0x400
#define PL061_PINS	8
#define GPIO_ACTIVE_LOW 1 /* flags cell of a gpios specifier */
/* How long the line may take to act before we try something else. */
#define GPIO_WAIT_US 100000

/* Semihosting (ARM IHI 0056): SYS_EXIT with ADP_Stopped_ApplicationExit. */
#define SEMIHOST_SYS_EXIT 0x18
#define ADP_APP_EXIT	  0x20026

/*
 * gpio-poweroff (Linux's binding): gpios = <&controller pin flags>. Drive the
 * line inactive, then active; QEMU powers off on the active edge. Returns
 * only when there is no usable line (or it did nothing).
 */
static void gpio_poweroff(void)
{
	const void *fdt = dt_blob();
	bool secure = arch_secure_state();
	const fdt32_t *spec;
	uint64_t base, size;
	uint32_t pin, active;
	int node, ctrl, len;

	if (!fdt)
		return;
	node = dt_find_compatible(-1, "gpio-poweroff");
	if (node < 0 || !dt_available(node, secure))
		return;
	spec = dt_getprop(node, "gpios", &len);
	if (!spec || len != 3 * (int)sizeof(*spec))
		return;
	ctrl = dt_find_phandle(fdt32_to_cpu(spec[0]));
	pin = fdt32_to_cpu(spec[1]);
	if (ctrl < 0 || !dt_available(ctrl, secure) || pin >= PL061_PINS ||
	    dt_check_compatible(ctrl, "arm,pl061") != 0 || dt_reg(ctrl, 0, &base, &size) < 0 ||
	    size < PL061_DIR + 4)
		return;
	active = fdt32_to_cpu(spec[2]) & GPIO_ACTIVE_LOW ? 0 : 1U << pin;
	mmio_write32(base + PL061_DATA(pin), active ^ (1U << pin));
	mmio_write32(base + PL061_DIR, mmio_read32(base + PL061_DIR) | 1U << pin);
	mmio_write32(base + PL061_DATA(pin), active);
	timer_delay_us(GPIO_WAIT_US);
}

void poweroff_without_psci(void)
{
	static const uint64_t exit_block[2] = { ADP_APP_EXIT, 0 };
	uint64_t ret;

	gpio_poweroff();
	/* Only returns when semihosting is off (its HLT trapped) or ignored it. */
	arch_semihost(SEMIHOST_SYS_EXIT, (uintptr_t)exit_block, &ret);
}
