/* SPDX-License-Identifier: MIT */
/* Option parsing for testrunner-host run/list; every value is checked here. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testrunner/protocol.h>

#include "commands/cli.h"
#include "machine/qemu.h"

#define JOBS_MAX      256
#define RETRY_MAX     100
#define SHARDS_MAX    1000000
#define TIMEOUT_MAX_S (7 * 86400)

void cli_usage(FILE *f)
{
	fputs("usage: testrunner-host run [options] [SELECTOR...]   run boot tests in QEMU\n"
	      "       testrunner-host list [--long] [options] [SELECTOR...]   print the tests\n"
	      "       testrunner-host boot --kernel IMAGE [...]     boot a secondary OS\n"
	      "SELECTOR: suite.case, a whole suite, or a glob (selftest.*); none: every test not\n"
	      "  .manual (list: every test). A .manual test runs only when named as suite.case\n"
	      "  --exclude GLOB     leave out the tests GLOB selects (repeatable; run and list)\n"
	      "  --long             list: each test with its options and source file\n"
	      "  --image FILE       guest image (default: ../guest/testrunner.elf next to us)\n"
	      "  --qemu PATH        QEMU binary (default: $TESTRUNNER_QEMU, qemu-system-aarch64)\n"
	      "  --timeout SECONDS  per-test timeout for tests without their own (default 120)\n"
	      "  --boot-timeout SECONDS  QEMU start to the guest's first output (default 30)\n"
	      "  --smp N, --memory SIZE, --qemu-arg ARG (repeatable): QEMU machine; a test\n"
	      "                     needing more CPUs gets its own boot (--smp given: skipped)\n"
	      "  --firmware DIR     boot through TF-A: -bios DIR/bl1.bin, the image's .bin as\n"
	      "                     bl33.bin, secure=on,virtualization=on, 1G (docs/boot-chains.md)\n"
	      "  -j, --jobs N       run N QEMU instances in parallel\n"
	      "  --isolate          one boot per test (default: one boot, rebooted after a crash)\n"
	      "  --retry N          rerun failed tests up to N times; pass on retry = flaky\n"
	      "  --junit FILE       write a JUnit XML report\n"
	      "  --ktap FILE        write the merged KTAP document\n"
	      "  --tap FILE, --json FILE   TAP version 13; one JSON record per test\n"
	      "  --rerun-failed FILE  run what failed in an earlier --json FILE\n"
	      "  --log-dir DIR      a log file per test, the serial console and QEMU's\n"
	      "                     output per boot (DIR/boot-N.serial.log, .qemu.log, .qmp.log)\n"
	      "  --shard-index I --shard-count N   run every Nth test from the I-th\n"
	      "                     (also Bazel's, GitLab's, CircleCI's, Buildkite's variables)\n"
	      "  --rpmb-file FILE   RPMB device for the rpmb0 port, created with the test key\n"
	      "                     if missing (default: a new temporary device per boot)\n"
	      "  --no-rpmb          no rpmb0 port and no RPMB emulator\n"
	      "  --verbose          guest serial console to stderr (and the secure UART's)\n"
	      "  --color WHEN       auto (a terminal, NO_COLOR unset or empty), always, never\n"
	      "  --debug            start QEMU halted with a gdb stub on 127.0.0.1, no timeout\n"
	      "  --gdb-port N       the stub's port (implies --debug; default: a free one)\n"
	      "  -h, --help         this help\n"
	      "Output: the guest's log on stdout; one line per test and the summary on stderr.\n"
	      "Exit: 0 all selected tests passed, 1 a test failed, crashed or timed out,\n"
	      "      2 infrastructure or usage error (QEMU, image, channel, protocol),\n"
	      "      128+N interrupted by signal N (SIGINT 130, SIGTERM 143, SIGHUP, SIGQUIT, SIGALRM).\n",
	      f);
}

enum {
	OPT_IMAGE = 256,
	OPT_QEMU,
	OPT_TIMEOUT,
	OPT_SMP,
	OPT_MEMORY,
	OPT_QEMU_ARG,
	OPT_ISOLATE,
	OPT_RETRY,
	OPT_JUNIT,
	OPT_KTAP,
	OPT_TAP,
	OPT_JSON,
	OPT_RERUN_FAILED,
	OPT_SHARD_INDEX,
	OPT_SHARD_COUNT,
	OPT_VERBOSE,
	OPT_DEBUG,
	OPT_GDB_PORT,
	OPT_RPMB_FILE,
	OPT_NO_RPMB,
	OPT_BOOT_TIMEOUT,
	OPT_KERNEL,
	OPT_INITRD,
	OPT_APPEND,
	OPT_FIRMWARE,
	OPT_EXCLUDE,
	OPT_LONG,
	OPT_EXPECT,
	OPT_LOG_DIR,
	OPT_FAIL_ON,
	OPT_SYMBOLS,
	OPT_COLOR,
};

static const char *cli_cmd_name(enum cli_cmd cmd)
{
	return cmd == CLI_BOOT ? "boot" : cmd == CLI_LIST ? "list" : "run";
}

/* The options `boot` takes; run and list take all others. */
static bool for_boot(int opt)
{
	switch (opt) {
	case OPT_IMAGE:
	case OPT_QEMU:
	case OPT_TIMEOUT:
	case OPT_SMP:
	case OPT_MEMORY:
	case OPT_QEMU_ARG:
	case OPT_KERNEL:
	case OPT_INITRD:
	case OPT_APPEND:
	case OPT_FIRMWARE:
	case OPT_VERBOSE:
	case OPT_EXPECT:
	case OPT_FAIL_ON:
	case OPT_SYMBOLS:
	case 'h':
		return true;
	default:
		return false;
	}
}

