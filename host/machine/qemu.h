/* SPDX-License-Identifier: MIT */
/* The QEMU command line of one boot. */
#ifndef HOST_QEMU_H
#define HOST_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* The machine both `run` and `boot` start unless told otherwise. */
#define QEMU_DEFAULT_PROGRAM "qemu-system-aarch64"
#define QEMU_DEFAULT_MEMORY  "256M"
#define QEMU_DEFAULT_SMP     1

/*
 * --firmware: Trusted Firmware-A's way (as Trusty's QEMU build runs it).
 * TF-A's BL1 loads the other images by semihosting from QEMU's working
 * directory, BL33 (the testrunner) raw at 0x60000000: 512 MiB into RAM.
 */
#define QEMU_FIRMWARE_MACHINE	 "virt,secure=on,virtualization=on"
#define QEMU_FIRMWARE_MEMORY	 "1G"
#define QEMU_FIRMWARE_MEMORY_MIB 1024
#define QEMU_FIRMWARE_BL1	 "bl1.bin"
#define QEMU_FIRMWARE_BL33	 "bl33.bin"
#define QEMU_FIRMWARE_BL33_ADDR	 0x60000000ULL

/* Files the guest finds by name in fw_cfg (-fw_cfg name=...,file=...). */
struct qemu_fw_cfg {
	const char *name;
	const char *file;
};
#define QEMU_FW_CFG_MAX 4

struct qemu_cfg {
	const char *qemu; /* resolved path */
	const char *image;
	/*
	 * TF-A's images (an absolute directory holding bl1.bin): QEMU runs with
	 * -bios <it>/bl1.bin in QEMU_FIRMWARE_CWD, where its bl*.bin are linked
	 * and @bl33 (absolute, a raw image) is bl33.bin; no -kernel. NULL: none.
	 */
	const char *firmware, *bl33;
	bool show_secure_serial; /* firmware: the secure UART's log on stderr after the boot */
	const char *memory;
	unsigned int smp;
	bool serial_stdio; /* the UART on QEMU's stdout, no serial.log */
	bool reset;	   /* no -no-reboot: a guest reset starts the next boot (session_next) */
	bool debug;	   /* halted (-S) with a gdb stub on 127.0.0.1:gdb_port */
	unsigned int gdb_port;
	struct qemu_fw_cfg fw_cfg[QEMU_FW_CFG_MAX];
	size_t n_fw_cfg;
	const char *rpmb_dev;	  /* testrunner-rpmb-dev to serve rpmb0; NULL: no port */
	const char *rpmb_file;	  /* its device file; NULL: a new one in the boot's directory */
	const char *const *extra; /* --qemu-arg values */
	size_t n_extra;
};

#define QEMU_SOCK_NAME	    "sock"
#define QEMU_SERIAL_NAME    "serial.log"
#define QEMU_LOG_NAME	    "qemu.log"
#define QEMU_RPMB_SOCK_NAME "rpmb"
#define QEMU_RPMB_DEV_NAME  "rpmb.img" /* the temporary device */
#define QEMU_RPMB_LOG_NAME  "rpmb.log"
#define QEMU_FIRMWARE_CWD   "firmware"	 /* QEMU's working directory with --firmware */
#define QEMU_SECURE_SERIAL  "secure.log" /* the secure world's UART (the second -serial) */
#define QEMU_SECURE_PREFIX  "secure: "	 /* its lines as shown on stderr */

/*
 * Build the argv for a boot whose private directory is @dir. Returns a
 * NULL-terminated array to release with qemu_argv_free(), or NULL.
 */
char **qemu_argv(const struct qemu_cfg *cfg, const char *dir);
void qemu_argv_free(char **argv);

/*
 * Start QEMU for the boot in @dir: its own output to <dir>/qemu.log (unless
 * cfg->serial_stdio); with @serial_pipe, its stdout (the UART) to a pipe
 * whose non-blocking read end is *serial_fd (else -1). 0 or -errno.
 */
int qemu_start(const struct qemu_cfg *cfg, const char *dir, bool serial_pipe, pid_t *pid,
	       int *serial_fd);

/*
 * cfg->firmware: QEMU's working directory <dir>/QEMU_FIRMWARE_CWD into @cwd,
 * with a symlink to each bl*.bin of cfg->firmware but its bl33.bin, and
 * bl33.bin to cfg->bl33. 0 or -errno.
 */
int qemu_stage_firmware(const struct qemu_cfg *cfg, const char *dir, char *cwd, size_t len);

/* The end of the secure UART's log in @dir, each line QEMU_SECURE_PREFIXed, to @f. */
void qemu_show_secure_serial(const char *dir, FILE *f);

/* QEMU option values separate fields with ',': a literal one is doubled. */
char *qemu_escape_commas(const char *s);

#endif
