/* SPDX-License-Identifier: MIT */
/* A console's lines matched against --expect and --fail-on. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "protocol/console_match.h"

static int compile(regex_t *re, bool *have, const char *what, const char *pattern, char *err,
		   size_t errlen)
{
	char why[160];
	int rc;

	*have = false;
	if (!pattern || !*pattern)
		return 0;
	rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		regerror(rc, re, why, sizeof(why));
		snprintf(err, errlen, "%s: '%s': %s", what, pattern, why);
		return -EINVAL;
	}
	*have = true;
	return 0;
}

int console_match_init(struct console_match *m, const char *expect, const char *fail_on, char *err,
		       size_t errlen)
{
	memset(m, 0, sizeof(*m));
	if (compile(&m->expect, &m->have_expect, "--expect", expect, err, errlen))
		return -EINVAL;
	if (compile(&m->fail_on, &m->have_fail_on, "--fail-on", fail_on, err, errlen)) {
		console_match_free(m);
		return -EINVAL;
	}
	return 0;
}

static void match_line(struct console_match *m)
{
	if (m->len && m->line[m->len - 1] == '\r')
		m->len--;
	m->line[m->len] = '\0';
	if (m->have_expect && !regexec(&m->expect, m->line, 0, NULL, 0))
		m->expected = true;
	if (m->have_fail_on && !m->failed && !regexec(&m->fail_on, m->line, 0, NULL, 0)) {
		m->failed = true;
		memcpy(m->failed_line, m->line, m->len + 1);
	}
	m->len = 0;
	m->overlong = false;
}

void console_match_feed(struct console_match *m, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n')
			match_line(m);
		else if (m->len < sizeof(m->line) - 1)
			m->line[m->len++] = data[i];
		else
			m->overlong = true;
	}
}

void console_match_end(struct console_match *m)
{
	if (m->len || m->overlong)
		match_line(m);
}

void console_match_free(struct console_match *m)
{
	if (m->have_expect)
		regfree(&m->expect);
	if (m->have_fail_on)
		regfree(&m->fail_on);
	m->have_expect = m->have_fail_on = false;
}
