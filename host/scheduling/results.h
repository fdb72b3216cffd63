/* SPDX-License-Identifier: MIT */
/* The run's test records: one per selected test, filled as results arrive. */
#ifndef HOST_RESULTS_H
#define HOST_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

enum test_state {
	TEST_PENDING, /* selected, not reported yet */
	TEST_PASS,
	TEST_SKIP,
	TEST_FAIL,    /* not ok */
	TEST_CRASH,   /* not ok # ERROR: an exception in the guest */
	TEST_TIMEOUT, /* the host killed QEMU while it ran */
	TEST_LOST,    /* announced but its boot ended without a result */
};

/*
 * Captured output kept for the reports, bounded per test and for the whole
 * run: a flood, or thousands of chatty tests, cost nothing more.
 */
#define TEST_LOG_MAX	    (64 * 1024)
#define TESTS_LOG_TOTAL_MAX (8 * 1024 * 1024)

/* An earlier attempt of a retried test, kept for the reports. */
struct hang_state;

struct test_attempt {
	enum test_state state;
	char *reason;
	double secs;
};

struct test_rec {
	char *name;
	enum test_state state;
	char *reason;	       /* directive text or our own explanation */
	double secs;	       /* from "# start" to its result */
	unsigned int attempts; /* boots that reported this test */
	unsigned int boot; /* the run's boot (from 1) that may report it, or last did; 0: none */
	bool flaky;	   /* failed, then passed on a retry */
	bool failed_once;  /* an earlier attempt failed */
	char *log;	   /* captured lines (when reports want them) */
	size_t log_len, log_cap;
	bool log_truncated;
	char *exception;	      /* "# exception:" text */
	char *backtrace;	      /* "# backtrace:" text */
	char *file;		      /* its source file, from the catalogue; NULL if unknown */
	struct test_attempt *earlier; /* the attempts before this one, oldest first */
	size_t n_earlier;
	char *crash_report;	 /* the crash decoded and symbolized (reports fill it in) */
	char *failures;		 /* every failed assertion, "file:line: what", a line each */
	struct hang_state *hang; /* a timeout's CPUs read over QMP (machine/hang.h), or NULL */
};

struct test_set {
	struct test_rec *v;
	size_t n, cap;
	size_t *index;	  /* open addressing by name: 1 + the record's index, 0 free */
	size_t index_cap; /* a power of two, at least twice n */
	size_t log_total; /* bytes of log kept by all records */
};

void tests_init(struct test_set *t);
void tests_free(struct test_set *t);
/* Find a test by name, or NULL. */
struct test_rec *tests_find(struct test_set *t, const char *name);
/* Find or append; NULL only when out of memory. */
struct test_rec *tests_get(struct test_set *t, const char *name);
/* Before rerunning: the outcome moves to r->earlier. 0 or -ENOMEM (nothing changed). */
int test_reset(struct test_set *t, struct test_rec *r);
void test_set_reason(struct test_rec *r, const char *reason);
void test_set_str(char **dst, const char *s);
/* Append @s to *@dst as a new line ("\n" between); *@dst unchanged when out of memory. */
void test_append_line(char **dst, const char *s);
/* Keep a line of @r's output, within TEST_LOG_MAX and @t's TESTS_LOG_TOTAL_MAX. */
void test_log_append(struct test_set *t, struct test_rec *r, const char *line, size_t len);
/*
 * The captured log line by line: *@at starts at NULL; each call gives the
 * next line (without '\n') and its length in *@len, or NULL after the last.
 */
const char *test_log_line(const struct test_rec *r, const char **at, size_t *len);

static inline bool test_failed(const struct test_rec *r)
{
	return r->state == TEST_FAIL || r->state == TEST_CRASH || r->state == TEST_TIMEOUT ||
	       r->state == TEST_LOST;
}

const char *test_state_name(enum test_state s);

struct test_counts {
	size_t passed, failed, skipped, pending, flaky;
};

void tests_count(const struct test_set *t, struct test_counts *c);

#endif
