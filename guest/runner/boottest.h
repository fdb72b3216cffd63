/* SPDX-License-Identifier: MIT */
/*
 * The boot-test framework: self-registering tests, assertions with file:line
 * diagnostics, skips, and recovery from expected faults.
 */
#ifndef RUNNER_BOOTTEST_H
#define RUNNER_BOOTTEST_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Once-per-boot hooks of a suite (BOOT_SUITE): setup runs before the first of
 * its tests that a boot runs, teardown after the last. Both run contained,
 * like a test: an assertion or skip there decides the tests' results.
 */
struct boot_suite {
	void (*setup)(void);
	void (*teardown)(void);
};

/*
 * One registered test. The last three fields are its options, set by
 * BOOT_TEST's designated initializers; zero means "not set".
 */
struct boot_test {
	const char *suite;
	const char *name;
	void (*fn)(void);
	const char *file;		/* source file, as the compiler saw it */
	const struct boot_suite *hooks; /* the suite's BOOT_SUITE, or NULL */
	uint32_t timeout_s;		/* the harness's timeout for this test; 0: its default */
	uint16_t cpus;			/* CPUs the test needs; fewer: it skips saying so */
	bool manual;			/* never in the default set: runs only when selected */
};

/*
 * BOOT_TEST(suite, case[, .option = value...]) { ... } defines a test and
 * puts its descriptor in the .boot_tests.<suite>.<case> section; the linker
 * script sorts and collects them, so adding a test is one new file and no
 * list to edit. Options: .timeout_s, .cpus, .manual (struct boot_test).
 *
 * The descriptor is a global symbol named boot_test.<suite>.<case> (a name C
 * cannot spell, so no other symbol collides with it): a second definition of
 * the same test anywhere in the image is a link error naming it. The suite's
 * hooks are found through a weak reference, NULL when it has no BOOT_SUITE.
 */
/* Kept as written: clang-format splits the asm label mid-string. */
/* clang-format off */
#define BOOT_TEST(suite_, case_, ...)                                          \
	static void boot_test_fn_##suite_##_##case_(void);                     \
	static const struct boot_suite boot_test_hooks_##suite_##_##case_      \
		__attribute__((weakref("boot_suite." #suite_)));               \
	const struct boot_test boot_test_##suite_##_##case_                    \
		__asm__("boot_test." #suite_ "." #case_)                       \
		__attribute__((used, aligned(8),                               \
			       section(".boot_tests." #suite_ "." #case_))) = { \
		.suite = #suite_, .name = #case_,                              \
		.fn = boot_test_fn_##suite_##_##case_, .file = __FILE__,       \
		.hooks = &boot_test_hooks_##suite_##_##case_, __VA_ARGS__ };   \
	static void boot_test_fn_##suite_##_##case_(void)
/* clang-format on */

/*
 * BOOT_SUITE(suite, .setup = fn, .teardown = fn): the suite's hooks, defined
 * once in the image (a second definition is a link error).
 */
#define BOOT_SUITE(suite_, ...)                                                    \
	const struct boot_suite boot_suite_##suite_ __asm__("boot_suite." #suite_) \
		__attribute__((used)) = { __VA_ARGS__ }

/* The catalogue, sorted by "suite.case" (linker/guest.ld). */
extern const struct boot_test __boot_tests_start[], __boot_tests_end[];

/* Diagnostics and outcomes, for use inside a test. */
void bt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void bt_abort(void) __attribute__((noreturn));
void bt_skip(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/*
 * Call fn(arg) after the test, however it ends: returned, stopped by an
 * ASSERT or a skip, or crashed. Cleanups run last first, each contained (one
 * that fails or crashes fails or crashes the test). Deferred by a suite's
 * setup, a cleanup runs after the suite's teardown instead. At most
 * BT_DEFER_MAX at a time: one more fails the test, calling fn(arg) at once.
 */
#define BT_DEFER_MAX 8
void bt_defer(void (*fn)(void *), void *arg);

/* What an expected synchronous exception looked like. */
struct bt_fault {
	uint64_t esr, elr, far;
};

/*
 * Run fn(arg) expecting it to take a synchronous exception. Returns true and
 * fills @fault when it did (execution resumes here), false when fn returned.
 */
bool bt_expect_fault(void (*fn)(void *), void *arg, struct bt_fault *fault);

#define BT_CHECK_(cond, abort, ...)                               \
	do {                                                      \
		if (!(cond)) {                                    \
			bt_fail(__FILE__, __LINE__, __VA_ARGS__); \
			if (abort)                                \
				bt_abort();                       \
		}                                                 \
	} while (0)

#define BT_CMP_(a, op, b, abort)                                                                   \
	do {                                                                                       \
		unsigned long long bt_a_ = (unsigned long long)(a);                                \
		unsigned long long bt_b_ = (unsigned long long)(b);                                \
		BT_CHECK_(bt_a_ op bt_b_, abort, "%s " #op " %s: 0x%llx vs 0x%llx", #a, #b, bt_a_, \
			  bt_b_);                                                                  \
	} while (0)

#define EXPECT_TRUE(c)	BT_CHECK_(c, false, "expected %s", #c)
#define ASSERT_TRUE(c)	BT_CHECK_(c, true, "expected %s", #c)
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
