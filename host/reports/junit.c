/* SPDX-License-Identifier: MIT */
/* JUnit XML report; every byte of guest output is escaped here. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/atomic_file.h"
#include "reports/junit.h"

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

size_t text_utf8_len(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode, XML's non-characters */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

int xml_write_escaped(FILE *f, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	while (i < len) {
		const char *esc = NULL;
		size_t n = 1;

		switch (s[i]) {
		case '&':
			esc = "&amp;";
			break;
		case '<':
			esc = "&lt;";
			break;
		case '>':
			esc = "&gt;";
			break;
		case '"':
			esc = "&quot;";
			break;
		case '\'':
			esc = "&apos;";
			break;
		case '\t':
		case '\n':
		case '\r':
			break;
		default:
			if (s[i] < 0x20 || s[i] == 0x7f)
				esc = replacement;
			else if (s[i] >= 0x80) {
				n = text_utf8_len(s + i, len - i);
				if (!n) {
					n = 1;
					esc = replacement;
				}
			}
		}
		if (!esc) {
			run += n;
			i += n;
			continue;
		}
		if (run && fwrite(s + i - run, 1, run, f) != run)
			return -EIO;
		run = 0;
		if (fputs(esc, f) == EOF)
			return -EIO;
		i += n;
	}
	if (run && fwrite(s + i - run, 1, run, f) != run)
		return -EIO;
	return 0;
}

static int esc(FILE *f, const char *s)
{
	return s ? xml_write_escaped(f, s, strlen(s)) : 0;
}

/* "suite.case" -> classname "suite", name "case" (no dot: both the whole name). */
static void split_name(const char *full, char *suite, size_t n, const char **cs)
{
	const char *dot = strchr(full, '.');
	size_t l = dot ? (size_t)(dot - full) : strlen(full);

	if (l >= n)
		l = n - 1;
	memcpy(suite, full, l);
	suite[l] = '\0';
	*cs = dot ? dot + 1 : full;
}

static const char *failure_message(const struct test_rec *r)
{
	switch (r->state) {
	case TEST_CRASH:
		return "crashed: exception in the guest";
	case TEST_TIMEOUT:
		return "timed out";
	case TEST_LOST:
		return "no result: the boot ended while it ran";
	case TEST_PENDING:
		return "not run";
	default:
		return "failed";
	}
}

/*
 * The attempts before the last, as Maven Surefire writes reruns (and Jenkins
 * and GitLab read them): flaky* when the test passed in the end, rerun*
 * when every attempt failed.
 */
static int write_earlier(FILE *f, const struct test_rec *r)
{
	bool passed = r->state == TEST_PASS || r->state == TEST_SKIP;
	int ret = 0;

	for (size_t i = 0; i < r->n_earlier; i++) {
		const struct test_attempt *a = &r->earlier[i];
		const char *el = a->state == TEST_FAIL ? passed ? "flakyFailure" : "rerunFailure"
				 : passed	       ? "flakyError"
						       : "rerunError";

		fprintf(f, "      <%s type=\"%s\" message=\"", el, test_state_name(a->state));
		ret |= esc(f, a->reason ? a->reason : test_state_name(a->state));
		fprintf(f, "\">attempt %zu of %zu: %s after %.3f s</%s>\n", i + 1, r->n_earlier + 1,
			test_state_name(a->state), a->secs, el);
	}
	return ret;
}

/* Each line of @text (may be NULL) escaped, between @before and @after. */
static int write_lines(FILE *f, const char *before, const char *text, const char *after)
{
	int ret = 0;

	while (text) {
		const char *nl = strchr(text, '\n');

		fputs(before, f);
		ret |= xml_write_escaped(f, text, nl ? (size_t)(nl - text) : strlen(text));
		fputs(after, f);
		text = nl ? nl + 1 : NULL;
	}
	return ret;
}

