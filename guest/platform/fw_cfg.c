/* SPDX-License-Identifier: MIT */
/*
 * fw_cfg DMA driver: the secondary-OS loader pulls the kernel, initrd and
 * command line the host attached with -fw_cfg through it.
 */
#include <errno.h>
#include <string.h>

#include <libfdt.h>

#include "arch/aarch64/cache.h"
#include "arch/aarch64/io.h"
#include "platform/fw_cfg.h"
#include "platform/platform.h"

/*
 * Register offsets on ARM (fw_cfg.txt "ARM Register Locations"). The data
 * (0x00) and 16-bit selector (0x08) registers are never used: the selector
 * travels in the DMA control word, so only 32-bit accesses are needed.
 */
#define FW_CFG_REG_DMA_HI 0x10 /* DMA address, big endian, high half */
#define FW_CFG_REG_DMA_LO 0x14 /* writing the low half starts the op */
#define FW_CFG_REG_SIZE	  0x18

/* Reading the DMA address register returns "QEMU CFG" when DMA is present. */
#define FW_CFG_DMA_SIGNATURE_HI 0x51454d55u /* "QEMU" */
#define FW_CFG_DMA_SIGNATURE_LO 0x20434647u /* " CFG" */

/* Items. */
#define FW_CFG_SIGNATURE  0x0000
#define FW_CFG_ID	  0x0001
#define FW_CFG_FILE_DIR	  0x0019
#define FW_CFG_FILE_FIRST 0x0020
#define FW_CFG_ID_DMA	  (1u << 1)

/* FWCfgDmaAccess.control bits; the selector goes in the upper 16 bits. */
#define FW_CFG_DMA_ERROR  (1u << 0)
#define FW_CFG_DMA_READ	  (1u << 1)
#define FW_CFG_DMA_SKIP	  (1u << 2)
#define FW_CFG_DMA_SELECT (1u << 3)

/*
 * QEMU completes a DMA operation before the triggering write returns, but the
 * spec allows asynchronous completion: poll, bounded.
 */
#define FW_CFG_DMA_POLL_MAX 100000000u
/* QEMU's own limit on file slots (FW_CFG_FILE_SLOTS max is 0x4000 items). */
#define FW_CFG_DIR_MAX 0x4000u

struct fw_cfg_dma_access {
	uint32_t control; /* all fields big endian */
	uint32_t length;
	uint64_t address;
};

struct fw_cfg_dir_entry {
	uint32_t size;	 /* big endian */
	uint16_t select; /* big endian */
	uint16_t reserved;
	char name[FW_CFG_NAME_MAX];
};

static uintptr_t fw_cfg_base;
static bool fw_cfg_coherent;
static struct fw_cfg_dma_access dma_access __attribute__((aligned(64)));

/*
 * One DMA operation: @control (READ or SKIP, maybe SELECT|key) of @len bytes
 * to @buf. The device writes RAM directly; when the DT does not say the
 * device is dma-coherent, the buffer is cleaned and invalidated around it.
 */
static int dma_op(uint32_t control, void *buf, uint32_t len)
{
	uintptr_t desc = (uintptr_t)&dma_access;
	uint32_t ctl;
	uint32_t n;

	if (!fw_cfg_base)
		return -ENODEV;
	dma_access.control = __builtin_bswap32(control);
	dma_access.length = __builtin_bswap32(len);
	dma_access.address = __builtin_bswap64((uintptr_t)buf);
	if (!fw_cfg_coherent) {
		dcache_clean_inval_poc(desc, sizeof(dma_access));
		if (buf && len)
			dcache_clean_inval_poc((uintptr_t)buf, len);
	}
	/* the descriptor must be in memory before the device is told about it */
	dsb(sy);
	mmio_write32(fw_cfg_base + FW_CFG_REG_DMA_HI,
		     __builtin_bswap32((uint32_t)((uint64_t)desc >> 32)));
	mmio_write32(fw_cfg_base + FW_CFG_REG_DMA_LO, __builtin_bswap32((uint32_t)desc));

	for (n = 0; n < FW_CFG_DMA_POLL_MAX; n++) {
		if (!fw_cfg_coherent)
			dcache_clean_inval_poc(desc, sizeof(dma_access));
		ctl = __builtin_bswap32(*(volatile uint32_t *)&dma_access.control);
		if ((ctl & ~FW_CFG_DMA_ERROR) == 0)
			break;
	}
	/* no read of the data may be satisfied before the device finished */
	dsb(sy);
	if (n == FW_CFG_DMA_POLL_MAX)
		return -ETIMEDOUT;
	if (ctl & FW_CFG_DMA_ERROR)
		return -EIO;
	if (!fw_cfg_coherent && buf && len)
		dcache_clean_inval_poc((uintptr_t)buf, len);
	return 0;
}

