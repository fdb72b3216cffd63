/* SPDX-License-Identifier: MIT */
/* What every command finds before it boots: the testrunner image and QEMU. */
#ifndef HOST_COMMANDS_LOCATE_H
#define HOST_COMMANDS_LOCATE_H

#include <limits.h>
#include <stddef.h>

#include "commands/cli.h"

/* The build's image, next to this program. */
#define LOCATE_BUILD_IMAGE "../guest/testrunner.elf"

/*
 * @image (NULL: the build's, into @buf) must be a readable file; @qemu
 * (NULL: QEMU_DEFAULT_PROGRAM) is resolved through PATH into @qbuf. On
 * failure one line is printed and -1 returned.
 */
int locate_image(const char **image, char *buf, size_t len);
int locate_qemu(const char **qemu, char *buf, size_t len);

/* What --firmware needs, every path absolute: QEMU runs in a directory of its own. */
struct firmware_paths {
	char dir[PATH_MAX], bl33[PATH_MAX], image[PATH_MAX], qemu[PATH_MAX];
};

/*
 * With o->firmware (else nothing to do): the directory must hold a readable
 * bl1.bin; o->bl33 is the raw image (o->image itself, or for an ELF the
 * .bin beside it); o->firmware, o->image and o->qemu are made absolute, in
 * @p. After locate_image and locate_qemu. On failure one line is printed
 * and -1 returned.
 */
int locate_firmware(struct options *o, struct firmware_paths *p);

#endif
