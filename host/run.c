// SPDX-License-Identifier: MIT
/* Scheduling boots, interpreting how each ended, and the run's verdict. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "junit.h"
#include "proc.h"
#include "report.h"
#include "results.h"
#include "rpmbdev.h"
#include "run.h"
#include "session.h"
#include "shard.h"

#include <testrunner/protocol.h>

struct job {
	const char **sel;	/* test names, or the user's raw selectors */
	size_t n;
	bool resolved;		/* names from the catalogue */
	bool list;		/* "boottest --list" */
	struct job *next;
};

struct runner;

struct slot {
	struct session s;
	struct runner *run;
	struct job *job;
	bool busy;
	long cur;		/* index of the announced test, -1 none */
	uint64_t test_start;
	char last_diag[200];
	char test_diag[200];	/* last diagnostic of the running test */
};

struct runner {
	const struct options *o;
	struct qemu_cfg qcfg;
	struct test_set tests;
	struct reporter rep;
	char **cat;		/* the image's catalogue, in its order */
	size_t n_cat, cap_cat;
	bool have_cat;
	bool resolve_after_list;	/* a raw boot stopped early */
	struct job *head;
	struct slot *slots;
	size_t n_slots;
	bool infra, capture, printed_infra;
	int term;
};

/* ---- jobs ---------------------------------------------------------------- */

static struct job *job_new(const char *const *sel, size_t n, bool resolved)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->sel = calloc(n ? n : 1, sizeof(*j->sel));
	if (!j->sel) {
		free(j);
		return NULL;
	}
	if (n)
		memcpy(j->sel, sel, n * sizeof(*sel));
	j->n = n;
	j->resolved = resolved;
	return j;
}

static void job_free(struct job *j)
{
	if (j) {
		free(j->sel);
		free(j);
	}
}

static void push_back(struct runner *r, struct job *j)
{
	struct job **p = &r->head;

	while (*p)
		p = &(*p)->next;
	*p = j;
}

static void push_front(struct runner *r, struct job *j)
{
	j->next = r->head;
	r->head = j;
}

static void drop_queue(struct runner *r)
{
	while (r->head) {
		struct job *j = r->head;

		r->head = j->next;
		job_free(j);
	}
}

/* ---- errors -------------------------------------------------------------- */

static void infra_error(struct runner *r, const char *msg, const struct session *s)
{
	r->infra = true;
	report_error(&r->rep, msg, s ? s->serial_tail : NULL, s ? s->qemu_tail : NULL);
	/* one broken boot makes every verdict after it suspect: stop */
	drop_queue(r);
	for (size_t i = 0; i < r->n_slots; i++)
		if (r->slots[i].busy)
			session_kill(&r->slots[i].s);
}

/* ---- the catalogue and selection ----------------------------------------- */

static bool catalogue_add(struct runner *r, const char *name, size_t len)
{
	char buf[KTAP_NAME_MAX];

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, name, len);
	buf[len] = '\0';
	if (!cli_selector_valid(buf, NULL) || strchr(buf, '*') || !strchr(buf, '.'))
		return false;
	if (r->n_cat == r->cap_cat) {
		size_t cap = r->cap_cat ? r->cap_cat * 2 : 64;
		char **v = realloc(r->cat, cap * sizeof(*v));

		if (!v)
			return false;
		r->cat = v;
		r->cap_cat = cap;
	}
	r->cat[r->n_cat] = strdup(buf);
	if (!r->cat[r->n_cat])
		return false;
	r->n_cat++;
	return true;
}

static bool selected(const struct options *o, const char *name)
{
	if (!o->n_selectors)
		return proto_in_default_set(name);
	for (size_t i = 0; i < o->n_selectors; i++)
		if (proto_selector_match(o->selectors[i], name))
			return true;
	return false;
}

/*
 * The catalogue names the user's selectors choose (and this shard runs), in
 * catalogue order. Returns the count, or -1 after reporting a selector that
 * matches nothing.
 */
