/* SPDX-License-Identifier: MIT */
/*
 * The hang report's pieces: QEMU's monitor text parsed (real 7.2 captures
 * and what it must refuse), the frame-chain walker against hostile memory,
 * and the report laid out from a known state.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "machine/frame_walk.h"
#include "machine/hang.h"
#include "machine/monitor_text.h"
#include "qemu72_registers.h"
#include "reports/hang_report.h"

static void test_registers_of_real_captures(void **state)
{
	struct cpu_regs r;

	(void)state;
	assert_int_equal(monitor_parse_registers(regs_cpu0, &r), 0);
	assert_int_equal(r.cpu, 0);
	assert_int_equal(r.pc, 0x40204720);
	assert_int_equal(r.x29, 0x4023db00);
	assert_int_equal(r.x30, 0x4020479c);
	assert_int_equal(r.sp, 0x4023db00);
	assert_int_equal(r.pstate, 0x800003c4);
	assert_string_equal(r.el, "EL1t");

	assert_int_equal(monitor_parse_registers(regs_cpu1, &r), 0);
	assert_int_equal(r.cpu, 1);
	assert_int_equal(r.pc, 0x40202ed0);
	assert_int_equal(r.x30, 0x40202ee4);
	assert_int_equal(r.sp, 0x40245fd0);

	/* secure=on: "NS EL1t" */
	assert_int_equal(monitor_parse_registers(regs_firmware, &r), 0);
	assert_int_equal(r.pc, 0x60002e7c);
	assert_string_equal(r.el, "EL1t");
}

/* A capture with one thing changed. */
static int parse_edited(const char *from, const char *to, struct cpu_regs *r)
{
	char buf[sizeof(regs_cpu0) + 64];
	const char *at = strstr(regs_cpu0, from);

	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - regs_cpu0), regs_cpu0, to,
		 at + strlen(from));
	return monitor_parse_registers(buf, r);
}

static void test_registers_refused(void **state)
{
	/* the FPU off (before the guest enables it), as QEMU prints it then */
	static const char fpu_off[] = "\r\nCPU#1\r\n PC=0000000000000000 X00=0000000000000000\r\n"
				      "X29=0000000000000000 X30=0000000000000000  "
				      "SP=0000000000000000\r\nPSTATE=400003c5 -Z-- EL1h    FPU "
				      "disabled\r\n";
	struct cpu_regs r;

	(void)state;
	assert_int_equal(monitor_parse_registers(fpu_off, &r), 0);
	assert_string_equal(r.el, "EL1h");
	assert_int_equal(r.pstate, 0x400003c5);
	/* each field QEMU 7.2 prints, broken in turn */
	assert_int_equal(parse_edited(" PC=0000000040204720", " PC=000000004020472", &r), -EPROTO);
	assert_int_equal(parse_edited(" PC=0000000040204720", " PC=00000000402047200", &r),
			 -EPROTO);
	assert_int_equal(parse_edited(" PC=0000000040204720", " XPC=0000000040204720", &r),
			 -EPROTO);
	assert_int_equal(parse_edited("X29=", "X2g=", &r), -EPROTO);
	assert_int_equal(parse_edited("X30=000000004020479c", "X30=zz", &r), -EPROTO);
	assert_int_equal(parse_edited("  SP=", "  SQ=", &r), -EPROTO);
	assert_int_equal(parse_edited("PSTATE=800003c4", "PSTATE=800003c", &r), -EPROTO);
	assert_int_equal(parse_edited("N--- EL1t", "N--- EL4t", &r), -EPROTO);
	assert_int_equal(parse_edited("N--- EL1t", "NQ-- EL1t", &r), -EPROTO);
	assert_int_equal(parse_edited("N--- EL1t", "N--- ELx", &r), -EPROTO);
	assert_int_equal(parse_edited("CPU#0", "CPU#", &r), -EPROTO);
	assert_int_equal(parse_edited("CPU#0", "CPU#-1", &r), -EPROTO);
	/* an AArch32 CPU, an error, nothing */
	assert_int_equal(monitor_parse_registers("R00=00000000 R01=00000000\r\nPSR=400001d3 -Z-- "
						 "A S svc32\r\n",
						 &r),
			 -EPROTO);
	assert_int_equal(monitor_parse_registers("Invalid CPU index\r\n", &r), -EPROTO);
	assert_int_equal(monitor_parse_registers("", &r), -EPROTO);
	assert_int_equal(monitor_parse_registers("PSTATE=", &r), -EPROTO);
}

