/* SPDX-License-Identifier: MIT */
/* The QEMU command line of every boot, for run, list and boot alike. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine/qemu.h"
#include "machine/qmp.h"
#include "system/proc.h"
#include "system/stage.h"
#include "system/status_line.h"
#include "system/tmpdir.h"

#include <testrunner/protocol.h>

/* What --verbose shows of the secure UART: its end, where a failure is told. */
#define SECURE_SERIAL_SHOWN (64 * 1024)

char *qemu_escape_commas(const char *s)
{
	size_t n = strlen(s), commas = 0;
	char *out, *o;

	for (size_t i = 0; i < n; i++)
		commas += s[i] == ',';
	out = malloc(n + commas + 1);
	if (!out)
		return NULL;
	for (o = out; *s; s++) {
		*o++ = *s;
		if (*s == ',')
			*o++ = ',';
	}
	*o = '\0';
	return out;
}

static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* "socket,id=ID,path=PATH": the socket @name of the boot directory @dir (tmpdir_socket). */
static char *socket_chardev(const char *id, const char *dir, const char *name)
{
	char path[TMPDIR_SOCK_MAX], *epath, *arg;

	if (tmpdir_socket(path, sizeof(path), dir, name))
		return NULL;
	epath = qemu_escape_commas(path);
	arg = epath ? fmt("socket,id=%s,path=%s", id, epath) : NULL;
	free(epath);
	return arg;
}

char **qemu_argv(const struct qemu_cfg *cfg, const char *dir)
{
	size_t cap = 40 + 2 * QEMU_FW_CFG_MAX + cfg->n_extra, n = 0;
	char **argv = calloc(cap, sizeof(*argv));
	bool ok = argv;

#define ARG(x)                                \
	do {                                  \
		if (ok && !(argv[n++] = (x))) \
			ok = false;           \
	} while (0)

	ARG(strdup(cfg->qemu));
	ARG(strdup("-M"));
	ARG(strdup(cfg->firmware ? QEMU_FIRMWARE_MACHINE : "virt"));
	ARG(strdup("-cpu"));
	ARG(strdup("cortex-a57"));
	ARG(strdup("-m"));
	ARG(strdup(cfg->memory));
	ARG(strdup("-smp"));
	ARG(fmt("%u", cfg->smp));
	ARG(strdup("-display"));
	ARG(strdup("none"));
	ARG(strdup("-monitor"));
	ARG(strdup("none"));
	/* no default NIC: the guest has no use for it and it costs start-up time */
	ARG(strdup("-nic"));
	ARG(strdup("none"));
	/* a guest reset must end the run, not start the tests over, unless asked for */
	if (!cfg->reset)
		ARG(strdup("-no-reboot"));
	ARG(strdup("-serial"));
	if (cfg->serial_stdio)
		ARG(strdup("stdio"));
	else
		/* "file:PATH" is taken literally by QEMU: no ",," escaping here */
		ARG(fmt("file:%s/" QEMU_SERIAL_NAME, dir));
	if (cfg->firmware) {
		/* the secure world's UART (secure=on), kept apart from the guest's */
		ARG(strdup("-serial"));
		ARG(fmt("file:%s/" QEMU_SECURE_SERIAL, dir));
		ARG(strdup("-bios"));
		ARG(fmt("%s/" QEMU_FIRMWARE_BL1, cfg->firmware));
		/* TF-A loads bl2, bl31, bl32 and bl33.bin from QEMU's working directory */
		ARG(strdup("-semihosting-config"));
		ARG(strdup("enable=on,target=native"));
	} else {
		ARG(strdup("-kernel"));
		ARG(strdup(cfg->image));
	}
	/*
	 * 8 ports, not QEMU's 31: the guest sets up two virtqueues per port
	 * before any port is known (0.4 ms of its boot less), with room left
	 * for ports a user adds with --qemu-arg
	 */
	ARG(strdup("-device"));
	ARG(strdup("virtio-serial-device,max_ports=8"));
	ARG(strdup("-device"));
	ARG(strdup("virtserialport,chardev=" PROTO_PORT_NAME ",name=" PROTO_PORT_NAME));
	ARG(strdup("-chardev"));
	ARG(socket_chardev(PROTO_PORT_NAME, dir, QEMU_SOCK_NAME));
	/*
	 * QMP: QEMU connects to our socket as it starts (a client chardev, like
	 * testrunner0's); its greeting waits there until a command is needed
	 */
	ARG(strdup("-chardev"));
	ARG(socket_chardev(QMP_CHARDEV_ID, dir, QMP_SOCK_NAME));
	ARG(strdup("-mon"));
	ARG(strdup("chardev=" QMP_CHARDEV_ID ",mode=control"));
	if (cfg->rpmb_dev) {
		/* beside testrunner0 on the same device, as in Trusty */
		ARG(strdup("-device"));
		ARG(strdup("virtserialport,chardev=" PROTO_RPMB_PORT_NAME
			   ",name=" PROTO_RPMB_PORT_NAME));
		ARG(strdup("-chardev"));
		ARG(socket_chardev(PROTO_RPMB_PORT_NAME, dir, QEMU_RPMB_SOCK_NAME));
	}
	for (size_t i = 0; i < cfg->n_fw_cfg && i < QEMU_FW_CFG_MAX; i++) {
		char *file = qemu_escape_commas(cfg->fw_cfg[i].file);

		ARG(strdup("-fw_cfg"));
		ARG(file ? fmt("name=%s,file=%s", cfg->fw_cfg[i].name, file) : NULL);
		free(file);
	}
	if (cfg->debug) {
		/* never on every interface: the stub can read and write all memory */
		ARG(strdup("-gdb"));
		ARG(fmt("tcp:127.0.0.1:%u", cfg->gdb_port));
		ARG(strdup("-S"));
	}
	for (size_t i = 0; i < cfg->n_extra; i++)
		ARG(strdup(cfg->extra[i]));
#undef ARG
	if (!ok) {
		qemu_argv_free(argv);
		return NULL;
	}
	return argv;
}

