/* SPDX-License-Identifier: MIT */
/* One boot of a run: its request, what its KTAP lines mean, and how it ended. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testrunner/protocol.h>

#include "machine/boot_logs.h"
#include "protocol/escape.h"
#include "protocol/request.h"
#include "scheduling/runner.h"
#include "system/clock.h"
#include "system/status_line.h"

static const char *diag_text(const char *d)
{
	while (*d == '#' || *d == ' ')
		d++;
	return d;
}

static enum test_state result_state(const struct ktap_line *l)
{
	if (l->ok)
		return l->dir == KTAP_DIR_SKIP ? TEST_SKIP : TEST_PASS;
	if (l->dir == KTAP_DIR_ERROR)
		return TEST_CRASH;
	if (l->dir == KTAP_DIR_TIMEOUT)
		return TEST_TIMEOUT;
	return TEST_FAIL;
}

/* @s as the reports show guest text: at most a KTAP line, control characters escaped. */
static const char *guest_text(char buf[ESCAPE_GROWTH * KTAP_LINE_MAX + 1], const char *s)
{
	size_t len = strlen(s);

	if (len > KTAP_LINE_MAX)
		len = KTAP_LINE_MAX;
	escape_text(buf, s, len);
	return buf;
}

/* @s from the guest, kept in *@dst with its control characters escaped. */
static void set_guest_str(char **dst, const char *s)
{
	char buf[ESCAPE_GROWTH * KTAP_LINE_MAX + 1];

	test_set_str(dst, guest_text(buf, s));
}

/* The same, as one more line of *@dst. */
static void append_guest_line(char **dst, const char *s)
{
	char buf[ESCAPE_GROWTH * KTAP_LINE_MAX + 1];

	test_append_line(dst, guest_text(buf, s));
}

void slot_finish_test(struct runner *r, struct test_rec *t, enum test_state st, const char *reason,
		      double secs)
{
	t->state = st;
	t->secs = secs;
	t->attempts++;
	if (reason && *reason)
		set_guest_str(&t->reason, reason);
	else
		test_set_reason(t, NULL);
	if (st == TEST_PASS && t->failed_once)
		t->flaky = true;
	r->done++;
	r->ev.test(r->ev.ctx, t);
}

/* The guest reported what it must not: the boot is stopped, its verdicts void. */
__attribute__((format(printf, 2, 3))) static void violate(struct slot *sl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sl->violation, sizeof(sl->violation), fmt, ap);
	va_end(ap);
}

/*
 * The record of @name if this boot may report it now: a test its request
 * chose, with no verdict yet. Otherwise NULL, the boot's violation said.
 */
static struct test_rec *claim(struct slot *sl, const char *name)
{
	struct runner *r = sl->run;
	struct test_rec *t;

	if (!proto_test_name_valid(name, strlen(name))) {
		violate(sl, "'%s' is not a test name", name);
		return NULL;
	}
	t = tests_find(&r->tests, name);
	if (!t || t->boot != sl->boot) {
		violate(sl, "%s reported, but it was not requested", name);
		return NULL;
	}
	if (t->state != TEST_PENDING) {
		violate(sl, "%s reported twice", name);
		return NULL;
	}
	return t;
}

/* The end of a test that ran in @sl's boot. */
static void finish_test(struct slot *sl, struct test_rec *t, enum test_state st, const char *reason,
			double secs)
{
	t->boot = sl->boot;
	slot_finish_test(sl->run, t, st, reason, secs);
}

/* @sl's place among the slots, from 1: what the terminal view calls it. */
static unsigned int slot_number(const struct slot *sl)
{
	return (unsigned int)(sl - sl->run->slots) + 1;
}

/* --verbose: the boot's serial console, for the layer above to show. */
static void on_console(void *ctx, const char *data, size_t len)
{
	struct slot *sl = ctx;

	sl->run->ev.console(sl->run->ev.ctx, slot_number(sl), data, len);
}

