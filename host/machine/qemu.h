/* SPDX-License-Identifier: MIT */
/* The QEMU command line of one boot. */
#ifndef HOST_QEMU_H
#define HOST_QEMU_H

#include <stdbool.h>
#include <stddef.h>

struct qemu_cfg {
	const char *qemu;	/* resolved path */
	const char *image;
	const char *memory;
	unsigned int smp;
	bool serial_stdio;	/* --verbose: serial to our stderr, no serial.log */
	bool debug;		/* -s -S */
	const char *rpmb_dev;	/* testrunner-rpmb-dev to serve rpmb0; NULL: no port */
	const char *rpmb_file;	/* its device file; NULL: a new one in the boot's directory */
	const char *const *extra;	/* --qemu-arg values */
	size_t n_extra;
};

#define QEMU_SOCK_NAME   "sock"
#define QEMU_SERIAL_NAME "serial.log"
#define QEMU_LOG_NAME    "qemu.log"
#define QEMU_RPMB_SOCK_NAME "rpmb"
#define QEMU_RPMB_DEV_NAME  "rpmb.img"	/* the temporary device */
#define QEMU_RPMB_LOG_NAME  "rpmb.log"
#define QEMU_RPMB_PORT_NAME "rpmb0"

/*
 * Build the argv for a boot whose private directory is @dir. Returns a
 * NULL-terminated array to release with qemu_argv_free(), or NULL.
 */
char **qemu_argv(const struct qemu_cfg *cfg, const char *dir);
void qemu_argv_free(char **argv);

/* QEMU option values separate fields with ',': a literal one is doubled. */
char *qemu_escape_commas(const char *s);

#endif