static const struct option long_opts[] = {
	{ "image", required_argument, NULL, OPT_IMAGE },
	{ "qemu", required_argument, NULL, OPT_QEMU },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "boot-timeout", required_argument, NULL, OPT_BOOT_TIMEOUT },
	{ "smp", required_argument, NULL, OPT_SMP },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "qemu-arg", required_argument, NULL, OPT_QEMU_ARG },
	{ "jobs", required_argument, NULL, 'j' },
	{ "isolate", no_argument, NULL, OPT_ISOLATE },
	{ "retry", required_argument, NULL, OPT_RETRY },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "ktap", required_argument, NULL, OPT_KTAP },
	{ "tap", required_argument, NULL, OPT_TAP },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "rerun-failed", required_argument, NULL, OPT_RERUN_FAILED },
	{ "shard-index", required_argument, NULL, OPT_SHARD_INDEX },
	{ "shard-count", required_argument, NULL, OPT_SHARD_COUNT },
	{ "rpmb-file", required_argument, NULL, OPT_RPMB_FILE },
	{ "no-rpmb", no_argument, NULL, OPT_NO_RPMB },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "gdb-port", required_argument, NULL, OPT_GDB_PORT },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "firmware", required_argument, NULL, OPT_FIRMWARE },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "long", no_argument, NULL, OPT_LONG },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "log-dir", required_argument, NULL, OPT_LOG_DIR },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "symbols", required_argument, NULL, OPT_SYMBOLS },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int bad(char *err, size_t errlen, const char *what, const char *why)
{
	snprintf(err, errlen, "%s: %s", what, why);
	return -EINVAL;
}

