/* SPDX-License-Identifier: MIT */
/* testrunner-host: boot tests in QEMU over testrunner0 (run, list, boot). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "commands/boot.h"
#include "commands/cli.h"
#include "commands/run.h"
#include "machine/exit_codes.h"

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
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "boot"))
		return cmd_boot(argc - 1, argv + 1);
	fprintf(stderr, "testrunner-host: %s: unknown command (run, list, boot; --help)\n", cmd);
	return EXIT_INFRA;
}

/*
 * Descriptors 0-2 closed at exec would be handed out by the first pipe() or
 * socket(): the log would go into our own self-pipe. Fill each with
 * /dev/null opened read-only, so that a closed stdout still fails every
 * write (EBADF) and says so.
 */
static int occupy_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		got = open("/dev/null", O_RDONLY);
		if (got != fd) {
			if (got >= 0)
				close(got);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (occupy_std_fds())
		return EXIT_INFRA;
	return report_rusage(dispatch(argc, argv));
}
