/* SPDX-License-Identifier: MIT */
/*
 * Secondary test image: proves the testrunner's hand-over by booting.rst.
 * Prints the registers it was entered with, checks the CPU state, reads
 * bootargs and the initrd range from the DTB in x0 with libfdt, checksums the
 * initrd (POSIX cksum), prints PASS or FAIL, and powers off through PSCI.
 * Bootargs it understands: sectest.cksum=N (expected initrd cksum),
 * sectest.hang (never power off: exercises the host's timeout).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include "sec.h"

#define PL011_DR	0x00
#define PL011_FR	0x18
#define PL011_FR_TXFF	(1u << 5)
#define PSCI_SYSTEM_OFF 0x84000008u
#define SZ_2M		0x200000ull
#define SCTLR_M		(1ull << 0)
#define SCTLR_C		(1ull << 2)
#define DAIF_ALL	0x3c0ull

static uintptr_t uart;
static bool psci_smc;
static unsigned int failures;

#define read_sysreg(r)                                      \
	({                                                  \
		uint64_t v_;                                \
		__asm__ volatile("mrs %0, " #r : "=r"(v_)); \
		v_;                                         \
	})

static void putc_(char c)
{
	volatile uint32_t *fr, *dr;

	if (!uart)
		return;
	fr = (volatile uint32_t *)(uart + PL011_FR);
	dr = (volatile uint32_t *)(uart + PL011_DR);
	while (*fr & PL011_FR_TXFF)
		;
	*dr = (uint8_t)c;
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void puthex(uint64_t v)
{
	char buf[19];
	int i = 18;

	buf[i] = '\0';
	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	puts_(buf + i);
}

static void putdec(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_(buf + i);
}

static void check(bool ok, const char *what)
{
	puts_("secondary-image: check ");
	puts_(what);
	puts_(ok ? ": ok\n" : ": FAIL\n");
	if (!ok)
		failures++;
}

static void __attribute__((noreturn)) power_off(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	if (psci_smc)
		__asm__ volatile("smc #0" : "+r"(x0)::"memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0)::"memory");
	for (;;)
		__asm__ volatile("wfi");
}

static void find_uart(const void *fdt)
{
	const char *path;
	const void *reg;
	int node = -1, len, ac;

	path = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", &len);
	if (path && len > 0) {
		const char *colon = memchr(path, ':', (size_t)len);

		node = fdt_path_offset_namelen(
			fdt, path, colon ? (int)(colon - path) : (int)strnlen(path, (size_t)len));
	}
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (node < 0)
		return;
	ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (ac >= 1 && ac <= 2 && reg && len >= 4 * ac)
		uart = (uintptr_t)cells_at(reg, ac);
}

static void find_psci(const void *fdt)
{
	const char *m = fdt_getprop(fdt, fdt_path_offset(fdt, "/psci"), "method", NULL);

	psci_smc = m && strcmp(m, "smc") == 0;
}

static bool memory_range(const void *fdt, uint64_t *base, uint64_t *size)
{
	int node = fdt_path_offset(fdt, "/memory");
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0), len;
	const void *reg = fdt_getprop(fdt, node, "reg", &len);

	if (node < 0 || ac < 1 || ac > 2 || sc < 1 || sc > 2 || !reg || len < 4 * (ac + sc))
		return false;
	*base = cells_at(reg, ac);
	*size = cells_at((const uint8_t *)reg + 4 * ac, sc);
	return true;
}

static bool inside(uint64_t a, uint64_t len, uint64_t base, uint64_t size)
{
	return a >= base && a + len >= a && a + len <= base + size;
}

static bool disjoint(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a + alen <= b || b + blen <= a;
}

/* Value of "key=" in the command line, or NULL; @key includes the '='. */
static const char *arg_value(const char *args, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = args; p && *p;) {
		if (strncmp(p, key, klen) == 0)
			return p + klen;
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return NULL;
}

