/* SPDX-License-Identifier: MIT */
/*
 * The stdout queue when stdout is a terminal (a pseudo-terminal here): the
 * status line is taken down before each write and back only after a whole
 * line, writes end at a line's end, and a line left unfinished is ended on
 * stderr before the report's own text.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "reports/terminal.h"
#include "system/out_queue.h"
#include "system/status_line.h"

static char calls[64]; /* 'h' hide, 'r' restore, in order */
static size_t n_calls;

static void hide(void *ctx)
{
	(void)ctx;
	if (n_calls < sizeof(calls) - 1)
		calls[n_calls++] = 'h';
}

static void restore(void *ctx)
{
	(void)ctx;
	if (n_calls < sizeof(calls) - 1)
		calls[n_calls++] = 'r';
}

static const struct status_line_ops ops = { NULL, hide, restore };

/* What the terminal got so far, without waiting. */
static size_t read_master(int master, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	while (n < cap - 1 && (r = read(master, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	return n;
}

static void test_stdout_on_a_terminal(void **state)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), slave, saved = dup(STDOUT_FILENO);
	char got[256], *err;
	size_t err_len;
	struct term t;
	FILE *f;

	(void)state;
	assert_true(master >= 0 && saved >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	assert_int_equal(fcntl(master, F_SETFL, O_NONBLOCK), 0);
	fflush(stdout);
	assert_int_equal(dup2(slave, STDOUT_FILENO), STDOUT_FILENO);
	status_line_register(&ops);

	/* two lines and a piece: written up to the last line's end, then the piece */
	out_queue_write("one\ntwo\npie", 11);
	out_queue_flush_ready();
	assert_true(out_queue_mid_line());
	calls[n_calls] = '\0';
	/* down before each write, back only after the one that ended a line */
	assert_string_equal(calls, "hrh");
	read_master(master, got, sizeof(got));
	assert_string_equal(got, "one\r\ntwo\r\npie");

	/* the report's own text after the piece starts a line of its own */
	f = open_memstream(&err, &err_len);
	assert_non_null(f);
	assert_int_equal(term_init(&t, f, 1, true, false), 0);
	term_hold(&t);
	fputs("PASS     a.b\n", f);
	term_release(&t, 0);
	assert_false(out_queue_mid_line());
	term_free(&t);
	fclose(f);
	assert_string_equal(err, "\nPASS     a.b\n");
	free(err);

	out_queue_write("ce\n", 3);
	assert_int_equal(out_queue_drain(), 0);
	calls[n_calls] = '\0';
	assert_string_equal(calls, "hrhhr");
	read_master(master, got, sizeof(got));
	assert_string_equal(got, "ce\r\n");

	status_line_register(NULL);
	assert_int_equal(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	close(slave);
	close(master);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdout_on_a_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
