/* SPDX-License-Identifier: MIT */
/*
 * testrunner-host boot: hand a kernel, initrd and command line to the
 * testrunner through fw_cfg files, ask it for the secondary OS on
 * testrunner0, relay the serial console, and end with QEMU or at the timeout.
 * The boot itself is a machine session in SESSION_OS mode, as for `run`.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <testrunner/protocol.h>

#include "commands/boot.h"
#include "commands/cli.h"
#include "commands/locate.h"
#include "machine/hang.h"
#include "machine/loop.h"
#include "machine/qemu.h"
#include "machine/session.h"
#include "protocol/console_match.h"
#include "protocol/request.h"
#include "reports/hang_report.h"
#include "reports/symbolize.h"
#include "system/clock.h"
#include "system/files.h"
#include "system/gunzip.h"
#include "system/out_queue.h"
#include "system/signals.h"
#include "system/tmpdir.h"

#define MAX_KERNEL (1ull << 30) /* decompressed: refuse gzip bombs */
/* QEMU connects while it starts up: a QEMU that does not is broken. */
#define CONNECT_TIMEOUT_MS 10000
/* What Linux prints when it panics: a boot that shows it failed, whatever follows. */
#define DEFAULT_FAIL_ON "Kernel panic - not syncing"

/* The files a boot hands over, in its own directory. */
struct boot_files {
	char dir[TMPDIR_PATH_MAX];
	char kernel[TMPDIR_PATH_MAX], cmdline[TMPDIR_PATH_MAX];
	bool have_dir, have_kernel, have_cmdline;
};

