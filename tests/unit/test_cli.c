/* SPDX-License-Identifier: MIT */
/* Option parsing: every value checked, every bad input a one-line error. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "commands/cli.h"

static struct options o;
static char err[256];

static int parse_v(enum cli_cmd cmd, const char *first, va_list ap)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = (char *)"run";
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	argv[argc] = NULL;
	err[0] = '\0';
	cli_free(&o);
	return cli_parse(argc, argv, cmd, &o, err, sizeof(err));
}

static int parse(const char *first, ...)
{
	va_list ap;
	int ret;

	va_start(ap, first);
	ret = parse_v(CLI_RUN, first, ap);
	va_end(ap);
	return ret;
}

/* The same, for another command. */
static int parse_cmd(enum cli_cmd cmd, const char *first, ...)
{
	va_list ap;
	int ret;

	va_start(ap, first);
	ret = parse_v(cmd, first, ap);
	va_end(ap);
	return ret;
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), 0);
	assert_int_equal(o.timeout_ms, 120000);
	assert_int_equal(o.boot_timeout_ms, 30000);
	assert_int_equal(o.jobs, 1);
	assert_int_equal(o.smp, 1);
	assert_string_equal(o.memory, "256M");
	assert_null(o.image);
	assert_null(o.qemu);
	assert_int_equal(o.shard_index, -1);
	assert_int_equal(o.n_selectors, 0);
	assert_false(o.isolate || o.verbose || o.debug || o.smp_explicit || o.list_long);
	assert_int_equal(o.n_excludes, 0);
}

static void test_all_options(void **state)
{
	(void)state;
	assert_int_equal(parse("--image", "a.elf", "--qemu", "/q", "--timeout", "2.5", "--smp", "4",
			       "--memory", "1G", "--qemu-arg", "-d", "--qemu-arg", "int", "-j", "3",
			       "--isolate", "--retry", "2", "--junit", "j.xml", "--ktap", "k.ktap",
			       "--shard-index", "1", "--shard-count", "3", "--verbose", "selftest",
			       "fixture.*", "a.b", NULL),
			 0);
	assert_string_equal(o.image, "a.elf");
	assert_string_equal(o.qemu, "/q");
	assert_int_equal(o.timeout_ms, 2500);
	assert_int_equal(o.smp, 4);
	assert_true(o.smp_explicit);
	assert_string_equal(o.memory, "1G");
	assert_int_equal(o.n_qemu_args, 2);
	assert_string_equal(o.qemu_args[1], "int");
	assert_int_equal(o.jobs, 3);
	assert_true(o.isolate);
	assert_int_equal(o.retry, 2);
	assert_string_equal(o.junit, "j.xml");
	assert_string_equal(o.ktap, "k.ktap");
	assert_int_equal(o.shard_index, 1);
	assert_int_equal(o.shard_count, 3);
	assert_true(o.verbose);
	assert_int_equal(o.n_selectors, 3);
	assert_string_equal(o.selectors[1], "fixture.*");
	assert_int_equal(parse("--jobs=2", "--timeout=1", NULL), 0);
	assert_int_equal(o.jobs, 2);
	assert_int_equal(parse("--help", NULL), CLI_HELP);
	assert_int_equal(parse("-h", NULL), CLI_HELP);
	assert_int_equal(parse("--debug", NULL), 0);
	assert_true(o.debug);
	assert_int_equal(o.gdb_port, 0);
	assert_int_equal(parse("--log-dir", "logs", NULL), 0);
	assert_string_equal(o.log_dir, "logs");
	assert_int_equal(parse("--gdb-port", "4321", NULL), 0);
	assert_true(o.debug);
	assert_int_equal(o.gdb_port, 4321);
	assert_int_equal(parse("--boot-timeout", "0.25", NULL), 0);
	assert_int_equal(o.boot_timeout_ms, 250);
	assert_int_equal(parse(NULL), 0);
	assert_int_equal(o.colour, TERM_COLOUR_AUTO);
	assert_int_equal(parse("--color=never", NULL), 0);
	assert_int_equal(o.colour, TERM_COLOUR_NEVER);
	assert_int_equal(parse("--color", "always", NULL), 0);
	assert_int_equal(o.colour, TERM_COLOUR_ALWAYS);
	assert_int_equal(parse("--color", "auto", NULL), 0);
	assert_int_equal(o.colour, TERM_COLOUR_AUTO);
}

