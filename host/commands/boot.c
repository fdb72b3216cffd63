// SPDX-License-Identifier: MIT
/*
 * testrunner-host boot: hand a kernel, initrd and command line to the
 * testrunner through fw_cfg files, ask it for the secondary OS on
 * testrunner0, relay the serial console, and end with QEMU or at the timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <testrunner/protocol.h>

#include "commands/boot.h"
#include "commands/boot_session.h"
#include "system/gunzip.h"
#include "system/proc.h"
#include "machine/qemu.h"

#define DEFAULT_TIMEOUT_S 120
#define MAX_KERNEL (1ull << 30) /* decompressed: refuse gzip bombs */
#define MAX_QEMU_ARGS 64
#define MAX_ARGV (40 + 2 * MAX_QEMU_ARGS)

struct boot_opts {
	const char *kernel, *initrd, *append, *qemu, *image, *memory;
	const char *qemu_args[MAX_QEMU_ARGS];
	int nr_qemu_args;
	long timeout_s;
};

int boot_err(const char *fmt, ...)
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
	      "  --timeout S        kill QEMU after S seconds (default 120)\n"
	      "  --qemu PATH        QEMU binary (default $TESTRUNNER_QEMU or\n"
	      "                     qemu-system-aarch64 from PATH)\n"
	      "  --image FILE       testrunner ELF (default: next to this program)\n"
	      "  --memory SIZE      guest RAM, QEMU -m syntax (default 256M)\n"
	      "  --qemu-arg ARG     extra QEMU argument (repeatable)\n"
	      "Exit: 0 QEMU exited by itself with status 0 (e.g. the OS powered off\n"
	      "or panicked with panic=-1), 1 timeout, 2 bad input, QEMU failure,\n"
	      "or the testrunner refused the image (the reason is printed).\n",
	      f);
}

static int parse_opts(int argc, char **argv, struct boot_opts *o)
{
	enum {
		OPT_KERNEL = 256,
		OPT_INITRD,
		OPT_APPEND,
		OPT_TIMEOUT,
		OPT_QEMU,
		OPT_IMAGE,
		OPT_MEMORY,
		OPT_QEMU_ARG,
		OPT_HELP
	};
	static const struct option longopts[] = {
		{"kernel", required_argument, NULL, OPT_KERNEL},
		{"initrd", required_argument, NULL, OPT_INITRD},
		{"append", required_argument, NULL, OPT_APPEND},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"qemu", required_argument, NULL, OPT_QEMU},
		{"image", required_argument, NULL, OPT_IMAGE},
		{"memory", required_argument, NULL, OPT_MEMORY},
		{"qemu-arg", required_argument, NULL, OPT_QEMU_ARG},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->timeout_s = DEFAULT_TIMEOUT_S;
	o->memory = "256M";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_KERNEL:
			o->kernel = optarg;
			break;
		case OPT_INITRD:
			o->initrd = optarg;
			break;
		case OPT_APPEND:
			o->append = optarg;
			break;
		case OPT_QEMU:
			o->qemu = optarg;
			break;
		case OPT_IMAGE:
			o->image = optarg;
			break;
		case OPT_MEMORY:
			o->memory = optarg;
			break;
		case OPT_TIMEOUT:
			errno = 0;
			o->timeout_s = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || o->timeout_s <= 0 ||
			    o->timeout_s > 86400)
				return boot_err("boot: --timeout: not a number of seconds "
						"in 1..86400: \"%s\"",
						optarg);
			break;
		case OPT_QEMU_ARG:
			if (o->nr_qemu_args == MAX_QEMU_ARGS)
				return boot_err("boot: more than %d --qemu-arg", MAX_QEMU_ARGS);
			o->qemu_args[o->nr_qemu_args++] = optarg;
			break;
		case OPT_HELP:
			usage(stdout);
			return -1;
		default:
			return boot_err("boot: unknown option or missing argument: %s "
					"(see --help)",
					argv[optind - 1]);
		}
	}
	if (optind < argc)
		return boot_err("boot: unexpected argument \"%s\" (see --help)", argv[optind]);
	if (!o->kernel)
		return boot_err("boot: --kernel IMAGE is required (see --help)");
	if (!o->qemu)
		o->qemu = getenv("TESTRUNNER_QEMU");
	if (!o->qemu || !*o->qemu)
		o->qemu = "qemu-system-aarch64";
	return 0;
}

