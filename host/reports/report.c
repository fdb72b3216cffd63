/* SPDX-License-Identifier: MIT */
/* What the user sees on stderr: a line per test, progress, summary, errors. */
#include <stdio.h>
#include <string.h>

#include "reports/report.h"
#include "reports/symbolize.h"

#define GREEN  "\033[32m"
#define RED    "\033[31m"
#define YELLOW "\033[33m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

void report_init(struct reporter *r, FILE *f, bool tty, const char *image)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->tty = tty;
	r->image = image;
}

static void clear_progress(struct reporter *r)
{
	/* the guest log on stdout goes first, so lines keep their order */
	fflush(stdout);
	if (r->progress_shown) {
		fputs("\r\033[K", r->f);
		r->progress_shown = false;
	}
}

void report_progress(struct reporter *r, const char *running, size_t done, size_t total)
{
	if (!r->tty)
		return;
	clear_progress(r);
	if (total)
		fprintf(r->f, "[%zu/%zu] running %s", done, total, running);
	else
		fprintf(r->f, "[%zu] running %s", done, running);
	fflush(r->f);
	r->progress_shown = true;
}

static const char *colour(enum test_state s)
{
	switch (s) {
	case TEST_PASS: return GREEN;
	case TEST_SKIP: return YELLOW;
	default: return RED;
	}
}

void report_test(struct reporter *r, const struct test_rec *t)
{
	clear_progress(r);
	if (r->tty)
		fprintf(r->f, "%s%-8s" RESET, colour(t->state), test_state_name(t->state));
	else
		fprintf(r->f, "%-8s", test_state_name(t->state));
	fprintf(r->f, " %s (%.3f s)", t->name, t->secs);
	if (t->flaky)
		fprintf(r->f, " flaky: passed on attempt %u", t->attempts);
	if (t->reason && t->state != TEST_PASS)
		fprintf(r->f, ": %s", t->reason);
	fputc('\n', r->f);
	if (t->state == TEST_CRASH || t->exception || t->backtrace)
		symbolize_crash(r->f, r->image, t->exception, t->backtrace);
	fflush(r->f);
}

static void print_tail(struct reporter *r, const char *title, const char *serial_tail)
{
	if (serial_tail && *serial_tail) {
		const char *p = serial_tail;
		int lines = 0;

		/* the last 20 lines of what the guest printed on its UART */
		for (const char *q = p + strlen(p); q > serial_tail; q--)
			if (q[-1] == '\n' && q[0] && ++lines == 20) {
				p = q;
				break;
			}
		fprintf(r->f, "  %s:\n", title);
		while (*p) {
			const char *nl = strchr(p, '\n');
			int n = nl ? (int)(nl - p) : (int)strlen(p);

			fprintf(r->f, "  | %.*s\n", n, p);
			p += n + (nl ? 1 : 0);
		}
	}
}

void report_error(struct reporter *r, const char *msg, const char *serial_tail,
		  const char *qemu_tail)
{
	clear_progress(r);
	fprintf(r->f, "testrunner-host: %s\n", msg);
	print_tail(r, "QEMU said", qemu_tail);
	print_tail(r, "last lines of the serial console", serial_tail);
	fflush(r->f);
}

void report_summary(struct reporter *r, const struct test_set *t)
{
	struct test_counts c;

	clear_progress(r);
	tests_count(t, &c);
	if (r->tty)
		fputs(BOLD, r->f);
	fprintf(r->f, "%zu passed, %zu failed, %zu skipped", c.passed, c.failed,
		c.skipped);
	if (c.flaky)
		fprintf(r->f, ", %zu flaky", c.flaky);
	if (c.pending)
		fprintf(r->f, ", %zu not run", c.pending);
	if (r->tty)
		fputs(RESET, r->f);
	fputc('\n', r->f);
	fflush(r->f);
}
