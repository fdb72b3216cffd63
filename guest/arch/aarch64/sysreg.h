/* SPDX-License-Identifier: MIT */
/* System register access and the register bits both C and assembly use. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

/* SCTLR_EL1 (ARM ARM D17.2.118); RES1 bits as ARMv8.0 defines them. */
#define SCTLR_M	   (1 << 0)  /* MMU */
#define SCTLR_A	   (1 << 1)  /* alignment checks */
#define SCTLR_C	   (1 << 2)  /* data cache */
#define SCTLR_SA   (1 << 3)  /* SP alignment checks */
#define SCTLR_I	   (1 << 12) /* instruction cache */
#define SCTLR_RES1 0x30d00800

/* DAIF bits of SPSR_EL1 / the DAIF register. */
#define DAIF_MASK_ALL (0xf << 6)

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

#define read_sysreg(r)                                       \
	({                                                   \
		uint64_t __v;                                \
		__asm__ volatile("mrs %0, " #r : "=r"(__v)); \
		__v;                                         \
	})
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %x0" ::"rZ"((uint64_t)(v)) : "memory")

/*
 * The exception level the image was entered at (1, 2 or 3), which entry.S
 * records. Everything runs at EL1: non-secure when entered at EL1 or EL2,
 * secure when entered at EL3.
 */
extern uint32_t arch_entry_el;

static inline bool arch_secure_state(void)
{
	return arch_entry_el == 3;
}

/* Logical CPU index (0 = boot CPU), which entry.S keeps in TPIDR_EL1. */
static inline unsigned int arch_cpu_index(void)
{
	return (unsigned int)read_sysreg(tpidr_el1);
}
#endif

#endif