static int check_readable(const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return boot_err("boot: %s %s: %s", what, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return boot_err("boot: %s %s: not a regular file", what, path);
	if (access(path, R_OK) < 0)
		return boot_err("boot: %s %s: %s", what, path, strerror(errno));
	return 0;
}

/* "prefix" + value with QEMU's option commas doubled; malloc'd. */
static char *qemu_escape(const char *prefix, const char *value)
{
	char *v = qemu_escape_commas(value), *s = NULL;

	if (v && asprintf(&s, "%s%s", prefix, v) < 0)
		s = NULL;
	free(v);
	return s;
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

static void cleanup(struct boot_run *r)
{
	if (r->listen_fd >= 0)
		close(r->listen_fd);
	if (r->conn_fd >= 0)
		close(r->conn_fd);
	if (r->serial_fd >= 0)
		close(r->serial_fd);
	r->listen_fd = r->conn_fd = r->serial_fd = -1;
	if (r->have_dir)
		tmpdir_remove(r->dir);
	r->have_dir = r->have_kernel = r->have_cmdline = false;
}

static int make_dir(struct boot_run *r)
{
	int ret = tmpdir_make(r->dir, sizeof(r->dir));

	if (ret)
		return boot_err("boot: temporary directory: %s", strerror(-ret));
	r->have_dir = true;
	snprintf(r->sock, sizeof(r->sock), "%s/sock", r->dir);
	snprintf(r->kernel, sizeof(r->kernel), "%s/Image", r->dir);
	snprintf(r->cmdline, sizeof(r->cmdline), "%s/cmdline", r->dir);
	return 0;
}

/* Bind and listen before QEMU starts: its client chardev connects at once. */
static int listen_channel(struct boot_run *r)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	if (strlen(r->sock) >= sizeof(sa.sun_path))
		return boot_err("boot: socket path too long: %s", r->sock);
	strcpy(sa.sun_path, r->sock);
	r->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (r->listen_fd < 0)
		return boot_err("boot: socket: %s", strerror(errno));
	if (bind(r->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return boot_err("boot: bind %s: %s", r->sock, strerror(errno));
	if (listen(r->listen_fd, 1) < 0)
		return boot_err("boot: listen: %s", strerror(errno));
	return 0;
}

static int build_argv(const struct boot_opts *o, const char *image, struct boot_run *r, char **argv,
		      char **owned, int *nr_owned)
{
	int n = 0;

#define OWN(expr)                                                                                  \
	do {                                                                                       \
		char *s_ = (expr);                                                                 \
		if (!s_)                                                                           \
			return boot_err("boot: out of memory");                                    \
		owned[(*nr_owned)++] = s_;                                                         \
		argv[n++] = s_;                                                                    \
	} while (0)

	argv[n++] = (char *)o->qemu;
	argv[n++] = "-M";
	argv[n++] = "virt";
	argv[n++] = "-cpu";
	argv[n++] = "cortex-a57";
	argv[n++] = "-m";
	argv[n++] = (char *)o->memory;
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	argv[n++] = "-no-reboot";
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-kernel";
	argv[n++] = (char *)image;
	argv[n++] = "-device";
	argv[n++] = "virtio-serial-device";
	argv[n++] = "-device";
	argv[n++] = "virtserialport,chardev=testrunner0,name=" PROTO_PORT_NAME;
	argv[n++] = "-chardev";
	OWN(qemu_escape("socket,id=testrunner0,path=", r->sock));
	argv[n++] = "-fw_cfg";
	OWN(qemu_escape("name=" BOOT_FW_CFG_KERNEL ",file=",
			r->have_kernel ? r->kernel : o->kernel));
	if (o->initrd) {
		argv[n++] = "-fw_cfg";
		OWN(qemu_escape("name=" BOOT_FW_CFG_INITRD ",file=", o->initrd));
	}
	if (r->have_cmdline) {
		argv[n++] = "-fw_cfg";
		OWN(qemu_escape("name=" BOOT_FW_CFG_CMDLINE ",file=", r->cmdline));
	}
	for (int i = 0; i < o->nr_qemu_args; i++)
		argv[n++] = (char *)o->qemu_args[i];
	argv[n] = NULL;
#undef OWN
	return 0;
}

static int verdict(struct boot_run *r, enum boot_end end, int status, long timeout_s)
{
	switch (end) {
	case BOOT_END_SIGNAL:
		boot_err("boot: interrupted by signal %d", proc_term_signal());
		return 128 + proc_term_signal();
	case BOOT_END_TIMEOUT:
		boot_err("boot: timeout after %ld s: QEMU killed", timeout_s);
		return BOOT_EXIT_TIMEOUT;
	case BOOT_END_PROTOCOL:
		if (r->protocol_error)
			boot_err("boot: protocol violation on " PROTO_PORT_NAME
				 " (unknown frame type, log size > 62, or a frame after the "
				 "result)");
		return BOOT_EXIT_ERROR;
	case BOOT_END_EXITED:
		break;
	}
	if (r->fp.done)
		return boot_err("boot: the testrunner refused to boot the image (result %d)%s%s",
				r->fp.status, r->last_line[0] ? ": " : "",
				strncmp(r->last_line, "# ", 2) == 0 ? r->last_line + 2
								    : r->last_line);
	if (r->conn_fd == -1)
		return boot_err("boot: QEMU exited before connecting to " PROTO_PORT_NAME);
	if (WIFSIGNALED(status))
		return boot_err("boot: QEMU killed by signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return boot_err("boot: QEMU exited with status %d", WEXITSTATUS(status));
	return BOOT_EXIT_OK;
}

int cmd_boot(int argc, char **argv)
{
	struct boot_opts o;
	struct boot_run r = {
		.listen_fd = -1, .conn_fd = -1, .serial_fd = -1, .qemu = -1};
	char image[PATH_MAX], why[512];
	char *qargv[MAX_ARGV], *owned[8];
	int nr_owned = 0, ret, status = 0;
	enum boot_end end;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (!o.image) {
		if (proc_exe_relative("../guest/testrunner.elf", image, sizeof(image)))
			return boot_err("boot: cannot locate testrunner.elf; use --image");
		o.image = image;
	}
	if (check_readable("kernel", o.kernel) || check_readable("image", o.image) ||
	    (o.initrd && check_readable("initrd", o.initrd)))
		return BOOT_EXIT_ERROR;

	frame_parser_init(&r.fp);
	ret = proc_signals_init();
	if (ret)
		return boot_err("boot: signals: %s", strerror(-ret));
	ret = make_dir(&r);
	if (ret == 0 && gunzip_is_gzip(o.kernel)) {
		if (gunzip_file(o.kernel, r.kernel, MAX_KERNEL, why, sizeof(why)) < 0) {
			/* a partial file may be left behind: remove it too */
			r.have_kernel = access(r.kernel, F_OK) == 0;
			ret = boot_err("boot: kernel %s", why);
		} else {
			r.have_kernel = true;
		}
	}
	if (ret == 0 && o.append) {
		if (write_file(r.cmdline, o.append) < 0)
			ret = boot_err("boot: writing %s: %s", r.cmdline, strerror(errno));
		else
			r.have_cmdline = true;
	}
	if (ret == 0)
		ret = listen_channel(&r);
	if (ret == 0)
		ret = build_argv(&o, o.image, &r, qargv, owned, &nr_owned);
	if (ret == 0 && proc_term_signal())
		ret = 128 + proc_term_signal();
	if (ret == 0)
		ret = boot_start_qemu(&r, qargv);
	if (ret == 0) {
		end = boot_supervise(&r, o.timeout_s, &status);
		if (end != BOOT_END_EXITED)
			boot_stop_qemu(&r, &status);
		ret = verdict(&r, end, status, o.timeout_s);
	}
	boot_stop_qemu(&r, &status);
	cleanup(&r);
	for (int i = 0; i < nr_owned; i++)
		free(owned[i]);
	return ret;
}
