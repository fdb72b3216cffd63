/* SPDX-License-Identifier: MIT */
/*
 * Reference guest "semihosting", the fastest we could write: a plain C loop
 * (-O2) of 62-byte SYS_WRITE calls (Trusty's frame payload size), 4 MiB in
 * all, then PSCI SYSTEM_OFF. Built twice: to the semihosting console ":tt"
 * (SEMI_PATH unset) and to a host file opened through SYS_OPEN
 * (-DSEMI_PATH='"/dev/null"'); make bench reports the faster. No C runtime:
 * _start sets a stack and calls ref_main; the MMU stays off (-mstrict-align).
 */
#include <stddef.h>
#include <stdint.h>

#define SYS_OPEN   0x01
#define SYS_WRITE  0x05
#define TOTAL	   (4u * 1024 * 1024)
#define CHUNK	   62
#define OPEN_WRITE 4 /* mode "w" */
#ifndef SEMI_PATH
#define SEMI_PATH ":tt"
#endif

uint64_t stack[512] __attribute__((aligned(16))); /* _start's, 4 KiB */
static char payload[CHUNK];

extern uint64_t stack[512];
void ref_main(void);

__asm__(".section .text.start, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	"	adrp	x0, stack + 4096\n"
	"	add	x0, x0, :lo12:stack + 4096\n"
	"	mov	sp, x0\n"
	"	bl	ref_main\n"
	"1:	wfe\n"
	"	b	1b\n");

static inline uint64_t semihost(uint64_t op, const void *block)
{
	register uint64_t x0 __asm__("x0") = op;
	register const void *x1 __asm__("x1") = block;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

void ref_main(void)
{
	static const char path[] = SEMI_PATH;
	const uint64_t open_block[3] = { (uintptr_t)path, OPEN_WRITE, sizeof(path) - 1 };
	uint64_t write_block[3];
	uint32_t left = TOTAL;

	for (unsigned int i = 0; i < CHUNK; i++)
		payload[i] = 'x';
	write_block[0] = semihost(SYS_OPEN, open_block);
	write_block[1] = (uintptr_t)payload;
	while (left) {
		uint32_t n = left < CHUNK ? left : CHUNK;

		write_block[2] = n;
		semihost(SYS_WRITE, write_block);
		left -= n;
	}
	register uint64_t x0 __asm__("x0") = 0x84000008; /* PSCI SYSTEM_OFF */
	__asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
}
