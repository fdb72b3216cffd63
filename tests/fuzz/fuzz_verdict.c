/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the harness's result bookkeeping (host/scheduling/), from
 * sequences of boots whose frames the fuzzer chooses, to the exit code.
 * QEMU is replaced by the boots below (session.h and loop.h implemented
 * here, so the real session.c and loop.c are not linked).
 *
 * Invariant: exit 0 only if every test boot's result frame said 0 and every
 * test requested was reported exactly once, as passed or skipped.
 *
 * Input: a flags byte (mode: one boot, -j 2 or --isolate; the selectors),
 * then the boots in the order the scheduler starts them, each a list of
 * ops: 0x00-0x7f log text of that length (capped at 62), 0x80 a result
 * frame (status: the next byte), 0x81 the end of the boot (how: the next
 * byte: as the frames say, a timeout, QEMU died).
 */
#include <stdbool.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <testrunner/protocol.h>

#include "fuzz_input.h"
#include "machine/exit_codes.h"
#include "machine/loop.h"
#include "machine/session.h"
#include "protocol/frames.h"
#include "protocol/ktap.h"
#include "scheduling/scheduler.h"

#define check(x)                          \
	do {                              \
		if (!(x))                 \
			__builtin_trap(); \
	} while (0)

#define MAX_NAMES 64

/* What the boots said, counted here apart from the code under test. */
struct oracle {
	char names[MAX_NAMES][KTAP_NAME_MAX];
	unsigned int results[MAX_NAMES], oks[MAX_NAMES];
	size_t n;
	bool overflow;	 /* more names than counted: no claim about them */
	bool bad_status; /* a test boot ended without a result frame of 0 */
	char cat[MAX_NAMES][KTAP_NAME_MAX];
	size_t n_cat;
};

static struct input in;
static struct oracle orc;

struct session {
	struct session_cfg cfg;
	struct frame_parser fp;
	struct ktap_stream ks;
	struct session_result res;
	char running[KTAP_NAME_MAX]; /* the announced test, for unnamed results */
	char timed_out[KTAP_NAME_MAX];
	char err[64];
	bool done;
};

static size_t slot_of(const char *name)
{
	for (size_t i = 0; i < orc.n; i++)
		if (!strcmp(orc.names[i], name))
			return i;
	if (orc.n == MAX_NAMES) {
		orc.overflow = true;
		return MAX_NAMES;
	}
	strcpy(orc.names[orc.n], name);
	return orc.n++;
}

static void on_ktap(void *ctx, const struct ktap_line *l)
{
	struct session *s = ctx;

	if (!s->cfg.relay) {
		/* the listing: every line that could be a test is in the catalogue */
		if (l->kind == KTAP_OTHER && orc.n_cat < MAX_NAMES &&
		    proto_test_name_valid(l->text, l->len) && !memchr(l->text, '*', l->len))
			memcpy(orc.cat[orc.n_cat++], l->text, l->len + 1);
	} else if (l->kind == KTAP_START) {
		strcpy(s->running, l->name);
	} else if (l->kind == KTAP_RESULT) {
		const char *name = l->name[0] ? l->name : s->running;
		size_t i = slot_of(name);

		if (i < MAX_NAMES) {
			orc.results[i]++;
			orc.oks[i] += l->ok;
		}
		s->running[0] = '\0';
	}
	s->cfg.on_line(s->cfg.ctx, l);
}

static void on_log(void *ctx, const char *data, size_t len)
{
	struct session *s = ctx;

	ktap_stream_feed(&s->ks, data, len);
}

struct session *session_start(const struct session_cfg *cfg)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->cfg = *cfg;
	frame_parser_init(&s->fp);
	ktap_stream_init(&s->ks, on_ktap, s);
	s->res.err = s->err;
	s->res.timed_out = s->timed_out;
	s->res.last_line = "";
	s->res.ktap = &s->ks;
	s->res.timeout_ms = cfg->timeout_ms;
	s->res.connected = true;
	return s;
}

/* The whole boot, as the input says, up to its end. */
static void play(struct session *s)
{
	uint8_t f[PROTO_FRAME_SIZE];
	unsigned int how = 0;

	while (in.n) {
		unsigned int op = take(&in, 1);

		if (op == 0x81) {
			how = take(&in, 1) % 3;
			break;
		}
		if (op == 0x80) {
			proto_encode_result(f, (enum proto_status)(take(&in, 1) % 3));
		} else {
			char text[PROTO_LOG_MAX];
			size_t n = op < PROTO_LOG_MAX ? op : PROTO_LOG_MAX;

			for (size_t i = 0; i < n; i++)
				text[i] = (char)take(&in, 1);
			proto_encode_log(f, text, n);
		}
		if (frame_feed(&s->fp, f, sizeof(f), on_log, s) < 0)
			break;
	}
	ktap_stream_finish(&s->ks);
	s->res.got_result = s->fp.done;
	s->res.status = s->fp.status;
	if (how == 1) {
		s->res.end = END_TIMEOUT;
		memcpy(s->timed_out, s->ks.running, sizeof(s->timed_out));
		strcpy(s->err, "no result within 1 s");
	} else if (how == 2) {
		s->res.end = END_QEMU_DIED;
		strcpy(s->err, "QEMU died");
	} else if (s->fp.error) {
		s->res.end = END_PROTOCOL;
		strcpy(s->err, "protocol violation");
	} else {
		s->res.end = s->fp.done ? END_RESULT : END_CLOSED;
		strcpy(s->err, "channel closed");
	}
	if (s->cfg.relay && (s->res.end != END_RESULT || s->res.status != PROTO_STATUS_PASS))
		orc.bad_status = true;
	s->done = true;
}

