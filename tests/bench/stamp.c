/* SPDX-License-Identifier: MIT */
/*
 * stamp: copy standard input to standard output, each line prefixed with the
 * CLOCK_MONOTONIC time at which its first byte was read, in milliseconds
 * with three decimals (microsecond resolution):
 *
 *   123456789.012 line as read
 *
 * (seconds.milliseconds would round a 10 ms target away). make bench pipes
 * the harness's log through it to time the gap between two lines (a crash's
 * result line and the next test's "# start"). Reads with read(2), never
 * stdio's buffering, so a line is stamped when it arrives, not when a buffer
 * fills; output is flushed after each read. Exit: 0 at end of input, 1 on a read
 * or write error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000;
}

int main(void)
{
	char buf[65536];
	bool line_start = true;

	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		unsigned long long t = now_us();

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("stamp: read");
			return 1;
		}
		if (n == 0)
			break;
		for (char *p = buf, *end = buf + n; p < end;) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

			if (line_start && printf("%llu.%03llu ", t / 1000, t % 1000) < 0)
				return 1;
			if (fwrite(p, 1, len, stdout) != len)
				return 1;
			line_start = nl != NULL;
			p += len;
		}
		if (fflush(stdout))
			return 1;
	}
	if (!line_start)
		putchar('\n');
	return fflush(stdout) ? 1 : 0;
}
