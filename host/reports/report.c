/* SPDX-License-Identifier: MIT */
/* What the user sees on stderr: a line per test, progress, summary, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/loop.h"
#include "reports/crash.h"
#include "reports/hang_report.h"
#include "reports/log_dir.h"
#include "protocol/escape.h"
#include "reports/report.h"
#include "system/out_queue.h"
#include "reports/symbolize.h"
#include "system/clock.h"
#include "system/signals.h"

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
	/* the guest log on stdout goes first (as far as stdout keeps up): lines keep their order */
	out_queue_flush_ready();
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
	case TEST_PASS:
		return GREEN;
	case TEST_SKIP:
		return YELLOW;
	default:
		return RED;
	}
}

static void print_test_line(struct reporter *r, FILE *f, const struct test_rec *t)
{
	if (r->tty)
		fprintf(f, "%s%-8s" RESET, colour(t->state), test_state_name(t->state));
	else
		fprintf(f, "%-8s", test_state_name(t->state));
	fprintf(f, " %s (%.3f s)", t->name, t->secs);
	if (t->flaky)
		fprintf(f, " flaky: passed on attempt %u", t->attempts);
	if (t->reason && t->state != TEST_PASS)
		fprintf(f, ": %s", t->reason);
	fputc('\n', f);
	/* every failed assertion, not only the last (the reason) */
	for (const char *p = t->failures; p && *p;) {
		size_t n = strcspn(p, "\n");

		fprintf(f, "    %.*s\n", (int)n, p);
		p += n + (p[n] ? 1 : 0);
	}
}

/* A crash block waiting for addr2line: printed whole when it is done. */
struct pending_crash {
	char *name;
	char *text; /* the test line and the raw ESR line */
	size_t len;
	char *details; /* once done: decoded, registers, symbolized frames */
	size_t details_len;
	struct crash_info crash;
	struct hang_state *hang; /* a timeout's report instead of a crash's */
	struct symbolize_job job;
	struct pending_crash *next;
};

static void crash_free(struct pending_crash *p)
{
	free(p->name);
	free(p->text);
	free(p->details);
	free(p->hang);
	free(p);
}

/* The crash's lines after the test line: what stderr, JUnit and --ktap show. */
static void render_details(struct pending_crash *p)
{
	FILE *f = open_memstream(&p->details, &p->details_len);

	if (!f)
		return;
	if (p->hang) {
		hang_print(f, p->hang, &p->job, " (boot CPU, runs the test)");
	} else {
		crash_print_decoded(f, &p->crash);
		crash_print_frames(f, &p->crash, &p->job);
	}
	if (fclose(f)) {
		free(p->details);
		p->details = NULL;
	}
}

/* The crash reports that are done, in the order their tests ended. */
static void print_finished(struct reporter *r)
{
	while (r->pending && r->pending->job.done) {
		struct pending_crash *p = r->pending;

		render_details(p);
		clear_progress(r);
		fwrite(p->text, 1, p->len, r->f);
		if (p->details)
			fputs(p->details, r->f);
		fflush(r->f);
		r->pending = p->next;
		p->next = r->finished;
		r->finished = p;
	}
}

/* The ESR line of the raw report: the one that greps and old tools know. */
static void print_raw_esr(FILE *f, const char *exception)
{
	const char *p = exception ? strstr(exception, "ESR=") : NULL;

	if (p)
		fprintf(f, "    exception: %.*s\n", (int)strcspn(p, "\n"), p);
	else if (exception)
		fprintf(f, "    exception:%s\n", exception);
}

/* Queue the crash block; addr2line runs in the background when it can. */
static void queue_crash(struct reporter *r, const struct test_rec *t)
{
	struct pending_crash *p = calloc(1, sizeof(*p)), **tail;
	unsigned long long addrs[SYMBOLIZE_ADDRS_MAX];
	size_t n;
	FILE *f;

	if (!p || !(p->name = strdup(t->name)) || !(f = open_memstream(&p->text, &p->len))) {
		if (p)
			crash_free(p);
		clear_progress(r);
		print_test_line(r, r->f, t);
		print_raw_esr(r->f, t->exception);
		return;
	}
	print_test_line(r, f, t);
	print_raw_esr(f, t->exception);
	fclose(f);
	crash_parse(&p->crash, t->exception, t->backtrace);
	n = crash_addresses(&p->crash, addrs, SYMBOLIZE_ADDRS_MAX);
	if (t->hang && (p->hang = hang_copy(t->hang)))
		n = hang_addresses(p->hang, hang_load_offset(p->hang, r->image), addrs,
				   SYMBOLIZE_ADDRS_MAX);
	/* one addr2line per descriptor the poll loop has room for */
	if (r->n_pending < LOOP_EXTRA_FDS_MAX &&
	    !symbolize_start(&p->job, r->image, addrs, n, clock_now_ms()))
		r->n_pending++;
	else
		symbolize_start(&p->job, NULL, addrs, n, 0);
	for (tail = &r->pending; *tail; tail = &(*tail)->next)
		;
	*tail = p;
	print_finished(r);
}

