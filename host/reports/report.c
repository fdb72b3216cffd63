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

static void hook_hide(void *ctx)
{
	term_hide(&((struct reporter *)ctx)->term);
}

static void hook_restore(void *ctx)
{
	term_show(&((struct reporter *)ctx)->term, clock_now_ms());
}

int report_init(struct reporter *r, FILE *f, const char *image, size_t n_slots, bool status,
		bool colour)
{
	int ret;

	memset(r, 0, sizeof(*r));
	r->f = f;
	r->image = image;
	ret = term_init(&r->term, f, n_slots, status, colour);
	if (ret)
		return ret;
	if (status) {
		r->hooks = (struct status_line_ops){ r, hook_hide, hook_restore };
		status_line_register(&r->hooks);
	}
	return 0;
}

/* Before the report's own lines: the status line down, no redraw until end_lines. */
static void begin_lines(struct reporter *r)
{
	term_hold(&r->term);
	/* the guest log on stdout goes first (as far as stdout keeps up): lines keep their order */
	out_queue_flush_ready();
	term_start_line(&r->term);
}

static void end_lines(struct reporter *r)
{
	fflush(r->f);
	term_release(&r->term, clock_now_ms());
}

void report_progress(struct reporter *r, unsigned int slot, const char *running,
		     unsigned long timeout_ms, size_t done, size_t total)
{
	term_started(&r->term, slot, running, timeout_ms, done, total, clock_now_ms());
}

void report_console(struct reporter *r, unsigned int slot, const char *data, size_t len)
{
	out_queue_flush_ready();
	term_console(&r->term, slot, data, len, clock_now_ms());
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
	fprintf(f, "%s%-8s%s", term_sgr(&r->term, colour(t->state)), test_state_name(t->state),
		term_sgr(&r->term, RESET));
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
		begin_lines(r);
		fwrite(p->text, 1, p->len, r->f);
		if (p->details)
			fputs(p->details, r->f);
		end_lines(r);
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
		begin_lines(r);
		print_test_line(r, r->f, t);
		print_raw_esr(r->f, t->exception);
		end_lines(r);
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
	term_ended(&r->term, t->name);
	if (t->state == TEST_CRASH || t->exception || t->backtrace || t->hang) {
		queue_crash(r, t);
		return;
	}
	begin_lines(r);
	print_test_line(r, r->f, t);
	end_lines(r);
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
	uint64_t d;
	int n = 0;

	*deadline = 0;
	for (struct pending_crash *p = r->pending; p && n < max; p = p->next) {
		n += symbolize_pollfd(&p->job, pfd + n, &d);
		if (d && (!*deadline || d < *deadline))
			*deadline = d;
	}
	/* the status line's elapsed times move while a test runs */
	d = term_deadline(&r->term);
	if (d && (!*deadline || d < *deadline))
		*deadline = d;
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
	term_tick(&r->term, now);
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
	term_idle(&r->term);
	if (r->hooks.ctx)
		status_line_register(NULL);
	term_free(&r->term);
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
	/* the run stops: nothing runs any more */
	term_idle(&r->term);
	begin_lines(r);
	/* it may quote the guest: names, diagnostics */
	fputs("testrunner-host: ", r->f);
	escape_fputs(r->f, msg, strlen(msg));
	fputc('\n', r->f);
	print_tail(r, "QEMU said", qemu_tail);
	print_tail(r, "last lines of the serial console", serial_tail);
	end_lines(r);
}

/* Each test that did not pass: verdict, name, reason and, with --log-dir, its file. */
static void print_failures(struct reporter *r, const struct test_set *t)
{
	char path[4096];
	bool title = false;

	for (size_t i = 0; i < t->n; i++) {
		const struct test_rec *rec = &t->v[i];

		if (!test_failed(rec))
			continue;
		if (!title)
			fprintf(r->f, "did not pass:\n");
		title = true;
		fprintf(r->f, "  %s%-8s%s %s", term_sgr(&r->term, colour(rec->state)),
			test_state_name(rec->state), term_sgr(&r->term, RESET), rec->name);
		if (rec->reason)
			fprintf(r->f, ": %s", rec->reason);
		fputc('\n', r->f);
		if (r->log_dir && !log_dir_test_path(r->log_dir, rec, path, sizeof(path)))
			fprintf(r->f, "           log %s\n", path);
	}
}

void report_summary(struct reporter *r, const struct test_set *t)
{
	struct test_counts c;

	report_wait(r);
	term_idle(&r->term);
	begin_lines(r);
	print_failures(r, t);
	tests_count(t, &c);
	fputs(term_sgr(&r->term, BOLD), r->f);
	fprintf(r->f, "%zu passed, %zu failed, %zu skipped", c.passed, c.failed, c.skipped);
	if (c.flaky)
		fprintf(r->f, ", %zu flaky", c.flaky);
	if (c.pending)
		fprintf(r->f, ", %zu not run", c.pending);
	fputs(term_sgr(&r->term, RESET), r->f);
	fputc('\n', r->f);
	end_lines(r);
}
