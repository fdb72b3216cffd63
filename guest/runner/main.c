/* SPDX-License-Identifier: MIT */
/* Minimal boot flow (first slice): bring up the platform, print the banner, power off. */
#include <libfdt.h>
#include <stdio.h>

#include "platform/platform.h"

#ifndef TR_VERSION
#define TR_VERSION "0.1"
#endif

void boot_main(uintptr_t x0);

void boot_main(uintptr_t x0)
{
	const char *model;
	int ret;

	ret = platform_init(x0);
	if (ret < 0) {
		/* The UART may be up even if a later step failed. */
		printf("testrunner: platform_init failed (%d)\n", ret);
		psci_system_off();
	}
	model = dt_string(0, "model");
	printf("testrunner %s on %s\n", TR_VERSION, model ? model : "unknown machine");
	psci_system_off();
}
