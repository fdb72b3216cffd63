/* SPDX-License-Identifier: MIT */
/* The one poll loop: sessions' descriptors, the signal self-pipe, the nearest deadline. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>

#include "machine/loop.h"
#include "system/clock.h"
#include "system/signals.h"

int machine_poll(struct session *const *v, size_t n)
{
	/* at most -j 256 boots: small enough for the stack, and nothing to fail */
	struct pollfd pfd[1 + n * SESSION_POLLFDS_MAX];
	int first[n + 1], count[n + 1];
	size_t used = 1;
	uint64_t now, next = 0;
	int timeout;

	pfd[0] = (struct pollfd){ .fd = signals_wake_fd(), .events = POLLIN };
	for (size_t i = 0; i < n; i++) {
		uint64_t d;

		first[i] = count[i] = 0;
		if (!v[i] || session_done(v[i]))
			continue;
		first[i] = (int)used;
		count[i] = session_pollfds(v[i], pfd + used);
		used += (size_t)count[i];
		d = session_deadline(v[i]);
		if (d && (!next || d < next))
			next = d;
	}
	now = clock_now_ms();
	timeout = !next ? -1 : next <= now ? 0 : (int)(next - now);
	/* the log relayed so far goes out before we sleep */
	fflush(stdout);
	if (poll(pfd, used, timeout) < 0 && errno != EINTR)
		return -errno;
	if (pfd[0].revents)
		signals_wake_drain();
	now = clock_now_ms();
	for (size_t i = 0; i < n; i++) {
		if (!v[i] || session_done(v[i]))
			continue;
		if (signals_term())
			session_stop(v[i]);
		session_step(v[i], pfd + first[i], count[i], now);
	}
	return 0;
}