void qemu_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

/* TF-A's images: bl1.bin, bl2.bin, bl31.bin, bl32.bin, bl32_extra1.bin...; ours is bl33. */
static bool tfa_image(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && !strncmp(name, "bl", 2) && !strcmp(name + n - 4, ".bin") &&
	       strcmp(name, QEMU_FIRMWARE_BL33);
}

int qemu_stage_firmware(const struct qemu_cfg *cfg, const char *dir, char *cwd, size_t len)
{
	int ret = stage_dir(cwd, len, dir, QEMU_FIRMWARE_CWD);

	if (!ret)
		ret = stage_link_matching(cwd, cfg->firmware, tfa_image);
	if (ret >= 0)
		ret = stage_link(cwd, QEMU_FIRMWARE_BL33, cfg->bl33);
	return ret;
}

void qemu_show_secure_serial(const char *dir, FILE *f)
{
	char *log = tmpdir_read_tail(dir, QEMU_SECURE_SERIAL, SECURE_SERIAL_SHOWN);

	if (log && *log)
		status_line_hide();

	for (char *line = log, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		fprintf(f, QEMU_SECURE_PREFIX "%s\n", line);
	}
	free(log);
}

int qemu_start(const struct qemu_cfg *cfg, const char *dir, bool serial_pipe, pid_t *pid,
	       int *serial_fd)
{
	char **argv = qemu_argv(cfg, dir), path[TMPDIR_PATH_MAX], cwd[TMPDIR_PATH_MAX];
	int out = -1, err = -1, pipefd[2] = { -1, -1 }, ret = 0;

	if (!argv)
		return -ENOMEM;
	if (cfg->firmware)
		ret = qemu_stage_firmware(cfg, dir, cwd, sizeof(cwd));
	if (!ret && serial_pipe) {
		/* a pipe, not our stdout: QEMU makes its stdio non-blocking */
		if (pipe2(pipefd, O_CLOEXEC) || fcntl(pipefd[0], F_SETFL, O_NONBLOCK) < 0)
			ret = -errno;
		out = pipefd[1];
	} else if (!ret && !cfg->serial_stdio) {
		/* QEMU's own messages: shown with an infrastructure error, not mixed in */
		ret = tmpdir_path(path, sizeof(path), dir, QEMU_LOG_NAME);
		if (!ret &&
		    (out = err = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
			ret = -errno;
	}
	if (!ret)
		ret = proc_spawn_in(argv, cfg->firmware ? cwd : NULL, out, err, pid);
	if (out >= 0)
		close(out);
	qemu_argv_free(argv);
	if (ret) {
		if (pipefd[0] >= 0)
			close(pipefd[0]);
		return ret;
	}
	*serial_fd = pipefd[0];
	return 0;
}
