/* SPDX-License-Identifier: MIT */
/* Unit tests for the host's crash reports: the guest's lines parsed, decoded and laid out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reports/crash.h"

/* What the guest sends for a stack overflow, "# exception:" cut off each line. */
static const char overflow[] =
	" x0=0x56 x1=0x56 x2=0x4023cb80 x3=0x0\n"
	" x4=0x0 x5=0x1 x6=0x40351000 x7=0x0\n"
	" x8=0x0 x9=0x0 x10=0x1 x11=0x1\n"
	" x12=0x4021a000 x13=0x1 x14=0x40000000000705 x15=0x60000000000401\n"
	" x16=0x402052c8 x17=0x40000000000705 x18=0x40000000000707 x19=0x0\n"
	" x20=0x4021a200 x21=0x4021c400 x22=0x4021b300 x23=0x4023cda0\n"
	" x24=0x4021a200 x25=0x9 x26=0x1 x27=0x0\n"
	" x28=0x0 x29=0x40239290 x30=0x402019e0 SP=0x40238e80 SPSR=0x800003c4\n"
	" FAR in a stack guard page\n"
	" ESR=0x96000047 ELR=0x402019b0 FAR=0x40238e80 LR=0x402019e0 sync cpu 0";
static const char overflow_bt[] =
	" 0x402019b0 0x402019dc 0x402019dc 0x402019dc 0x402052d4 0x40206ce0";

