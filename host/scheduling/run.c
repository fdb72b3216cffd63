// SPDX-License-Identifier: MIT
/* The run: the poll loop over the slots, retries, reports and the exit code. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/junit.h"
#include "system/proc.h"
#include "reports/report.h"
#include "scheduling/results.h"
#include "machine/rpmbdev.h"
#include "scheduling/run.h"
#include "scheduling/runner.h"
#include "machine/session.h"
#include "scheduling/shard.h"

#include <testrunner/protocol.h>

/* Run the queue to completion (or abort). */
static void run_loop(struct runner *r)
{
	struct pollfd *pfd = calloc(r->n_slots + 1, sizeof(*pfd));

	if (!pfd) {
		runner_infra_error(r, "out of memory", NULL);
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
			slot_start(r, &r->slots[i], j);
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
			runner_infra_error(r, "poll failed", NULL);
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
				slot_done(r, sl);
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
	queue_drop(r);
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
	queue_push_back(r, l);
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

		if (get_catalogue(&r) == 0 && (n = catalogue_resolve(&r, &names)) >= 0) {
			/* exit 0 with no result frame: Bazel gives shards nothing to do */
			if (!n && o->shard_count > 0)
				fprintf(stderr, "testrunner-host: shard %ld/%ld: no tests selected\n",
					o->shard_index, o->shard_count);
			if (queue_tests(&r, names, (size_t)n))
				runner_infra_error(&r, "out of memory", NULL);
			free(names);
			run_loop(&r);
		}
	} else {
		struct job *j = job_new(o->selectors, o->n_selectors, false);

		if (j) {
			queue_push_back(&r, j);
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