static long resolve(struct runner *r, const char ***out)
{
	const struct options *o = r->o;
	const char **v = calloc(r->n_cat + 1, sizeof(*v));
	size_t n = 0, k = 0;

	if (!v)
		return -1;
	for (size_t s = 0; s < o->n_selectors; s++) {
		bool any = false;

		for (size_t i = 0; i < r->n_cat && !any; i++)
			any = proto_selector_match(o->selectors[s], r->cat[i]);
		if (!any) {
			char msg[300];

			snprintf(msg, sizeof(msg), "selector '%s': matches no test in %s",
				 o->selectors[s], r->qcfg.image);
			infra_error(r, msg, NULL);
			free(v);
			return -1;
		}
	}
	for (size_t i = 0; i < r->n_cat; i++) {
		if (!selected(o, r->cat[i]))
			continue;
		if (o->shard_count > 0 &&
		    !shard_selects(k++, (unsigned long)o->shard_index,
				   (unsigned long)o->shard_count))
			continue;
		v[n++] = r->cat[i];
	}
	*out = v;
	return (long)n;
}

/* Queue @names for running: one boot each, or one part per parallel instance. */
static int queue_tests(struct runner *r, const char **names, size_t n)
{
	size_t parts = r->o->isolate ? n : r->o->jobs;

	if (parts > n)
		parts = n;
	for (size_t p = 0; p < parts; p++) {
		size_t start, len = shard_part(n, parts, p, &start);
		struct job *j = job_new(names + start, len, true);

		if (!j)
			return -ENOMEM;
		push_back(r, j);
	}
	for (size_t i = 0; i < n; i++)
		if (!tests_get(&r->tests, names[i]))
			return -ENOMEM;
	r->rep.total = r->rep.done;
	for (size_t i = 0; i < n; i++)
		r->rep.total++;
	return 0;
}

/* After a raw boot stopped early: everything selected that has no result yet. */
static void queue_remaining_resolved(struct runner *r)
{
	const char **names, **rest;
	long n = resolve(r, &names);
	size_t k = 0;

	if (n < 0)
		return;
	rest = calloc((size_t)n + 1, sizeof(*rest));
	if (!rest) {
		free(names);
		return;
	}
	for (long i = 0; i < n; i++) {
		struct test_rec *t = tests_find(&r->tests, names[i]);

		if (!t || t->state == TEST_PENDING)
			rest[k++] = names[i];
	}
	if (k) {
		struct job *j = job_new(rest, k, true);

		for (size_t i = 0; i < k; i++)
			tests_get(&r->tests, rest[i]);
		if (j)
			push_front(r, j);
	}
	r->rep.total = r->rep.done + k;
	free(rest);
	free(names);
}

/* A boot ended early (crash, timeout): run what it did not get to. */
static void continue_after(struct runner *r, struct job *job,
			   const struct session *s)
{
	const char **rest;
	size_t k = 0;

	if (!job->resolved) {
		/* every planned test reported: nothing left, no need to list */
		if (s->ks.plan >= 0 && s->ks.results >= (unsigned long)s->ks.plan)
			return;
		if (r->have_cat) {
			queue_remaining_resolved(r);
		} else {
			struct job *l = job_new(NULL, 0, false);

			if (!l)
				return;
			l->list = true;
			r->resolve_after_list = true;
			push_front(r, l);
		}
		return;
	}
	rest = calloc(job->n + 1, sizeof(*rest));
	if (!rest)
		return;
	for (size_t i = 0; i < job->n; i++) {
		struct test_rec *t = tests_find(&r->tests, job->sel[i]);

		if (t && t->state == TEST_PENDING)
			rest[k++] = job->sel[i];
	}
	if (k) {
		struct job *j = job_new(rest, k, true);

		if (j)
			push_front(r, j);
	}
	free(rest);
}

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

static void finish_test(struct runner *r, struct test_rec *t, enum test_state st,
			const char *reason, double secs)
{
	t->state = st;
	t->secs = secs;
	t->attempts++;
	test_set_reason(t, reason);
	if (st == TEST_PASS && t->failed_once)
		t->flaky = true;
	report_test(&r->rep, t);
}

