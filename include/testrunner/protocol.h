/* SPDX-License-Identifier: MIT */
/*
 * The testrunner0 wire protocol shared by guest and host; docs/protocol.md is the
 * contract. Frames are Trusty's: 64 bytes, byte 0 the type.
 */
#ifndef TESTRUNNER_PROTOCOL_H
#define TESTRUNNER_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PROTO_PORT_NAME "testrunner0"
/*
 * How every boot's first line on the UART starts (the platform it found):
 * where a host cuts one QEMU's serial log into its boots after resets.
 */
#define PROTO_UART_FIRST_LINE "# platform: "
#define PROTO_RPMB_PORT_NAME  "rpmb0"

/* Host -> guest: one ASCII request, at most PROTO_REQUEST_MAX bytes. */
#define PROTO_REQUEST_MAX 255
/* Most selectors one request may carry. */
#define PROTO_SELECTORS_MAX 64
/* A test's full name "suite.case", the terminating NUL included. */
#define PROTO_NAME_MAX	      64
#define PROTO_BOOTTEST_PREFIX "boottest "
#define PROTO_LIST_OPTION     "--list"
/*
 * End with PSCI SYSTEM_RESET instead of SYSTEM_OFF, so that the host can run
 * the next request in the same QEMU process (docs/protocol.md, "Reset").
 * Trusty's hosts never send it: without it a boot ends in SYSTEM_OFF.
 */
#define PROTO_RESET_OPTION "--reset"
/*
 * SYSTEM_RESET only when a crash stopped the run before its last test (the
 * host then has tests left for the next boot), else SYSTEM_OFF: a run's last
 * boot ends as fast as one without reset.
 */
#define PROTO_RESET_AFTER_CRASH_OPTION "--reset-after-crash"

enum proto_reset {
	PROTO_RESET_NEVER,	 /* neither option: SYSTEM_OFF */
	PROTO_RESET_ALWAYS,	 /* PROTO_RESET_OPTION */
	PROTO_RESET_AFTER_CRASH, /* PROTO_RESET_AFTER_CRASH_OPTION */
};
#define PROTO_SECONDARY_OS "Boot Secondary OS"
/* An unterminated request is complete after this long with no further byte. */
#define PROTO_REQUEST_QUIET_MS 100

/*
 * The secondary OS (docs/secondary-os.md): the host attaches these fw_cfg
 * files, the guest loads them.
 */
#define PROTO_FW_CFG_KERNEL  "opt/testrunner/kernel"
#define PROTO_FW_CFG_INITRD  "opt/testrunner/initrd"
#define PROTO_FW_CFG_CMDLINE "opt/testrunner/cmdline"

/* Guest -> host frames. */
#define PROTO_FRAME_SIZE 64
#define PROTO_LOG_MAX	 (PROTO_FRAME_SIZE - 2) /* 62 payload bytes */

enum proto_frame_type {
	PROTO_FRAME_LOG = 0,	/* {0, size <= 62, payload, zero padding} */
	PROTO_FRAME_RESULT = 1, /* {1, status, zero padding}; always the last frame */
};

enum proto_status {
	PROTO_STATUS_PASS = 0,	/* every selected test passed (or skipped) */
	PROTO_STATUS_FAIL = 1,	/* a test failed or crashed */
	PROTO_STATUS_ERROR = 2, /* bad request, unknown test, device problem */
};

/* Diagnostic the guest sends before each test, so a host can name a hung test. */
#define PROTO_KTAP_START "# start "

/*
 * Encode a log frame carrying up to PROTO_LOG_MAX bytes of @text into @frame.
 * Returns the number of payload bytes consumed.
 */
static inline size_t proto_encode_log(uint8_t frame[PROTO_FRAME_SIZE], const char *text, size_t len)
{
	size_t n = len < PROTO_LOG_MAX ? len : PROTO_LOG_MAX;

	frame[0] = PROTO_FRAME_LOG;
	frame[1] = (uint8_t)n;
	memcpy(frame + 2, text, n);
	memset(frame + 2 + n, 0, PROTO_LOG_MAX - n);
	return n;
}

static inline void proto_encode_result(uint8_t frame[PROTO_FRAME_SIZE], enum proto_status status)
{
	memset(frame, 0, PROTO_FRAME_SIZE);
	frame[0] = PROTO_FRAME_RESULT;
	frame[1] = (uint8_t)status;
}

/*
 * Selector matching, shared so that host-side resolution (sharding, --isolate,
 * -j) selects exactly what the guest would. A selector is an exact
 * "suite.case", a whole "suite", or a glob where '*' matches any run of
 * characters (including none).
 */
static inline bool proto_glob_match(const char *pat, const char *str)
{
	const char *star = NULL, *resume = NULL;

	while (*str) {
		if (*pat == '*') {
			star = pat++;
			resume = str;
		} else if (*pat == *str) {
			pat++;
			str++;
		} else if (star) {
			pat = star + 1;
			str = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

static inline bool proto_selector_match(const char *selector, const char *name)
{
	size_t len = strlen(selector);

	if (strchr(selector, '*'))
		return proto_glob_match(selector, name);
	if (strchr(selector, '.'))
		return strcmp(selector, name) == 0;
	/* a bare suite name selects every case of that suite */
	return strncmp(selector, name, len) == 0 && name[len] == '.';
}

/*
 * The selector grammar, one definition for the guest's request parser and
 * the host's command line: [A-Za-z0-9_.*-] only, no leading '-', no empty
 * suite or case ("suite.", ".case", "a..b" name nothing and are typos). @why (if not NULL)
 * says what is wrong.
 */
static inline bool proto_selector_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '*' || c == '-';
}

static inline bool proto_selector_valid(const char *s, size_t len, const char **why)
{
	const char *w = NULL;

	if (!len)
		w = "empty selector";
	else if (s[0] == '.' || s[len - 1] == '.')
		w = "empty suite or case name";
	else if (s[0] == '-')
		w = "must not start with '-'"; /* an option, like --list */
	for (size_t i = 0; !w && i < len; i++) {
		if (!proto_selector_char(s[i]))
			w = "only letters, digits and _ . * - are allowed";
		else if (s[i] == '.' && i && s[i - 1] == '.')
			w = "empty suite or case name";
	}
	if (why)
		*why = w;
	return !w;
}

/*
 * A test's full name: a selector without '*', with a '.' between suite and
 * case, shorter than PROTO_NAME_MAX.
 */
static inline bool proto_test_name_valid(const char *s, size_t len)
{
	return len < PROTO_NAME_MAX && proto_selector_valid(s, len, NULL) && !memchr(s, '*', len) &&
	       memchr(s, '.', len);
}

#endif /* TESTRUNNER_PROTOCOL_H */
