/* SPDX-License-Identifier: MIT */
/*
 * The terminal view's line discipline, on a fake terminal (a memory stream
 * read back through a small screen model): the status line never shares a
 * line with other text, console lines say their boot, colour obeys NO_COLOR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "machine/relay.h"
#include "reports/terminal.h"
#include "system/out_queue.h"
#include "system/status_line.h"

#define MAX_LINES 64

/* What a terminal shows of @out: lines ended by '\n', then the cursor's line. */
struct screen {
	char line[MAX_LINES][512];
	size_t n; /* committed lines; line[n] is the cursor's */
};

static void render(const char *out, size_t len, struct screen *s)
{
	size_t col = 0, end = 0; /* cursor, and the cursor line's length */
	char *cur;

	memset(s, 0, sizeof(*s));
	cur = s->line[0];
	for (size_t i = 0; i < len; i++) {
		char c = out[i];

		if (c == '\r') {
			col = 0;
		} else if (c == '\n') {
			cur[end] = '\0';
			assert_true(++s->n < MAX_LINES);
			cur = s->line[s->n];
			col = end = 0;
		} else if (c == '\033' && i + 1 < len && out[i + 1] == '[') {
			for (i += 2; i < len && (out[i] < 0x40 || out[i] > 0x7e); i++)
				;
			if (i < len && out[i] == 'K')
				end = col; /* erase to the end of the line */
		} else {
			assert_true(col < sizeof(s->line[0]) - 1);
			cur[col++] = c;
			if (col > end)
				end = col;
		}
	}
	cur[end] = '\0';
	/* trailing spaces are what an erased status line leaves: nothing */
	for (size_t i = 0; i <= s->n; i++) {
		size_t l = strlen(s->line[i]);

		while (l && s->line[i][l - 1] == ' ')
			s->line[i][--l] = '\0';
	}
}

static char *out;
static size_t out_len;
static FILE *f;
static struct term t;

static void hide(void *ctx)
{
	term_hide(ctx);
}

static uint64_t now_ms = 1000;

static void restore(void *ctx)
{
	term_show(ctx, now_ms);
}

static const struct status_line_ops ops = { &t, hide, restore };

static void open_term(size_t slots, bool colour)
{
	f = open_memstream(&out, &out_len);
	assert_non_null(f);
	assert_int_equal(term_init(&t, f, slots, true, colour), 0);
	t.columns = 60;
	status_line_register(&ops);
}

static void close_term(struct screen *s)
{
	status_line_register(NULL);
	term_free(&t);
	assert_int_equal(fclose(f), 0);
	render(out, out_len, s);
}

/* Another writer's whole line on the same terminal (the KTAP log on stdout). */
static void other_line(const char *line)
{
	status_line_hide();
	fputs(line, f);
	fflush(f);
	status_line_restore();
}

static void test_status_line_never_shares_a_line(void **state)
{
	struct screen s;

	(void)state;
	open_term(1, false);
	term_started(&t, 1, "suite.slow", 120000, 0, 3, now_ms);
	other_line("KTAP version 1\n");
	term_console(&t, 1, "hello\nwor", 9, now_ms);
	now_ms += 2500;
	term_tick(&t, now_ms); /* redrawn: 2 s of 120 */
	term_console(&t, 1, "ld\r\n", 4, now_ms);
	term_ended(&t, "suite.slow");
	term_hold(&t);
	fputs("PASS     suite.slow\n", f);
	term_release(&t, now_ms);
	close_term(&s);

	assert_non_null(strstr(out, "0/3 | suite.slow 0s/120s"));
	assert_non_null(strstr(out, "0/3 | suite.slow 2s/120s"));
	assert_int_equal(s.n, 4);
	assert_string_equal(s.line[0], "KTAP version 1");
	assert_string_equal(s.line[1], "serial: hello");
	assert_string_equal(s.line[2], "serial: world");
	assert_string_equal(s.line[3], "PASS     suite.slow");
	/* nothing runs: the status line is gone too */
	assert_string_equal(s.line[4], "");
	free(out);
}

static void test_status_line_ticks_only_while_shown(void **state)
{
	struct screen s;

	(void)state;
	open_term(1, false);
	assert_int_equal(term_deadline(&t), 0);
	term_started(&t, 1, "a.b", 0, 0, 0, now_ms);
	assert_int_equal(term_deadline(&t), now_ms + TERM_TICK_MS);
	term_hold(&t);
	assert_int_equal(term_deadline(&t), 0);
	term_release(&t, now_ms);
	assert_int_not_equal(term_deadline(&t), 0);
	term_idle(&t);
	assert_int_equal(term_deadline(&t), 0);
	close_term(&s);
	/* no timeout: elapsed time only; no total: a count */
	assert_non_null(strstr(out, "0 done | a.b 0s"));
	assert_null(strstr(out, "0s/"));
	free(out);
}

