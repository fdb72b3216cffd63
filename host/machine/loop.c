/* SPDX-License-Identifier: MIT */
/* The one poll loop: sessions' descriptors, the signal self-pipe, the nearest deadline. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>

#include "machine/loop.h"
#include "system/clock.h"
#include "system/out_queue.h"
#include "system/signals.h"

/* The earlier of two deadlines, 0 meaning none. */
static uint64_t earlier(uint64_t a, uint64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

int machine_poll(struct session *const *v, size_t n, const struct loop_extra *extra)
{
	/* at most -j 256 boots: small enough for the stack, and nothing to fail */
	struct pollfd pfd[2 + n * SESSION_POLLFDS_MAX + LOOP_EXTRA_FDS_MAX];
	int first[n + 1], count[n + 1], n_extra = 0;
	size_t used = 1, extra_at, out_at;
	uint64_t now, next = 0, d;
	bool ended = false;
	int timeout;

	pfd[0] = (struct pollfd){ .fd = signals_wake_fd(), .events = POLLIN };
	for (size_t i = 0; i < n; i++) {
		first[i] = count[i] = 0;
		/* ended without a descriptor or a deadline (it could not start): no wait */
		ended |= v[i] && session_done(v[i]);
		if (!v[i] || session_done(v[i]))
			continue;
		first[i] = (int)used;
		count[i] = session_pollfds(v[i], pfd + used);
		used += (size_t)count[i];
		next = earlier(next, session_deadline(v[i]));
	}
	extra_at = used;
	if (extra) {
		d = 0;
		n_extra = extra->pollfds(extra->ctx, pfd + used, LOOP_EXTRA_FDS_MAX, &d);
		used += (size_t)n_extra;
		next = earlier(next, d);
	}
	/* the log goes out as fast as stdout takes it, never blocking the loop */
	out_at = used;
	used += (size_t)out_queue_pollfd(&pfd[used]);
	now = clock_now_ms();
	timeout = ended ? 0 : !next ? -1 : next <= now ? 0 : (int)(next - now);
	if (poll(pfd, used, timeout) < 0 && errno != EINTR)
		return -errno;
	if (pfd[0].revents)
		signals_wake_drain();
	if (out_at < used)
		out_queue_step(&pfd[out_at]);
	now = clock_now_ms();
	for (size_t i = 0; i < n; i++) {
		if (!v[i] || session_done(v[i]))
			continue;
		if (signals_term())
			session_stop(v[i]);
		session_step(v[i], pfd + first[i], count[i], now);
	}
	if (extra)
		extra->step(extra->ctx, pfd + extra_at, n_extra, now);
	return 0;
}