static void on_line(void *ctx, struct session *s, const struct ktap_line *l)
{
	struct slot *sl = ctx;
	struct runner *r = sl->run;
	struct test_rec *t = sl->cur >= 0 ? &r->tests.v[sl->cur] : NULL;
	uint64_t now = proc_now_ms();

	(void)s;
	if (l->kind == KTAP_DIAG || l->kind == KTAP_OTHER)
		snprintf(sl->last_diag, sizeof(sl->last_diag), "%s", l->text);
	if (sl->job->list) {
		if (l->kind == KTAP_OTHER && l->len)
			catalogue_add(r, l->text, l->len);
		return;
	}
	switch (l->kind) {
	case KTAP_START:
		t = tests_get(&r->tests, l->name);
		if (!t)
			return;
		sl->test_diag[0] = '\0';
		sl->cur = t - r->tests.v;
		sl->test_start = now;
		report_progress(&r->rep, t->name);
		break;
	case KTAP_RESULT: {
		const char *name = l->name[0] ? l->name : t ? t->name : NULL;
		char unnamed[32];

		if (!name) {
			snprintf(unnamed, sizeof(unnamed), "test%lu", l->num);
			name = unnamed;
		}
		t = tests_get(&r->tests, name);
		if (!t)
			return;
		finish_test(r, t, result_state(l),
			    !l->ok && !*l->reason ? diag_text(sl->test_diag) : l->reason,
			    sl->cur >= 0 ? (double)(now - sl->test_start) / 1000 : 0);
		sl->cur = -1;
		break;
	}
	case KTAP_EXCEPTION:
		if (t)
			test_set_str(&t->exception, l->rest);
		break;
	case KTAP_BACKTRACE:
		if (t)
			test_set_str(&t->backtrace, l->rest);
		break;
	case KTAP_DIAG:
	case KTAP_OTHER:
		if (t && l->kind == KTAP_DIAG)
			snprintf(sl->test_diag, sizeof(sl->test_diag), "%s", l->text);
		if (t && r->capture)
			test_log_append(t, l->text, l->len);
		break;
	default:
		break;
	}
}

/* ---- boots --------------------------------------------------------------- */

static void start_job(struct runner *r, struct slot *sl, struct job *j)
{
	struct qemu_cfg qcfg = r->qcfg;
	char req[PROTO_REQUEST_MAX + 2];
	size_t len, taken;
	char msg[400];

	if (j->list) {
		len = (size_t)snprintf(req, sizeof(req), "%s%s\n",
				       PROTO_BOOTTEST_PREFIX, PROTO_LIST_OPTION);
	} else {
		taken = request_build(req, j->sel, j->n, &len);
		if (j->n && !taken) {
			snprintf(msg, sizeof(msg), "selector '%s': too long for a request",
				 j->sel[0]);
			infra_error(r, msg, NULL);
			job_free(j);
			return;
		}
		if (taken < j->n) {
			/* the rest goes in another boot: requests are 255 bytes at most */
			struct job *rest = job_new(j->sel + taken, j->n - taken, j->resolved);

			if (rest)
				push_front(r, rest);
			j->n = taken;
		}
	}
	/* listing needs no RPMB: no emulator for catalogue boots */
	if (j->list)
		qcfg.rpmb_dev = NULL;
	memset(&sl->s, 0, sizeof(sl->s));
	sl->run = r;
	sl->job = j;
	sl->busy = true;
	sl->cur = -1;
	sl->last_diag[0] = '\0';
	sl->s.relay = !j->list;
	sl->s.on_line = on_line;
	sl->s.ctx = sl;
	if (session_start(&sl->s, &qcfg, req, r->o->debug ? 0 : r->o->timeout_ms)) {
		snprintf(msg, sizeof(msg), "%s", sl->s.err);
		infra_error(r, msg, NULL);
		return;
	}
	if (r->o->debug)
		fprintf(stderr, "testrunner-host: QEMU is halted for gdb: "
			"gdb-multiarch %s -ex 'target remote :1234'\n", r->qcfg.image);
}