static void test_slots_prefix_console_lines(void **state)
{
	struct screen s;
	char longname[KTAP_NAME_MAX];

	(void)state;
	open_term(2, false);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memcpy(longname, "s.", 2);
	term_started(&t, 1, "a.one", 5000, 0, 2, now_ms);
	term_started(&t, 2, longname, 5000, 0, 2, now_ms);
	term_console(&t, 2, "two\n", 4, now_ms);
	term_console(&t, 1, "one \033]0;title\a", strlen("one \033]0;title\a"), now_ms);
	term_console(&t, 1, NULL, 0, now_ms); /* its boot ended: the rest is shown */
	term_idle(&t);
	close_term(&s);

	assert_int_equal(s.n, 2);
	assert_string_equal(s.line[0], "[2] serial: two");
	/* the guest's control characters never reach the terminal raw */
	assert_string_equal(s.line[1], "[1] serial: one \\x1b]0;title\\x07");
	assert_non_null(strstr(out, "0/2 | [1] a.one 0s/5s | [2] s.xxx"));
	/* cut to the terminal's width less one: no wrap */
	for (const char *p = out; (p = strstr(p, "0/2 |")); p++)
		assert_true(strcspn(p, "\r\n") <= 59);
	free(out);
}

static void test_no_colour_no_escape(void **state)
{
	struct screen s;

	(void)state;
	open_term(2, false);
	term_started(&t, 1, "a.one", 5000, 0, 1, now_ms);
	term_console(&t, 1, "x\n", 2, now_ms);
	term_hold(&t);
	fprintf(f, "%sFAIL%s a.one\n", term_sgr(&t, "\033[31m"), term_sgr(&t, "\033[0m"));
	term_release(&t, now_ms);
	term_idle(&t);
	close_term(&s);
	/* the status line is erased with spaces: not one ESC without colour */
	assert_null(memchr(out, '\033', out_len));
	assert_non_null(memchr(out, '\r', out_len));
	assert_string_equal(s.line[1], "FAIL a.one");
	free(out);

	open_term(1, true);
	assert_string_equal(term_sgr(&t, "\033[31m"), "\033[31m");
	close_term(&s);
	free(out);
}

static void test_colour_decision(void **state)
{
	(void)state;
	assert_true(term_colour_wanted(TERM_COLOUR_AUTO, true, NULL, "xterm"));
	/* no-color.org: set and not empty */
	assert_false(term_colour_wanted(TERM_COLOUR_AUTO, true, "1", "xterm"));
	assert_true(term_colour_wanted(TERM_COLOUR_AUTO, true, "", "xterm"));
	assert_false(term_colour_wanted(TERM_COLOUR_AUTO, false, NULL, "xterm"));
	assert_false(term_colour_wanted(TERM_COLOUR_AUTO, true, NULL, "dumb"));
	/* the command line wins over the environment */
	assert_true(term_colour_wanted(TERM_COLOUR_ALWAYS, false, "1", "dumb"));
	assert_false(term_colour_wanted(TERM_COLOUR_NEVER, true, NULL, "xterm"));
	assert_true(term_status_wanted(true, NULL));
	assert_false(term_status_wanted(true, "dumb"));
	assert_false(term_status_wanted(false, "xterm"));
}

/* The relay's prefix: each line once, a long line's pieces not again. */
static void test_relay_prefix(void **state)
{
	static struct line_relay r;
	char path[] = "/tmp/test_terminal.XXXXXX", got[256];
	int fd = mkstemp(path), saved = dup(STDOUT_FILENO);
	FILE *in;
	size_t n;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	assert_int_equal(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	relay_init(&r);
	relay_set_prefix(&r, "[2] ");
	relay_write(&r, "a\nb", 3);
	relay_write(&r, "c\nd", 3);
	relay_flush(&r); /* the boot's end: its unfinished line */
	relay_write(&r, "e\n", 2);
	relay_set_prefix(&r, NULL);
	relay_write(&r, "f\n", 2);
	assert_int_equal(out_queue_drain(), 0);
	assert_int_equal(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	in = fdopen(fd, "r");
	assert_non_null(in);
	rewind(in);
	n = fread(got, 1, sizeof(got) - 1, in);
	got[n] = '\0';
	fclose(in);
	unlink(path);
	assert_string_equal(got, "[2] a\n[2] bc\n[2] de\nf\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_line_never_shares_a_line),
		cmocka_unit_test(test_status_line_ticks_only_while_shown),
		cmocka_unit_test(test_slots_prefix_console_lines),
		cmocka_unit_test(test_no_colour_no_escape),
		cmocka_unit_test(test_colour_decision),
		cmocka_unit_test(test_relay_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
