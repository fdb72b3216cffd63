/* SPDX-License-Identifier: MIT */
/* Parsing an RPMB key given on the command line. */
#ifndef RPMB_KEYPARSE_H
#define RPMB_KEYPARSE_H

#include <stdint.h>

#include "testrunner/rpmb.h"

/*
 * 32 bytes in hex: "00112233...", "00:11:22:..." or Trusty's "0 11 22 ..."
 * (bytes of one or two digits separated by spaces). 0 or -EINVAL.
 */
int rpmb_parse_key(const char *text, uint8_t key[RPMB_KEY_MAC_SIZE]);

#endif