static void boot_done(struct runner *r, struct slot *sl)
{
	struct session *s = &sl->s;
	struct job *j = sl->job;
	struct test_rec *cur = sl->cur >= 0 ? &r->tests.v[sl->cur] : NULL;
	double secs = cur ? (double)(proc_now_ms() - sl->test_start) / 1000 : 0;
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
			snprintf(msg, sizeof(msg), "listing tests: the guest answered status %d%s%s",
				 s->status, sl->last_diag[0] ? ": " : "",
				 diag_text(sl->last_diag));
			infra_error(r, msg, s);
		} else {
			snprintf(msg, sizeof(msg), "listing tests: %s", s->err);
			infra_error(r, msg, s);
		}
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
			if (!ktap_stream_all_passed(&s->ks, why, sizeof(why))) {
				snprintf(msg, sizeof(msg),
					 "the guest reported success but its KTAP disagrees: %s",
					 why);
				infra_error(r, msg, NULL);
			} else if (j->resolved) {
				for (size_t i = 0; i < j->n; i++) {
					struct test_rec *t = tests_find(&r->tests, j->sel[i]);

					if (t && t->state != TEST_PENDING)
						continue;
					snprintf(msg, sizeof(msg),
						 "the guest reported success without running %s",
						 j->sel[i]);
					infra_error(r, msg, NULL);
					break;
				}
			}
		} else if (s->status == PROTO_STATUS_FAIL) {
			if (!s->ks.not_ok && !cur) {
				infra_error(r, "the guest reported failure but no test failed",
					    s);
				break;
			}
			/* a crash ends the boot: the tests after it still have to run */
			continue_after(r, j, s);
		} else {
			snprintf(msg, sizeof(msg), "the guest reported an error%s%s",
				 sl->last_diag[0] ? ": " : "", diag_text(sl->last_diag));
			infra_error(r, msg, s);
		}
		break;
	case END_TIMEOUT:
		if (cur && s->timed_out[0]) {
			snprintf(why, sizeof(why), "no result within %.3g s",
				 s->timeout_ms / 1000.0);
			finish_test(r, cur, TEST_TIMEOUT, why, secs);
			sl->cur = -1;
			continue_after(r, j, s);
		} else {
			infra_error(r, s->err, s);
		}
		break;
	default:
		if (cur) {
			finish_test(r, cur, TEST_LOST, s->err, secs);
			sl->cur = -1;
		}
		infra_error(r, s->err, s);
		break;
	}
out:
	session_cleanup(s);
	job_free(j);
	sl->job = NULL;
	sl->busy = false;
}

/* Run the queue to completion (or abort). */
static void run_loop(struct runner *r)
{
	struct pollfd *pfd = calloc(r->n_slots + 1, sizeof(*pfd));

	if (!pfd) {
		infra_error(r, "out of memory", NULL);
		return;
	}
	for (;;) {
		size_t active = 0;
		uint64_t now, next = 0;
		int timeout;

		for (size_t i = 0; i < r->n_slots && r->head && !r->infra && !r->term; i++) {
			if (r->slots[i].busy)
				continue;
			struct job *j = r->head;

			r->head = j->next;
			j->next = NULL;
			start_job(r, &r->slots[i], j);
		}
		pfd[0].fd = proc_wake_fd();
		pfd[0].events = POLLIN;
		for (size_t i = 0; i < r->n_slots; i++) {
			struct slot *sl = &r->slots[i];

			pfd[i + 1].fd = -1;
			pfd[i + 1].revents = 0;
			if (!sl->busy)
				continue;
			active++;
			pfd[i + 1].fd = session_pollfd(&sl->s, &pfd[i + 1].events);
			if (sl->s.deadline && (!next || sl->s.deadline < next))
				next = sl->s.deadline;
		}
		if (!active && (!r->head || r->infra || r->term))
			break;
		now = proc_now_ms();
		timeout = !next ? -1 : next <= now ? 0 : (int)(next - now);
		fflush(stdout);
		if (poll(pfd, r->n_slots + 1, timeout) < 0 && errno != EINTR) {
			infra_error(r, "poll failed", NULL);
			break;
		}
		if (pfd[0].revents)
			proc_wake_drain();
		if (proc_term_signal()) {
			r->term = proc_term_signal();
			for (size_t i = 0; i < r->n_slots; i++)
				if (r->slots[i].busy)
					session_kill(&r->slots[i].s);
		}
		now = proc_now_ms();
		for (size_t i = 0; i < r->n_slots; i++) {
			struct slot *sl = &r->slots[i];

			if (!sl->busy)
				continue;
			if (!session_done(&sl->s))
				session_step(&sl->s, pfd[i + 1].fd >= 0 ? pfd[i + 1].revents : 0);
			if (!session_done(&sl->s) && sl->s.deadline && now >= sl->s.deadline)
				session_expire(&sl->s);
			if (session_done(&sl->s))
				boot_done(r, sl);
		}
	}
	fflush(stdout);
	free(pfd);
}

