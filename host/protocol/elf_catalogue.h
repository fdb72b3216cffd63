/* SPDX-License-Identifier: MIT */
/*
 * The catalogue read out of an ELF image (testrunner/catalogue.h's
 * proto_elf_layout), so that listing the tests needs no boot. The file is
 * input like any other: every offset, size, address and string is checked.
 */
#ifndef HOST_ELF_CATALOGUE_H
#define HOST_ELF_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <testrunner/catalogue.h>

/* Room for any reason elf_catalogue_read gives: two names and two source paths. */
#define ELF_CATALOGUE_WHY_MAX (2 * PROTO_NAME_MAX + 2 * PROTO_CATALOGUE_FILE_MAX + 64)

/* @len bytes at @off of the file into @buf: 0, or a negative errno (-ENODATA: past its end). */
typedef int (*elf_read_fn)(void *ctx, uint64_t off, void *buf, size_t len);

struct elf_test {
	const char *suite, *test_case;
	const char *name; /* "suite.case" */
	const char *file; /* source file, as the guest's compiler saw it */
	uint32_t timeout_s;
	uint32_t cpus;
	bool manual;
};

/*
 * Called once per test in catalogue order, its strings valid during the call;
 * nonzero (a negative errno) stops the walk.
 */
typedef int (*elf_test_fn)(void *ctx, const struct elf_test *t);

/*
 * Walk the catalogue of the ELF file @read reads. Returns 0; -ENOENT when the
 * file has no catalogue layout (not an ELF image of ours: the guest must be
 * asked); -ENOEXEC with @why saying what is wrong with the file; or what @fn
 * or @read returned.
 */
int elf_catalogue_read(elf_read_fn read, void *read_ctx, elf_test_fn fn, void *fn_ctx, char *why,
		       size_t whylen);

#endif /* HOST_ELF_CATALOGUE_H */
