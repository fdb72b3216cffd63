/* SPDX-License-Identifier: MIT */
/* Crash reports: addresses from the guest symbolized against the image. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/symbolize.h"
#include "system/proc.h"

#define ADDR2LINE "aarch64-linux-gnu-addr2line"
/* addr2line is told to stop, then killed after this long. */
#define ADDR2LINE_KILL_GRACE_MS 100
/* "0x" and 16 hex digits, with room to spare */
#define ADDR_TEXT_MAX 24

size_t symbolize_addresses(const char *text, const char *key, unsigned long long *addrs, size_t max)
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

int symbolize_start(struct symbolize_job *j, const char *image, const unsigned long long *addrs,
		    size_t n, uint64_t now)
{
	char *argv[SYMBOLIZE_ADDRS_MAX + 8];
	char num[SYMBOLIZE_ADDRS_MAX][ADDR_TEXT_MAX];
	size_t argc = 0;
	int pfd[2], ret;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->n = n < SYMBOLIZE_ADDRS_MAX ? n : SYMBOLIZE_ADDRS_MAX;
	memcpy(j->addrs, addrs, j->n * sizeof(*addrs));
	if (!j->n || !image) {
		j->done = true;
		return -ENOENT;
	}
	argv[argc++] = ADDR2LINE;
	argv[argc++] = "-e";
	argv[argc++] = (char *)image;
	argv[argc++] = "-f";
	argv[argc++] = "-p";
	for (size_t i = 0; i < j->n; i++) {
		snprintf(num[i], sizeof(num[i]), "0x%llx", j->addrs[i]);
		argv[argc++] = num[i];
	}
	argv[argc] = NULL;
	if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK)) {
		j->done = true;
		return -errno;
	}
	ret = proc_spawn(argv, pfd[1], -1, &j->pid);
	close(pfd[1]);
	if (ret) {
		close(pfd[0]);
		j->done = true;
		return ret;
	}
	j->fd = pfd[0];
	j->deadline = now + SYMBOLIZE_TIMEOUT_MS;
	return 0;
}

int symbolize_pollfd(const struct symbolize_job *j, struct pollfd *pfd, uint64_t *deadline)
{
	if (j->done) {
		*deadline = 0;
		return 0;
	}
	*deadline = j->stopping ? stop_deadline(&j->stop) : j->deadline;
	if (j->fd < 0)
		return 0;
	*pfd = (struct pollfd){ .fd = j->fd, .events = POLLIN };
	return 1;
}

/* Its output is complete (or given up on): make sure the child goes. */
static void end_output(struct symbolize_job *j, uint64_t now)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	if (!j->stopping) {
		j->stopping = true;
		stop_begin(&j->stop, &proc_ops_real, j->pid, SIGTERM, ADDR2LINE_KILL_GRACE_MS, now);
	}
}

/* One line per address, in order: split once addr2line is done. */
static void split_lines(struct symbolize_job *j)
{
	char *line, *save = NULL;

	line = strtok_r(j->out, "\n", &save);
	for (size_t i = 0; i < j->n && line; i++) {
		j->lines[i] = line;
		line = strtok_r(NULL, "\n", &save);
	}
}

bool symbolize_step(struct symbolize_job *j, short revents, uint64_t now)
{
	if (j->done)
		return true;
	while (j->fd >= 0 && (revents || now >= j->deadline)) {
		ssize_t r = read(j->fd, j->out + j->got, sizeof(j->out) - 1 - j->got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN && now < j->deadline)
			break;
		if (r <= 0 || (j->got += (size_t)r) == sizeof(j->out) - 1) {
			end_output(j, now);
			break;
		}
	}
	if (j->fd >= 0 && now >= j->deadline)
		end_output(j, now);
	j->out[j->got] = '\0';
	if (j->stopping && stop_step(&j->stop, now)) {
		j->done = true;
		split_lines(j);
	}
	return j->done;
}

const char *symbolize_line(const struct symbolize_job *j, size_t i)
{
	return j->done && i < j->n ? j->lines[i] : NULL;
}

void symbolize_free(struct symbolize_job *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	if (!j->done && j->pid > 0)
		proc_kill_wait(j->pid, 0);
	j->done = true;
}

int symbolize_link_base(const char *image, uint64_t *base)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	bool found = false;
	int fd = open(image, O_RDONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(ph))
		ret = -ENOEXEC;
	for (unsigned int i = 0; !ret && i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) !=
		    (ssize_t)sizeof(ph)) {
			ret = -ENOEXEC;
			break;
		}
		if (ph.p_type == PT_LOAD && (!found || ph.p_vaddr < *base)) {
			*base = ph.p_vaddr;
			found = true;
		}
	}
	close(fd);
	return ret ? ret : found ? 0 : -ENOEXEC;
}