static bool has_flag(const char *args, const char *flag)
{
	size_t len = strlen(flag);

	for (const char *p = args; p && *p;) {
		if (strncmp(p, flag, len) == 0 && (p[len] == ' ' || p[len] == '\0'))
			return true;
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return false;
}

static uint64_t parse_dec(const char *s)
{
	uint64_t v = 0;

	while (s && *s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

static void check_initrd(const void *fdt, int chosen, const char *args, uint64_t mem_base,
			 uint64_t mem_size, uint64_t self, uint64_t self_size)
{
	const void *ps, *pe;
	const char *want;
	uint64_t start, end;
	uint32_t sum;
	int ls, le;

	ps = fdt_getprop(fdt, chosen, "linux,initrd-start", &ls);
	pe = fdt_getprop(fdt, chosen, "linux,initrd-end", &le);
	want = arg_value(args, "sectest.cksum=");
	if (!ps && !pe) {
		puts_("secondary-image: no initrd\n");
		check(!want, "initrd present when sectest.cksum= asks for one");
		return;
	}
	check(ps && pe && (ls == 4 || ls == 8) && (le == 4 || le == 8),
	      "linux,initrd-start/-end are 32- or 64-bit cells");
	if (!ps || !pe || (ls != 4 && ls != 8) || (le != 4 && le != 8))
		return;
	start = cells_at(ps, ls / 4);
	end = cells_at(pe, le / 4);
	puts_("secondary-image: initrd ");
	puthex(start);
	puts_("-");
	puthex(end);
	puts_("\n");
	check(start < end && inside(start, end - start, mem_base, mem_size),
	      "initrd inside /memory");
	if (!(start < end && inside(start, end - start, mem_base, mem_size)))
		return;
	check(disjoint(start, end - start, self, self_size), "initrd clear of this image");
	check(disjoint(start, end - start, (uintptr_t)fdt, fdt_totalsize(fdt)),
	      "initrd clear of the DTB");
	sum = posix_cksum((const uint8_t *)(uintptr_t)start, end - start);
	puts_("secondary-image: initrd cksum ");
	putdec(sum);
	puts_(" ");
	putdec(end - start);
	puts_("\n");
	if (want)
		check(parse_dec(want) == sum, "initrd cksum matches sectest.cksum=");
}

void sec_main(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t self);

void sec_main(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t self)
{
	const void *fdt = (const void *)(uintptr_t)x0;
	const uint8_t *hdr = (const uint8_t *)(uintptr_t)self;
	uint64_t self_size = 0, mem_base = 0, mem_size = 0;
	const char *args;
	int chosen, len;

	/* image_size is little endian in our own header */
	for (int i = 7; i >= 0; i--)
		self_size = self_size << 8 | hdr[16 + i];

	if ((x0 & 7) || fdt_check_header(fdt) != 0)
		power_off(); /* no DTB: no console to complain on; the host sees no PASS */
	find_uart(fdt);
	find_psci(fdt);

	puts_("secondary-image: hello, x0=");
	puthex(x0);
	puts_(" x1=");
	puthex(x1);
	puts_(" x2=");
	puthex(x2);
	puts_(" x3=");
	puthex(x3);
	puts_(" loaded at ");
	puthex(self);
	puts_("\n");

	check(x1 == 0 && x2 == 0 && x3 == 0, "x1 = x2 = x3 = 0");
	check(self % SZ_2M == 0, "image at a 2 MiB aligned base + text_offset 0");
	check(fdt_totalsize(fdt) <= SZ_2M, "DTB no larger than 2 MiB");
	check(memory_range(fdt, &mem_base, &mem_size), "DTB has a /memory node");
	check(inside(x0, fdt_totalsize(fdt), mem_base, mem_size), "DTB inside /memory");
	check(inside(self, self_size, mem_base, mem_size), "image_size of room inside /memory");
	check(disjoint(x0, fdt_totalsize(fdt), self, self_size), "DTB clear of this image");
	check((read_sysreg(CurrentEL) >> 2) == 1 || (read_sysreg(CurrentEL) >> 2) == 2,
	      "entered at EL1 or EL2");
	check(!(read_sysreg(sctlr_el1) & (SCTLR_M | SCTLR_C)), "MMU and D-cache off");
	check((read_sysreg(daif) & DAIF_ALL) == DAIF_ALL, "DAIF all masked");

	chosen = fdt_path_offset(fdt, "/chosen");
	args = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (!args || len < 1 || args[len - 1] != '\0')
		args = "";
	puts_("secondary-image: bootargs=\"");
	puts_(args);
	puts_("\"\n");
	check_initrd(fdt, chosen, args, mem_base, mem_size, self, self_size);

	if (failures) {
		puts_("secondary-image: FAIL (");
		putdec(failures);
		puts_(" checks)\n");
	} else {
		puts_("secondary-image: PASS\n");
	}
	if (has_flag(args, "sectest.hang")) {
		puts_("secondary-image: hanging as asked\n");
		for (;;)
			__asm__ volatile("wfi");
	}
	power_off();
}
