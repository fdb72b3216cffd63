/* SPDX-License-Identifier: MIT */
/*
 * QEMU firmware configuration device (fw_cfg) over MMIO, DMA interface only
 * (QEMU docs/specs/fw_cfg.txt). Found from the DT node "qemu,fw-cfg-mmio".
 */
#ifndef PLATFORM_FW_CFG_H
#define PLATFORM_FW_CFG_H

#include <stddef.h>
#include <stdint.h>

#define FW_CFG_NAME_MAX 56 /* FWCfgFile.name, NUL included */

struct fw_cfg_file {
	uint32_t size;
	uint16_t select;
	char name[FW_CFG_NAME_MAX];
};

/*
 * Find the device in the DT and check that it speaks the DMA interface
 * (DMA signature and FW_CFG_ID bit 1). Returns 0, -ENODEV (no node, no
 * device behind it, no DMA interface) or -EIO.
 */
int fw_cfg_init(void);

/* Look a named item up in the file directory: 0, -ENOENT or -EIO. */
int fw_cfg_find_file(const char *name, struct fw_cfg_file *file);

/*
 * Copy bytes [offset, offset + len) of @file to @dst by DMA. Returns 0,
 * -EINVAL when the range is outside the item, or -EIO on a device error.
 */
int fw_cfg_read_file(const struct fw_cfg_file *file, uint32_t offset, void *dst, uint32_t len);

#endif
