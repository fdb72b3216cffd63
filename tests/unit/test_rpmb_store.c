/* SPDX-License-Identifier: MIT */
/*
 * The device file: Trusty-compatible layout, rejection of foreign files, and
 * crash safety. A write or key programming is interrupted at every write and
 * sync it makes (with the interrupted write torn at several lengths); the
 * file is then reopened as a killed process would leave it (page cache
 * intact) and as a power loss would (any subset of unsynced sectors), and
 * must hold exactly the old state or exactly the new one, the new one
 * whenever the change had been acknowledged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rpmb/log.h"
#include "test_rpmb_util.h"

#define BLOCKS 16

struct snapshot {
	uint32_t counter;
	bool key_programmed;
	uint8_t key[RPMB_KEY_MAC_SIZE];
	uint8_t data[BLOCKS * RPMB_DATA_SIZE];
};

static void snap(struct rpmb_store *st, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->counter = st->write_counter;
	s->key_programmed = st->key_programmed;
	if (st->key_programmed)
		memcpy(s->key, st->key, sizeof(s->key));
	assert_int_equal(st->blocks, BLOCKS);
	assert_int_equal(rpmb_store_read(st, 0, BLOCKS, s->data), 0);
}

static bool snap_equal(const struct snapshot *a, const struct snapshot *b)
{
	return a->counter == b->counter && a->key_programmed == b->key_programmed &&
	       !memcmp(a->key, b->key, sizeof(a->key)) &&
	       !memcmp(a->data, b->data, sizeof(a->data));
}

static void fill(uint8_t *data, unsigned int n, uint8_t seed)
{
	unsigned int i;

	for (i = 0; i < n * RPMB_DATA_SIZE; i++)
		data[i] = (uint8_t)(seed + i * 13);
}

/* A device with a key, some history, and a stale (cleared but unsynced) journal record. */
static struct mem_io *make_device(struct rpmb_store *st, bool with_key)
{
	struct mem_io *m = mem_new();
	uint8_t data[3 * RPMB_DATA_SIZE];

	assert_int_equal(rpmb_store_format(&m->io, BLOCKS, NULL), 0);
	assert_int_equal(rpmb_store_open(st, &m->io, 0), 0);
	if (!with_key)
		return m;
	assert_int_equal(rpmb_store_program_key(st, test_key), 0);
	fill(data, 3, 1);
	assert_int_equal(rpmb_store_write(st, 2, 3, data), 0);
	fill(data, 1, 2);
	assert_int_equal(rpmb_store_write(st, 9, 1, data), 0);
	return m;
}

enum change { CHANGE_WRITE, CHANGE_WRITE_MAX, CHANGE_KEY };

static int do_change(struct rpmb_store *st, enum change c, struct snapshot *expect)
{
	uint8_t data[RPMB_STORE_MAX_WRITE * RPMB_DATA_SIZE];

	switch (c) {
	case CHANGE_WRITE:
		fill(data, 2, 0x80);
		memcpy(expect->data + 3 * RPMB_DATA_SIZE, data, 2 * RPMB_DATA_SIZE);
		expect->counter++;
		return rpmb_store_write(st, 3, 2, data);
	case CHANGE_WRITE_MAX:
		fill(data, RPMB_STORE_MAX_WRITE, 0x40);
		memcpy(expect->data + 8 * RPMB_DATA_SIZE, data,
		       RPMB_STORE_MAX_WRITE * RPMB_DATA_SIZE);
		expect->counter++;
		return rpmb_store_write(st, 8, RPMB_STORE_MAX_WRITE, data);
	case CHANGE_KEY:
		expect->key_programmed = true;
		memcpy(expect->key, test_key, sizeof(test_key));
		return rpmb_store_program_key(st, test_key);
	}
	return -EINVAL;
}

/* Reopen a crashed image: it must be the old or the new state, and stay usable. */
static void check_reopen(struct mem_io *img, const struct snapshot *before,
			 const struct snapshot *after, bool acked, int *saw_old, int *saw_new)
{
	struct rpmb_store st;
	struct snapshot now, again;
	uint8_t data[RPMB_DATA_SIZE];
	struct mem_io *m2;

	assert_int_equal(rpmb_store_open(&st, &img->io, 0), 0);
	snap(&st, &now);
	if (snap_equal(&now, after)) {
		(*saw_new)++;
	} else {
		assert_false(acked);
		assert_true(snap_equal(&now, before));
		(*saw_old)++;
	}
	/* Recovery is complete: a clean reopen sees the same, and writes go on. */
	m2 = mem_from_image(img->cache, img->cache_len);
	assert_int_equal(rpmb_store_open(&st, &m2->io, 0), 0);
	snap(&st, &again);
	assert_true(snap_equal(&now, &again));
	if (st.key_programmed) {
		fill(data, 1, 0xee);
		assert_int_equal(rpmb_store_write(&st, 0, 1, data), 0);
		assert_int_equal(st.write_counter, now.counter + 1);
	}
	mem_free(m2);
}

