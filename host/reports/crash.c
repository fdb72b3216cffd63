/* SPDX-License-Identifier: MIT */
/* Guest crash reports: parsed from the guest's lines, decoded and laid out for people. */
#include <stdlib.h>
#include <string.h>

#include "reports/arm_decode.h"
#include "reports/crash.h"

/* "NAME=0xHEX" at @p: the value into *v, true when @p is exactly that. */
static bool token_value(const char *p, size_t len, const char *name, uint64_t *v)
{
	size_t nl = strlen(name);
	char *end;

	if (len < nl + 4 || strncmp(p, name, nl) || p[nl] != '=' || p[nl + 1] != '0' ||
	    (p[nl + 2] != 'x' && p[nl + 2] != 'X'))
		return false;
	*v = strtoull(p + nl + 3, &end, 16);
	return end == p + len;
}

static void parse_token(struct crash_info *c, const char *p, size_t len)
{
	uint64_t v;

	if (len > 1 && p[0] == 'x' && p[1] >= '0' && p[1] <= '9') {
		char *end, *vend;
		unsigned long i = strtoul(p + 1, &end, 10);

		if (i >= 31 || end[0] != '=' || end[1] != '0' || end[2] != 'x')
			return;
		v = strtoull(end + 3, &vend, 16);
		if (vend == p + len && vend > end + 3) {
			c->x[i] = v;
			c->have_x |= 1u << i;
		}
	} else if (token_value(p, len, "SP", &v)) {
		c->sp = v;
		c->have_sp = true;
	} else if (token_value(p, len, "SPSR", &v)) {
		c->spsr = v;
		c->have_spsr = true;
	}
}

/* "ESR=.. ELR=.. FAR=.. LR=..[ KIND cpu N]" */
static void parse_esr_line(struct crash_info *c, const char *line, size_t len)
{
	const char *end = line + len, *p = line, *kind = NULL;
	uint64_t v;

	c->have_esr = true;
	/* an old guest said nothing for a synchronous exception on CPU 0 */
	snprintf(c->kind, sizeof(c->kind), "sync");
	c->cpu = 0;
	while (p < end) {
		const char *t = p;

		while (t < end && *t != ' ')
			t++;
		if (token_value(p, (size_t)(t - p), "ESR", &v))
			c->esr = v;
		else if (token_value(p, (size_t)(t - p), "ELR", &v))
			c->elr = v;
		else if (token_value(p, (size_t)(t - p), "FAR", &v))
			c->far = v;
		else if (token_value(p, (size_t)(t - p), "LR", &v)) {
			c->lr = v;
			kind = t; /* the kind and CPU follow */
		}
		p = t + 1;
	}
	if (kind && kind < end) {
		const char *cpu = strstr(kind, " cpu ");

		if (cpu && cpu < end && cpu > kind + 1) {
			size_t n = (size_t)(cpu - kind - 1);

			snprintf(c->kind, sizeof(c->kind), "%.*s", (int)n, kind + 1);
			c->cpu = (unsigned int)strtoul(cpu + 5, NULL, 10);
		}
	}
}

void crash_parse(struct crash_info *c, const char *exception, const char *backtrace)
{
	const char *p = exception;

	memset(c, 0, sizeof(*c));
	while (p && *p) {
		const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p), *t;

		while (p < end && *p == ' ')
			p++;
		if (!strncmp(p, "ESR=", 4)) {
			parse_esr_line(c, p, (size_t)(end - p));
		} else if (!strncmp(p, "FAR in a stack guard page", 25)) {
			c->guard = true;
		} else {
			for (; p < end; p = t + 1) {
				for (t = p; t < end && *t != ' '; t++)
					;
				parse_token(c, p, (size_t)(t - p));
			}
		}
		p = nl ? nl + 1 : end;
	}
	c->nframes = symbolize_addresses(backtrace, NULL, c->frames, CRASH_FRAMES_MAX);
}