static void on_line(void *ctx, const struct ktap_line *l)
{
	struct slot *sl = ctx;
	struct runner *r = sl->run;
	struct test_rec *t = sl->cur >= 0 ? &r->tests.v[sl->cur] : NULL;
	const struct ktap_stream *ks = session_result(sl->s)->ktap;
	/* per line of a log that may be megabytes: the clock only where a test starts or ends */
	uint64_t now = l->kind == KTAP_START || l->kind == KTAP_RESULT ? clock_now_ms() : 0;

	if (sl->violation[0] || r->infra)
		return;
	if (l->kind == KTAP_DIAG || l->kind == KTAP_OTHER)
		ktap_line_copy(l, sl->last_diag, sizeof(sl->last_diag));
	if (sl->job->list) {
		/* stopping the boot for a bad line hands us the lines still buffered */
		if (r->infra)
			return;
		if (l->kind == KTAP_OTHER && l->len)
			catalogue_add(r, l->text, l->len);
		else if (l->kind == KTAP_DIAG)
			catalogue_add_options(r, l->text, l->len); /* reports a bad line */
		return;
	}
	switch (l->kind) {
	case KTAP_START:
		t = claim(sl, l->name);
		if (!t)
			return;
		sl->test_diag[0] = '\0';
		sl->cur = t - r->tests.v;
		t->boot = sl->boot;
		sl->test_start = now;
		session_set_test_timeout(sl->s, catalogue_timeout_ms(r, t->name));
		r->ev.progress(r->ev.ctx, &(struct sched_progress){
						  .running = t->name,
						  .slot = slot_number(sl),
						  .timeout_ms = catalogue_timeout_ms(r, t->name),
						  .done = r->done,
						  .total = r->total,
					  });
		break;
	case KTAP_RESULT: {
		const char *name = l->name[0] ? l->name : t ? t->name : NULL;

		if (!name) {
			violate(sl, "result %lu names no test", l->num);
			return;
		}
		if (t && strcmp(name, t->name)) {
			violate(sl, "a result for %s while %s ran", name, t->name);
			return;
		}
		if (ks->plan >= 0 && ks->results > (unsigned long)ks->plan) {
			violate(sl, "result %lu (%s) beyond the plan 1..%ld", ks->results, name,
				ks->plan);
			return;
		}
		if (!t) {
			t = claim(sl, name);
			if (!t)
				return;
		}
		finish_test(sl, t, result_state(l),
			    !l->ok && !*l->reason ? diag_text(sl->test_diag) : l->reason,
			    sl->cur >= 0 ? (double)(now - sl->test_start) / 1000 : 0);
		sl->cur = -1;
		session_set_test_timeout(sl->s, r->cfg->timeout_ms);
		break;
	}
	case KTAP_EXCEPTION:
		if (t)
			append_guest_line(&t->exception, l->rest);
		break;
	case KTAP_BACKTRACE:
		if (t)
			set_guest_str(&t->backtrace, l->rest);
		break;
	case KTAP_DIAG:
	case KTAP_OTHER:
		if (t && l->kind == KTAP_DIAG)
			ktap_line_copy(l, sl->test_diag, sizeof(sl->test_diag));
		if (t && ktap_is_assertion(l))
			append_guest_line(&t->failures, l->rest);
		if (t && r->cfg->capture) {
			char buf[ESCAPE_GROWTH * KTAP_LINE_MAX + 1];
			size_t len = l->len < KTAP_LINE_MAX ? l->len : KTAP_LINE_MAX;

			test_log_append(&r->tests, t, buf, escape_text(buf, l->text, len));
		}
		break;
	default:
		break;
	}
}

