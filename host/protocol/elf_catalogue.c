/* SPDX-License-Identifier: MIT */
/* The catalogue read out of an ELF image's .boot_tests, through its own layout record. */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testrunner/catalogue.h>
#include <testrunner/protocol.h>

#include "protocol/elf_catalogue.h"

/* More sections than any image of ours has (26): a bound on what is read. */
#define ELF_SECTIONS_MAX 1024
#define ELF_SHSTRTAB_MAX (64 * 1024)

struct elf_file {
	elf_read_fn read;
	void *ctx;
	Elf64_Shdr *sh;
	unsigned int n_sh, shstrndx;
	char *why;
	size_t whylen;
};

static int bad(struct elf_file *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct elf_file *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->why, f->whylen, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

static int read_at(struct elf_file *f, uint64_t off, void *buf, size_t len, const char *what)
{
	int ret = f->read(f->ctx, off, buf, len);

	return ret == -ENODATA ? bad(f, "%s lies past the end of the file", what) : ret;
}

/* A section's bytes, at most @max, into a malloc'd buffer with a NUL after them. */
static int section_bytes(struct elf_file *f, const Elf64_Shdr *s, uint64_t max, const char *what,
			 char **out)
{
	char *buf;
	int ret;

	if (s->sh_type == SHT_NOBITS || s->sh_size > max)
		return bad(f, "%s: %llu bytes, or none in the file", what,
			   (unsigned long long)s->sh_size);
	buf = malloc(s->sh_size + 1);
	if (!buf)
		return -ENOMEM;
	ret = read_at(f, s->sh_offset, buf, s->sh_size, what);
	if (ret) {
		free(buf);
		return ret;
	}
	buf[s->sh_size] = '\0';
	*out = buf;
	return 0;
}

static int read_headers(struct elf_file *f)
{
	Elf64_Ehdr eh;
	int ret = f->read(f->ctx, 0, &eh, sizeof(eh));

	if (ret == -ENODATA)
		return -ENOENT; /* shorter than an ELF header: a raw image */
	if (ret)
		return ret;
	/* a raw image, or not an arm64 ELF: nothing of ours to read */
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_AARCH64)
		return -ENOENT;
	if (eh.e_shentsize != sizeof(Elf64_Shdr) || !eh.e_shnum || eh.e_shnum > ELF_SECTIONS_MAX ||
	    eh.e_shstrndx >= eh.e_shnum)
		return bad(f, "%u section headers of %u bytes, their names in section %u",
			   eh.e_shnum, eh.e_shentsize, eh.e_shstrndx);
	f->sh = calloc(eh.e_shnum, sizeof(*f->sh));
	if (!f->sh)
		return -ENOMEM;
	f->n_sh = eh.e_shnum;
	f->shstrndx = eh.e_shstrndx;
	return read_at(f, eh.e_shoff, f->sh, eh.e_shnum * sizeof(*f->sh), "the section headers");
}

/* The layout section and the tests' section (NULL when the image has no test). */
static int find_sections(struct elf_file *f, const Elf64_Shdr **layout, const Elf64_Shdr **tests)
{
	char *names = NULL;
	int ret = section_bytes(f, &f->sh[f->shstrndx], ELF_SHSTRTAB_MAX, "the section names",
				&names);

	if (ret)
		return ret;
	*layout = *tests = NULL;
	for (unsigned int i = 0; i < f->n_sh; i++) {
		const char *name = f->sh[i].sh_name < f->sh[f->shstrndx].sh_size
					   ? names + f->sh[i].sh_name
					   : "";

		if (!strcmp(name, PROTO_ELF_LAYOUT_SECTION))
			*layout = &f->sh[i];
		else if (!strcmp(name, PROTO_ELF_TESTS_SECTION))
			*tests = &f->sh[i];
	}
	free(names);
	return *layout ? 0 : -ENOENT;
}

static int read_layout(struct elf_file *f, const Elf64_Shdr *s, struct proto_elf_layout *l)
{
	int ret;

	if (s->sh_type == SHT_NOBITS || s->sh_size < sizeof(*l))
		return bad(f, PROTO_ELF_LAYOUT_SECTION ": %llu bytes",
			   (unsigned long long)s->sh_size);
	ret = read_at(f, s->sh_offset, l, sizeof(*l), PROTO_ELF_LAYOUT_SECTION);
	if (ret)
		return ret;
	if (memcmp(l->magic, PROTO_ELF_LAYOUT_MAGIC, sizeof(l->magic)) ||
	    l->version != PROTO_ELF_LAYOUT_VERSION)
		return bad(f, PROTO_ELF_LAYOUT_SECTION ": not layout version %d",
			   PROTO_ELF_LAYOUT_VERSION);
	/* each field within an entry, the entry no larger than a page */
	if (l->entry_size < 8 || l->entry_size > 4096 || l->suite > l->entry_size - 8 ||
	    l->name > l->entry_size - 8 || l->file > l->entry_size - 8 ||
	    l->timeout_s > l->entry_size - 4 || l->cpus > l->entry_size - 2 ||
	    l->manual > l->entry_size - 1)
		return bad(f, PROTO_ELF_LAYOUT_SECTION ": a field outside the %u-byte entry",
			   l->entry_size);
	return 0;
}