static void expect_error(int ret, const char *want)
{
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(err, want);
	assert_null(strchr(err, '\n'));
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_error(parse("--bogus", NULL), "--bogus: unknown option");
	expect_error(parse("--color=yes", NULL), "--color: expected auto, always or never");
	expect_error(parse("-x", NULL), "-x: unknown option");
	expect_error(parse("--timeout", NULL), "--timeout: option needs a value");
	expect_error(parse("--timeout", "0", NULL),
		     "--timeout: expected seconds, more than 0 and at most 604800 (7 days)");
	expect_error(parse("--timeout", "-1", NULL),
		     "--timeout: expected seconds, more than 0 and at most 604800 (7 days)");
	expect_error(parse("--timeout", "5s", NULL),
		     "--timeout: expected seconds, more than 0 and at most 604800 (7 days)");
	expect_error(parse("--timeout", "nan", NULL),
		     "--timeout: expected seconds, more than 0 and at most 604800 (7 days)");
	expect_error(parse("--boot-timeout", "0", NULL),
		     "--boot-timeout: expected seconds, more than 0 and at most 604800 (7 days)");
	expect_error(parse("-j", "0", NULL), "-j: expected 1..256");
	expect_error(parse("-j", "x", NULL), "-j: expected 1..256");
	expect_error(parse("-j", "99999999999999999999", NULL), "-j: expected 1..256");
	expect_error(parse("--smp", "0", NULL), "--smp: expected 1..512");
	expect_error(parse("--memory", "lots", NULL), "--memory: expected a size like 256M or 1G");
	expect_error(parse("--memory", "256MB", NULL), "--memory: expected a size like 256M or 1G");
	expect_error(parse("--retry", "-1", NULL), "--retry: expected 0..100");
	expect_error(parse("--image", "", NULL), "--image: empty path");
	expect_error(parse("--shard-index", "1", NULL),
		     "--shard-index: --shard-index and --shard-count go together");
	expect_error(parse("--shard-index", "3", "--shard-count", "3", NULL),
		     "--shard-index: must be below --shard-count");
	expect_error(parse("--shard-count", "0", "--shard-index", "0", NULL),
		     "--shard-count: expected a number >= 1");
	expect_error(parse("--log-dir", "", NULL), "--log-dir: empty path");
	expect_error(parse_cmd(CLI_BOOT, "--kernel", "I", "--log-dir", "d", NULL),
		     "--log-dir: unknown option for boot");
	expect_error(parse("--gdb-port", "0", NULL), "--gdb-port: expected a TCP port, 1..65535");
	expect_error(parse("--gdb-port", "65536", NULL),
		     "--gdb-port: expected a TCP port, 1..65535");
	expect_error(parse("--gdb-port", "12ab", NULL),
		     "--gdb-port: expected a TCP port, 1..65535");
	expect_error(parse("--gdb-port", "2000", "-j", "2", NULL),
		     "--debug: needs a single boot (no -j, no --isolate)");
	expect_error(parse("--debug", "-j", "2", NULL),
		     "--debug: needs a single boot (no -j, no --isolate)");
	expect_error(parse("--exclude", "a b", NULL),
		     "--exclude 'a b': only letters, digits and _ . * - are allowed");
	expect_error(parse("--exclude", "", NULL), "--exclude '': empty selector");
	expect_error(parse("--exclude", "suite.", NULL),
		     "--exclude 'suite.': empty suite or case name");
	expect_error(parse("--long", NULL), "--long: only for list");
}