int session_pollfds(const struct session *s, struct pollfd pfd[SESSION_POLLFDS_MAX])
{
	(void)s;
	(void)pfd;
	return 0;
}

uint64_t session_deadline(const struct session *s)
{
	(void)s;
	return 0;
}

void session_step(struct session *s, const struct pollfd *pfd, int n, uint64_t now)
{
	(void)pfd;
	(void)n;
	(void)now;
	if (!s->done)
		play(s);
}

void session_stop(struct session *s)
{
	if (!s->done) {
		s->res.end = END_STOPPED;
		strcpy(s->err, "stopped");
		s->done = true;
	}
}

bool session_done(const struct session *s)
{
	return s->done;
}

const struct session_result *session_result(const struct session *s)
{
	return &s->res;
}

void session_free(struct session *s)
{
	free(s);
}

/* A machine that never resets: each boot gets a session of its own. */
bool session_idle(const struct session *s)
{
	(void)s;
	return false;
}

int session_next(struct session *s, const struct session_cfg *cfg)
{
	(void)s, (void)cfg;
	return -EINVAL;
}

void session_set_test_timeout(struct session *s, unsigned long ms)
{
	(void)s, (void)ms;
}

int machine_poll(struct session *const *v, size_t n, const struct loop_extra *extra)
{
	(void)extra;
	for (size_t i = 0; i < n; i++)
		if (v[i] && !v[i]->done)
			play(v[i]);
	return 0;
}

static void no_progress(void *ctx, const struct sched_progress *p)
{
	(void)ctx, (void)p;
}

static void no_test(void *ctx, const struct test_rec *t)
{
	(void)ctx, (void)t;
}

static void no_error(void *ctx, const char *msg, const char *serial_tail, const char *qemu_tail)
{
	(void)ctx, (void)msg, (void)serial_tail, (void)qemu_tail;
}

static const char *const selector_sets[4][3] = {
	{ NULL },
	{ "a.one", "a.two", NULL },
	{ "a.*", NULL },
	{ "a.one", "b", NULL },
};

static bool selected(const char *const *sel, const char *name)
{
	if (!sel[0])
		return true; /* the catalogue has names only, no option lines: none is manual */
	for (; *sel; sel++)
		if (proto_selector_match(*sel, name))
			return true;
	return false;
}

/* Was @name reported exactly once, and as passed or skipped? */
static bool reported_ok_once(const char *name)
{
	for (size_t i = 0; i < orc.n; i++)
		if (!strcmp(orc.names[i], name))
			return orc.results[i] == 1 && orc.oks[i] == 1;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sched_cfg cfg = { .qemu = { .image = "fuzz.elf" } };
	const struct sched_events ev = { .progress = no_progress,
					 .test = no_test,
					 .error = no_error };
	const char *const *sel;
	struct runner *r;
	unsigned int flags;
	size_t n_sel = 0;
	bool catalogue;
	int code, err;

	in = (struct input){ data, size };
	memset(&orc, 0, sizeof(orc));
	flags = take(&in, 1);
	sel = selector_sets[(flags >> 2) & 3];
	while (sel[n_sel])
		n_sel++;
	cfg.selectors = sel;
	cfg.n_selectors = n_sel;
	cfg.jobs = (flags & 3) == 1 ? 2 : 1;
	cfg.isolate = (flags & 3) == 2;
	cfg.shard_index = cfg.shard_count = -1;
	cfg.timeout_ms = 1000;
	cfg.capture = flags & 0x10;
	/* a raw request cannot say everything a glob or the default set chose */
	catalogue = cfg.jobs > 1 || cfg.isolate;
	r = sched_new(&cfg, &ev, &err);
	if (!r)
		return 0;
	sched_run(r);
	code = sched_exit_code(r);
	sched_free(r);

	if (code != EXIT_PASS || orc.overflow)
		return 0;
	/* exit 0: every test boot said 0, and at least one test was reported */
	check(!orc.bad_status);
	check(orc.n > 0);
	/* ...each test that was reported, once and as passed or skipped */
	for (size_t i = 0; i < orc.n; i++)
		check(orc.results[i] == 1 && orc.oks[i] == 1);
	/* ...and each one requested: by name, or chosen from the catalogue */
	for (size_t i = 0; i < n_sel; i++)
		if (proto_test_name_valid(sel[i], strlen(sel[i])) && !strchr(sel[i], '*'))
			check(reported_ok_once(sel[i]));
	for (size_t i = 0; catalogue && i < orc.n_cat; i++)
		if (selected(sel, orc.cat[i]))
			check(reported_ok_once(orc.cat[i]));
	return 0;
}
