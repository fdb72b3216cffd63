/* SPDX-License-Identifier: MIT */
/* What every command finds before it boots: the testrunner image and QEMU. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands/locate.h"
#include "machine/qemu.h"
#include "system/files.h"
#include "system/proc.h"

int locate_image(const char **image, char *buf, size_t len)
{
	const char *why;

	if (!*image) {
		if (proc_exe_relative(LOCATE_BUILD_IMAGE, buf, len)) {
			fprintf(stderr, "testrunner-host: image: cannot locate the build's "
					"testrunner.elf; use --image\n");
			return -1;
		}
		*image = buf;
	}
	why = file_unreadable(*image);
	if (why) {
		fprintf(stderr, "testrunner-host: image: %s: %s\n", *image, why);
		return -1;
	}
	return 0;
}

int locate_qemu(const char **qemu, char *buf, size_t len)
{
	const char *name = *qemu ? *qemu : QEMU_DEFAULT_PROGRAM;
	int ret = proc_find_program(name, buf, len);

	if (ret) {
		fprintf(stderr, "testrunner-host: qemu: cannot execute %s: %s\n", name,
			ret == -ENOENT	 ? "not found"
			: ret == -EACCES ? "not executable"
					 : strerror(-ret));
		return -1;
	}
	*qemu = buf;
	return 0;
}