static void test_memory_words(void **state)
{
	uint64_t w[4];

	(void)state;
	/* as QEMU 7.2 printed them for x /2gx in a real hang report */
	assert_int_equal(monitor_parse_words("000000004023db50: 0x000000004023db60 "
					     "0x000000004020198c\r\n",
					     0x4023db50, w, 2),
			 0);
	assert_int_equal(w[0], 0x4023db60);
	assert_int_equal(w[1], 0x4020198c);
	assert_int_equal(monitor_parse_words("0000000040000000: 0x00001000edfe0dd0 "
					     "0x341c000040000000\r\n0000000040000010: "
					     "0x1100000030000000 0x0000000010000000\r\n",
					     0x40000000, w, 4),
			 0);
	assert_int_equal(w[3], 0x10000000);
	assert_int_equal(monitor_parse_words("Cannot access memory\r\n", 0x8000000000, w, 2),
			 -EFAULT);
	/* another address than asked, too few words, junk */
	assert_int_equal(monitor_parse_words("000000004023db58: 0x0000000000000001 "
					     "0x0000000000000002\r\n",
					     0x4023db50, w, 2),
			 -EPROTO);
	assert_int_equal(
		monitor_parse_words("000000004023db50: 0x0000000000000001\r\n", 0x4023db50, w, 2),
		-EPROTO);
	assert_int_equal(monitor_parse_words("000000004023db50: 0x00000000000001 "
					     "0x0000000000000002\r\n",
					     0x4023db50, w, 2),
			 -EPROTO);
	assert_int_equal(monitor_parse_words("000000004023db50 0x0000000000000001 "
					     "0x0000000000000002\r\n",
					     0x4023db50, w, 2),
			 -EPROTO);
	assert_int_equal(monitor_parse_words("", 0, w, 2), -EPROTO);
}

/* Guest memory for the walker: 64 words from RAM_LO, and a count of reads. */
#define RAM_LO	  0x40000000ULL
#define RAM_WORDS 64
static uint64_t ram[RAM_WORDS];
static int reads, fail_reads_at;

static int fake_read2(void *ctx, uint64_t addr, uint64_t w[2])
{
	(void)ctx;
	/* the walker promised: aligned and inside RAM */
	assert_true(addr % 8 == 0 && addr >= RAM_LO && addr + 16 <= RAM_LO + 8 * RAM_WORDS);
	if (++reads == fail_reads_at)
		return -ETIMEDOUT;
	w[0] = ram[(addr - RAM_LO) / 8];
	w[1] = ram[(addr - RAM_LO) / 8 + 1];
	return 0;
}

static const struct frame_mem mem = { .lo = RAM_LO,
				      .hi = RAM_LO + 8 * RAM_WORDS,
				      .read2 = fake_read2 };

static uint64_t at(unsigned int word)
{
	return RAM_LO + 8 * word;
}

/* The record at word @w: {previous fp, return address}. */
static void record(unsigned int w, uint64_t fp, uint64_t lr)
{
	ram[w] = fp;
	ram[w + 1] = lr;
}

static size_t walk(uint64_t fp, uint64_t *ret, size_t max, const char **why)
{
	reads = 0;
	return frame_walk(&mem, fp, ret, max, why);
}

static void test_walk_good_chain(void **state)
{
	uint64_t ret[FRAME_WALK_MAX];
	const char *why;

	(void)state;
	memset(ram, 0, sizeof(ram));
	fail_reads_at = 0;
	record(4, at(8), 0x40000104);
	record(8, at(20), 0x40000108);
	record(20, 0, 0x4000010c); /* the entry code's: fp 0 ends it */
	assert_int_equal(walk(at(4), ret, FRAME_WALK_MAX, &why), 3);
	assert_int_equal(ret[0], 0x40000104);
	assert_int_equal(ret[2], 0x4000010c);
	assert_string_equal(why, "end of the chain");
	/* a zero return address ends it too */
	record(20, at(30), 0);
	assert_int_equal(walk(at(4), ret, FRAME_WALK_MAX, &why), 2);
	assert_string_equal(why, "end of the chain");
	assert_int_equal(walk(0, ret, FRAME_WALK_MAX, &why), 0);
	assert_string_equal(why, "end of the chain");
	assert_int_equal(reads, 0);
}

