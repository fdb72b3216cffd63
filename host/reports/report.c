// SPDX-License-Identifier: MIT
/* Human-readable results on stderr and the merged KTAP report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

void report_progress(struct reporter *r, const char *running)
{
	if (!r->tty)
		return;
	clear_progress(r);
	if (r->total)
		fprintf(r->f, "[%zu/%zu] running %s", r->done, r->total, running);
	else
		fprintf(r->f, "[%zu] running %s", r->done, running);
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
	r->done++;
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

int ktap_write(FILE *f, const struct test_set *t)
{
	fprintf(f, "KTAP version 1\n1..%zu\n", t->n);
	for (size_t i = 0; i < t->n; i++) {
		const struct test_rec *r = &t->v[i];
		const char *p = r->log, *end = r->log + r->log_len;

		fprintf(f, "# start %s\n", r->name);
		/* the test's own lines, each kept a KTAP diagnostic */
		while (p && p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

			fprintf(f, "%s%.*s\n", n && p[0] == '#' ? "" : "# ", (int)n, p);
			p += n + 1;
		}
		if (r->exception)
			fprintf(f, "# exception:%s\n", r->exception);
		if (r->backtrace)
			fprintf(f, "# backtrace:%s\n", r->backtrace);
		switch (r->state) {
		case TEST_PASS:
			fprintf(f, "ok %zu %s\n", i + 1, r->name);
			break;
		case TEST_SKIP:
			fprintf(f, "ok %zu %s # SKIP %s\n", i + 1, r->name,
				r->reason ? r->reason : "");
			break;
		case TEST_FAIL:
			fprintf(f, "not ok %zu %s\n", i + 1, r->name);
			break;
		case TEST_CRASH:
			fprintf(f, "not ok %zu %s # ERROR %s\n", i + 1, r->name,
				r->reason ? r->reason : "exception");
			break;
		case TEST_TIMEOUT:
			fprintf(f, "not ok %zu %s # TIMEOUT %s\n", i + 1, r->name,
				r->reason ? r->reason : "");
			break;
		case TEST_LOST:
		case TEST_PENDING:
			fprintf(f, "not ok %zu %s # ERROR %s\n", i + 1, r->name,
				r->state == TEST_LOST ? "no result" : "not run");
			break;
		}
	}
	return ferror(f) ? -EIO : 0;
}

int report_write_atomic(const char *path, int (*write)(FILE *f, const void *ctx),
			const void *ctx)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	FILE *f;
	int ret;

	if (!tmp)
		return -ENOMEM;
	/* a reader (or a crash mid-write) never sees half a report */
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		ret = -errno;
		free(tmp);
		return ret;
	}
	ret = write(f, ctx);
	if (fclose(f) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

static int write_ktap(FILE *f, const void *t)
{
	return ktap_write(f, t);
}

int ktap_write_file(const char *path, const struct test_set *t)
{
	return report_write_atomic(path, write_ktap, t);
}
