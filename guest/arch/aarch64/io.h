/* SPDX-License-Identifier: MIT */
/* MMIO accessors and barriers: the only way drivers touch device registers. */
#ifndef ARCH_IO_H
#define ARCH_IO_H

#include <stdint.h>

#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define isb()	 __asm__ volatile("isb" ::: "memory")

/* QEMU's virtio-mmio honours only 32-bit accesses: keep them exact. */
static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

static inline uint8_t mmio_read8(uintptr_t addr)
{
	uint8_t v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

#endif
