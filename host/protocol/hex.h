/* SPDX-License-Identifier: MIT */
/* One hexadecimal digit's value, for the texts QEMU sends (QMP's JSON, its monitor's output). */
#ifndef HOST_PROTOCOL_HEX_H
#define HOST_PROTOCOL_HEX_H

/* 0-15, or -1 for a character that is not a hex digit. */
static inline int hex_digit(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	if (h >= 'a' && h <= 'f')
		return h - 'a' + 10;
	if (h >= 'A' && h <= 'F')
		return h - 'A' + 10;
	return -1;
}

#endif