/* --exclude (run and list, repeatable), list's selectors and --long */
static void test_selection_options(void **state)
{
	(void)state;
	assert_int_equal(parse("--exclude", "fixture.*", "--exclude=selftest", "a", NULL), 0);
	assert_int_equal(o.n_excludes, 2);
	assert_string_equal(o.excludes[0], "fixture.*");
	assert_string_equal(o.excludes[1], "selftest");
	assert_int_equal(o.n_selectors, 1);
	assert_int_equal(parse_cmd(CLI_LIST, "--long", "--exclude", "a.b", "selftest", "a.*", NULL),
			 0);
	assert_true(o.list_long);
	assert_int_equal(o.n_excludes, 1);
	assert_int_equal(o.n_selectors, 2);
	assert_string_equal(o.selectors[1], "a.*");
	expect_error(parse_cmd(CLI_LIST, "a b", NULL),
		     "selector 'a b': only letters, digits and _ . * - are allowed");
	expect_error(parse_cmd(CLI_BOOT, "--kernel", "I", "--exclude", "a", NULL),
		     "--exclude: unknown option for boot");
}

static void test_bad_selectors(void **state)
{
	char longsel[300];

	(void)state;
	expect_error(parse("", NULL), "selector '': empty selector");
	expect_error(parse("a b", NULL),
		     "selector 'a b': only letters, digits and _ . * - are allowed");
	expect_error(parse("a;rm", NULL),
		     "selector 'a;rm': only letters, digits and _ . * - are allowed");
	expect_error(parse("suite.", NULL), "selector 'suite.': empty suite or case name");
	expect_error(parse(".case", NULL), "selector '.case': empty suite or case name");
	expect_error(parse("a..b", NULL), "selector 'a..b': empty suite or case name");
	expect_error(parse("--", "--list", NULL), "selector '--list': must not start with '-'");
	memset(longsel, 'a', sizeof(longsel));
	longsel[sizeof(longsel) - 1] = '\0';
	assert_int_equal(parse(longsel, NULL), -EINVAL);
	assert_non_null(strstr(err, "too long for a request"));
	assert_true(cli_selector_valid("selftest.timer-2", NULL));
	assert_true(cli_selector_valid("*", NULL));
}

static const char *env_vals[8][2];

static const char *fake_env(const char *name)
{
	for (int i = 0; i < 8 && env_vals[i][0]; i++)
		if (!strcmp(env_vals[i][0], name))
			return env_vals[i][1];
	return NULL;
}

static void set_env(int i, const char *k, const char *v)
{
	env_vals[i][0] = k;
	env_vals[i][1] = v;
	env_vals[i + 1][0] = NULL;
}

static void test_environment(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), 0);
	set_env(0, "TESTRUNNER_QEMU", "/opt/qemu");
	set_env(1, "TEST_SHARD_STATUS_FILE", "/tmp/status");
	assert_int_equal(cli_apply_env(&o, fake_env, err, sizeof(err)), 0);
	assert_string_equal(o.qemu, "/opt/qemu");
	assert_string_equal(o.shard_status_file, "/tmp/status");

	/* the command line wins */
	assert_int_equal(parse("--qemu", "/q", NULL), 0);
	assert_int_equal(cli_apply_env(&o, fake_env, err, sizeof(err)), 0);
	assert_string_equal(o.qemu, "/q");
	set_env(0, "X", "y");
}

static int teardown(void **state)
{
	(void)state;
	cli_free(&o);
	return 0;
}