void slot_start(struct runner *r, struct slot *sl, struct job *j)
{
	struct qemu_cfg qcfg = r->cfg->qemu;
	char req[REQUEST_BUF_SIZE];
	struct session_cfg scfg = {
		.qemu = &qcfg,
		.mode = SESSION_TESTS,
		.request = req,
		.timeout_ms = r->cfg->timeout_ms,
		.connect_timeout_ms = r->cfg->boot_timeout_ms,
		.relay = !j->list,
		.relay_prefix = r->cfg->tag_log ? sl->tag : NULL,
		.on_line = on_line,
		.on_console = r->cfg->show_console && r->ev.console ? on_console : NULL,
		.ctx = sl,
	};
	size_t len, taken;
	char msg[400];

	/* a reset only where another boot may follow: the last one ends as fast as it can */
	enum proto_reset reset = !qcfg.reset			       ? PROTO_RESET_NEVER
				 : j->list || r->head || r->cfg->retry ? PROTO_RESET_ALWAYS
								       : PROTO_RESET_AFTER_CRASH;

	if (j->list) {
		request_build_list(req, reset);
		/* listing needs no RPMB nor gdb, unless its QEMU runs the tests next */
		if (!qcfg.reset) {
			qcfg.rpmb_dev = NULL;
			qcfg.debug = false;
		}
	} else {
		if (j->smp)
			qcfg.smp = j->smp;
		/* the whole default set in one boot, however many tests it has */
		taken = j->default_set ? (request_build(req, NULL, 0, reset, &len), j->n)
				       : request_build(req, j->sel, j->n, reset, &len);
		if (taken < j->n && reset == PROTO_RESET_AFTER_CRASH)
			taken = request_build(req, j->sel, j->n, reset = PROTO_RESET_ALWAYS, &len);
		scfg.reset_after_crash = reset == PROTO_RESET_AFTER_CRASH;
		if (j->n && !taken) {
			snprintf(msg, sizeof(msg), "selector '%s': too long for a request",
				 j->sel[0]);
			runner_infra_error(r, msg, NULL);
			job_free(j);
			return;
		}
		if (taken < j->n) {
			/* the rest goes in another boot: requests are 255 bytes at most */
			struct job *rest = job_like(j, j->sel + taken, j->n - taken);

			if (!rest) {
				runner_errno(r, "queueing the tests of the next request", -ENOMEM);
				job_free(j);
				return;
			}
			queue_push_front(r, rest);
			j->n = taken;
		}
	}
	sl->run = r;
	snprintf(sl->tag, sizeof(sl->tag), "[%u] ", slot_number(sl));
	sl->job = j;
	sl->cur = -1;
	sl->last_diag[0] = '\0';
	sl->violation[0] = '\0';
	sl->boot = ++r->boots;
	/* the tests this boot may report */
	for (size_t i = 0; i < j->n && !j->list; i++) {
		struct test_rec *t = tests_find(&r->tests, j->sel[i]);

		if (t && t->state == TEST_PENDING)
			t->boot = sl->boot;
	}
	/* reset mode: the next boot on the QEMU the last one left, if it fits and lives */
	if (sl->s && (!session_idle(sl->s) || sl->smp != qcfg.smp || session_next(sl->s, &scfg))) {
		session_free(sl->s);
		sl->s = NULL;
	}
	if (!sl->s) {
		sl->s = session_start(&scfg);
		sl->smp = qcfg.smp;
		r->qemu_starts++;
	}
	if (!sl->s) {
		sl->job = NULL;
		job_free(j);
		runner_errno(r, "starting a boot", -ENOMEM);
		return;
	}
	if (qcfg.debug) {
		status_line_hide();
		fprintf(stderr,
			"testrunner-host: QEMU is halted for gdb: "
			"gdb-multiarch %s -ex 'target remote 127.0.0.1:%u'\n",
			r->cfg->symbols ? r->cfg->symbols : qcfg.image, qcfg.gdb_port);
	}
}

/*
 * After a result frame of success: a request the boot did not answer in
 * full. True with @msg set when a requested test was not reported.
 */
static bool unreported(struct runner *r, const struct slot *sl, char *msg, size_t len)
{
	const struct job *j = sl->job;

	for (size_t i = 0; i < j->n; i++) {
		const struct test_rec *t = tests_find(&r->tests, j->sel[i]);

		if (!t || t->boot != sl->boot || t->state == TEST_PENDING) {
			snprintf(msg, len, "the guest reported success without running %s",
				 j->sel[i]);
			return true;
		}
	}
	return false;
}

void slot_out_of_time(struct runner *r, struct slot *sl)
{
	if (sl->cur >= 0) {
		finish_test(sl, &r->tests.v[sl->cur], TEST_TIMEOUT,
			    "stopped at the run's time limit (TEST_TIMEOUT)",
			    (double)(clock_now_ms() - sl->test_start) / 1000);
		sl->cur = -1;
	}
	session_stop(sl->s);
}

/* Each boot's logs into cfg->logs_dir as boot-N.*, N counting from 1 in the run. */
static void keep_logs(struct runner *r, struct slot *sl)
{
	char prefix[32];
	int ret;

	snprintf(prefix, sizeof(prefix), "boot-%u", sl->boot);
	ret = boot_logs_keep(session_result(sl->s)->dir, r->cfg->logs_dir, prefix,
			     session_result(sl->s)->log_marks);
	if (!ret)
		return;
	status_line_hide();
	fprintf(stderr, "testrunner-host: keeping the logs of %s in %s: %s\n", prefix,
		r->cfg->logs_dir, strerror(-ret));
}

