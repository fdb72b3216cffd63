/* SPDX-License-Identifier: MIT */
/*
 * The boot-test framework: self-registering tests, assertions with file:line
 * diagnostics, skips, and recovery from expected faults.
 */
#ifndef RUNNER_BOOTTEST_H
#define RUNNER_BOOTTEST_H

#include <stdbool.h>
#include <stdint.h>

struct boot_test {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

/*
 * BOOT_TEST(suite, case) { ... } defines a test and puts its descriptor in the
 * .boot_tests.<suite>.<case> section; the linker script sorts and collects
 * them, so adding a test is one new file and no list to edit.
 */
#define BOOT_TEST(suite, name)                                                 \
	static void boot_test_fn_##suite##_##name(void);                       \
	static const struct boot_test boot_test_##suite##_##name               \
		__attribute__((used, aligned(8),                               \
			       section(".boot_tests." #suite "." #name))) = {  \
			#suite, #name, boot_test_fn_##suite##_##name };        \
	static void boot_test_fn_##suite##_##name(void)

/* The catalogue, sorted by "suite.case" (linker/guest.ld). */
extern const struct boot_test __boot_tests_start[], __boot_tests_end[];

/* Diagnostics and outcomes, for use inside a test. */
void bt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void bt_abort(void) __attribute__((noreturn));
void bt_skip(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* What an expected synchronous exception looked like. */
struct bt_fault {
	uint64_t esr, elr, far;
};

/*
 * Run fn(arg) expecting it to take a synchronous exception. Returns true and
 * fills @fault when it did (execution resumes here), false when fn returned.
 */
bool bt_expect_fault(void (*fn)(void *), void *arg, struct bt_fault *fault);

#define BT_CHECK_(cond, abort, ...)                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			bt_fail(__FILE__, __LINE__, __VA_ARGS__);              \
			if (abort)                                             \
				bt_abort();                                    \
		}                                                              \
	} while (0)

#define BT_CMP_(a, op, b, abort)                                               \
	do {                                                                   \
		unsigned long long bt_a_ = (unsigned long long)(a);            \
		unsigned long long bt_b_ = (unsigned long long)(b);            \
		BT_CHECK_(bt_a_ op bt_b_, abort, "%s " #op " %s: 0x%llx vs 0x%llx", \
			  #a, #b, bt_a_, bt_b_);                               \
	} while (0)

#define EXPECT_TRUE(c)  BT_CHECK_(c, false, "expected %s", #c)
#define ASSERT_TRUE(c)  BT_CHECK_(c, true, "expected %s", #c)
#define EXPECT_EQ(a, b) BT_CMP_(a, ==, b, false)
#define EXPECT_NE(a, b) BT_CMP_(a, !=, b, false)
#define EXPECT_LT(a, b) BT_CMP_(a, <, b, false)
#define EXPECT_LE(a, b) BT_CMP_(a, <=, b, false)
#define EXPECT_GT(a, b) BT_CMP_(a, >, b, false)
#define EXPECT_GE(a, b) BT_CMP_(a, >=, b, false)
#define ASSERT_EQ(a, b) BT_CMP_(a, ==, b, true)
#define ASSERT_NE(a, b) BT_CMP_(a, !=, b, true)
#define ASSERT_LT(a, b) BT_CMP_(a, <, b, true)
#define ASSERT_LE(a, b) BT_CMP_(a, <=, b, true)
#define ASSERT_GT(a, b) BT_CMP_(a, >, b, true)
#define ASSERT_GE(a, b) BT_CMP_(a, >=, b, true)

#endif /* RUNNER_BOOTTEST_H */