/* `boot` shares the parser: its machine options, none of run's. */
static void test_boot_options(void **state)
{
	(void)state;
	assert_int_equal(parse_cmd(CLI_BOOT, "--kernel", "Image", "--initrd", "rd", "--append",
				   "a b", "--smp", "4", "--memory", "1G", "--timeout", "30",
				   "--qemu-arg", "-s", NULL),
			 0);
	assert_string_equal(o.kernel, "Image");
	assert_string_equal(o.initrd, "rd");
	assert_string_equal(o.append, "a b");
	assert_int_equal(o.smp, 4);
	assert_string_equal(o.memory, "1G");
	assert_int_equal(o.timeout_ms, 30000);
	assert_int_equal(o.n_qemu_args, 1);
	/* the same defaults as run's machine */
	assert_int_equal(parse_cmd(CLI_BOOT, "--kernel", "Image", NULL), 0);
	assert_int_equal(o.smp, 1);
	assert_string_equal(o.memory, "256M");
	assert_int_equal(o.timeout_ms, 120000);
	assert_null(o.expect);
	assert_null(o.fail_on);
	assert_int_equal(
		parse_cmd(CLI_BOOT, "--kernel", "I", "--expect", "login:", "--fail-on", "", NULL),
		0);
	assert_string_equal(o.expect, "login:");
	assert_string_equal(o.fail_on, "");
	expect_error(parse("--expect", "x", NULL), "--expect: unknown option for run");
	expect_error(parse_cmd(CLI_LIST, "--fail-on", "x", NULL),
		     "--fail-on: unknown option for list");
	expect_error(parse_cmd(CLI_BOOT, NULL),
		     "--kernel: an arm64 Image is required (see --help)");
	expect_error(parse_cmd(CLI_BOOT, "--kernel", "I", "--junit", "x", NULL),
		     "--junit: unknown option for boot");
	expect_error(parse_cmd(CLI_BOOT, "--kernel", "I", "extra", NULL),
		     "extra: unexpected argument (see --help)");
	expect_error(parse_cmd(CLI_BOOT, "--kernel", "I", "--smp", "0", NULL),
		     "--smp: expected 1..512");
	expect_error(parse_cmd(CLI_BOOT, "--kernel", "", NULL), "--kernel: empty path");
	expect_error(parse("--kernel", "Image", NULL), "--kernel: unknown option for run");
	expect_error(parse_cmd(CLI_LIST, "--append", "x", NULL),
		     "--append: unknown option for list");
}

/* --firmware: run, list and boot; 1 GiB unless asked for more, less refused. */
static void test_firmware_options(void **state)
{
	(void)state;
	assert_int_equal(parse("--firmware", "tfa", NULL), 0);
	assert_string_equal(o.firmware, "tfa");
	assert_string_equal(o.memory, "1G");
	assert_int_equal(parse("--firmware", "tfa", "--memory", "2G", NULL), 0);
	assert_string_equal(o.memory, "2G");
	assert_int_equal(parse("--memory", "1024", "--firmware", "tfa", NULL), 0);
	assert_int_equal(parse("--firmware", "tfa", "--memory", "1048576k", NULL), 0);
	assert_int_equal(parse_cmd(CLI_LIST, "--firmware", "tfa", NULL), 0);
	assert_int_equal(
		parse_cmd(CLI_BOOT, "--kernel", "I", "--firmware", "tfa", "--verbose", NULL), 0);
	assert_string_equal(o.firmware, "tfa");
	assert_true(o.verbose);
	assert_string_equal(o.memory, "1G");
	/* without it nothing changes */
	assert_int_equal(parse("--memory", "512M", NULL), 0);
	assert_null(o.firmware);
	expect_error(parse("--firmware", "tfa", "--memory", "512M", NULL),
		     "--firmware: needs --memory 1G or more (TF-A loads BL33 at 0x60000000)");
	expect_error(parse("--firmware", "tfa", "--memory", "1023", NULL),
		     "--firmware: needs --memory 1G or more (TF-A loads BL33 at 0x60000000)");
	expect_error(
		parse_cmd(CLI_BOOT, "--kernel", "I", "--firmware", "t", "--memory", "256M", NULL),
		"--firmware: needs --memory 1G or more (TF-A loads BL33 at 0x60000000)");
	expect_error(parse("--firmware", "", NULL), "--firmware: empty path");
	assert_int_equal(cli_memory_mib("256M"), 256);
	assert_int_equal(cli_memory_mib("1G"), 1024);
	assert_int_equal(cli_memory_mib("2048k"), 2);
	assert_int_equal(cli_memory_mib("1T"), 1024 * 1024);
	assert_int_equal(cli_memory_mib("300"), 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),	  cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_bad_values),	  cmocka_unit_test(test_bad_selectors),
		cmocka_unit_test(test_selection_options), cmocka_unit_test(test_environment),
		cmocka_unit_test(test_boot_options),	  cmocka_unit_test(test_firmware_options),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
