/* SPDX-License-Identifier: MIT */
/* A hung machine's CPUs read over QMP: registers per CPU, frame chains out of guest memory. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/hang.h"
#include "system/clock.h"

uint64_t hang_ram_bytes(const char *memory)
{
	char *end;
	unsigned long long v;
	int shift = 20; /* QEMU: a bare -m number is MiB */

	if (!memory || memory[0] < '0' || memory[0] > '9')
		return 0;
	errno = 0;
	v = strtoull(memory, &end, 10);
	if (errno || !v)
		return 0;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
	case '\0':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	default:
		return 0;
	}
	if (*end && end[1] && strcmp(end + 1, "B") && strcmp(end + 1, "iB"))
		return 0;
	return v > (UINT64_MAX >> shift) ? 0 : (uint64_t)v << shift;
}

struct hang_machine hang_machine_of(const struct qemu_cfg *cfg)
{
	return (struct hang_machine){
		.ncpus = cfg->smp,
		.ram_bytes = hang_ram_bytes(cfg->memory),
		.load_addr = cfg->firmware ? QEMU_FIRMWARE_BL33_ADDR : 0,
	};
}

struct reader {
	struct qmp *q;
	int cpu;
	uint64_t deadline;
};

static unsigned int left(uint64_t deadline)
{
	uint64_t now = clock_now_ms();

	if (now >= deadline)
		return 0;
	return deadline - now < QMP_TIMEOUT_MS ? (unsigned int)(deadline - now) : QMP_TIMEOUT_MS;
}

/* Two words through the CPU's own translation (`x`, not `xp`): the guest's addresses. */
static int read2(void *ctx, uint64_t addr, uint64_t w[2])
{
	struct reader *r = ctx;
	char cmd[48], *out;
	int ret;

	if (!left(r->deadline))
		return -ETIMEDOUT;
	snprintf(cmd, sizeof(cmd), "x /2gx 0x%" PRIx64, addr);
	ret = qmp_hmp(r->q, cmd, r->cpu, &out, left(r->deadline));
	if (ret)
		return ret;
	ret = monitor_parse_words(out, addr, w, 2);
	free(out);
	return ret;
}

static int read_cpu(struct qmp *q, unsigned int cpu, uint64_t deadline, struct hang_cpu *c,
		    char *err, size_t errlen)
{
	char *out;
	int ret = qmp_hmp(q, "info registers", (int)cpu, &out, left(deadline));

	if (ret) {
		snprintf(err, errlen, "CPU %u: %s", cpu, qmp_error(q));
		return ret;
	}
	ret = monitor_parse_registers(out, &c->regs);
	if (!ret && c->regs.cpu != (int)cpu)
		ret = -EPROTO;
	if (ret)
		snprintf(err, errlen,
			 "CPU %u: `info registers` is not an AArch64 CPU's as QEMU 7.2 "
			 "prints it",
			 cpu);
	free(out);
	c->have = !ret;
	return ret;
}

void hang_collect(struct qmp *q, const struct hang_machine *m, struct hang_state *h)
{
	uint64_t deadline = clock_now_ms() + HANG_BUDGET_MS;
	unsigned int n = m->ncpus < HANG_CPUS_MAX ? m->ncpus : HANG_CPUS_MAX;
	struct frame_mem mem = {
		.lo = HANG_RAM_BASE,
		.hi = HANG_RAM_BASE + m->ram_bytes,
		.read2 = read2,
	};

	h->load_addr = m->load_addr;
	/* paused first: the registers and the stack then agree with each other */
	if (qmp_stop_cpus(q, QMP_TIMEOUT_MS)) {
		snprintf(h->err, sizeof(h->err), "%s", qmp_error(q));
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct hang_cpu *c = &h->cpu[i];
		struct reader r = { q, (int)i, deadline };

		if (read_cpu(q, i, deadline, c, h->err, sizeof(h->err)))
			return;
		h->ncpus = i + 1;
		/* a CPU outside the guest's RAM (not started, in firmware) has no chain of ours */
		if (!m->ram_bytes || c->regs.pc < mem.lo || c->regs.pc >= mem.hi)
			continue;
		mem.ctx = &r;
		c->nframes =
			frame_walk(&mem, c->regs.x29, c->frames, FRAME_WALK_MAX, &c->chain_end);
		if (!left(deadline)) {
			snprintf(h->err, sizeof(h->err), "QMP: the hang report's %.3g s ran out",
				 HANG_BUDGET_MS / 1000.0);
			return;
		}
	}
}

struct hang_state *hang_take(struct qmp *q, const struct hang_machine *m, const char *last_line)
{
	struct hang_state *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	snprintf(h->last_line, sizeof(h->last_line), "%s", last_line ? last_line : "");
	hang_collect(q, m, h);
	return h;
}

struct hang_state *hang_copy(const struct hang_state *h)
{
	struct hang_state *c = h ? malloc(sizeof(*c)) : NULL;

	if (c)
		memcpy(c, h, sizeof(*c));
	return c;
}
