/* SPDX-License-Identifier: MIT */
/* What every command finds before it boots: the testrunner image and QEMU. */
#ifndef HOST_COMMANDS_LOCATE_H
#define HOST_COMMANDS_LOCATE_H

#include <stddef.h>

/* The build's image, next to this program. */
#define LOCATE_BUILD_IMAGE "../guest/testrunner.elf"

/*
 * @image (NULL: the build's, into @buf) must be a readable file; @qemu
 * (NULL: QEMU_DEFAULT_PROGRAM) is resolved through PATH into @qbuf. On
 * failure one line is printed and -1 returned.
 */
int locate_image(const char **image, char *buf, size_t len);
int locate_qemu(const char **qemu, char *buf, size_t len);

#endif
