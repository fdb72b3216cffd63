/* SPDX-License-Identifier: MIT */
/*
 * PL011 early console, polled, found from /chosen/stdout-path or the first
 * "arm,pl011" node; also the C library's stdout/stderr so printf works.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "arch/aarch64/io.h"
#include "platform/internal.h"
#include "platform/platform.h"

/* PL011 TRM (ARM DDI 0183) register offsets and bits. */
#define UARTDR	      0x00
#define UARTFR	      0x18
#define UARTCR	      0x30
#define UARTFR_TXFF   (1U << 5)
#define UARTCR_UARTEN (1U << 0)
#define UARTCR_TXE    (1U << 8)

/* Bounded wait for FIFO room: a wedged UART must not hang the guest. */
#define TX_SPIN_MAX 1000000

static uintptr_t uart_base;

static bool node_is_pl011(int node)
{
	return node >= 0 && dt_check_compatible(node, "arm,pl011") == 0;
}

/* /chosen/stdout-path is "path[:options]" or an alias. */
static int stdout_node(void)
{
	char path[128];
	const char *sp;
	size_t n;
	int chosen;

	chosen = dt_path_offset("/chosen");
	if (chosen < 0)
		return chosen;
	sp = dt_string(chosen, "stdout-path");
	if (!sp)
		return -FDT_ERR_NOTFOUND;
	n = strcspn(sp, ":");
	if (n >= sizeof(path))
		return -FDT_ERR_BADPATH;
	memcpy(path, sp, n);
	path[n] = '\0';
	return dt_path_offset(path);
}

int uart_init(void)
{
	const void *fdt = dt_blob();
	uint64_t base, size;
	uint32_t cr;
	int node, ret;

	if (!fdt)
		return -ENODEV;
	node = stdout_node();
	if (!node_is_pl011(node))
		node = dt_find_compatible(-1, "arm,pl011");
	if (node < 0)
		return -ENODEV;
	ret = dt_reg(node, 0, &base, &size);
	if (ret < 0)
		return ret;
	if (size < 0x1000)
		return -EINVAL;
	/* Firmware normally leaves it on; make sure TX is enabled either way. */
	cr = mmio_read32(base + UARTCR);
	if ((cr & (UARTCR_UARTEN | UARTCR_TXE)) != (UARTCR_UARTEN | UARTCR_TXE))
		mmio_write32(base + UARTCR, cr | UARTCR_UARTEN | UARTCR_TXE);
	uart_base = base;
	return 0;
}

static void uart_putc(char c)
{
	unsigned int spins = 0;

	while ((mmio_read32(uart_base + UARTFR) & UARTFR_TXFF) && spins < TX_SPIN_MAX)
		spins++;
	mmio_write32(uart_base + UARTDR, (uint8_t)c);
}

void uart_write(const char *buf, size_t len)
{
	size_t i;

	if (!uart_base)
		return;
	for (i = 0; i < len; i++)
		uart_putc(buf[i]);
}

void uart_puts(const char *s)
{
	uart_write(s, strlen(s));
}

static int stdio_put(char c, FILE *f)
{
	(void)f;
	if (!uart_base)
		return EOF;
	uart_putc(c);
	return (unsigned char)c;
}

static FILE uart_stdio = FDEV_SETUP_STREAM(stdio_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &uart_stdio;
FILE *const stderr = &uart_stdio;