static int read_item(uint16_t key, void *buf, uint32_t len)
{
	return dma_op((uint32_t)key << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, buf, len);
}

int fw_cfg_init(void)
{
	uint64_t base, size;
	uint32_t sig_hi, sig_lo;
	uint8_t id[4] = { 0 }; /* FW_CFG_ID is a little-endian 32-bit bitmap */
	char sig[4];
	int node, ret;

	node = dt_find_compatible(-1, "qemu,fw-cfg-mmio");
	if (node < 0)
		return -ENODEV;
	ret = dt_reg(node, 0, &base, &size);
	if (ret < 0)
		return ret;
	if (size < FW_CFG_REG_SIZE)
		return -ENODEV;
	fw_cfg_coherent = dt_getprop(node, "dma-coherent", NULL) != NULL;

	/* the register is big endian: swap what the little-endian load saw */
	sig_hi = __builtin_bswap32(mmio_read32(base + FW_CFG_REG_DMA_HI));
	sig_lo = __builtin_bswap32(mmio_read32(base + FW_CFG_REG_DMA_LO));
	if (sig_hi != FW_CFG_DMA_SIGNATURE_HI || sig_lo != FW_CFG_DMA_SIGNATURE_LO)
		return -ENODEV;

	fw_cfg_base = base;
	ret = read_item(FW_CFG_SIGNATURE, sig, sizeof(sig));
	if (ret == 0)
		ret = read_item(FW_CFG_ID, id, sizeof(id));
	if (ret < 0 || memcmp(sig, "QEMU", 4) != 0 || !(id[0] & FW_CFG_ID_DMA)) {
		fw_cfg_base = 0;
		return ret < 0 ? ret : -ENODEV;
	}
	return 0;
}

int fw_cfg_find_file(const char *name, struct fw_cfg_file *file)
{
	struct fw_cfg_dir_entry e __attribute__((aligned(8)));
	uint32_t count, i;
	int ret;

	ret = read_item(FW_CFG_FILE_DIR, &count, sizeof(count));
	if (ret < 0)
		return ret;
	count = __builtin_bswap32(count);
	if (count > FW_CFG_DIR_MAX)
		return -EIO;
	for (i = 0; i < count; i++) {
		/* entries follow one another: read on from the current offset */
		ret = dma_op(FW_CFG_DMA_READ, &e, sizeof(e));
		if (ret < 0)
			return ret;
		e.name[FW_CFG_NAME_MAX - 1] = '\0';
		if (strcmp(e.name, name) != 0)
			continue;
		file->size = __builtin_bswap32(e.size);
		file->select = __builtin_bswap16(e.select);
		if (file->select < FW_CFG_FILE_FIRST)
			return -EIO;
		memcpy(file->name, e.name, sizeof(file->name));
		return 0;
	}
	return -ENOENT;
}

int fw_cfg_read_file(const struct fw_cfg_file *file, uint32_t offset, void *dst, uint32_t len)
{
	int ret;

	if (offset > file->size || len > file->size - offset)
		return -EINVAL;
	ret = dma_op((uint32_t)file->select << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_SKIP, NULL,
		     offset);
	if (ret < 0 || len == 0)
		return ret;
	return dma_op(FW_CFG_DMA_READ, dst, len);
}