/* ---- entry points -------------------------------------------------------- */

static int runner_init(struct runner *r, const struct options *o)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->qcfg.qemu = o->qemu;
	r->qcfg.image = o->image;
	r->qcfg.memory = o->memory;
	r->qcfg.smp = o->smp;
	r->qcfg.serial_stdio = o->verbose;
	r->qcfg.debug = o->debug;
	r->qcfg.rpmb_dev = o->cmd == CLI_RUN && !o->no_rpmb ? o->rpmb_dev : NULL;
	r->qcfg.rpmb_file = o->rpmb_file;
	r->qcfg.extra = o->qemu_args;
	r->qcfg.n_extra = o->n_qemu_args;
	r->capture = o->junit || o->ktap;
	r->n_slots = o->jobs ? o->jobs : 1;
	r->slots = calloc(r->n_slots, sizeof(*r->slots));
	tests_init(&r->tests);
	report_init(&r->rep, stderr,
		    isatty(2) && !getenv("NO_COLOR") &&
		    !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb")),
		    o->image);
	if (!r->slots)
		return -ENOMEM;
	return proc_signals_init();
}

static void runner_free(struct runner *r)
{
	drop_queue(r);
	for (size_t i = 0; i < r->n_slots; i++)
		if (r->slots[i].busy) {
			session_cleanup(&r->slots[i].s);
			job_free(r->slots[i].job);
		}
	free(r->slots);
	for (size_t i = 0; i < r->n_cat; i++)
		free(r->cat[i]);
	free(r->cat);
	tests_free(&r->tests);
}

static int get_catalogue(struct runner *r)
{
	struct job *l = job_new(NULL, 0, false);

	if (!l)
		return -ENOMEM;
	l->list = true;
	push_back(r, l);
	run_loop(r);
	return r->have_cat ? 0 : -EIO;
}

static int verdict(struct runner *r)
{
	if (r->term)
		return 128 + r->term;
	if (r->infra)
		return EXIT_INFRA;
	for (size_t i = 0; i < r->tests.n; i++)
		if (r->tests.v[i].state == TEST_PENDING)
			return EXIT_INFRA;	/* selected, never reported */
	for (size_t i = 0; i < r->tests.n; i++)
		if (test_failed(&r->tests.v[i]))
			return EXIT_FAIL;
	return EXIT_PASS;
}

