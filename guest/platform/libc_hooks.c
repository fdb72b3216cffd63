/* SPDX-License-Identifier: MIT */
/*
 * The few OS hooks picolibc's libc.a calls (abort -> raise -> kill, the
 * stack-protector failure path): in this firmware they all end the
 * run, loudly, through PSCI.
 */
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

#include "platform/platform.h"

void _exit(int status)
{
	printf("# exit: status %d, powering off\n", status);
	psci_system_off();
}

pid_t getpid(void)
{
	return 1;
}

int kill(pid_t pid, int sig);

int kill(pid_t pid, int sig)
{
	printf("# kill: pid %d signal %d\n", (int)pid, sig);
	_exit(128 + sig);
}

/*
 * Only libfdt.a (built with -fstack-protector) calls this. picolibc's own
 * version goes through puts, raise and kill to reach _exit: this direct one
 * keeps that chain out of the image.
 */
void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	printf("# stack smashing detected, powering off\n");
	psci_system_off();
}
