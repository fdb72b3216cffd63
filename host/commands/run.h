/* SPDX-License-Identifier: MIT */
/* `testrunner-host run` and `testrunner-host list`. */
#ifndef HOST_COMMANDS_RUN_H
#define HOST_COMMANDS_RUN_H

/* argv[0] is "run" or "list". Returns the process exit code. */
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);

#endif