static int write_case(FILE *f, const struct test_rec *r, const char *suite, const char *cs,
		      bool no_file)
{
	int ret = 0;

	fprintf(f, "    <testcase classname=\"");
	ret |= esc(f, suite);
	fprintf(f, "\" name=\"");
	ret |= esc(f, cs);
	if (r->file && !no_file) {
		fprintf(f, "\" file=\"");
		ret |= esc(f, r->file);
	}
	fprintf(f, "\" time=\"%.3f\">\n", r->secs);
	if (r->state == TEST_SKIP) {
		fprintf(f, "      <skipped message=\"");
		ret |= esc(f, r->reason);
		fprintf(f, "\"/>\n");
	} else if (r->state != TEST_PASS) {
		const char *el = r->state == TEST_FAIL ? "failure" : "error";

		fprintf(f, "      <%s type=\"%s\" message=\"", el, test_state_name(r->state));
		ret |= esc(f, r->reason ? r->reason : failure_message(r));
		fprintf(f, "\">");
		if (r->failures)
			ret |= esc(f, r->failures);
		else
			ret |= esc(f, failure_message(r));
		if (r->crash_report) {
			fputc('\n', f);
			ret |= esc(f, r->crash_report);
		} else {
			ret |= write_lines(f, "\nexception:", r->exception, "");
			ret |= write_lines(f, "\nbacktrace:", r->backtrace, "");
		}
		fprintf(f, "</%s>\n", el);
	}
	ret |= write_earlier(f, r);
	/* a crash's own lines are classified apart from its log: put them back */
	if (r->log_len || r->flaky || r->exception || r->backtrace) {
		fprintf(f, "      <system-out>");
		if (r->flaky)
			fprintf(f, "flaky: passed on attempt %u\n", r->attempts);
		if (r->log)
			ret |= xml_write_escaped(f, r->log, r->log_len);
		if (r->log_truncated)
			fprintf(f, "[log truncated at %d bytes]\n", TEST_LOG_MAX);
		ret |= write_lines(f, "# exception:", r->exception, "\n");
		ret |= write_lines(f, "# backtrace:", r->backtrace, "\n");
		fprintf(f, "</system-out>\n");
	}
	fprintf(f, "    </testcase>\n");
	return ret ? -EIO : 0;
}

struct case_counts {
	size_t tests, fails, errs, skips;
	double secs;
};

/* JUnit's split: <failure> for a failed assertion, <error> for everything else. */
static void count_case(struct case_counts *c, const struct test_rec *r)
{
	c->tests++;
	c->secs += r->secs;
	c->fails += r->state == TEST_FAIL;
	c->errs += (test_failed(r) && r->state != TEST_FAIL) || r->state == TEST_PENDING;
	c->skips += r->state == TEST_SKIP;
}

int junit_write(FILE *f, const struct test_set *t, const struct junit_run *run)
{
	struct case_counts all = { 0 };
	char stamp[32];
	struct tm tm;
	bool *done;
	int ret = 0;

	/* the schemas' xs:dateTime without a zone: UTC, said in the docs */
	if (!gmtime_r(&run->started, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm))
		return -EINVAL;
	for (size_t i = 0; i < t->n; i++)
		count_case(&all, &t->v[i]);
	done = calloc(t->n ? t->n : 1, sizeof(*done));
	if (!done)
		return -ENOMEM;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"");
	ret |= esc(f, run->name);
	/* no skipped= here: the Jenkins xunit plugin's schema rejects it on <testsuites> */
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n", all.tests,
		all.fails, all.errs, run->secs);
	/* group by suite, in order of first appearance */
	for (size_t i = 0; i < t->n; i++) {
		char suite[128], s2[128];
		const char *cs;
		struct case_counts c = { 0 };

		if (done[i])
			continue;
		split_name(t->v[i].name, suite, sizeof(suite), &cs);
		for (size_t j = i; j < t->n; j++) {
			const struct test_rec *r = &t->v[j];

			split_name(r->name, s2, sizeof(s2), &cs);
			if (strcmp(suite, s2))
				continue;
			count_case(&c, r);
		}
		fprintf(f, "  <testsuite name=\"");
		ret |= esc(f, suite);
		fprintf(f,
			"\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\" "
			"timestamp=\"%s\"",
			c.tests, c.fails, c.errs, c.skips, c.secs, stamp);
		if (run->hostname) {
			fprintf(f, " hostname=\"");
			ret |= esc(f, run->hostname);
			fprintf(f, "\"");
		}
		fprintf(f, ">\n");
		for (size_t j = i; j < t->n; j++) {
			split_name(t->v[j].name, s2, sizeof(s2), &cs);
			if (strcmp(suite, s2))
				continue;
			done[j] = true;
			ret |= write_case(f, &t->v[j], suite, cs, run->no_case_file);
		}
		fprintf(f, "  </testsuite>\n");
	}
	fprintf(f, "</testsuites>\n");
	free(done);
	if (ret || ferror(f))
		return -EIO;
	return 0;
}

struct junit_args {
	const struct test_set *t;
	const struct junit_run *run;
};

static int write_junit(FILE *f, const void *ctx)
{
	const struct junit_args *a = ctx;

	return junit_write(f, a->t, a->run);
}

int junit_write_file(const char *path, const struct test_set *t, const struct junit_run *run)
{
	struct junit_args a = { t, run };

	return atomic_file_write(path, write_junit, &a);
}
