/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: an ELF image's catalogue (host/protocol/elf_catalogue.c) read
 * out of any bytes. It must answer 0, -ENOENT or -ENOEXEC, read nothing
 * outside the file, and hand over only what the guest could have sent:
 * valid, sorted, unique names, paths within their limit.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <testrunner/catalogue.h>
#include <testrunner/protocol.h>

#include "protocol/elf_catalogue.h"

struct file {
	const uint8_t *data;
	size_t len;
};

static int read_file(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct file *f = ctx;

	if (off > f->len || len > f->len - off)
		return -ENODATA;
	memcpy(buf, f->data + off, len);
	return 0;
}

struct seen {
	char prev[PROTO_NAME_MAX];
	size_t n;
};

static int check_test(void *ctx, const struct elf_test *t)
{
	struct seen *s = ctx;
	size_t len = strlen(t->name);

	if (len >= PROTO_NAME_MAX || strlen(t->file) > PROTO_CATALOGUE_FILE_MAX ||
	    strlen(t->suite) + 1 + strlen(t->test_case) != len ||
	    (s->n && strcmp(s->prev, t->name) >= 0) || s->n >= PROTO_CATALOGUE_TESTS_MAX)
		__builtin_trap();
	memcpy(s->prev, t->name, len + 1);
	s->n++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct file f = { data, size };
	struct seen s = { .n = 0 };
	char why[ELF_CATALOGUE_WHY_MAX];
	int ret = elf_catalogue_read(read_file, &f, check_test, &s, why, sizeof(why));

	if (ret != 0 && ret != -ENOENT && ret != -ENOEXEC && ret != -ENOMEM)
		__builtin_trap();
	if (ret == -ENOEXEC && !why[0])
		__builtin_trap();
	return 0;
}