void report_test(struct reporter *r, const struct test_rec *t)
{
	if (t->state == TEST_CRASH || t->exception || t->backtrace || t->hang) {
		queue_crash(r, t);
		return;
	}
	clear_progress(r);
	print_test_line(r, r->f, t);
	fflush(r->f);
}

const char *report_crash_details(const struct reporter *r, const char *name)
{
	/* newest first: a retried test's last crash */
	for (const struct pending_crash *p = r->finished; p; p = p->next)
		if (!strcmp(p->name, name))
			return p->details;
	return NULL;
}

static int pending_pollfds(void *ctx, struct pollfd *pfd, int max, uint64_t *deadline)
{
	struct reporter *r = ctx;
	int n = 0;

	*deadline = 0;
	for (struct pending_crash *p = r->pending; p && n < max; p = p->next) {
		uint64_t d;

		n += symbolize_pollfd(&p->job, pfd + n, &d);
		if (d && (!*deadline || d < *deadline))
			*deadline = d;
	}
	return n;
}

static void pending_step(void *ctx, const struct pollfd *pfd, int n, uint64_t now)
{
	struct reporter *r = ctx;

	for (struct pending_crash *p = r->pending; p; p = p->next) {
		short revents = 0;

		for (int i = 0; i < n; i++)
			if (pfd[i].fd == p->job.fd)
				revents = pfd[i].revents;
		if (!p->job.done && symbolize_step(&p->job, revents, now))
			r->n_pending--;
	}
	print_finished(r);
}

const struct loop_extra *report_loop_extra(struct reporter *r)
{
	r->extra = (struct loop_extra){
		.ctx = r,
		.pollfds = pending_pollfds,
		.step = pending_step,
	};
	return &r->extra;
}

void report_wait(struct reporter *r)
{
	const struct loop_extra *extra = report_loop_extra(r);

	/* Ctrl-C: the reports go out unsymbolized */
	while (r->pending && !signals_term() && !machine_poll(NULL, 0, extra))
		;
	for (struct pending_crash *p = r->pending; p; p = p->next)
		symbolize_free(&p->job);
	r->n_pending = 0;
	print_finished(r);
}

void report_free(struct reporter *r)
{
	report_wait(r);
	while (r->finished) {
		struct pending_crash *p = r->finished;

		r->finished = p->next;
		crash_free(p);
	}
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

			fputs("  | ", r->f);
			escape_fputs(r->f, p, (size_t)n);
			fputc('\n', r->f);
			p += n + (nl ? 1 : 0);
		}
	}
}

void report_error(struct reporter *r, const char *msg, const char *serial_tail,
		  const char *qemu_tail)
{
	clear_progress(r);
	/* it may quote the guest: names, diagnostics */
	fputs("testrunner-host: ", r->f);
	escape_fputs(r->f, msg, strlen(msg));
	fputc('\n', r->f);
	print_tail(r, "QEMU said", qemu_tail);
	print_tail(r, "last lines of the serial console", serial_tail);
	fflush(r->f);
}

void report_log_files(struct reporter *r, const struct test_set *t)
{
	char path[4096];
	bool title = false;

	clear_progress(r);
	for (size_t i = 0; i < t->n; i++) {
		const struct test_rec *rec = &t->v[i];

		if (!test_failed(rec) || log_dir_test_path(r->log_dir, rec, path, sizeof(path)))
			continue;
		if (!title)
			fprintf(r->f, "not passed, with their logs:\n");
		title = true;
		fprintf(r->f, "  %-8s %s: %s\n", test_state_name(rec->state), rec->name, path);
	}
}

void report_summary(struct reporter *r, const struct test_set *t)
{
	struct test_counts c;

	report_wait(r);
	clear_progress(r);
	tests_count(t, &c);
	if (r->tty)
		fputs(BOLD, r->f);
	fprintf(r->f, "%zu passed, %zu failed, %zu skipped", c.passed, c.failed, c.skipped);
	if (c.flaky)
		fprintf(r->f, ", %zu flaky", c.flaky);
	if (c.pending)
		fprintf(r->f, ", %zu not run", c.pending);
	if (r->tty)
		fputs(RESET, r->f);
	fputc('\n', r->f);
	fflush(r->f);
}
