/* SPDX-License-Identifier: MIT */
/* What every command finds before it boots: the testrunner image and QEMU. */
#include <errno.h>
#include <stdarg.h>
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

__attribute__((format(printf, 1, 2))) static int firmware_err(const char *fmt, ...)
{
	va_list ap;

	fputs("testrunner-host: --firmware: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* The raw image TF-A copies to memory: the image itself, or the .bin beside an ELF. */
static int find_bl33(const char *image, char *out, size_t len)
{
	size_t n = strlen(image);
	int elf = file_is_elf(image), ret;
	char bin[PATH_MAX];

	if (elf < 0)
		return firmware_err("%s: %s", image, strerror(-elf));
	if (elf) {
		/* testrunner.elf -> testrunner.bin */
		if (n > 4 && !strcmp(image + n - 4, ".elf"))
			n -= 4;
		if ((size_t)snprintf(bin, sizeof(bin), "%.*s.bin", (int)n, image) >= sizeof(bin))
			return firmware_err("%s: path too long", image);
		if (file_unreadable(bin))
			return firmware_err("%s is an ELF and there is no %s beside it: TF-A loads "
					    "the raw image (give the .bin with --image)",
					    image, strrchr(bin, '/') ? strrchr(bin, '/') + 1 : bin);
		image = bin;
	}
	ret = file_absolute(image, out, len);
	return ret ? firmware_err("%s: %s", image, strerror(-ret)) : 0;
}

int locate_firmware(struct options *o, struct firmware_paths *p)
{
	char bl1[PATH_MAX];
	const char *why;
	int ret;

	if (!o->firmware)
		return 0;
	why = file_dir_unlistable(o->firmware);
	if (why)
		return firmware_err("%s: %s", o->firmware, why);
	if ((size_t)snprintf(bl1, sizeof(bl1), "%s/" QEMU_FIRMWARE_BL1, o->firmware) >= sizeof(bl1))
		return firmware_err("%s: path too long", o->firmware);
	why = file_unreadable(bl1);
	if (why)
		return firmware_err("%s: %s", bl1, why);
	if (find_bl33(o->image, p->bl33, sizeof(p->bl33)))
		return -1;
	/* QEMU runs elsewhere: every path it is given must be absolute */
	ret = file_absolute(o->firmware, p->dir, sizeof(p->dir));
	if (!ret)
		ret = file_absolute(o->image, p->image, sizeof(p->image));
	if (!ret)
		ret = file_absolute(o->qemu, p->qemu, sizeof(p->qemu));
	if (ret)
		return firmware_err("making paths absolute: %s", strerror(-ret));
	o->firmware = p->dir;
	o->image = p->image;
	o->qemu = p->qemu;
	o->bl33 = p->bl33;
	return 0;
}