void crash_print_decoded(FILE *f, const struct crash_info *c)
{
	char words[256];

	if (!c->have_esr)
		return;
	if (c->guard)
		fprintf(f, "    stack overflow: FAR 0x%llx is in a stack guard page\n",
			(unsigned long long)c->far);
	esr_describe(c->esr, words, sizeof(words));
	fprintf(f, "    %s\n", words);
	fprintf(f, "    %s exception on cpu %u: ESR 0x%llx ELR 0x%llx FAR 0x%llx\n", c->kind,
		c->cpu, (unsigned long long)c->esr, (unsigned long long)c->elr,
		(unsigned long long)c->far);
	if (c->have_spsr) {
		pstate_describe(c->spsr, words, sizeof(words));
		fprintf(f, "    SPSR 0x%llx: %s\n", (unsigned long long)c->spsr, words);
	}
	for (unsigned int i = 0; i < 31; i++) {
		if (!(c->have_x & (1u << i)))
			continue;
		fprintf(f, "%sx%-2u 0x%016llx", i % 4 ? " " : "    ", i,
			(unsigned long long)c->x[i]);
		if (i % 4 == 3 || i == 30) {
			if (i == 30 && c->have_sp)
				fprintf(f, " sp  0x%016llx", (unsigned long long)c->sp);
			fputc('\n', f);
		}
	}
}

size_t crash_addresses(const struct crash_info *c, unsigned long long *addrs, size_t max)
{
	size_t n = 0;

	if (!c->have_esr || max < 2)
		return 0;
	addrs[n++] = c->elr;
	addrs[n++] = c->lr >= 4 ? c->lr - 4 : c->lr;
	/* the guest's first frame is ELR itself */
	for (size_t i = 1; i < c->nframes && n < max; i++)
		addrs[n++] = c->frames[i];
	return n;
}

/* "f at file:line" -> "f": the function, to compare two lines by. */
static size_t function_len(const char *line)
{
	const char *at = strstr(line, " at ");

	return at ? (size_t)(at - line) : strlen(line);
}

static bool same_function(const char *a, const char *b)
{
	return a && b && function_len(a) == function_len(b) && !strncmp(a, b, function_len(a)) &&
	       strncmp(a, "??", 2);
}

/*
 * LR is a frame of its own only in a leaf: when it names the function
 * that faulted, LR is a return address inside it; when it is the first
 * recorded frame, the chain has it already.
 */
static bool lr_is_a_frame(const struct crash_info *c, const struct symbolize_job *j)
{
	const char *elr = symbolize_line(j, 0), *lr = symbolize_line(j, 1);

	if (!c->lr || (c->nframes > 1 && c->lr - 4 == c->frames[1]))
		return false;
	if (c->lr - 4 <= c->elr && c->elr - (c->lr - 4) < 4)
		return false;
	return elr && lr ? !same_function(elr, lr) : false;
}

static void frame_line(FILE *f, size_t num, unsigned long long addr, const char *sym,
		       const char *note)
{
	fprintf(f, "    #%-2zu 0x%llx: %s%s\n", num, addr, sym ? sym : "??", note);
}

void crash_print_frames(FILE *f, const struct crash_info *c, const struct symbolize_job *j)
{
	size_t num = 1, i = 2;

	if (!c->have_esr)
		return;
	fprintf(f, "    ELR 0x%llx: %s\n", (unsigned long long)c->elr,
		symbolize_line(j, 0) ? symbolize_line(j, 0) : "??");
	if (lr_is_a_frame(c, j))
		frame_line(f, num++, j->addrs[1], symbolize_line(j, 1),
			   " (from LR: the caller of a leaf)");
	while (i < j->n) {
		size_t same = 1;
		char note[64] = "";

		while (i + same < j->n && j->addrs[i + same] == j->addrs[i])
			same++;
		if (same > 1)
			snprintf(note, sizeof(note), " (this frame %zu times)", same);
		frame_line(f, num++, j->addrs[i], symbolize_line(j, i), note);
		i += same;
	}
}
