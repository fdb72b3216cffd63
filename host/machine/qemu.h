/* SPDX-License-Identifier: MIT */
/* The QEMU command line of one boot. */
#ifndef HOST_QEMU_H
#define HOST_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The machine both `run` and `boot` start unless told otherwise. */
#define QEMU_DEFAULT_PROGRAM "qemu-system-aarch64"
#define QEMU_DEFAULT_MEMORY  "256M"
#define QEMU_DEFAULT_SMP     1

/* Files the guest finds by name in fw_cfg (-fw_cfg name=...,file=...). */
struct qemu_fw_cfg {
	const char *name;
	const char *file;
};
#define QEMU_FW_CFG_MAX 4

struct qemu_cfg {
	const char *qemu; /* resolved path */
	const char *image;
	const char *memory;
	unsigned int smp;
	bool serial_stdio; /* the UART on QEMU's stdout, no serial.log */
	bool debug;	   /* -s -S */
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

/* QEMU option values separate fields with ',': a literal one is doubled. */
char *qemu_escape_commas(const char *s);

#endif