static char *print_decoded(const struct crash_info *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	crash_print_decoded(f, c);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* A finished symbolize job answering @lines for @n addresses. */
static void fake_job(struct symbolize_job *j, const unsigned long long *addrs, size_t n,
		     const char *const *lines)
{
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->done = true;
	j->n = n;
	for (size_t i = 0; i < n; i++) {
		j->addrs[i] = addrs[i];
		j->lines[i] = lines[i];
	}
}

static char *print_frames(const struct crash_info *c, const char *const *lines)
{
	unsigned long long addrs[SYMBOLIZE_ADDRS_MAX];
	struct symbolize_job j;
	char *text = NULL;
	size_t len = 0, n = crash_addresses(c, addrs, SYMBOLIZE_ADDRS_MAX);
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	fake_job(&j, addrs, n, lines);
	crash_print_frames(f, c, &j);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void test_parse_every_register(void **state)
{
	struct crash_info c;

	(void)state;
	crash_parse(&c, overflow, overflow_bt);
	assert_true(c.have_esr);
	assert_int_equal(c.esr, 0x96000047);
	assert_int_equal(c.elr, 0x402019b0);
	assert_int_equal(c.far, 0x40238e80);
	assert_int_equal(c.lr, 0x402019e0);
	assert_string_equal(c.kind, "sync");
	assert_int_equal(c.cpu, 0);
	assert_int_equal(c.have_x, 0x7fffffff);
	assert_int_equal(c.x[0], 0x56);
	assert_int_equal(c.x[15], 0x60000000000401ULL);
	assert_int_equal(c.x[29], 0x40239290);
	assert_true(c.have_sp && c.have_spsr);
	assert_int_equal(c.sp, 0x40238e80);
	assert_int_equal(c.spsr, 0x800003c4);
	assert_true(c.guard);
	assert_int_equal(c.nframes, 6);
	assert_int_equal(c.frames[5], 0x40206ce0);
}

static void test_parse_old_and_odd_guests(void **state)
{
	struct crash_info c;
	char *text;

	(void)state;
	/* an older guest: one line, no kind or CPU for a sync exception on CPU 0 */
	crash_parse(&c, " ESR=0x96000045 ELR=0x40201234 FAR=0x0 LR=0x40201300", NULL);
	assert_true(c.have_esr);
	assert_int_equal(c.esr, 0x96000045);
	assert_string_equal(c.kind, "sync");
	assert_int_equal(c.cpu, 0);
	assert_int_equal(c.have_x, 0);
	assert_false(c.have_sp || c.guard);
	assert_int_equal(c.nframes, 0);

	crash_parse(&c, " ESR=0x0 ELR=0x1 FAR=0x2 LR=0x3 irq (lower EL) cpu 3", NULL);
	assert_string_equal(c.kind, "irq (lower EL)");
	assert_int_equal(c.cpu, 3);

	/* garbage is ignored, never a crash of our own */
	crash_parse(&c, " x99=0x1 x3=0xzz x=0x5 x4= SP=12 ESR= LR=0x\nx1=0x10 junk", "nope");
	assert_false(c.have_esr);
	assert_int_equal(c.have_x, 1u << 1);
	assert_false(c.have_sp);
	assert_int_equal(c.nframes, 0);
	crash_parse(&c, NULL, NULL);
	assert_false(c.have_esr);
	text = print_decoded(&c);
	assert_string_equal(text, "");
	free(text);
}

static void test_decoded_words_and_registers(void **state)
{
	struct crash_info c;
	char *text;

	(void)state;
	crash_parse(&c, overflow, overflow_bt);
	text = print_decoded(&c);
	assert_non_null(
		strstr(text, "    stack overflow: FAR 0x40238e80 is in a stack guard page\n"));
	assert_non_null(strstr(text, "translation fault, level 3; write; FAR valid\n"));
	assert_non_null(strstr(text, "    sync exception on cpu 0: ESR 0x96000047 ELR 0x402019b0 "
				     "FAR 0x40238e80\n"));
	assert_non_null(strstr(text, "    SPSR 0x800003c4: EL1t, NZCV 1000, masked D A I F\n"));
	assert_non_null(strstr(text, "    x0  0x0000000000000056 x1  0x0000000000000056 "));
	assert_non_null(strstr(text, " x30 0x00000000402019e0 sp  0x0000000040238e80\n"));
	free(text);
}

static void test_repeated_frames_folded(void **state)
{
	static const char *const lines[] = {
		"recurse at fixture.c:50",	 "recurse at fixture.c:57",
		"recurse at fixture.c:57",	 "recurse at fixture.c:57",
		"recurse at fixture.c:57",	 "test_fn at fixture.c:63",
		"contain_call at contain.c:244",
	};
	struct crash_info c;
	char *text;

	(void)state;
	crash_parse(&c, overflow, overflow_bt);
	text = print_frames(&c, lines);
	/* LR is the first recorded frame: no frame of its own */
	assert_string_equal(text,
			    "    ELR 0x402019b0: recurse at fixture.c:50\n"
			    "    #1  0x402019dc: recurse at fixture.c:57 (this frame 3 times)\n"
			    "    #2  0x402052d4: test_fn at fixture.c:63\n"
			    "    #3  0x40206ce0: contain_call at contain.c:244\n");
	free(text);
}

static void test_leaf_gets_its_caller_from_lr(void **state)
{
	static const char *const leaf[] = { "leaf at a.c:3", "test_fn at a.c:10",
					    "framework at b.c:7" };
	static const char *const nonleaf[] = { "f at a.c:3", "f at a.c:2", "framework at b.c:7" };
	struct crash_info c;
	char *text;

	(void)state;
	crash_parse(&c, " ESR=0x96000004 ELR=0x1000 FAR=0x0 LR=0x2004 sync cpu 1",
		    " 0x1000 0x3000");
	text = print_frames(&c, leaf);
	assert_string_equal(text,
			    "    ELR 0x1000: leaf at a.c:3\n"
			    "    #1  0x2000: test_fn at a.c:10 (from LR: the caller of a leaf)\n"
			    "    #2  0x3000: framework at b.c:7\n");
	free(text);
	/* LR returns into the function that faulted: a stale return address */
	text = print_frames(&c, nonleaf);
	assert_string_equal(text, "    ELR 0x1000: f at a.c:3\n"
				  "    #1  0x3000: framework at b.c:7\n");
	free(text);
	/* unsymbolized: the addresses, never a guess */
	text = print_frames(&c, (const char *const[]){ NULL, NULL, NULL });
	assert_string_equal(text, "    ELR 0x1000: ??\n    #1  0x3000: ??\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_every_register),
		cmocka_unit_test(test_parse_old_and_odd_guests),
		cmocka_unit_test(test_decoded_words_and_registers),
		cmocka_unit_test(test_repeated_frames_folded),
		cmocka_unit_test(test_leaf_gets_its_caller_from_lr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