static void test_walk_hostile_memory(void **state)
{
	uint64_t ret[FRAME_WALK_MAX];
	const char *why;

	(void)state;
	memset(ram, 0, sizeof(ram));
	fail_reads_at = 0;
	/* a record that points at itself: one frame, then refused */
	record(4, at(4), 0x40000104);
	assert_int_equal(walk(at(4), ret, FRAME_WALK_MAX, &why), 1);
	assert_string_equal(why, "frame pointer not above the previous one");
	/* downwards */
	record(10, at(4), 0x40000104);
	assert_int_equal(walk(at(10), ret, FRAME_WALK_MAX, &why), 1);
	assert_string_equal(why, "frame pointer not above the previous one");
	/* misaligned, never read */
	record(4, at(10) + 4, 0x40000104);
	assert_int_equal(walk(at(4), ret, FRAME_WALK_MAX, &why), 1);
	assert_string_equal(why, "frame pointer not 8-byte aligned");
	assert_int_equal(reads, 1);
	/* outside RAM: below, the last word (a record needs two), the top of the address space */
	assert_int_equal(walk(RAM_LO - 16, ret, FRAME_WALK_MAX, &why), 0);
	assert_string_equal(why, "frame pointer outside RAM");
	assert_int_equal(walk(at(RAM_WORDS - 1), ret, FRAME_WALK_MAX, &why), 0);
	assert_string_equal(why, "frame pointer outside RAM");
	record(4, 0xfffffffffffffff8ULL, 0x40000104);
	assert_int_equal(walk(at(4), ret, FRAME_WALK_MAX, &why), 1);
	assert_string_equal(why, "frame pointer outside RAM");
	/* a return address outside RAM or misaligned is not a frame */
	record(4, 0, 0x1000);
	assert_int_equal(walk(at(4), ret, FRAME_WALK_MAX, &why), 0);
	assert_string_equal(why, "return address outside RAM or misaligned");
	record(4, 0, 0x40000102);
	assert_int_equal(walk(at(4), ret, FRAME_WALK_MAX, &why), 0);
	assert_string_equal(why, "return address outside RAM or misaligned");
	/* QEMU stops answering on the second read */
	record(4, at(8), 0x40000104);
	record(8, 0, 0x40000108);
	fail_reads_at = 2;
	assert_int_equal(walk(at(4), ret, FRAME_WALK_MAX, &why), 1);
	assert_string_equal(why, "frame record unreadable");
}

static void test_walk_bounded(void **state)
{
	uint64_t ret[FRAME_WALK_MAX + 4];
	const char *why;

	(void)state;
	memset(ram, 0, sizeof(ram));
	fail_reads_at = 0;
	/* 30 increasing records: more than any walk follows */
	for (unsigned int i = 0; i < 30; i++)
		record(2 * i, at(2 * i + 2), 0x40000100 + 4 * i);
	assert_int_equal(walk(at(0), ret, 3, &why), 3);
	assert_string_equal(why, "depth limit");
	assert_int_equal(walk(at(0), ret, FRAME_WALK_MAX + 4, &why), FRAME_WALK_MAX);
	assert_string_equal(why, "depth limit");
	assert_int_equal(reads, FRAME_WALK_MAX);
}

static void test_ram_bytes(void **state)
{
	(void)state;
	assert_int_equal(hang_ram_bytes("256M"), 256ULL << 20);
	assert_int_equal(hang_ram_bytes("1G"), 1ULL << 30);
	assert_int_equal(hang_ram_bytes("512"), 512ULL << 20);
	assert_int_equal(hang_ram_bytes("2048k"), 2048ULL << 10);
	assert_int_equal(hang_ram_bytes("2GiB"), 2ULL << 30);
	assert_int_equal(hang_ram_bytes("1.5G"), 0);
	assert_int_equal(hang_ram_bytes("G"), 0);
	assert_int_equal(hang_ram_bytes(""), 0);
	assert_int_equal(hang_ram_bytes("99999999999T"), 0);
	assert_int_equal(hang_ram_bytes(NULL), 0);
}

