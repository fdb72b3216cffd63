/* SPDX-License-Identifier: MIT */
/* Hang reports: the CPUs a timeout found, symbolized like crash reports. */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "protocol/escape.h"
#include "reports/hang_report.h"

/* A CPU's addresses in the order both functions below walk them. */
static bool lr_shown(const struct hang_cpu *c)
{
	/* a leaf's caller is in LR only; once saved in a record the chain has it */
	return c->regs.x30 && (!c->nframes || c->frames[0] != c->regs.x30);
}

size_t hang_addresses(const struct hang_state *h, uint64_t offset, unsigned long long *addrs,
		      size_t max)
{
	size_t n = 0;

	for (unsigned int i = 0; i < h->ncpus; i++) {
		const struct hang_cpu *c = &h->cpu[i];

		if (n < max)
			addrs[n++] = c->regs.pc - offset;
		if (n < max && lr_shown(c))
			addrs[n++] = c->regs.x30 - 4 - offset;
		for (size_t k = 0; k < c->nframes && n < max; k++)
			addrs[n++] = c->frames[k] - 4 - offset;
	}
	return n;
}

uint64_t hang_load_offset(const struct hang_state *h, const char *image)
{
	uint64_t base;

	/* linked above where it was loaded: it runs at its link address (virtual, MMU on) */
	if (!h->load_addr || !image || symbolize_link_base(image, &base) || base >= h->load_addr)
		return 0;
	return h->load_addr - base;
}

static void frame(FILE *f, const char *label, uint64_t addr, const struct symbolize_job *j,
		  size_t *idx, const char *note)
{
	const char *sym = symbolize_line(j, *idx);

	if (j->lines[0] || sym) /* symbolized: "??" where addr2line knew nothing */
		fprintf(f, "      %-3s 0x%" PRIx64 ": %s%s\n", label, addr, sym ? sym : "??", note);
	else
		fprintf(f, "      %-3s 0x%" PRIx64 "%s\n", label, addr, note);
	(*idx)++;
}

/* "f at file:line" -> the length of "f". */
static size_t function_len(const char *line)
{
	const char *at = strstr(line, " at ");

	return at ? (size_t)(at - line) : strlen(line);
}

/* LR inside the function PC is in: a return address left by an earlier call, no frame. */
static bool same_function(const char *a, const char *b)
{
	return a && b && strncmp(a, "??", 2) && function_len(a) == function_len(b) &&
	       !strncmp(a, b, function_len(a));
}

void hang_print(FILE *f, const struct hang_state *h, const struct symbolize_job *j,
		const char *cpu0)
{
	size_t idx = 0;

	if (h->last_line[0]) {
		fputs("    last log line: ", f);
		escape_fputs(f, h->last_line, strlen(h->last_line));
		fputc('\n', f);
	}
	if (h->err[0])
		fprintf(f, "    no full hang report: %s\n", h->err);
	for (unsigned int i = 0; i < h->ncpus; i++) {
		const struct hang_cpu *c = &h->cpu[i];
		size_t num = 1;
		char label[8];

		fprintf(f,
			"    CPU %u%s: PC=0x%" PRIx64 " LR=0x%" PRIx64 " SP=0x%" PRIx64
			" %s PSTATE=0x%08" PRIx64 "\n",
			i, i ? "" : cpu0, c->regs.pc, c->regs.x30, c->regs.sp, c->regs.el,
			c->regs.pstate);
		frame(f, "#0", c->regs.pc, j, &idx, "");
		if (lr_shown(c) &&
		    same_function(symbolize_line(j, idx - 1), symbolize_line(j, idx)))
			idx++;
		else if (lr_shown(c)) {
			frame(f, "#1", c->regs.x30, j, &idx,
			      c->chain_end ? " (from LR: the caller of a leaf)" : " (LR)");
			num++;
		}
		for (size_t k = 0; k < c->nframes; k++) {
			snprintf(label, sizeof(label), "#%zu", num++);
			frame(f, label, c->frames[k], j, &idx, "");
		}
		if (c->chain_end && strcmp(c->chain_end, "end of the chain"))
			fprintf(f, "      (frame chain stopped: %s)\n", c->chain_end);
	}
	if (h->load_addr && j->n && h->ncpus)
		fprintf(f, "    (image loaded at 0x%" PRIx64 ", symbolized at its link address)\n",
			h->load_addr);
}