__attribute__((format(printf, 1, 2))) static int boot_err(const char *fmt, ...)
{
	va_list ap;

	fputs("testrunner-host: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return BOOT_EXIT_ERROR;
}

static void usage(FILE *f)
{
	fputs("usage: testrunner-host boot --kernel IMAGE [options]\n"
	      "Start an arm64 Linux Image (plain or gzip'd) through the testrunner's\n"
	      "secondary-OS path and relay its serial console to stdout.\n"
	      "  --kernel FILE      arm64 Image or Image.gz (required)\n"
	      "  --initrd FILE      initial ramdisk\n"
	      "  --append ARGS      kernel command line (/chosen/bootargs)\n"
	      "  --timeout S        stop QEMU after S seconds (default 120)\n"
	      "  --smp N            guest CPUs (default 1)\n"
	      "  --qemu PATH        QEMU binary (default $TESTRUNNER_QEMU or\n"
	      "                     qemu-system-aarch64 from PATH)\n"
	      "  --image FILE       testrunner ELF (default: next to this program)\n"
	      "  --memory SIZE      guest RAM, QEMU -m syntax (default 256M)\n"
	      "  --qemu-arg ARG     extra QEMU argument (repeatable)\n"
	      "  --firmware DIR     the testrunner as BL33 after TF-A's DIR/bl1.bin\n"
	      "                     (docs/boot-chains.md)\n"
	      "  --verbose          with --firmware: the secure UART on stderr after the boot\n"
	      "  --expect REGEX     pass once a console line matches (QEMU is stopped then)\n"
	      "  --fail-on REGEX    fail once a console line matches (default: '" DEFAULT_FAIL_ON
	      "';\n"
	      "                     '' for none); extended regular expressions\n"
	      "  --symbols ELF      at a timeout, every CPU's registers (read over QMP)\n"
	      "                     symbolized with ELF's symbols (the OS's vmlinux)\n"
	      "Exit: 0 QEMU exited by itself with status 0 (e.g. the OS powered off), or\n"
	      "the console showed --expect; 1 timeout, --fail-on shown (a kernel panic),\n"
	      "or --expect never shown; 2 bad input, QEMU failure, or the testrunner\n"
	      "refused the image (the reason is printed).\n",
	      f);
}

static int check_readable(const char *what, const char *path)
{
	const char *why = file_unreadable(path);

	return why ? boot_err("boot: %s %s: %s", what, path, why) : 0;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t len = strlen(text);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	if (close(fd) < 0 || n != (ssize_t)len)
		return -1;
	return 0;
}

/* The kernel (decompressed if gzip'd) and the command line as fw_cfg files. */
static int prepare_files(const struct options *o, struct boot_files *f)
{
	char why[512];
	int ret = tmpdir_make(f->dir, sizeof(f->dir));

	if (ret)
		return boot_err("boot: temporary directory: %s", strerror(-ret));
	f->have_dir = true;
	if (tmpdir_path(f->kernel, sizeof(f->kernel), f->dir, "Image") ||
	    tmpdir_path(f->cmdline, sizeof(f->cmdline), f->dir, "cmdline"))
		return boot_err("boot: temporary directory %s: path too long", f->dir);
	if (gunzip_is_gzip(o->kernel)) {
		if (gunzip_file(o->kernel, f->kernel, MAX_KERNEL, why, sizeof(why)) < 0) {
			/* a partial file may be left behind: removed with the directory */
			return boot_err("boot: kernel %s", why);
		}
		f->have_kernel = true;
	}
	if (o->append) {
		if (write_file(f->cmdline, o->append) < 0)
			return boot_err("boot: writing %s: %s", f->cmdline, strerror(errno));
		f->have_cmdline = true;
	}
	return 0;
}

static void qemu_cfg_from(struct qemu_cfg *c, const struct options *o, const struct boot_files *f)
{
	memset(c, 0, sizeof(*c));
	c->qemu = o->qemu;
	c->image = o->image;
	c->firmware = o->firmware;
	c->bl33 = o->bl33;
	c->show_secure_serial = o->verbose;
	c->memory = o->memory;
	c->smp = o->smp;
	c->serial_stdio = true;
	c->extra = o->qemu_args;
	c->n_extra = o->n_qemu_args;
	c->fw_cfg[c->n_fw_cfg++] =
		(struct qemu_fw_cfg){ PROTO_FW_CFG_KERNEL, f->have_kernel ? f->kernel : o->kernel };
	if (o->initrd)
		c->fw_cfg[c->n_fw_cfg++] = (struct qemu_fw_cfg){ PROTO_FW_CFG_INITRD, o->initrd };
	if (f->have_cmdline)
		c->fw_cfg[c->n_fw_cfg++] = (struct qemu_fw_cfg){ PROTO_FW_CFG_CMDLINE, f->cmdline };
}

/* The console watched while it is relayed; the boot is stopped once it has decided. */
struct console_watch {
	struct console_match m;
	const char *expect, *fail_on;
};

static void on_console(void *ctx, const char *data, size_t len)
{
	console_match_feed(&((struct console_watch *)ctx)->m, data, len);
}

static bool console_decided(const struct console_watch *w)
{
	return w->m.failed || w->m.expected;
}

/*
 * A timeout: where each CPU is, symbolized with --symbols. The testrunner's
 * last line, "secondary: jumping to 0xADDR ...", says where the OS was put:
 * an ELF linked below it (a relocatable Image) is symbolized moved by that.
 */
static void print_hang(const struct session_result *r, const char *symbols)
{
	unsigned long long addrs[SYMBOLIZE_ADDRS_MAX];
	const char *jump = strstr(r->last_line, "jumping to 0x");
	struct hang_state h = *r->hang;
	struct symbolize_job j;
	size_t n;

	h.load_addr = jump ? strtoull(jump + 11, NULL, 16) : 0;
	n = hang_addresses(&h, hang_load_offset(&h, symbols), addrs, SYMBOLIZE_ADDRS_MAX);
	if (!symbols || symbolize_start(&j, symbols, addrs, n, clock_now_ms()))
		symbolize_start(&j, NULL, addrs, n, 0);
	while (!j.done && !signals_term()) {
		struct pollfd pfd;
		uint64_t deadline, now = clock_now_ms();
		int k = symbolize_pollfd(&j, &pfd, &deadline);

		if (poll(&pfd, (nfds_t)k, deadline > now ? (int)(deadline - now) : 0) < 0 &&
		    errno != EINTR)
			break;
		symbolize_step(&j, k ? pfd.revents : 0, clock_now_ms());
	}
	symbolize_free(&j);
	if (!symbols)
		h.load_addr = 0;
	hang_print(stderr, &h, &j, " (boot CPU)");
}

static int verdict(const struct session_result *r, struct console_watch *w, const char *symbols)
{
	const char *line = r->last_line;

	if (signals_term()) {
		boot_err("boot: interrupted by %s", strsignal(signals_term()));
		return EXIT_SIGNAL(signals_term());
	}
	console_match_end(&w->m);
	if (w->m.failed) {
		boot_err("boot: the console showed /%s/: %s", w->fail_on, w->m.failed_line);
		return BOOT_EXIT_FAILED;
	}
	if (w->m.expected)
		return BOOT_EXIT_OK;
	switch (r->end) {
	case END_EXITED:
		break;
	case END_TIMEOUT:
		boot_err("boot: timeout after %.3g s: QEMU killed", r->timeout_ms / 1000.0);
		if (r->hang)
			print_hang(r, symbols);
		return BOOT_EXIT_TIMEOUT;
	default:
		return boot_err("boot: %s", r->err);
	}
	if (r->got_result)
		return boot_err("boot: the testrunner refused to boot the image (result %d)%s%s",
				r->status, line[0] ? ": " : "",
				strncmp(line, "# ", 2) == 0 ? line + 2 : line);
	if (!r->connected)
		return boot_err("boot: QEMU exited before connecting to " PROTO_PORT_NAME);
	if (WIFSIGNALED(r->wstatus))
		return boot_err("boot: QEMU killed by signal %d", WTERMSIG(r->wstatus));
	if (WEXITSTATUS(r->wstatus) != 0)
		return boot_err("boot: QEMU exited with status %d", WEXITSTATUS(r->wstatus));
	if (w->expect) {
		boot_err("boot: the console never showed /%s/", w->expect);
		return BOOT_EXIT_FAILED;
	}
	return BOOT_EXIT_OK;
}

/* One SESSION_OS boot through the shared poll loop. */
static int run_boot(const struct options *o, const struct qemu_cfg *qcfg)
{
	struct console_watch w = {
		.expect = o->expect && *o->expect ? o->expect : NULL,
		.fail_on = o->fail_on ? o->fail_on : DEFAULT_FAIL_ON,
	};
	const struct session_cfg scfg = {
		.qemu = qcfg,
		.mode = SESSION_OS,
		.request = REQUEST_SECONDARY_OS,
		.timeout_ms = o->timeout_ms,
		.connect_timeout_ms = CONNECT_TIMEOUT_MS,
		.on_console = on_console,
		.ctx = &w,
	};
	struct session *s;
	bool stopping = false;
	char err[256];
	int ret = 0;

	if (console_match_init(&w.m, w.expect, w.fail_on, err, sizeof(err)))
		return boot_err("boot: %s", err);
	s = session_start(&scfg);
	if (!s) {
		console_match_free(&w.m);
		return boot_err("boot: %s", strerror(ENOMEM));
	}
	while (!session_done(s) && !ret) {
		ret = machine_poll(&s, 1, NULL);
		if (!stopping && console_decided(&w)) {
			stopping = true;
			session_stop(s);
		}
	}
	if (ret) {
		ret = boot_err("boot: poll: %s", strerror(-ret));
	} else {
		int out = out_queue_drain();

		ret = verdict(session_result(s), &w, o->symbols);
		if (out && ret == BOOT_EXIT_OK)
			ret = boot_err("boot: writing the console to stdout: %s", strerror(-out));
	}
	session_free(s);
	console_match_free(&w.m);
	return ret;
}

static const char *env(const char *name)
{
	return getenv(name);
}

/* --firmware: QEMU runs in a directory of its own, so its fw_cfg files are named absolutely. */
static int absolute_inputs(struct options *o, char *kernel, char *initrd)
{
	int ret;

	if (!o->firmware)
		return 0;
	ret = file_absolute(o->kernel, kernel, PATH_MAX);
	if (!ret && o->initrd)
		ret = file_absolute(o->initrd, initrd, PATH_MAX);
	if (ret)
		return boot_err("boot: --kernel/--initrd: %s", strerror(-ret));
	o->kernel = kernel;
	o->initrd = o->initrd ? initrd : NULL;
	return 0;
}

int cmd_boot(int argc, char **argv)
{
	struct boot_files f = { .have_dir = false };
	char image[PATH_MAX], qemu[PATH_MAX], kernel[PATH_MAX], initrd[PATH_MAX], err[512];
	struct firmware_paths fw;
	struct qemu_cfg qcfg;
	struct options o;
	int ret;

	ret = cli_parse(argc, argv, CLI_BOOT, &o, err, sizeof(err));
	if (ret == 0)
		ret = cli_apply_env(&o, env, err, sizeof(err));
	if (ret == CLI_HELP)
		usage(stdout);
	else if (ret)
		boot_err("boot: %s", err);
	if (ret) {
		cli_free(&o);
		return ret == CLI_HELP ? BOOT_EXIT_OK : BOOT_EXIT_ERROR;
	}
	if (check_readable("kernel", o.kernel) ||
	    (o.initrd && check_readable("initrd", o.initrd)) ||
	    (o.symbols && check_readable("--symbols", o.symbols)) ||
	    locate_image(&o.image, image, sizeof(image)) ||
	    locate_qemu(&o.qemu, qemu, sizeof(qemu)) || locate_firmware(&o, &fw) ||
	    absolute_inputs(&o, kernel, initrd)) {
		cli_free(&o);
		return BOOT_EXIT_ERROR;
	}
	ret = signals_init();
	if (ret)
		ret = boot_err("boot: signals: %s", strerror(-ret));
	else
		ret = prepare_files(&o, &f);
	if (ret == 0 && signals_term())
		ret = EXIT_SIGNAL(signals_term());
	if (ret == 0) {
		qemu_cfg_from(&qcfg, &o, &f);
		ret = run_boot(&o, &qcfg);
	}
	if (f.have_dir)
		tmpdir_remove(f.dir);
	cli_free(&o);
	return ret;
}