int cli_parse(int argc, char **argv, enum cli_cmd cmd, struct options *o, char *err, size_t errlen)
{
	unsigned long v;
	double secs;
	char *end;
	int c, idx = -1;
	bool memory_set = false;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	o->timeout_ms = CLI_DEFAULT_TIMEOUT_MS;
	o->boot_timeout_ms = CLI_DEFAULT_BOOT_TIMEOUT_MS;
	o->smp = QEMU_DEFAULT_SMP;
	o->jobs = 1;
	o->memory = QEMU_DEFAULT_MEMORY;
	o->shard_index = -1;
	o->shard_count = -1;
	o->qemu_args = calloc((size_t)argc + 1, sizeof(*o->qemu_args));
	o->selectors = calloc((size_t)argc + 1, sizeof(*o->selectors));
	o->excludes = calloc((size_t)argc + 1, sizeof(*o->excludes));
	if (!o->qemu_args || !o->selectors || !o->excludes)
		return bad(err, errlen, "memory", "out of memory");

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hj:", long_opts, &idx)) != -1) {
		const char *arg = optarg;
		bool boot_only = c == OPT_KERNEL || c == OPT_INITRD || c == OPT_APPEND ||
				 c == OPT_EXPECT || c == OPT_FAIL_ON || c == OPT_SYMBOLS;

		if ((cmd == CLI_BOOT && c != ':' && c != '?' && !for_boot(c)) ||
		    (cmd != CLI_BOOT && boot_only)) {
			if (idx >= 0)
				snprintf(err, errlen, "--%s: unknown option for %s",
					 long_opts[idx].name, cli_cmd_name(cmd));
			else
				snprintf(err, errlen, "-%c: unknown option for %s", c,
					 cli_cmd_name(cmd));
			return -EINVAL;
		}
		idx = -1;
		switch (c) {
		case 'h':
			return CLI_HELP;
		case OPT_IMAGE:
			if (!*arg)
				return bad(err, errlen, "--image", "empty path");
			o->image = arg;
			break;
		case OPT_QEMU:
			if (!*arg)
				return bad(err, errlen, "--qemu", "empty path");
			o->qemu = arg;
			break;
		case OPT_TIMEOUT:
		case OPT_BOOT_TIMEOUT: {
			unsigned long *ms = c == OPT_TIMEOUT ? &o->timeout_ms : &o->boot_timeout_ms;

			errno = 0;
			secs = strtod(arg, &end);
			if (errno || end == arg || *end || !(secs > 0) || secs > TIMEOUT_MAX_S) {
				snprintf(err, errlen,
					 "%s: expected seconds, more than 0 and at most "
					 "%d (7 days)",
					 c == OPT_TIMEOUT ? "--timeout" : "--boot-timeout",
					 TIMEOUT_MAX_S);
				return -EINVAL;
			}
			*ms = (unsigned long)(secs * 1000 + 0.5);
			if (!*ms)
				*ms = 1;
			break;
		}
		case OPT_SMP:
			if (!cli_smp_parse(arg, &o->smp))
				return bad(err, errlen, "--smp", "expected 1..512");
			o->smp_explicit = true;
			break;
		case OPT_MEMORY:
			if (!cli_memory_valid(arg))
				return bad(err, errlen, "--memory",
					   "expected a size like 256M or 1G");
			o->memory = arg;
			memory_set = true;
			break;
		case OPT_QEMU_ARG:
			o->qemu_args[o->n_qemu_args++] = arg;
			break;
		case 'j':
			if (!cli_parse_ulong(arg, 1, JOBS_MAX, &v))
				return bad(err, errlen, "-j", "expected 1..256");
			o->jobs = (unsigned int)v;
			break;
		case OPT_ISOLATE:
			o->isolate = true;
			break;
		case OPT_RETRY:
			if (!cli_parse_ulong(arg, 0, RETRY_MAX, &v))
				return bad(err, errlen, "--retry", "expected 0..100");
			o->retry = (unsigned int)v;
			break;
		case OPT_JUNIT:
			if (!*arg)
				return bad(err, errlen, "--junit", "empty path");
			o->junit = arg;
			break;
		case OPT_KTAP:
		case OPT_TAP:
		case OPT_JSON:
		case OPT_RERUN_FAILED: {
			const char **to = c == OPT_KTAP	  ? &o->ktap
					  : c == OPT_TAP  ? &o->tap
					  : c == OPT_JSON ? &o->json
							  : &o->rerun_failed;
			const char *name = c == OPT_KTAP   ? "--ktap"
					   : c == OPT_TAP  ? "--tap"
					   : c == OPT_JSON ? "--json"
							   : "--rerun-failed";

			if (!*arg)
				return bad(err, errlen, name, "empty path");
			if (cmd == CLI_LIST)
				return bad(err, errlen, name, "only for run");
			*to = arg;
			break;
		}
		case OPT_SHARD_INDEX:
			if (!cli_parse_ulong(arg, 0, SHARDS_MAX, &v))
				return bad(err, errlen, "--shard-index", "expected a number >= 0");
			o->shard_index = (long)v;
			break;
		case OPT_SHARD_COUNT:
			if (!cli_parse_ulong(arg, 1, SHARDS_MAX, &v))
				return bad(err, errlen, "--shard-count", "expected a number >= 1");
			o->shard_count = (long)v;
			break;
		case OPT_RPMB_FILE:
			if (!*arg)
				return bad(err, errlen, "--rpmb-file", "empty path");
			if (cmd == CLI_LIST)
				return bad(err, errlen, "--rpmb-file", "only for run");
			o->rpmb_file = arg;
			break;
		case OPT_NO_RPMB:
			o->no_rpmb = true;
			break;
		case OPT_VERBOSE:
			o->verbose = true;
			break;
		case OPT_COLOR:
			if (!strcmp(optarg, "auto"))
				o->colour = TERM_COLOUR_AUTO;
			else if (!strcmp(optarg, "always"))
				o->colour = TERM_COLOUR_ALWAYS;
			else if (!strcmp(optarg, "never"))
				o->colour = TERM_COLOUR_NEVER;
			else
				return bad(err, errlen, "--color",
					   "expected auto, always or never");
			break;
		case OPT_DEBUG:
			o->debug = true;
			break;
		case OPT_GDB_PORT:
			if (!cli_parse_ulong(arg, 1, 65535, &v))
				return bad(err, errlen, "--gdb-port",
					   "expected a TCP port, 1..65535");
			o->gdb_port = (unsigned int)v;
			o->debug = true;
			break;
		case OPT_KERNEL:
		case OPT_INITRD:
			if (!*arg)
				return bad(err, errlen, c == OPT_KERNEL ? "--kernel" : "--initrd",
					   "empty path");
			*(c == OPT_KERNEL ? &o->kernel : &o->initrd) = arg;
			break;
		case OPT_APPEND:
			o->append = arg;
			break;
		case OPT_FIRMWARE:
			if (!*arg)
				return bad(err, errlen, "--firmware", "empty path");
			o->firmware = arg;
			break;
		case OPT_EXCLUDE: {
			const char *why;

			if (!cli_selector_valid(arg, &why)) {
				snprintf(err, errlen, "--exclude '%.64s': %s", arg, why);
				return -EINVAL;
			}
			o->excludes[o->n_excludes++] = arg;
			break;
		}
		case OPT_LONG:
			if (cmd != CLI_LIST)
				return bad(err, errlen, "--long", "only for list");
			o->list_long = true;
			break;
		case OPT_EXPECT:
			o->expect = arg;
			break;
		case OPT_LOG_DIR:
			if (!*arg)
				return bad(err, errlen, "--log-dir", "empty path");
			o->log_dir = arg;
			break;
		case OPT_FAIL_ON:
			o->fail_on = arg;
			break;
		case OPT_SYMBOLS:
			o->symbols = arg;
			break;
		case ':':
			snprintf(err, errlen, "%s: option needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
			if (optopt && optopt < 256)
				snprintf(err, errlen, "-%c: unknown option", optopt);
			else
				snprintf(err, errlen, "%s: unknown option", argv[optind - 1]);
			return -EINVAL;
		}
	}
	for (int i = optind; i < argc; i++) {
		const char *why;

		if (cmd == CLI_BOOT)
			return bad(err, errlen, argv[i], "unexpected argument (see --help)");
		if (!cli_selector_valid(argv[i], &why)) {
			snprintf(err, errlen, "selector '%.64s': %s", argv[i], why);
			return -EINVAL;
		}
		o->selectors[o->n_selectors++] = argv[i];
	}
	if (o->rerun_failed && o->n_selectors)
		return bad(err, errlen, "--rerun-failed",
			   "takes its tests from the file, not selectors");
	if (cmd == CLI_BOOT && !o->kernel)
		return bad(err, errlen, "--kernel", "an arm64 Image is required (see --help)");
	if ((o->shard_index >= 0) != (o->shard_count >= 0))
		return bad(err, errlen, "--shard-index",
			   "--shard-index and --shard-count go together");
	if (o->shard_count > 0 && o->shard_index >= o->shard_count)
		return bad(err, errlen, "--shard-index", "must be below --shard-count");
	if (o->rpmb_file && o->no_rpmb)
		return bad(err, errlen, "--rpmb-file", "contradicts --no-rpmb");
	/* each boot has its own emulator, and an emulator locks its file */
	if (o->rpmb_file && o->jobs > 1)
		return bad(err, errlen, "--rpmb-file",
			   "one device file cannot serve -j parallel QEMU instances "
			   "(use -j 1, or no --rpmb-file for a temporary device per boot)");
	/* TF-A loads BL33 512 MiB into RAM: less than 1 GiB is refused, not "fixed" */
	if (o->firmware && !memory_set)
		o->memory = QEMU_FIRMWARE_MEMORY;
	if (o->firmware && cli_memory_mib(o->memory) < QEMU_FIRMWARE_MEMORY_MIB)
		return bad(err, errlen, "--firmware",
			   "needs --memory " QEMU_FIRMWARE_MEMORY
			   " or more (TF-A loads BL33 at 0x60000000)");
	if (o->debug && (o->jobs > 1 || o->isolate))
		return bad(err, errlen, "--debug", "needs a single boot (no -j, no --isolate)");
	return 0;
}

void cli_free(struct options *o)
{
	free(o->qemu_args);
	free(o->selectors);
	free(o->excludes);
	free(o->owned_filter);
	free(o->filters);
	o->filters = NULL;
	o->n_filters = 0;
	free(o->owned_ktap);
	o->owned_filter = o->owned_ktap = NULL;
	for (size_t i = 0; i < o->n_owned_names; i++)
		free(o->owned_names[i]);
	free(o->owned_names);
	o->owned_names = NULL;
	o->n_owned_names = 0;
	o->qemu_args = NULL;
	o->selectors = NULL;
	o->excludes = NULL;
}

int cli_apply_env(struct options *o, const char *(*get)(const char *), char *err, size_t errlen)
{
	const char *q = get("TESTRUNNER_QEMU");

	(void)err;
	(void)errlen;
	if (!o->qemu && q && *q)
		o->qemu = q;
	if (o->cmd == CLI_BOOT)
		return 0;
	o->shard_status_file = get("TEST_SHARD_STATUS_FILE");
	if (o->shard_status_file && !*o->shard_status_file)
		o->shard_status_file = NULL;
	return 0;
}