static void crash_everywhere(enum change c, bool with_key)
{
	struct rpmb_store st;
	struct snapshot before, after;
	struct mem_io *m;
	int total, p, saw_old = 0, saw_new = 0, runs = 0;
	static const size_t torn[] = { 0, 1, 100, 511, 600, 100000 };
	size_t t;

	rpmb_log_quiet = true;
	/* A clean run counts the writes and syncs a change makes. */
	m = make_device(&st, with_key);
	snap(&st, &before);
	after = before;
	total = m->ops;
	assert_int_equal(do_change(&st, c, &after), 0);
	total = m->ops - total;
	{
		struct snapshot got;

		snap(&st, &got);
		assert_true(snap_equal(&got, &after));
	}
	mem_free(m);
	assert_true(total >= 3);

	for (p = 1; p <= total; p++) {
		for (t = 0; t < sizeof(torn) / sizeof(torn[0]); t++) {
			struct snapshot scratch = before;
			unsigned int seed;
			bool acked;

			m = make_device(&st, with_key);
			m->crash_at = m->ops + p;
			m->torn_len = torn[t];
			acked = do_change(&st, c, &scratch) == 0;

			/* Killed process: every completed write() is in the page cache. */
			{
				struct mem_io *img = mem_from_image(m->cache, m->cache_len);

				check_reopen(img, &before, &after, acked, &saw_old, &saw_new);
				mem_free(img);
			}
			/* Power loss: the disk plus any unsynced sectors. */
			for (seed = 1; seed <= 16; seed++) {
				struct mem_io *img =
					mem_power_loss(m, seed * 7919 + (unsigned int)p);

				check_reopen(img, &before, &after, acked, &saw_old, &saw_new);
				mem_free(img);
			}
			runs++;
			mem_free(m);
		}
	}
	print_message("# %d ops per change, %d crash runs: %d reopened old, %d new\n", total, runs,
		      saw_old, saw_new);
	/* Both outcomes must actually occur, or the simulation tests nothing. */
	assert_true(saw_old > 0);
	assert_true(saw_new > 0);
}

static void test_crash_during_write(void **state)
{
	(void)state;
	crash_everywhere(CHANGE_WRITE, true);
}

static void test_crash_during_max_write(void **state)
{
	(void)state;
	crash_everywhere(CHANGE_WRITE_MAX, true);
}

static void test_crash_during_program_key(void **state)
{
	(void)state;
	crash_everywhere(CHANGE_KEY, false);
}

/*
 * A device whose last authenticated write is committed (its journal synced and
 * the write acknowledged) but not yet in place: the process died at the first
 * in-place write. @before and @after are the states either side of it.
 */
static struct mem_io *journal_only_write(struct rpmb_store *st, struct snapshot *before,
					 struct snapshot *after)
{
	struct mem_io *m;

	rpmb_log_quiet = true;
	m = make_device(st, true);
	snap(st, before);
	*after = *before;
	m->crash_at = m->ops + 3;
	assert_int_equal(do_change(st, CHANGE_WRITE, after), 0);
	assert_true(st->broken);
	return m;
}

/* A crash while recovery itself re-applies the journal. */
static void test_crash_during_recovery(void **state)
{
	struct rpmb_store st;
	struct snapshot before, after;
	struct mem_io *m, *img;
	int p;

	(void)state;
	m = journal_only_write(&st, &before, &after);
	for (p = 1; p <= 4; p++) {
		int saw_old = 0, saw_new = 0;

		img = mem_from_image(m->disk, m->disk_len);
		img->crash_at = p;
		img->torn_len = 7;
		(void)rpmb_store_open(&st, &img->io, 0); /* dies part way */
		{
			struct mem_io *again = mem_from_image(img->cache, img->cache_len);

			check_reopen(again, &before, &after, true, &saw_old, &saw_new);
			assert_int_equal(saw_new, 1);
			mem_free(again);
		}
		mem_free(img);
	}
	mem_free(m);
}

