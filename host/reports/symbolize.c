// SPDX-License-Identifier: MIT
/* Crash reports: addresses from the guest symbolized against the image. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "system/clock.h"
#include "system/proc.h"
#include "system/signals.h"
#include "reports/symbolize.h"

#define MAX_FRAMES 32
#define ADDR2LINE "aarch64-linux-gnu-addr2line"

size_t symbolize_addresses(const char *text, const char *key,
			   unsigned long long *addrs, size_t max)
{
	const char *p = text;
	size_t n = 0;

	if (!text)
		return 0;
	if (key) {
		p = strstr(text, key);
		if (!p)
			return 0;
		p += strlen(key);
	}
	while (*p && n < max) {
		char *end;

		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			errno = 0;
			addrs[n] = strtoull(p, &end, 16);
			if (!errno && end > p + 2) {
				n++;
				if (key)
					break;
			}
			p = end > p ? end : p + 1;
		} else {
			if (key)
				break;
			p++;
		}
	}
	return n;
}

/* Run addr2line once for all addresses; its lines into @out. 0 or -errno. */
static int addr2line(const char *image, const unsigned long long *addrs,
		     size_t n, char *out, size_t outlen)
{
	char *argv[MAX_FRAMES + 8], num[MAX_FRAMES + 1][24];
	size_t argc = 0, got = 0;
	int pfd[2], ret;
	uint64_t end;
	pid_t pid;

	argv[argc++] = ADDR2LINE;
	argv[argc++] = "-e";
	argv[argc++] = (char *)image;
	argv[argc++] = "-f";
	argv[argc++] = "-p";
	for (size_t i = 0; i < n && i <= MAX_FRAMES; i++) {
		snprintf(num[i], sizeof(num[i]), "0x%llx", addrs[i]);
		argv[argc++] = num[i];
	}
	argv[argc] = NULL;
	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	ret = proc_spawn(argv, pfd[1], -1, &pid);
	close(pfd[1]);
	if (ret) {
		close(pfd[0]);
		return ret;
	}
	/* bounded: a stuck addr2line must not stall the run */
	end = clock_now_ms() + 5000;
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		uint64_t now = clock_now_ms();
		ssize_t r;

		if (now >= end || signals_term())
			break;
		if (poll(&p, 1, (int)(end - now)) < 0 && errno != EINTR)
			break;
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		r = read(pfd[0], out + got, outlen - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == outlen - 1)
			break;
	}
	out[got] = '\0';
	close(pfd[0]);
	proc_kill_wait(pid, 100);
	return got ? 0 : -ENODATA;
}

void symbolize_crash(FILE *f, const char *image, const char *exception,
		     const char *backtrace)
{
	unsigned long long addrs[MAX_FRAMES + 1];
	size_t n = 0, nelr;
	char out[8192], *line, *save = NULL;

	if (exception)
		fprintf(f, "    exception:%s\n", exception);
	if (backtrace)
		fprintf(f, "    backtrace:%s\n", backtrace);
	nelr = symbolize_addresses(exception, "ELR=", addrs, 1);
	n = nelr + symbolize_addresses(backtrace, NULL, addrs + nelr, MAX_FRAMES);
	if (!n || !image || addr2line(image, addrs, n, out, sizeof(out)))
		return;
	line = strtok_r(out, "\n", &save);
	for (size_t i = 0; i < n && line; i++) {
		if (i < nelr)
			fprintf(f, "    ELR 0x%llx: %s\n", addrs[i], line);
		else
			fprintf(f, "    #%-2zu 0x%llx: %s\n", i - nelr, addrs[i], line);
		line = strtok_r(NULL, "\n", &save);
	}
}