/* A boot CPU three frames down a leaf, CPU 1 outside RAM: what the report says. */
static void test_report_layout(void **state)
{
	struct hang_state h = { .ncpus = 2 };
	unsigned long long addrs[SYMBOLIZE_ADDRS_MAX];
	struct symbolize_job j;
	char *text = NULL;
	size_t len = 0, n;
	FILE *f;

	(void)state;
	h.cpu[0] = (struct hang_cpu){ .have = true,
				      .regs = { .pc = 0x40201954,
						.x30 = 0x40201964,
						.sp = 0x4023db50,
						.pstate = 0x800003c4,
						.el = "EL1t" },
				      .frames = { 0x4020198c, 0x402045b4 },
				      .nframes = 2,
				      .chain_end = "end of the chain" };
	h.cpu[1] = (struct hang_cpu){ .have = true, .regs = { .pc = 0x10, .el = "EL1h" } };
	snprintf(h.last_line, sizeof(h.last_line), "# going down\x1b[2J");
	n = hang_addresses(&h, 0, addrs, SYMBOLIZE_ADDRS_MAX);
	/* PC, LR - 4 (a leaf's caller), each return address - 4, then CPU 1's PC */
	assert_int_equal(n, 5);
	assert_int_equal(addrs[0], 0x40201954);
	assert_int_equal(addrs[1], 0x40201960);
	assert_int_equal(addrs[2], 0x40201988);
	assert_int_equal(addrs[4], 0x10);
	/* moved back by a load offset */
	assert_int_equal(hang_addresses(&h, 0x20000000, addrs, 2), 2);
	assert_int_equal(addrs[1], 0x20201960);

	symbolize_start(&j, NULL, addrs, n, 0);
	j.lines[0] = "spin at f.c:30";
	j.lines[1] = "level2 at f.c:36";
	j.lines[2] = "level1 at f.c:42";
	f = open_memstream(&text, &len);
	assert_non_null(f);
	hang_print(f, &h, &j, " (boot CPU, runs the test)");
	fclose(f);
	assert_string_equal(
		text,
		"    last log line: # going down\\x1b[2J\n"
		"    CPU 0 (boot CPU, runs the test): PC=0x40201954 LR=0x40201964 SP=0x4023db50 "
		"EL1t PSTATE=0x800003c4\n"
		"      #0  0x40201954: spin at f.c:30\n"
		"      #1  0x40201964: level2 at f.c:36 (from LR: the caller of a leaf)\n"
		"      #2  0x4020198c: level1 at f.c:42\n"
		"      #3  0x402045b4: ??\n"
		"    CPU 1: PC=0x10 LR=0x0 SP=0x0 EL1h PSTATE=0x00000000\n"
		"      #0  0x10: ??\n");
	free(text);

	/* QMP failed after CPU 0, nothing symbolized: said in one line, addresses bare */
	h.ncpus = 1;
	snprintf(h.err, sizeof(h.err), "CPU 1: QMP: no answer within 1 s");
	h.last_line[0] = '\0';
	symbolize_start(&j, NULL, addrs, hang_addresses(&h, 0, addrs, SYMBOLIZE_ADDRS_MAX), 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	hang_print(f, &h, &j, "");
	fclose(f);
	assert_string_equal(text, "    no full hang report: CPU 1: QMP: no answer within 1 s\n"
				  "    CPU 0: PC=0x40201954 LR=0x40201964 SP=0x4023db50 EL1t "
				  "PSTATE=0x800003c4\n"
				  "      #0  0x40201954\n"
				  "      #1  0x40201964 (from LR: the caller of a leaf)\n"
				  "      #2  0x4020198c\n"
				  "      #3  0x402045b4\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registers_of_real_captures),
		cmocka_unit_test(test_registers_refused),
		cmocka_unit_test(test_memory_words),
		cmocka_unit_test(test_walk_good_chain),
		cmocka_unit_test(test_walk_hostile_memory),
		cmocka_unit_test(test_walk_bounded),
		cmocka_unit_test(test_ram_bytes),
		cmocka_unit_test(test_report_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
