/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for QEMU and the guest, passed to testrunner-host with --qemu:
 * parses the QEMU command line it is given, connects to the testrunner0
 * socket, reads the request and plays a scripted guest, including the
 * protocol violations the real guest never commits.
 *
 * FAKE_GUEST   behaviour: normal (default), unknown-type, big-size, random,
 *              close-early, close-mid-frame, log-forever, hang, exit-early,
 *              no-connect, split1, coalesce, trailing, die, pass-disagrees,
 *              short-plan, no-poweroff, bad-status, fail-no-notok, ktap-v2;
 *              for test boots only (a listing is answered normally):
 *              crash-stranger (a test nobody asked for crashes, result 1),
 *              repeat-ok (the first test's "ok" again every 0.2 s, forever),
 *              notok-then-ok (the first test fails, then passes, result 1),
 *              plan-zero ("1..0", result 0), answer-other (only other.x
 *              passes, result 0), error-esc (an error whose diagnostic holds
 *              terminal escapes, result 2), name-esc (the first test's
 *              result names it with a terminal escape appended)
 * FAKE_TESTS   the catalogue (space separated); a case's name picks what it
 *              does: *fail* fails, *crash* takes an exception, *hang* hangs,
 *              *skip* skips, *flaky* fails until $FAKE_STATE/NAME exists,
 *              *flood* logs $FAKE_FLOOD bytes, *chatty* logs hostile text,
 *              *phase* logs "# start of phase two" and "# start x.y" and
 *              passes, *stall* logs a line and then hangs, *stubborn* hangs
 *              ignoring SIGTERM (it creates $FAKE_STATE/sigterm instead),
 *              *paced* takes 50 ms unless $FAKE_STATE/sigterm exists, *slow*
 *              passes after 0.5 s, *longline* logs $FAKE_LINES lines of
 *              $FAKE_LINE_LEN copies of its name's last character, *nul*
 *              logs a diagnostic with a NUL byte in it, *esc* fails with
 *              terminal escapes and a CR in its reason, *rpmbeof* waits
 *              until its rpmb0 connection closes and fails the way the
 *              guest's RPMB tests do when the emulator is gone, *nested*
 *              fails with KTAP subtests of its own (one failing)
 * FAKE_COUNT   that many more tests, named $FAKE_COUNT_PREFIX (default
 *              many.t) and six digits, their behaviour picked by that name
 * FAKE_RECORD  file to which each request is appended (boot counting)
 * FAKE_FILES   set: the catalogue names each test's source, fake/SUITE.c
 * FAKE_NO_RESET set: ignore --reset (power off as a guest that cannot reset)
 * FAKE_RESET_HANG set: after a reset, hang before reading the request
 *
 * A request with --reset (or --reset-after-crash, when a crash leaves tests
 * planned after it) ends, where the guest would power off, in a
 * "reset": the program executes itself again with the same arguments and
 * process, keeping its connections (FAKE_RESET_FDS), and reads the next
 * request, as QEMU does when the guest resets.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <testrunner/protocol.h>

static bool reset_asked, result_sent; /* a reset ends only a boot that gave its result */
/* --reset-after-crash: a crash with tests planned after it resets */
static bool reset_after_crash, tests_after_this;
static char **saved_argv;
static int sock = -1;
static int rpmb_sock = -1; /* our end of rpmb0, when the harness offers one */
static const char *mode = "normal";
static unsigned char out[1 << 20];
static size_t out_len;

/*
 * Like QEMU, we may be killed the moment the harness has what it needs: an
 * exit-time LeakSanitizer pass (SANITIZE=1) would race that kill and report
 * "Unable to get registers". The harness is what is being checked; we leave
 * without the exit handlers.
 */
static void quit(int code)
{
	_exit(code);
}

static bool is(const char *m)
{
	return strcmp(mode, m) == 0;
}

static void raw_write(const void *p, size_t n)
{
	const unsigned char *b = p;

	if (is("split1")) {
		for (size_t i = 0; i < n; i++)
			if (write(sock, b + i, 1) != 1)
				quit(3);
		return;
	}
	if (is("coalesce")) {
		if (out_len + n > sizeof(out)) {
			if (write(sock, out, out_len) != (ssize_t)out_len)
				quit(3);
			out_len = 0;
		}
		memcpy(out + out_len, b, n);
		out_len += n;
		return;
	}
	while (n) {
		ssize_t w = write(sock, b, n);

		if (w <= 0)
			quit(3);
		b += w;
		n -= (size_t)w;
	}
}

static void flush_out(void)
{
	if (out_len && write(sock, out, out_len) != (ssize_t)out_len)
		quit(3);
	out_len = 0;
}

static void send_log(const char *s, size_t len)
{
	uint8_t f[PROTO_FRAME_SIZE];

	while (len) {
		size_t n = proto_encode_log(f, s, len);

		raw_write(f, sizeof(f));
		s += n;
		len -= n;
	}
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	send_log(buf, (size_t)n);
}

static void send_result(int status)
{
	uint8_t f[PROTO_FRAME_SIZE];

	result_sent = true;
	proto_encode_result(f, (enum proto_status)status);
	if (is("bad-status"))
		f[1] = 7;
	raw_write(f, sizeof(f));
	if (is("trailing"))
		raw_write("junk", 4);
	flush_out();
}

/* The connections a reset keeps: "SOCK RPMB_SOCK" in FAKE_RESET_FDS. */
static void reset(void)
{
	char fds[32];

	snprintf(fds, sizeof(fds), "%d %d", sock, rpmb_sock);
	if (rpmb_sock >= 0)
		fcntl(rpmb_sock, F_SETFD, 0);
	setenv("FAKE_RESET_FDS", fds, 1);
	execv("/proc/self/exe", saved_argv);
	fprintf(stderr, "fake_guest: reset: %s\n", strerror(errno));
}

static void power_off(int code)
{
	flush_out();
	if (is("no-poweroff"))
		for (;;)
			pause();
	if (reset_asked && result_sent && !code && !getenv("FAKE_NO_RESET"))
		reset();
	close(sock);
	quit(code);
}

static void hang(void)
{
	flush_out();
	for (;;)
		pause();
}

/* QEMU's option syntax: "socket,id=x,path=P" with ",," for a literal comma. */
static char *opt_value(const char *opts, const char *key)
{
	size_t kl = strlen(key);
	const char *p = opts;
	char *v = malloc(strlen(opts) + 1), *o = v;

	while (*p) {
		bool match = !strncmp(p, key, kl) && p[kl] == '=';

		if (match)
			p += kl + 1;
		while (*p) {
			if (*p == ',' && p[1] == ',') {
				if (match)
					*o++ = ',';
				p += 2;
			} else if (*p == ',') {
				p++;
				break;
			} else {
				if (match)
					*o++ = *p;
				p++;
			}
		}
		if (match) {
			*o = '\0';
			return v;
		}
	}
	free(v);
	return NULL;
}

static char sigterm_marker[512];

/* A QEMU that will not stop: only SIGKILL ends it; say when SIGTERM came. */
static void on_sigterm(int sig)
{
	(void)sig;
	close(open(sigterm_marker, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
}

/* static: still reachable at exit, so LeakSanitizer does not report them */
static char **test_names;
static size_t n_tests;

static void load_catalogue(void)
{
	const char *env = getenv("FAKE_TESTS"), *count = getenv("FAKE_COUNT");
	const char *prefix = getenv("FAKE_COUNT_PREFIX");
	static char *buf, *many;
	unsigned long extra = count ? strtoul(count, NULL, 0) : 0;
	char *save = NULL, *t;

	buf = strdup(
		env ? env
		    : "fake.pass1 fake.pass2 fake.skip fixture.fail fixture.crash fixture.hang");
	test_names = calloc(strlen(buf) / 2 + 1 + extra, sizeof(*test_names));
	many = calloc(extra ? extra : 1, 32);
	if (!buf || !test_names || !many)
		quit(3);
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		test_names[n_tests++] = t;
	for (unsigned long i = 0; i < extra; i++) {
		snprintf(many + 32 * i, 32, "%.20s%06lu", prefix ? prefix : "many.t", i % 1000000);
		test_names[n_tests++] = many + 32 * i;
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static unsigned int smp = 1; /* QEMU's -smp */

/* A test's catalogue fields: FAKE_OPTIONS="name:timeout_s=1,cpus=2 ...", else defaults. */
static const char *options_of(const char *name, char *buf, size_t size)
{
	const char *env = getenv("FAKE_OPTIONS");
	size_t len = strlen(name);

	/* like the real guest, the fixture suite is manual */
	snprintf(buf, size, "timeout_s=0 cpus=0 manual=%d", !strncmp(name, "fixture.", 8));
	for (const char *p = env; p && *p; p = strchr(p, ' ') ? strchr(p, ' ') + 1 : "") {
		if (strncmp(p, name, len) || p[len] != ':')
			continue;
		snprintf(buf, size, "%.*s", (int)strcspn(p + len + 1, " "), p + len + 1);
		for (char *c = buf; *c; c++)
			if (*c == ',')
				*c = ' ';
	}
	return buf;
}

static bool manual(const char *name)
{
	char buf[256];

	return strstr(options_of(name, buf, sizeof(buf)), "manual=1") != NULL;
}

static bool run_one(unsigned int num, const char *name)
{
	const char *state = getenv("FAKE_STATE");
	char path[512];

	logf_("%s%s\n", PROTO_KTAP_START, name);
	if (state)
		snprintf(sigterm_marker, sizeof(sigterm_marker), "%s/sigterm", state);
	if (strstr(name, "stubborn") && state) {
		signal(SIGTERM, on_sigterm);
		hang();
	}
	if (strstr(name, "paced") && state && access(sigterm_marker, F_OK))
		usleep(50 * 1000);
	if (strstr(name, "hang"))
		hang();
	if (strstr(name, "cpus"))
		logf_("# %s: %u CPUs\n", name, smp);
	if (strstr(name, "stall")) {
		logf_("# %s: last words before the stall\n", name);
		hang();
	}
	if (strstr(name, "phase")) {
		/* a test's own output that looks like an announcement */
		logf_("%sof phase two\n", PROTO_KTAP_START);
		logf_("%sx.y\n", PROTO_KTAP_START);
	}
	if (strstr(name, "crash")) {
		logf_("# exception: ESR=0x96000045 ELR=0x40201234 FAR=0x0\n");
		logf_("# backtrace: 0x40201234 0x40200abc\n");
		logf_("not ok %u %s # ERROR exception\n", num, name);
		send_result(PROTO_STATUS_FAIL);
		reset_asked |= reset_after_crash && tests_after_this;
		power_off(0);
	}
	if (strstr(name, "nested")) {
		/* the test's own subtests, indented as the KTAP spec nests them */
		logf_("    KTAP version 1\n    # Subtest: %s\n    1..2\n", name);
		logf_("    ok 1 sub_a\n    not ok 2 sub_b\n");
		logf_("not ok %u %s\n", num, name);
		return false;
	}
	if (strstr(name, "skip")) {
		logf_("ok %u %s # SKIP not on this machine\n", num, name);
		return true;
	}
	if (strstr(name, "flaky") && state) {
		snprintf(path, sizeof(path), "%s/%s", state, name);
		if (access(path, F_OK)) {
			close(open(path, O_CREAT | O_WRONLY, 0644));
			logf_("# %s: first attempt fails\n", name);
			logf_("not ok %u %s\n", num, name);
			return false;
		}
	}
	if (strstr(name, "flood")) {
		const char *f = getenv("FAKE_FLOOD");
		unsigned long left = f ? strtoul(f, NULL, 0) : 1 << 20;
		char line[100];

		memset(line, 'x', sizeof(line));
		line[sizeof(line) - 1] = '\n';
		while (left) {
			size_t n = left < sizeof(line) ? left : sizeof(line);

			send_log(line, n);
			left -= n;
		}
		if (line[0] != '\n')
			send_log("\n", 1);
	}
	if (strstr(name, "chatty")) {
		logf_("# <b>&amp;\"quotes\" 'apos' ]]> \x01\x02\x1b[31m \xff\xfe bad utf8 \xc3\x28 ok: \xc3\xa9\n");
		logf_("plain output line with a control \x7f char\n");
	}
	if (strstr(name, "slow"))
		sleep_ms(500);
	if (strstr(name, "longline")) {
		const char *nl = getenv("FAKE_LINES"), *ll = getenv("FAKE_LINE_LEN");
		unsigned long lines = nl ? strtoul(nl, NULL, 0) : 20;
		size_t len = ll ? strtoul(ll, NULL, 0) : 10000;
		char *line = malloc(len + 1);

		if (!line)
			quit(3);
		memset(line, name[strlen(name) - 1], len);
		line[len] = '\n';
		for (unsigned long i = 0; i < lines; i++) {
			/* a pause mid-line gives the other boot its turn */
			send_log(line, len / 2);
			flush_out();
			sleep_ms(2);
			send_log(line + len / 2, len + 1 - len / 2);
		}
		free(line);
	}
	if (strstr(name, "nul"))
		send_log("# before\0after\n", 15);
	if (strstr(name, "esc")) {
		logf_("not ok %u %s # ERROR \x1b]0;pwned\x07\x1b[2J\rboom\n", num, name);
		return false;
	}
	if (strstr(name, "rpmbeof")) {
		char c;

		/* the emulator is killed under us: its end of rpmb0 closes */
		while (rpmb_sock >= 0 && read(rpmb_sock, &c, 1) > 0)
			;
		logf_("# %s: EXPECT_EQ(ret, 0) failed at guest/tests/rpmb.c:42: ret == 0: 0xffffffffffffffe0\n",
		      name);
		logf_("not ok %u %s\n", num, name);
		return false;
	}
	if (strstr(name, "fail")) {
		logf_("# %s: EXPECT_EQ(a, b) failed at guest/tests/fake.c:42: 0x1 vs 0x2\n", name);
		logf_("not ok %u %s\n", num, name);
		return false;
	}
	logf_("ok %u %s\n", num, name);
	return true;
}

/*
 * QEMU connects every socket chardev when it starts (rpmb0 included) and
 * holds it until it exits; so do we, so that the other end sees us go.
 */
static void connect_other(char *path, bool rpmb)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	/* after a reset: the connections kept (FAKE_RESET_FDS) */
	if (!path || getenv("FAKE_RESET_FDS")) {
		free(path);
		return;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		close(fd);
		fd = -1;
	}
	if (rpmb)
		rpmb_sock = fd;
	free(path);
}

/* The answers to a test request that lie about what ran; false: none of them. */
static bool hostile_answer(const bool *run)
{
	const char *first = NULL;

	for (size_t i = 0; i < n_tests && !first; i++)
		if (run[i])
			first = test_names[i];
	if (!first)
		first = "a.one";
	if (is("crash-stranger")) {
		logf_("KTAP version 1\n1..1\n%szz.q\n", PROTO_KTAP_START);
		logf_("# exception: ESR=0x96000045 ELR=0x40201234 FAR=0x0\n");
		logf_("not ok 1 zz.q # ERROR exception\n");
		send_result(PROTO_STATUS_FAIL);
		return true;
	}
	if (is("repeat-ok")) {
		logf_("KTAP version 1\n1..1\n%s%s\n", PROTO_KTAP_START, first);
		for (;;) {
			logf_("ok 1 %s\n", first);
			flush_out();
			sleep_ms(200);
		}
	}
	if (is("notok-then-ok")) {
		logf_("KTAP version 1\n1..1\n%s%s\n", PROTO_KTAP_START, first);
		logf_("not ok 1 %s\nok 2 %s\n", first, first);
		send_result(PROTO_STATUS_FAIL);
		return true;
	}
	if (is("plan-zero")) {
		logf_("KTAP version 1\n1..0\n");
		send_result(PROTO_STATUS_PASS);
		return true;
	}
	if (is("answer-other")) {
		logf_("KTAP version 1\n1..1\n%sother.x\nok 1 other.x\n", PROTO_KTAP_START);
		send_result(PROTO_STATUS_PASS);
		return true;
	}
	if (is("error-esc")) {
		logf_("# unknown test: \x1b]0;pwned\x07\x1b[2J\rhidden\n");
		send_result(PROTO_STATUS_ERROR);
		return true;
	}
	if (is("name-esc")) {
		logf_("KTAP version 1\n1..1\n%s%s\n", PROTO_KTAP_START, first);
		logf_("not ok 1 %s\x1b]0;pwned\x07\r\n", first);
		send_result(PROTO_STATUS_FAIL);
		return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	const char *sel[64], *rec = getenv("FAKE_RECORD");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	/* static: still reachable at exit, so LeakSanitizer does not report it */
	static char *path;
	char req[PROTO_REQUEST_MAX + 2], *save = NULL, *t;
	size_t len = 0, nsel = 0;
	bool list = false, all_ok = true;
	unsigned int planned = 0, num = 0;
	FILE *serial = NULL;

	saved_argv = argv;
	if (getenv("FAKE_GUEST"))
		mode = getenv("FAKE_GUEST");
	load_catalogue();
	for (int i = 1; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "-smp"))
			smp = (unsigned int)strtoul(argv[i + 1], NULL, 10);
		if (!strcmp(argv[i], "-chardev")) {
			char *id = opt_value(argv[i + 1], "id");

			if (id && !strcmp(id, PROTO_PORT_NAME)) {
				free(path);
				path = opt_value(argv[i + 1], "path");
			} else {
				connect_other(opt_value(argv[i + 1], "path"),
					      id && !strcmp(id, PROTO_RPMB_PORT_NAME));
			}
			free(id);
		}
		/* QEMU takes "file:PATH" literally (no ",," escaping) and gives up without it */
		if (!strcmp(argv[i], "-serial") && !strncmp(argv[i + 1], "file:", 5)) {
			serial = fopen(argv[i + 1] + 5, getenv("FAKE_RESET_FDS") ? "a" : "w");
			if (!serial) {
				fprintf(stderr, "fake_guest: -serial %s: %s\n", argv[i + 1],
					strerror(errno));
				return 1;
			}
		}
	}
	if (serial) {
		fprintf(serial, "fake guest: booting\nfake guest: mode %s\n", mode);
		fflush(serial);
	}
	if (!path) {
		fprintf(stderr, "fake_guest: no -chardev socket path\n");
		return 1;
	}
	if (is("exit-early")) {
		fprintf(stderr, "fake_guest: exiting before connecting\n");
		return 1;
	}
	if (is("no-connect"))
		hang();
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (getenv("FAKE_RESET_FDS") && getenv("FAKE_RESET_HANG"))
		hang(); /* a machine that does not come back from its reset */
	if (getenv("FAKE_RESET_FDS")) {
		/* a reset: the connections of the boot before */
		if (sscanf(getenv("FAKE_RESET_FDS"), "%d %d", &sock, &rpmb_sock) != 2)
			return 1;
		unsetenv("FAKE_RESET_FDS");
	} else if ((sock = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
		   /* like QEMU's chardev client: the harness must already listen */
		   connect(sock, (struct sockaddr *)&sun, sizeof(sun))) {
		fprintf(stderr, "fake_guest: connect %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (len < sizeof(req) - 1) {
		ssize_t n = read(sock, req + len, 1);

		if (n <= 0)
			return 1;
		if (req[len] == '\n')
			break;
		len++;
	}
	req[len] = '\0';
	if (rec) {
		FILE *f = fopen(rec, "a");

		if (f) {
			fprintf(f, "%s\n", req);
			fclose(f);
		}
	}
	if (serial)
		fprintf(serial, "fake guest: request '%s'\n", req), fflush(serial);
	if (strncmp(req, "boottest", 8))
		return 1;
	for (t = strtok_r(req + 8, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (!strcmp(t, PROTO_LIST_OPTION))
			list = true;
		else if (!strcmp(t, PROTO_RESET_OPTION))
			reset_asked = true;
		else if (!strcmp(t, PROTO_RESET_AFTER_CRASH_OPTION))
			reset_after_crash = true;
		else if (nsel < 64)
			sel[nsel++] = t;
	}

	/* the catalogue, with each test's options as the real guest sends them */
	if (list) {
		char opts[256];

		for (size_t i = 0; i < n_tests; i++) {
			logf_("%s\n", test_names[i]);
			if (is("bad-catalogue"))
				logf_("# test %s timeout_s=x file=fake.c\n", test_names[i]);
			else if (getenv("FAKE_FILES")) /* a source per suite, as a real tree has */
				logf_("# test %s %s file=fake/%.*s.c\n", test_names[i],
				      options_of(test_names[i], opts, sizeof(opts)),
				      (int)strcspn(test_names[i], "."), test_names[i]);
			else if (!is("old-guest"))
				logf_("# test %s %s file=tests/tools/fake guest.c\n", test_names[i],
				      options_of(test_names[i], opts, sizeof(opts)));
		}
		send_result(PROTO_STATUS_PASS);
		power_off(0);
	}
	if (is("unknown-type")) {
		logf_("KTAP version 1\n");
		raw_write("\x07\x03"
			  "abc",
			  5);
		raw_write(out, PROTO_FRAME_SIZE - 5);
		hang();
	}
	if (is("big-size")) {
		uint8_t f[PROTO_FRAME_SIZE] = { 0, 63 };

		raw_write(f, sizeof(f));
		hang();
	}
	if (is("random")) {
		unsigned char junk[4096];

		srand(42);
		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (unsigned char)rand();
		junk[0] = 0x5a; /* never a valid type */
		raw_write(junk, sizeof(junk));
		hang();
	}
	if (is("close-early")) {
		logf_("KTAP version 1\n1..1\n%sfake.pass1\n", PROTO_KTAP_START);
		power_off(0);
	}
	if (is("close-mid-frame")) {
		logf_("KTAP version 1\n");
		raw_write("\x00\x05he", 4);
		power_off(0);
	}
	if (is("log-forever")) {
		for (;;)
			logf_("# still going\n");
	}
	if (is("hang"))
		hang();

	for (size_t s = 0; s < nsel; s++) {
		bool any = false;

		for (size_t i = 0; i < n_tests; i++)
			any |= proto_selector_match(sel[s], test_names[i]);
		if (!any) {
			logf_("# unknown test: %s\n", sel[s]);
			send_result(PROTO_STATUS_ERROR);
			power_off(0);
		}
	}
	/* static: still reachable at exit, so LeakSanitizer does not report it */
	static bool *run;

	run = calloc(n_tests + 1, sizeof(*run));
	if (!run)
		quit(3);
	for (size_t i = 0; i < n_tests; i++) {
		if (!nsel)
			run[i] = !manual(test_names[i]);
		for (size_t s = 0; s < nsel; s++)
			run[i] |= proto_selector_match(sel[s], test_names[i]);
		planned += run[i];
	}
	if (hostile_answer(run))
		power_off(0);
	logf_("KTAP version %d\n1..%u\n", is("ktap-v2") ? 2 : 1,
	      planned + (is("short-plan") ? 1 : 0));
	for (size_t i = 0; i < n_tests; i++) {
		if (!run[i])
			continue;
		if (is("die") && num == 1) {
			flush_out();
			kill(getpid(), SIGKILL);
		}
		tests_after_this = num + 1 < planned;
		all_ok &= run_one(++num, test_names[i]);
	}
	if (is("pass-disagrees"))
		logf_("not ok %u fake.extra\n", ++num);
	if (is("fail-no-notok"))
		all_ok = false;
	send_result(all_ok || is("pass-disagrees") ? PROTO_STATUS_PASS : PROTO_STATUS_FAIL);
	power_off(0);
	return 0;
}
