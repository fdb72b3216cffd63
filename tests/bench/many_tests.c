/* SPDX-License-Identifier: MIT */
/*
 * Bench-only guest image (make bench, never the shipped one): the testrunner
 * plus a `bench` suite of trivial tests, to measure the per-test overhead of
 * many tests in one boot and to feed 20 boots to `--isolate -j 2`.
 * Linked into build/tests/bench/testrunner-bench.elf only, so the shipped
 * image keeps its size and default set.
 */
#include "runner/boottest.h"

/* A test that does nothing: what remains of its time is the runner's. */
/* clang-format off */
#define NOP_TEST(n) BOOT_TEST(bench, t##n) { }
#define NOP_TEN(d) NOP_TEST(d##0) NOP_TEST(d##1) NOP_TEST(d##2) NOP_TEST(d##3) \
	NOP_TEST(d##4) NOP_TEST(d##5) NOP_TEST(d##6) NOP_TEST(d##7) NOP_TEST(d##8) \
	NOP_TEST(d##9)
#define NOP_HUNDRED(h) NOP_TEN(h##0) NOP_TEN(h##1) NOP_TEN(h##2) NOP_TEN(h##3) \
	NOP_TEN(h##4) NOP_TEN(h##5) NOP_TEN(h##6) NOP_TEN(h##7) NOP_TEN(h##8) \
	NOP_TEN(h##9)
/* clang-format on */

/* bench.t000 .. bench.t199 */
NOP_HUNDRED(0)
NOP_HUNDRED(1)