static void test_layout_is_trustys(void **state)
{
	struct mem_io *m = mem_new();
	struct rpmb_store st;
	uint8_t data[RPMB_DATA_SIZE];

	(void)state;
	rpmb_log_quiet = true;
	assert_int_equal(rpmb_store_format(&m->io, 300, test_key), 0);
	/* struct rpmb_data_header: le32 counter, le16 max_block, pad, key_programmed, key. */
	assert_int_equal(m->disk[4] | m->disk[5] << 8, 299);
	assert_int_equal(m->disk[7], 1);
	assert_memory_equal(m->disk + 8, test_key, sizeof(test_key));
	assert_int_equal(m->disk_len, RPMB_HDR_SIZE + 300 * RPMB_DATA_SIZE);
	assert_int_equal(rpmb_store_open(&st, &m->io, 0), 0);
	fill(data, 1, 9);
	assert_int_equal(rpmb_store_write(&st, 299, 1, data), 0);
	assert_int_equal(rpmb_store_write(&st, 299, 1, data), 0);
	assert_int_equal(m->disk[0], 2);
	assert_memory_equal(m->disk + RPMB_HDR_SIZE + 299 * RPMB_DATA_SIZE, data, sizeof(data));
	mem_free(m);

	/* Trusty's --init writes only the header: missing blocks read as zeros. */
	m = mem_new();
	assert_int_equal(rpmb_store_format(&m->io, 8, NULL), 0);
	m->cache_len = RPMB_HDR_SIZE;
	assert_int_equal(rpmb_store_open(&st, &m->io, 0), 0);
	memset(data, 0xff, sizeof(data));
	assert_int_equal(rpmb_store_read(&st, 7, 1, data), 0);
	assert_int_equal(data[0] | data[255], 0);
	mem_free(m);
}

static void test_rejects_foreign_files(void **state)
{
	struct mem_io *m = mem_new();
	struct rpmb_store st;

	(void)state;
	rpmb_log_quiet = true;
	/* Empty and short files. */
	assert_int_equal(rpmb_store_open(&st, &m->io, 0), -EINVAL);
	memset(m->cache, 0, 100);
	m->cache_len = 100;
	assert_int_equal(rpmb_store_open(&st, &m->io, 0), -EINVAL);
	/* Text, and a header with a bad key flag or junk in the reserved bytes. */
	memset(m->cache, 'x', 4096);
	m->cache_len = 4096;
	assert_int_equal(rpmb_store_open(&st, &m->io, 0), -EINVAL);
	assert_int_equal(rpmb_store_format(&m->io, 8, NULL), 0);
	m->cache[7] = 2;
	assert_int_equal(rpmb_store_open(&st, &m->io, 0), -EINVAL);
	m->cache[7] = 0;
	m->cache[300] = 1;
	assert_int_equal(rpmb_store_open(&st, &m->io, 0), -EINVAL);
	m->cache[300] = 0;
	assert_int_equal(rpmb_store_open(&st, &m->io, 0), 0);
	assert_int_equal(rpmb_store_format(&m->io, 0, NULL), -EINVAL);
	assert_int_equal(rpmb_store_format(&m->io, RPMB_MAX_BLOCKS + 1, NULL), -EINVAL);
	mem_free(m);
}

/* A read-only open (--status) sees a pending change but writes nothing. */
static void test_readonly_open(void **state)
{
	struct rpmb_store st;
	struct snapshot before, after;
	struct mem_io *m, *img;
	size_t i;

	(void)state;
	m = journal_only_write(&st, &before, &after);
	img = mem_from_image(m->disk, m->disk_len);
	assert_int_equal(rpmb_store_open(&st, &img->io, RPMB_STORE_RDONLY), 0);
	assert_true(st.journal_replayed);
	assert_int_equal(st.write_counter, after.counter);
	assert_int_equal(img->ops, 0);
	assert_int_not_equal(rpmb_store_write(&st, 0, 1, m->disk), 0);
	for (i = 0; i < img->cache_len; i++)
		assert_int_equal(img->cache[i], m->disk[i]);
	mem_free(img);
	mem_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_is_trustys),
		cmocka_unit_test(test_rejects_foreign_files),
		cmocka_unit_test(test_readonly_open),
		cmocka_unit_test(test_crash_during_write),
		cmocka_unit_test(test_crash_during_max_write),
		cmocka_unit_test(test_crash_during_program_key),
		cmocka_unit_test(test_crash_during_recovery),
	};

	return cmocka_run_group_tests_name("rpmb_store", tests, NULL, NULL);
}
