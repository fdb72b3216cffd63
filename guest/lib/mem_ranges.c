/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/*
 * Range-set arithmetic for free RAM (RAM from the DT minus the image, the
 * DTB and the DT's reservations). No hardware access: also unit-tested.
 */
#include "lib/mem_ranges.h"

#include <errno.h>

static void drop(struct mem_range *r, size_t *n, size_t i)
{
	for (; i + 1 < *n; i++)
		r[i] = r[i + 1];
	(*n)--;
}

int mem_ranges_remove(struct mem_range *r, size_t *n, size_t max, uint64_t start, uint64_t end)
{
	size_t i, splits = 0;

	if (end <= start)
		return 0;
	for (i = 0; i < *n; i++)
		splits += r[i].start < start && r[i].end > end;
	if (*n + splits > max)
		return -ENOSPC;
	for (i = 0; i < *n; i++) {
		struct mem_range *m = &r[i];

		if (m->end <= start || m->start >= end)
			continue;
		if (m->start < start && m->end > end) {
			/* the hole is inside: the upper part becomes a new range after it */
			for (size_t j = *n; j > i + 1; j--)
				r[j] = r[j - 1];
			r[i + 1].start = end;
			r[i + 1].end = m->end;
			m->end = start;
			(*n)++;
			i++;
		} else if (m->start >= start && m->end <= end) {
			drop(r, n, i--);
		} else if (m->start < start) {
			m->end = start;
		} else {
			m->start = end;
		}
	}
	return 0;
}

void mem_ranges_align(struct mem_range *r, size_t *n, uint64_t align)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		uint64_t s = r[i].start + align - 1;

		/* a start within @align of the top of the address space: nothing left */
		s = s < r[i].start ? r[i].end : s & ~(align - 1);
		r[i].start = s;
		r[i].end &= ~(align - 1);
		if (r[i].end <= r[i].start)
			drop(r, n, i--);
	}
}

bool mem_ranges_overlap(const struct mem_range *r, size_t n, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].start < end && start < r[i].end && r[i].start < r[i].end)
			return true;
	return false;
}

int mem_ranges_largest(const struct mem_range *r, size_t n)
{
	int best = -1;

	for (size_t i = 0; i < n; i++)
		if (r[i].end > r[i].start &&
		    (best < 0 || r[i].end - r[i].start > r[best].end - r[best].start))
			best = (int)i;
	return best;
}