int run_tests(const struct options *o)
{
	uint64_t t0 = proc_now_ms();
	struct runner r;
	char req[PROTO_REQUEST_MAX + 2];
	size_t len;
	int ret, code;
	bool need_cat;

	if (runner_init(&r, o)) {
		runner_free(&r);
		fprintf(stderr, "testrunner-host: setup: out of resources\n");
		return EXIT_INFRA;
	}
	if (o->shard_status_file) {
		/* Bazel: touching it says "this test runner shards" */
		int fd = open(o->shard_status_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (fd < 0) {
			fprintf(stderr, "testrunner-host: TEST_SHARD_STATUS_FILE %s: %s\n",
				o->shard_status_file, strerror(errno));
			runner_free(&r);
			return EXIT_INFRA;
		}
		close(fd);
	}
	if (r.qcfg.rpmb_dev && o->rpmb_file) {
		char err[400];

		/* once per run: a bad or busy file is one clear error, not N failed boots */
		if (rpmbdev_prepare(r.qcfg.rpmb_dev, o->rpmb_file, 1, err, sizeof(err))) {
			fprintf(stderr, "testrunner-host: --rpmb-file %s: %s\n", o->rpmb_file, err);
			runner_free(&r);
			return proc_term_signal() ? 128 + proc_term_signal() : EXIT_INFRA;
		}
	}
	need_cat = o->isolate || o->jobs > 1 || o->shard_count > 0 ||
		   request_build(req, o->selectors, o->n_selectors, &len) < o->n_selectors;
	if (need_cat) {
		const char **names;
		long n;

		if (get_catalogue(&r) == 0 && (n = resolve(&r, &names)) >= 0) {
			/* exit 0 with no result frame: Bazel gives shards nothing to do */
			if (!n && o->shard_count > 0)
				fprintf(stderr, "testrunner-host: shard %ld/%ld: no tests selected\n",
					o->shard_index, o->shard_count);
			if (queue_tests(&r, names, (size_t)n))
				infra_error(&r, "out of memory", NULL);
			free(names);
			run_loop(&r);
		}
	} else {
		struct job *j = job_new(o->selectors, o->n_selectors, false);

		if (j) {
			push_back(&r, j);
			run_loop(&r);
		}
	}
	for (unsigned int round = 0; round < o->retry && !r.infra && !r.term; round++) {
		const char **again = calloc(r.tests.n + 1, sizeof(*again));
		size_t k = 0;

		if (!again)
			break;
		for (size_t i = 0; i < r.tests.n; i++) {
			struct test_rec *t = &r.tests.v[i];

			if (!test_failed(t))
				continue;
			t->failed_once = true;
			test_reset(t);
			again[k++] = t->name;
		}
		if (k) {
			fprintf(stderr, "testrunner-host: retrying %zu failed test(s), round %u of %u\n",
				k, round + 1, o->retry);
			r.rep.done = 0;
			r.rep.total = 0;
			if (!queue_tests(&r, again, k))
				run_loop(&r);
		}
		free(again);
		if (!k)
			break;
	}
	code = verdict(&r);
	if (o->junit) {
		ret = junit_write_file(o->junit, &r.tests, "testrunner",
				       (double)(proc_now_ms() - t0) / 1000);
		if (ret) {
			fprintf(stderr, "testrunner-host: %s: %s\n", o->junit, strerror(-ret));
			if (code == EXIT_PASS || code == EXIT_FAIL)
				code = EXIT_INFRA;
		}
	}
	if (o->ktap) {
		ret = ktap_write_file(o->ktap, &r.tests);
		if (ret) {
			fprintf(stderr, "testrunner-host: %s: %s\n", o->ktap, strerror(-ret));
			if (code == EXIT_PASS || code == EXIT_FAIL)
				code = EXIT_INFRA;
		}
	}
	report_summary(&r.rep, &r.tests);
	/* the relayed log is part of the result: a lost stdout is not a pass */
	errno = 0;
	if ((fflush(stdout) || ferror(stdout)) && !r.term) {
		fprintf(stderr, "testrunner-host: writing the log to stdout: %s\n",
			strerror(errno ? errno : EIO));
		code = EXIT_INFRA;
	}
	if (r.term)
		fprintf(stderr, "testrunner-host: interrupted by %s\n", strsignal(r.term));
	runner_free(&r);
	return code;
}

int run_list(const struct options *o)
{
	struct runner r;
	int code;

	if (runner_init(&r, o)) {
		runner_free(&r);
		fprintf(stderr, "testrunner-host: setup: out of resources\n");
		return EXIT_INFRA;
	}
	get_catalogue(&r);
	if (r.term) {
		code = 128 + r.term;
	} else if (!r.have_cat) {
		code = EXIT_INFRA;
	} else {
		for (size_t i = 0; i < r.n_cat; i++)
			printf("%s\n", r.cat[i]);
		code = fflush(stdout) ? EXIT_INFRA : EXIT_PASS;
	}
	runner_free(&r);
	return code;
}