void slot_done(struct runner *r, struct slot *sl)
{
	const struct session_result *s = session_result(sl->s);
	struct job *j = sl->job;
	struct test_rec *cur = sl->cur >= 0 ? &r->tests.v[sl->cur] : NULL;
	double secs = cur ? (double)(clock_now_ms() - sl->test_start) / 1000 : 0;
	char msg[600], why[128];

	if (r->cfg->logs_dir)
		keep_logs(r, sl);
	if (r->cfg->show_console && r->ev.console)
		r->ev.console(r->ev.ctx, slot_number(sl), NULL, 0);
	if (r->ev.boot_ended && s->dir && s->dir[0])
		r->ev.boot_ended(r->ev.ctx, sl->boot, s->dir, s->log_marks);
	if (r->term || r->infra || r->out_of_time)
		goto out;
	if (j->list) {
		if (s->end == END_RESULT && s->status == PROTO_STATUS_PASS) {
			r->have_cat = true;
		} else if (s->end == END_RESULT) {
			snprintf(msg, sizeof(msg),
				 "listing tests: the guest answered status %d%s%s", s->status,
				 sl->last_diag[0] ? ": " : "", diag_text(sl->last_diag));
			runner_infra_error(r, msg, s);
		} else {
			snprintf(msg, sizeof(msg), "listing tests: %s", s->err);
			runner_infra_error(r, msg, s);
		}
		goto out;
	}
	if (sl->violation[0]) {
		/* what it said cannot be trusted: its tests stay not run */
		snprintf(msg, sizeof(msg), "protocol violation on " PROTO_PORT_NAME ": %s",
			 sl->violation);
		runner_infra_error(r, msg, s);
		goto out;
	}
	switch (s->end) {
	case END_RESULT:
		if (cur) {
			finish_test(sl, cur, TEST_LOST, "no result line before the result frame",
				    secs);
			sl->cur = -1;
		}
		if (s->status == PROTO_STATUS_PASS) {
			if (!ktap_stream_all_passed(s->ktap, why, sizeof(why))) {
				snprintf(msg, sizeof(msg),
					 "the guest reported success but its KTAP disagrees: %s",
					 why);
				runner_infra_error(r, msg, NULL);
			} else if (unreported(r, sl, msg, sizeof(msg))) {
				runner_infra_error(r, msg, NULL);
			}
		} else if (s->status == PROTO_STATUS_FAIL) {
			if (!s->ktap->not_ok && !cur) {
				runner_infra_error(
					r, "the guest reported failure but no test failed", s);
				break;
			}
			/* a crash ends the boot: the tests after it still have to run */
			queue_continue_after(r, j);
		} else {
			snprintf(msg, sizeof(msg), "the guest reported an error%s%s",
				 sl->last_diag[0] ? ": " : "", diag_text(sl->last_diag));
			runner_infra_error(r, msg, s);
		}
		break;
	case END_TIMEOUT:
		if (cur && s->timed_out[0]) {
			snprintf(why, sizeof(why), "no result within %.3g s",
				 s->timeout_ms / 1000.0);
			free(cur->hang);
			cur->hang = hang_copy(s->hang);
			finish_test(sl, cur, TEST_TIMEOUT, why, secs);
			sl->cur = -1;
			queue_continue_after(r, j);
		} else {
			runner_infra_error(r, s->err, s);
		}
		break;
	case END_LOST:
		/* the reset did not bring the guest back: the same tests on a new QEMU */
		fprintf(stderr, "testrunner-host: %s: starting a new QEMU\n", s->err);
		queue_push_front(r, j);
		j = NULL;
		break;
	default:
		if (cur) {
			finish_test(sl, cur, TEST_LOST, s->err, secs);
			sl->cur = -1;
		}
		runner_infra_error(r, s->err, s);
		break;
	}
out:
	/* an idle QEMU waits for the next boot, unless this run is over */
	if (!session_idle(sl->s) || sl->violation[0] || r->term || r->infra || r->out_of_time) {
		session_free(sl->s);
		sl->s = NULL;
	}
	job_free(j);
	sl->job = NULL;
}
