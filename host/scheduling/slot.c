/* SPDX-License-Identifier: MIT */
/* One boot of a run: its request, what its KTAP lines mean, and how it ended. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testrunner/protocol.h>

#include "protocol/escape.h"
#include "protocol/request.h"
#include "scheduling/runner.h"
#include "system/clock.h"

/* ---- lines from a boot --------------------------------------------------- */

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

/* @s from the guest, kept in *@dst with its control characters escaped. */
static void set_guest_str(char **dst, const char *s)
{
	char buf[ESCAPE_GROWTH * KTAP_LINE_MAX + 1];
	size_t len = strlen(s);

	/* at most a KTAP line's worth, or our own short explanation */
	if (len > KTAP_LINE_MAX)
		len = KTAP_LINE_MAX;
	escape_text(buf, s, len);
	test_set_str(dst, buf);
}

static void finish_test(struct runner *r, struct test_rec *t, enum test_state st,
			const char *reason, double secs)
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

/* Did the raw request's selectors (or the default set) choose @name? */
static bool raw_selected(const struct job *j, const char *name)
{
	if (!j->n)
		return proto_in_default_set(name);
	for (size_t i = 0; i < j->n; i++)
		if (proto_selector_match(j->sel[i], name))
			return true;
	return false;
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
	if (!sl->job->resolved && (!t || t->boot != sl->boot) && raw_selected(sl->job, name)) {
		t = tests_get(&r->tests, name);
		if (!t) {
			runner_errno(r, "recording a test", -ENOMEM);
			return NULL;
		}
		if (t->state == TEST_PENDING)
			t->boot = sl->boot;
	}
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

static void on_line(void *ctx, const struct ktap_line *l)
{
	struct slot *sl = ctx;
	struct runner *r = sl->run;
	struct test_rec *t = sl->cur >= 0 ? &r->tests.v[sl->cur] : NULL;
	const struct ktap_stream *ks = session_result(sl->s)->ktap;
	uint64_t now = clock_now_ms();

	if (sl->violation[0] || r->infra)
		return;
	if (l->kind == KTAP_DIAG || l->kind == KTAP_OTHER)
		snprintf(sl->last_diag, sizeof(sl->last_diag), "%s", l->text);
	if (sl->job->list) {
		if (l->kind == KTAP_OTHER && l->len)
			catalogue_add(r, l->text, l->len);
		return;
	}
	switch (l->kind) {
	case KTAP_START:
		t = claim(sl, l->name);
		if (!t)
			return;
		sl->test_diag[0] = '\0';
		sl->cur = t - r->tests.v;
		sl->test_start = now;
		r->ev.progress(r->ev.ctx, t->name, r->done, r->total);
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
		finish_test(r, t, result_state(l),
			    !l->ok && !*l->reason ? diag_text(sl->test_diag) : l->reason,
			    sl->cur >= 0 ? (double)(now - sl->test_start) / 1000 : 0);
		sl->cur = -1;
		break;
	}
	case KTAP_EXCEPTION:
		if (t)
			set_guest_str(&t->exception, l->rest);
		break;
	case KTAP_BACKTRACE:
		if (t)
			set_guest_str(&t->backtrace, l->rest);
		break;
	case KTAP_DIAG:
	case KTAP_OTHER:
		if (t && l->kind == KTAP_DIAG)
			snprintf(sl->test_diag, sizeof(sl->test_diag), "%s", l->text);
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

/* ---- boots --------------------------------------------------------------- */

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
		.on_line = on_line,
		.ctx = sl,
	};
	size_t len, taken;
	char msg[400];

	if (j->list) {
		snprintf(req, sizeof(req), "%s", REQUEST_LIST);
		/* listing needs no RPMB: no emulator for catalogue boots */
		qcfg.rpmb_dev = NULL;
	} else {
		taken = request_build(req, j->sel, j->n, &len);
		if (j->n && !taken) {
			snprintf(msg, sizeof(msg), "selector '%s': too long for a request",
				 j->sel[0]);
			runner_infra_error(r, msg, NULL);
			job_free(j);
			return;
		}
		if (taken < j->n) {
			/* the rest goes in another boot: requests are 255 bytes at most */
			struct job *rest = job_new(j->sel + taken, j->n - taken, j->resolved);

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
	sl->job = j;
	sl->cur = -1;
	sl->last_diag[0] = '\0';
	sl->violation[0] = '\0';
	if (!j->list) {
		/* the tests this boot may report */
		sl->boot = ++r->boots;
		for (size_t i = 0; i < j->n; i++) {
			struct test_rec *t = tests_find(&r->tests, j->sel[i]);

			/* a raw request's plain names are tests to report, like resolved ones */
			if (!t && !j->resolved && !strchr(j->sel[i], '*') &&
			    proto_test_name_valid(j->sel[i], strlen(j->sel[i])) &&
			    !(t = tests_get(&r->tests, j->sel[i]))) {
				runner_errno(r, "recording a test", -ENOMEM);
				sl->job = NULL;
				job_free(j);
				return;
			}
			if (t && t->state == TEST_PENDING)
				t->boot = sl->boot;
		}
	}
	sl->s = session_start(&scfg);
	if (!sl->s) {
		sl->job = NULL;
		job_free(j);
		runner_errno(r, "starting a boot", -ENOMEM);
		return;
	}
	if (r->cfg->debug)
		fprintf(stderr,
			"testrunner-host: QEMU is halted for gdb: "
			"gdb-multiarch %s -ex 'target remote :1234'\n",
			qcfg.image);
}

/*
 * After a result frame of success: a request the boot did not answer in
 * full. Each requested name, each raw selector and the default set must
 * have been reported. True with @msg set when one was not.
 */
static bool unreported(struct runner *r, const struct slot *sl, char *msg, size_t len)
{
	const struct job *j = sl->job;
	size_t reported = 0;

	for (size_t i = 0; i < r->tests.n; i++)
		reported += r->tests.v[i].boot == sl->boot && r->tests.v[i].state != TEST_PENDING;

	for (size_t i = 0; i < j->n; i++) {
		const struct test_rec *t = tests_find(&r->tests, j->sel[i]);
		bool seen = t && t->boot == sl->boot && t->state != TEST_PENDING;

		/* a raw glob or suite: any test it chose */
		for (size_t k = 0; k < r->tests.n && !seen && !j->resolved; k++)
			seen = r->tests.v[k].boot == sl->boot &&
			       r->tests.v[k].state != TEST_PENDING &&
			       proto_selector_match(j->sel[i], r->tests.v[k].name);
		if (!seen) {
			snprintf(msg, len, "the guest reported success without running %s%s",
				 strchr(j->sel[i], '*') ? "any test matching " : "", j->sel[i]);
			return true;
		}
	}
	if (!reported) {
		snprintf(msg, len, "no tests selected in %s: the guest ran none",
			 r->cfg->qemu.image);
		return true;
	}
	return false;
}

void slot_done(struct runner *r, struct slot *sl)
{
	const struct session_result *s = session_result(sl->s);
	struct job *j = sl->job;
	struct test_rec *cur = sl->cur >= 0 ? &r->tests.v[sl->cur] : NULL;
	double secs = cur ? (double)(clock_now_ms() - sl->test_start) / 1000 : 0;
	char msg[600], why[128];

	if (r->term || r->infra)
		goto out;
	if (j->list) {
		if (s->end == END_RESULT && s->status == PROTO_STATUS_PASS) {
			r->have_cat = true;
			if (r->resolve_after_list) {
				r->resolve_after_list = false;
				queue_remaining_resolved(r);
			}
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
			finish_test(r, cur, TEST_LOST, "no result line before the result frame",
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
			queue_continue_after(r, j, s);
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
			finish_test(r, cur, TEST_TIMEOUT, why, secs);
			sl->cur = -1;
			queue_continue_after(r, j, s);
		} else {
			runner_infra_error(r, s->err, s);
		}
		break;
	default:
		if (cur) {
			finish_test(r, cur, TEST_LOST, s->err, secs);
			sl->cur = -1;
		}
		runner_infra_error(r, s->err, s);
		break;
	}
out:
	session_free(sl->s);
	sl->s = NULL;
	job_free(j);
	sl->job = NULL;
}
