/* SPDX-License-Identifier: MIT */
/* The QMP client (machine/qmp.c) against a fake QEMU on the other end of its socket, and its JSON. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "machine/qmp.h"
#include "protocol/qmp_json.h"
#include "system/tmpdir.h"

#define GREETING                                                                           \
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, " \
	"\"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n"
#define CAPS_OK "{\"return\": {}, \"id\": 1}\r\n"
#define EVENT	"{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}\r\n"

/* One fake QEMU: the boot directory, the client, and QEMU's end of the socket. */
struct fake {
	char dir[TMPDIR_PATH_MAX];
	struct qmp q;
	int qemu; /* what QEMU would hold: the connected chardev */
};

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	assert_non_null(f);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir)), 0);
	qmp_init(&f->q);
	assert_int_equal(qmp_listen(&f->q, f->dir), 0);
	/* like QEMU's client chardev: connect as it starts, before anyone accepts */
	assert_int_equal(tmpdir_socket(sun.sun_path, sizeof(sun.sun_path), f->dir, QMP_SOCK_NAME),
			 0);
	f->qemu = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(f->qemu >= 0);
	assert_int_equal(connect(f->qemu, (struct sockaddr *)&sun, sizeof(sun)), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	qmp_close(&f->q);
	if (f->qemu >= 0)
		close(f->qemu);
	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static void say(struct fake *f, const char *text)
{
	assert_int_equal(write(f->qemu, text, strlen(text)), (ssize_t)strlen(text));
}

/* Everything the client has sent so far. */
static char *heard(struct fake *f)
{
	static char buf[4096];
	ssize_t n = recv(f->qemu, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static char *read_log(struct fake *f)
{
	static char buf[8192];
	char path[TMPDIR_PATH_MAX + 16];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/" QMP_LOG_NAME, f->dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_negotiates_once_and_matches_ids(void **state)
{
	struct fake *f = *state;
	char *ret;

	/* the answers are there before the questions: the client must match ids */
	say(f, GREETING CAPS_OK "{\"return\": {\"status\": \"running\"}, \"id\": 2}\r\n");
	assert_int_equal(qmp_call(&f->q, "query-status", NULL, &ret, 500), 0);
	assert_string_equal(ret, "{\"status\": \"running\"}");
	free(ret);
	assert_string_equal(heard(f), "{\"execute\":\"qmp_capabilities\",\"id\":1}\n"
				      "{\"execute\":\"query-status\",\"id\":2}\n");
	/* a second command: no second greeting or negotiation */
	say(f, "{\"return\": {}, \"id\": 3}\n");
	assert_int_equal(qmp_system_reset(&f->q, 500), 0);
	assert_string_equal(heard(f), "{\"execute\":\"system_reset\",\"id\":3}\n");
	/* both directions logged */
	ret = read_log(f);
	assert_non_null(ret);
	assert_non_null(strstr(ret, "<- {\"QMP\""));
	assert_non_null(strstr(ret, "-> {\"execute\":\"system_reset\",\"id\":3}\n"));
	assert_non_null(strstr(ret, "<- {\"return\": {}, \"id\": 3}\n"));
}

static void test_events_and_stale_answers_skipped(void **state)
{
	struct fake *f = *state;
	char *out;

	say(f, GREETING EVENT CAPS_OK EVENT
	    /* the answer to an older command that was given up on */
	    "{\"return\": \"old\", \"id\": 1}\r\n" EVENT
	    "{\"return\": \"PC=0000000040201000 \\\"q\\\"\\r\\n\", \"id\": 2}\r\n");
	assert_int_equal(qmp_hmp(&f->q, "info registers", 1, &out, 500), 0);
	assert_string_equal(out, "PC=0000000040201000 \"q\"\r\n");
	free(out);
	assert_non_null(strstr(heard(f), "{\"execute\":\"human-monitor-command\",\"arguments\":{"
					 "\"command-line\":\"info registers\",\"cpu-index\":1},"
					 "\"id\":2}\n"));
}

static void test_error_reply(void **state)
{
	struct fake *f = *state;

	say(f, GREETING CAPS_OK
	    "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command bogus has not "
	    "been found\"}, \"id\": 2}\r\n");
	assert_int_equal(qmp_call(&f->q, "bogus", NULL, NULL, 500), -EREMOTEIO);
	assert_string_equal(qmp_error(&f->q),
			    "QMP: CommandNotFound: The command bogus has not been found");
	/* an error answer leaves the stream usable */
	say(f, "{\"return\": {}, \"id\": 3}\r\n");
	assert_int_equal(qmp_stop_cpus(&f->q, 500), 0);
}

static void test_garbage_breaks_the_stream(void **state)
{
	struct fake *f = *state;

	say(f, GREETING CAPS_OK "{\"return\": {}, \"id\": 2\r\n");
	assert_int_equal(qmp_call(&f->q, "stop", NULL, NULL, 500), -EPROTO);
	assert_non_null(strstr(qmp_error(&f->q), "not a JSON object"));
	/* out of step for good: nothing more is sent */
	assert_int_equal(qmp_call(&f->q, "stop", NULL, NULL, 500), -EPIPE);
	heard(f);
	assert_string_equal(heard(f), "");
}

static void test_not_a_greeting(void **state)
{
	struct fake *f = *state;

	say(f, "garbage\n");
	assert_int_equal(qmp_call(&f->q, "stop", NULL, NULL, 500), -EPROTO);
	assert_non_null(strstr(qmp_error(&f->q), "not a greeting"));
}

static void test_endless_message_refused(void **state)
{
	struct fake *f = *state;
	static char junk[QMP_MSG_MAX + 2];

	memset(junk, ' ', sizeof(junk) - 1);
	say(f, GREETING CAPS_OK);
	/* more than the kernel's socket buffer: written while the client reads */
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		size_t done = 0;

		while (done < sizeof(junk) - 1) {
			ssize_t n = write(f->qemu, junk + done, sizeof(junk) - 1 - done);

			if (n <= 0)
				_exit(1);
			done += (size_t)n;
		}
		_exit(0);
	}
	assert_int_equal(qmp_call(&f->q, "stop", NULL, NULL, 2000), -EPROTO);
	assert_non_null(strstr(qmp_error(&f->q), "longer than"));
	close(f->qemu);
	f->qemu = -1;
	qmp_close(&f->q);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

static void test_timeouts_are_bounded(void **state)
{
	struct fake *f = *state;

	/* a wedged QEMU: connected, silent */
	assert_int_equal(qmp_call(&f->q, "stop", NULL, NULL, 100), -ETIMEDOUT);
	assert_non_null(strstr(qmp_error(&f->q), "no greeting"));
	/* and a QEMU that greets, then stops answering */
	teardown(state);
	setup(state);
	f = *state;
	say(f, GREETING CAPS_OK);
	assert_int_equal(qmp_call(&f->q, "stop", NULL, NULL, 100), -ETIMEDOUT);
	assert_non_null(strstr(read_log(f), "!! QMP: no answer within"));
	/* its late answer is skipped by the next command's id */
	say(f, "{\"return\": {}, \"id\": 2}\r\n{\"return\": \"next\", \"id\": 3}\r\n");
	assert_int_equal(qmp_call(&f->q, "cont", NULL, NULL, 500), 0);
}

static void test_closed_connection(void **state)
{
	struct fake *f = *state;

	say(f, GREETING);
	close(f->qemu);
	f->qemu = -1;
	int r;

	/* the greeting is read; then the send, or the read of its answer, fails */
	r = qmp_call(&f->q, "stop", NULL, NULL, 500);
	assert_true(r == -EPIPE || r == -ECONNRESET);
	assert_non_null(strstr(qmp_error(&f->q), r == -EPIPE ? "Broken pipe" : "closed"));
	assert_int_equal(qmp_call(&f->q, "stop", NULL, NULL, 500), -EPIPE);
}

static void test_quit_only_to_a_qemu_that_greeted(void **state)
{
	struct fake *f = *state;

	/* silent: no quit, the caller signals instead (and at once) */
	assert_int_equal(qmp_quit_begin(&f->q), -ENOTCONN);
	assert_string_equal(heard(f), "");
	teardown(state);
	setup(state);
	f = *state;
	say(f, GREETING);
	usleep(10000);
	assert_int_equal(qmp_quit_begin(&f->q), 0);
	assert_string_equal(heard(f), "{\"execute\":\"qmp_capabilities\",\"id\":1}\n"
				      "{\"execute\":\"quit\",\"id\":2}\n");
	say(f, CAPS_OK EVENT "{\"return\": {}, \"id\": 2}\r\n");
	usleep(10000);
	qmp_close(&f->q);
	assert_non_null(
		strstr(read_log(f), "\"event\": \"STOP\"}\n<- {\"return\": {}, \"id\": 2}"));
}

static void test_no_qemu_no_wait(void **state)
{
	struct qmp q;

	(void)state;
	qmp_init(&q);
	assert_int_equal(qmp_call(&q, "stop", NULL, NULL, 100), -ENOTCONN);
	assert_int_equal(qmp_quit_begin(&q), -ENOTCONN);
	qmp_close(&q);
}

static void test_json_reader(void **state)
{
	static const char msg[] = " {\"a\": [1, -2.5e3, {\"b\": null}], \"k\\\"\": true, "
				  "\"s\": \"\\u00e9\\ud83d\\ude00\\u0000\\/\"} ";
	struct qmp_json_span v;
	char *s;

	(void)state;
	assert_int_equal(qmp_json_check(msg, strlen(msg)), 0);
	assert_int_equal(qmp_json_member(msg, strlen(msg), "a", &v), 1);
	assert_int_equal(v.len, strlen("[1, -2.5e3, {\"b\": null}]"));
	assert_int_equal(qmp_json_member(msg, strlen(msg), "b", &v), 0);
	assert_int_equal(qmp_json_member(msg, strlen(msg), "s", &v), 1);
	assert_int_equal(qmp_json_string(&v, &s), 0);
	assert_string_equal(s, "\xc3\xa9\xf0\x9f\x98\x80\\0/");
	free(s);
	v = (struct qmp_json_span){ "42", 2 };
	assert_int_equal(qmp_json_string(&v, &s), -EPROTO);
	/* what QEMU never sends, refused */
	static const char *const bad[] = {
		"",
		"[]",
		"{",
		"{\"a\"}",
		"{\"a\":}",
		"{\"a\":1,}",
		"{\"a\":1} x",
		"{\"a\":tru}",
		"{\"a\":\"\x01\"}",
		"{\"a\":\"\\x\"}",
		"{\"a\":\"\\u12\"}",
		"{a:1}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(qmp_json_check(bad[i], strlen(bad[i])), -EPROTO);
	/* nesting is bounded */
	char deep[2 * QMP_JSON_DEPTH_MAX + 16];
	size_t n = 0;

	n += (size_t)sprintf(deep, "{\"a\":");
	for (int i = 0; i < QMP_JSON_DEPTH_MAX + 1; i++)
		deep[n++] = '[';
	for (int i = 0; i < QMP_JSON_DEPTH_MAX + 1; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	assert_int_equal(qmp_json_check(deep, n), -EPROTO);
	s = qmp_json_quote("x /2gx \"\\\n");
	assert_string_equal(s, "\"x /2gx \\\"\\\\\\u000a\"");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_negotiates_once_and_matches_ids, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_events_and_stale_answers_skipped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_error_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_breaks_the_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_greeting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endless_message_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeouts_are_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closed_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quit_only_to_a_qemu_that_greeted, setup,
						teardown),
		cmocka_unit_test(test_no_qemu_no_wait),
		cmocka_unit_test(test_json_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
