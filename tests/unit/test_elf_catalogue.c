/* SPDX-License-Identifier: MIT */
/* The catalogue read out of an ELF image: a well-formed one, and hostile files. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <testrunner/catalogue.h>

#include "protocol/elf_catalogue.h"

#define ENTRY	   48 /* the guest's struct boot_test */
#define MAX_TESTS  (PROTO_CATALOGUE_TESTS_MAX + 2)
#define RODATA_VA  0x40213000ULL
#define SEC_NAMES  1
#define SEC_RODATA 2
#define SEC_TESTS  3
#define SEC_LAYOUT 4
#define N_SECTIONS 5

/* An image as the guest's link lays it out, small enough to build here. */
struct image {
	uint8_t bytes[MAX_TESTS * ENTRY + 64 * 1024];
	size_t len;
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
	uint8_t *tests;
	struct proto_elf_layout *layout;
	char *rodata;
	size_t rodata_len;
	size_t n_tests;
};

static struct image img;

static uint64_t add_string(const char *s)
{
	uint64_t va = RODATA_VA + img.rodata_len;

	strcpy(img.rodata + img.rodata_len, s);
	img.rodata_len += strlen(s) + 1;
	img.sh[SEC_RODATA].sh_size = img.rodata_len;
	return va;
}

static void put(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t *add_test(const char *suite, const char *name, const char *file, uint32_t timeout_s,
			 uint16_t cpus, bool manual)
{
	uint8_t *e = img.tests + img.n_tests++ * ENTRY;

	put(e + 0, add_string(suite), 8);
	put(e + 8, add_string(name), 8);
	put(e + 24, add_string(file), 8);
	put(e + 40, timeout_s, 4);
	put(e + 44, cpus, 2);
	e[46] = manual;
	img.sh[SEC_TESTS].sh_size = img.n_tests * ENTRY;
	return e;
}

/* Header, section headers, names, .rodata (4 KiB), the layout, then .boot_tests. */
static void build(void)
{
	static const char names[] =
		"\0.shstrtab\0.rodata\0" PROTO_ELF_TESTS_SECTION "\0" PROTO_ELF_LAYOUT_SECTION;
	size_t off = sizeof(Elf64_Ehdr);

	memset(&img, 0, sizeof(img));
	img.eh = (Elf64_Ehdr *)img.bytes;
	memcpy(img.eh->e_ident, ELFMAG, SELFMAG);
	img.eh->e_ident[EI_CLASS] = ELFCLASS64;
	img.eh->e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh->e_machine = EM_AARCH64;
	img.eh->e_shoff = off;
	img.eh->e_shentsize = sizeof(Elf64_Shdr);
	img.eh->e_shnum = N_SECTIONS;
	img.eh->e_shstrndx = SEC_NAMES;
	img.sh = (Elf64_Shdr *)(img.bytes + off);
	off += N_SECTIONS * sizeof(Elf64_Shdr);

	img.sh[SEC_NAMES] = (Elf64_Shdr){
		.sh_name = 1, .sh_type = SHT_STRTAB, .sh_offset = off, .sh_size = sizeof(names)
	};
	memcpy(img.bytes + off, names, sizeof(names));
	off += (sizeof(names) + 7) & ~(size_t)7; /* the headers' alignment, as a linker keeps it */

	img.sh[SEC_RODATA] = (Elf64_Shdr){ .sh_name = 11,
					   .sh_type = SHT_PROGBITS,
					   .sh_flags = SHF_ALLOC,
					   .sh_addr = RODATA_VA,
					   .sh_offset = off };
	img.rodata = (char *)img.bytes + off;
	off += 4096;

	img.sh[SEC_LAYOUT] = (Elf64_Shdr){ .sh_name = 19 + sizeof(PROTO_ELF_TESTS_SECTION),
					   .sh_type = SHT_PROGBITS,
					   .sh_offset = off,
					   .sh_size = sizeof(struct proto_elf_layout) };
	img.layout = (struct proto_elf_layout *)(img.bytes + off);
	*img.layout = (struct proto_elf_layout){ .magic = PROTO_ELF_LAYOUT_MAGIC,
						 .version = PROTO_ELF_LAYOUT_VERSION,
						 .entry_size = ENTRY,
						 .suite = 0,
						 .name = 8,
						 .file = 24,
						 .timeout_s = 40,
						 .cpus = 44,
						 .manual = 46 };
	off += 64;

	img.sh[SEC_TESTS] = (Elf64_Shdr){ .sh_name = 19,
					  .sh_type = SHT_PROGBITS,
					  .sh_flags = SHF_ALLOC,
					  .sh_addr = 0x40218000,
					  .sh_offset = off };
	img.tests = img.bytes + off;
	img.len = off + MAX_TESTS * ENTRY;
}

static int read_image(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct image *i = ctx;

	if (off > i->len || len > i->len - off)
		return -ENODATA;
	memcpy(buf, i->bytes + off, len);
	return 0;
}

struct seen {
	char names[4][PROTO_NAME_MAX], suites[4][PROTO_NAME_MAX], cases[4][PROTO_NAME_MAX];
	struct elf_test t[4];
	size_t n;
	int stop_with;
};

static int collect(void *ctx, const struct elf_test *t)
{
	struct seen *s = ctx;

	if (s->stop_with)
		return s->stop_with;
	if (s->n < 4) {
		/* the strings last only as long as the call */
		strcpy(s->names[s->n], t->name);
		strcpy(s->suites[s->n], t->suite);
		strcpy(s->cases[s->n], t->test_case);
		s->t[s->n] = *t;
	}
	s->n++;
	return 0;
}

static int walk(struct seen *s, char *why, size_t whylen)
{
	return elf_catalogue_read(read_image, &img, collect, s, why, whylen);
}

static void test_reads_every_test_and_its_options(void **state)
{
	struct seen s = { 0 };
	char why[ELF_CATALOGUE_WHY_MAX];

	(void)state;
	build();
	add_test("fixture", "pass", "guest/tests/fixture.c", 0, 0, false);
	add_test("selftest", "smp", "guest/tests/smp dir/x.c", 30, 4, false);
	add_test("selftest", "timer", "t.c", 0, 0, true);
	assert_int_equal(walk(&s, why, sizeof(why)), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.names[0], "fixture.pass");
	assert_string_equal(s.suites[0], "fixture");
	assert_string_equal(s.cases[0], "pass");
	assert_string_equal(s.names[1], "selftest.smp");
	assert_int_equal(s.t[1].timeout_s, 30);
	assert_int_equal(s.t[1].cpus, 4);
	assert_false(s.t[1].manual);
	assert_true(s.t[2].manual);
	/* an image with no test at all: an empty catalogue */
	build();
	s.n = 0;
	assert_int_equal(walk(&s, why, sizeof(why)), 0);
	assert_int_equal(s.n, 0);
	/* what the callback says stops the walk */
	add_test("a", "b", "f.c", 0, 0, false);
	s.stop_with = -ENOMEM;
	assert_int_equal(walk(&s, why, sizeof(why)), -ENOMEM);
}

/* Not an image of ours: the guest must be asked. */
static void test_no_layout_means_ask_the_guest(void **state)
{
	struct seen s = { 0 };
	char why[ELF_CATALOGUE_WHY_MAX];

	(void)state;
	build();
	img.sh[SEC_LAYOUT].sh_name = 0;
	assert_int_equal(walk(&s, why, sizeof(why)), -ENOENT);
	build();
	memcpy(img.bytes, "MZ\0\0", 4); /* a raw arm64 Image starts with code */
	assert_int_equal(walk(&s, why, sizeof(why)), -ENOENT);
	build();
	img.eh->e_machine = EM_X86_64;
	assert_int_equal(walk(&s, why, sizeof(why)), -ENOENT);
	build();
	img.len = 20; /* shorter than an ELF header */
	assert_int_equal(walk(&s, why, sizeof(why)), -ENOENT);
	assert_int_equal(s.n, 0);
}

static void expect_bad(const char *words)
{
	struct seen s = { 0 };
	char why[ELF_CATALOGUE_WHY_MAX];

	assert_int_equal(walk(&s, why, sizeof(why)), -ENOEXEC);
	if (!strstr(why, words))
		fail_msg("'%s' does not say '%s'", why, words);
}

static void test_hostile_headers_and_layout(void **state)
{
	(void)state;
	build();
	img.eh->e_shnum = 60000;
	expect_bad("section headers");
	build();
	img.eh->e_shstrndx = N_SECTIONS;
	expect_bad("section headers");
	build();
	img.eh->e_shoff = img.len - 10;
	expect_bad("past the end");
	build();
	img.sh[SEC_NAMES].sh_size = 1 << 20;
	expect_bad("section names");
	build();
	img.layout->magic[0] = 'X';
	expect_bad("layout version");
	build();
	img.layout->version = 2;
	expect_bad("layout version");
	build();
	img.sh[SEC_LAYOUT].sh_size = 8;
	expect_bad(PROTO_ELF_LAYOUT_SECTION);
	build();
	img.layout->entry_size = 4;
	expect_bad("outside");
	build();
	img.layout->manual = ENTRY;
	expect_bad("outside");
	build();
	img.layout->file = ENTRY - 7;
	expect_bad("outside");
	build();
	img.layout->entry_size = 1 << 20;
	expect_bad("outside");
}

static void test_hostile_tests(void **state)
{
	uint8_t *e;

	(void)state;
	build();
	add_test("a", "b", "f.c", 0, 0, false);
	img.sh[SEC_TESTS].sh_size = ENTRY + 5;
	expect_bad("whole number");
	build();
	e = add_test("a", "b", "f.c", 0, 0, false);
	put(e + 8, 0x1000, 8); /* points nowhere in the image */
	expect_bad("not in the image");
	build();
	e = add_test("a", "b", "f.c", 0, 0, false);
	put(e + 24, RODATA_VA + 4096, 8); /* just past .rodata */
	expect_bad("not in the image");
	build();
	add_test("a", "b", "f.c", 0, 0, false);
	memset(img.rodata, 'x', 4096); /* no NUL before the section ends */
	img.sh[SEC_RODATA].sh_size = 4096;
	expect_bad("no end");
	build();
	add_test("suite_with_a_long_name_xxxxxxxxxxxxx", "case_with_a_long_name_xxxxxxxxxxxxx",
		 "f.c", 0, 0, false);
	expect_bad("longer than");
	build();
	add_test("b", "a", "f.c", 0, 0, false);
	add_test("a", "b", "f.c", 0, 0, false);
	expect_bad("not sorted: a.b after b.a");
	build();
	add_test("a", "b", "f.c", 0, 0, false);
	add_test("a", "b", "g.c", 0, 0, false);
	expect_bad("a.b is defined twice: f.c, g.c");
	build();
	img.sh[SEC_TESTS].sh_size = (PROTO_CATALOGUE_TESTS_MAX + 1) * ENTRY;
	expect_bad("more than");
	build();
	img.sh[SEC_TESTS].sh_offset = UINT64_MAX - 8;
	img.sh[SEC_TESTS].sh_size = ENTRY;
	expect_bad("past the end");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_every_test_and_its_options),
		cmocka_unit_test(test_no_layout_means_ask_the_guest),
		cmocka_unit_test(test_hostile_headers_and_layout),
		cmocka_unit_test(test_hostile_tests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
