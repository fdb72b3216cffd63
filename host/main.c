// SPDX-License-Identifier: MIT
/* testrunner-host: boot tests in QEMU over testrunner0 (run, list, boot). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands/boot.h"
#include "commands/cli.h"
#include "system/proc.h"
#include "scheduling/run.h"

#define DEFAULT_QEMU "qemu-system-aarch64"

static const char *env(const char *name)
{
	return getenv(name);
}

static int check_image(const char *path)
{
	struct stat st;

	if (stat(path, &st) || access(path, R_OK)) {
		fprintf(stderr, "testrunner-host: image: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "testrunner-host: image: %s: not a regular file\n", path);
		return -1;
	}
	return 0;
}

static int cmd_run_or_list(int argc, char **argv, enum cli_cmd cmd)
{
	char err[512], image[PATH_MAX], qemu[PATH_MAX], rpmb[PATH_MAX];
	struct options o;
	int ret;

	ret = cli_parse(argc, argv, cmd, &o, err, sizeof(err));
	if (ret == 0)
		ret = cli_apply_env(&o, env, err, sizeof(err));
	if (ret == CLI_HELP) {
		cli_usage(stdout);
		cli_free(&o);
		return 0;
	}
	if (ret) {
		fprintf(stderr, "testrunner-host: %s\n", err);
		cli_free(&o);
		return EXIT_INFRA;
	}
	if (!o.image) {
		if (proc_exe_relative("../guest/testrunner.elf", image, sizeof(image))) {
			fprintf(stderr, "testrunner-host: image: cannot locate the build's testrunner.elf; use --image\n");
			cli_free(&o);
			return EXIT_INFRA;
		}
		o.image = image;
	}
	if (check_image(o.image)) {
		cli_free(&o);
		return EXIT_INFRA;
	}
	ret = proc_find_program(o.qemu ? o.qemu : DEFAULT_QEMU, qemu, sizeof(qemu));
	if (ret) {
		fprintf(stderr, "testrunner-host: qemu: %s: %s\n",
			o.qemu ? o.qemu : DEFAULT_QEMU,
			ret == -ENOENT ? "not found" :
			ret == -EACCES ? "not executable" : strerror(-ret));
		cli_free(&o);
		return EXIT_INFRA;
	}
	o.qemu = qemu;
	if (cmd == CLI_RUN && !o.no_rpmb) {
		/* the rpmb suite needs one: a missing emulator is an error, not a skip */
		ret = proc_exe_relative("testrunner-rpmb-dev", rpmb, sizeof(rpmb));
		if (ret)
			snprintf(rpmb, sizeof(rpmb), "testrunner-rpmb-dev");
		else if (access(rpmb, X_OK))
			ret = -errno;
		if (ret) {
			fprintf(stderr, "testrunner-host: RPMB emulator: %s: %s (or run with --no-rpmb)\n",
				rpmb, strerror(-ret));
			cli_free(&o);
			return EXIT_INFRA;
		}
		o.rpmb_dev = rpmb;
	}
	ret = cmd == CLI_LIST ? run_list(&o) : run_tests(&o);
	cli_free(&o);
	return ret;
}

/*
 * TESTRUNNER_RUSAGE=1: the harness's own peak RSS on stderr at exit, for make
 * bench (GNU time would report the maximum over QEMU too).
 */
static int report_rusage(int code)
{
	struct rusage ru;

	if (getenv("TESTRUNNER_RUSAGE") && !getrusage(RUSAGE_SELF, &ru))
		fprintf(stderr, "testrunner-host: peak RSS %ld KiB (harness alone)\n",
			ru.ru_maxrss);
	return code;
}

static int dispatch(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd || !strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		cli_usage(cmd ? stdout : stderr);
		return cmd ? 0 : EXIT_INFRA;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run_or_list(argc - 1, argv + 1, CLI_RUN);
	if (!strcmp(cmd, "list"))
		return cmd_run_or_list(argc - 1, argv + 1, CLI_LIST);
	if (!strcmp(cmd, "boot"))
		return cmd_boot(argc - 1, argv + 1);
	fprintf(stderr, "testrunner-host: %s: unknown command (run, list, boot; --help)\n", cmd);
	return EXIT_INFRA;
}

int main(int argc, char **argv)
{
	return report_rusage(dispatch(argc, argv));
}