/* The NUL-terminated string at link address @addr, at most @max bytes, into @out. */
static int string_at(struct elf_file *f, uint64_t addr, char *out, size_t max, const char *what)
{
	for (unsigned int i = 0; i < f->n_sh; i++) {
		const Elf64_Shdr *s = &f->sh[i];
		uint64_t room;
		int ret;

		if (!(s->sh_flags & SHF_ALLOC) || s->sh_type == SHT_NOBITS || addr < s->sh_addr ||
		    addr - s->sh_addr >= s->sh_size)
			continue;
		room = s->sh_size - (addr - s->sh_addr);
		if (room > max + 1)
			room = max + 1;
		ret = read_at(f, s->sh_offset + (addr - s->sh_addr), out, room, what);
		if (ret)
			return ret;
		if (!memchr(out, '\0', room))
			return bad(f, "%s at 0x%llx: no end within %zu bytes", what,
				   (unsigned long long)addr, max);
		return 0;
	}
	return bad(f, "%s at 0x%llx: not in the image", what, (unsigned long long)addr);
}

static uint64_t le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

struct test_text {
	char suite[PROTO_NAME_MAX], test_case[PROTO_NAME_MAX], name[PROTO_NAME_MAX];
	char file[PROTO_CATALOGUE_FILE_MAX + 1];
};

static int read_test(struct elf_file *f, const struct proto_elf_layout *l, const uint8_t *e,
		     struct elf_test *t, struct test_text *x)
{
	int ret;

	ret = string_at(f, le(e + l->suite, 8), x->suite, sizeof(x->suite) - 1, "a suite name");
	if (!ret)
		ret = string_at(f, le(e + l->name, 8), x->test_case, sizeof(x->test_case) - 1,
				"a test name");
	if (!ret)
		ret = string_at(f, le(e + l->file, 8), x->file, sizeof(x->file) - 1,
				"a source file name");
	if (ret)
		return ret;
	if ((size_t)snprintf(x->name, sizeof(x->name), "%s.%s", x->suite, x->test_case) >=
	    sizeof(x->name))
		return bad(f, "%s.%s: name longer than %d bytes", x->suite, x->test_case,
			   PROTO_NAME_MAX - 1);
	t->suite = x->suite;
	t->test_case = x->test_case;
	t->name = x->name;
	t->file = x->file;
	t->timeout_s = (uint32_t)le(e + l->timeout_s, 4);
	t->cpus = (uint32_t)le(e + l->cpus, 2);
	t->manual = e[l->manual] != 0;
	return 0;
}

static int walk_tests(struct elf_file *f, const struct proto_elf_layout *l, const Elf64_Shdr *s,
		      elf_test_fn fn, void *fn_ctx)
{
	struct test_text text;
	char prev[PROTO_NAME_MAX] = "", prev_file[PROTO_CATALOGUE_FILE_MAX + 1] = "";
	uint8_t entry[4096];
	uint64_t n;
	int ret = 0;

	if (!s)
		return 0; /* no test registered */
	if (s->sh_type == SHT_NOBITS || s->sh_size % l->entry_size)
		return bad(f, PROTO_ELF_TESTS_SECTION ": %llu bytes, not a whole number of %u",
			   (unsigned long long)s->sh_size, l->entry_size);
	n = s->sh_size / l->entry_size;
	if (n > PROTO_CATALOGUE_TESTS_MAX)
		return bad(f, "%llu boot tests, more than the %d a catalogue holds",
			   (unsigned long long)n, PROTO_CATALOGUE_TESTS_MAX);
	for (uint64_t i = 0; i < n && !ret; i++) {
		struct elf_test t;

		ret = read_at(f, s->sh_offset + i * l->entry_size, entry, l->entry_size,
			      PROTO_ELF_TESTS_SECTION);
		if (!ret)
			ret = read_test(f, l, entry, &t, &text);
		/* the guest refuses to run an unsorted catalogue or a duplicate (its words) */
		if (!ret && i && !strcmp(prev, text.name))
			ret = bad(f, "%s is defined twice: %s, %s", text.name, prev_file,
				  text.file);
		else if (!ret && i && strcmp(prev, text.name) > 0)
			ret = bad(f, "test catalogue is not sorted: %s after %s", text.name, prev);
		if (!ret)
			ret = fn(fn_ctx, &t);
		memcpy(prev, text.name, sizeof(prev));
		memcpy(prev_file, text.file, sizeof(prev_file));
	}
	return ret;
}

int elf_catalogue_read(elf_read_fn read, void *read_ctx, elf_test_fn fn, void *fn_ctx, char *why,
		       size_t whylen)
{
	struct elf_file f = { .read = read, .ctx = read_ctx, .why = why, .whylen = whylen };
	const Elf64_Shdr *layout_sh, *tests_sh;
	struct proto_elf_layout layout;
	int ret;

	if (whylen)
		why[0] = '\0';
	ret = read_headers(&f);
	if (!ret)
		ret = find_sections(&f, &layout_sh, &tests_sh);
	if (!ret)
		ret = read_layout(&f, layout_sh, &layout);
	if (!ret)
		ret = walk_tests(&f, &layout, tests_sh, fn, fn_ctx);
	free(f.sh);
	return ret;
}
