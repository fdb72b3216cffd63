/* SPDX-License-Identifier: MIT */
/* JSON Lines of a run's test records, written for dashboards and read back for reruns. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <testrunner/protocol.h>

#include "reports/atomic_file.h"
#include "reports/json_file.h"
#include "reports/junit.h"

/* The longest line a record of ours can be read back from: reasons are short. */
#define JSON_LINE_MAX  (16 * 1024)
#define JSON_NAMES_MAX 100000

/* A JSON string; untrusted bytes escaped, invalid UTF-8 as U+FFFD. */
static void json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str);

	fputc('"', f);
	for (size_t i = 0; i < len;) {
		size_t n = 1;

		if (s[i] == '"' || s[i] == '\\')
			fprintf(f, "\\%c", s[i]);
		else if (s[i] < 0x20 || s[i] == 0x7f)
			fprintf(f, "\\u%04x", s[i]);
		else if (s[i] < 0x80)
			fputc(s[i], f);
		else if ((n = text_utf8_len(s + i, len - i)))
			fwrite(s + i, 1, n, f);
		else {
			fputs("\\ufffd", f);
			n = 1;
		}
		i += n;
	}
	fputc('"', f);
}

int json_write(FILE *f, const struct test_set *t, const char *logs_dir)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct test_rec *r = &t->v[i];

		fputs("{\"name\":", f);
		json_string(f, r->name);
		fputs(",\"status\":", f);
		json_string(f, test_state_name(r->state));
		fprintf(f, ",\"time\":%.3f,\"reason\":", r->secs);
		if (r->reason)
			json_string(f, r->reason);
		else
			fputs("null", f);
		fputs(",\"log\":", f);
		if (logs_dir && r->boot) {
			char log[PATH_MAX];

			snprintf(log, sizeof(log), "%s/boot-%u.serial.log", logs_dir, r->boot);
			json_string(f, log);
		} else {
			fputs("null", f);
		}
		fprintf(f, ",\"tries\":%zu}\n", r->n_earlier + (r->state != TEST_PENDING));
	}
	return ferror(f) ? -EIO : 0;
}

struct json_args {
	const struct test_set *t;
	const char *logs_dir;
};

static int write_json(FILE *f, const void *ctx)
{
	const struct json_args *a = ctx;

	return json_write(f, a->t, a->logs_dir);
}

int json_write_file(const char *path, const struct test_set *t, const char *logs_dir)
{
	struct json_args a = { t, logs_dir };

	return atomic_file_write(path, write_json, &a);
}

/* ---- reading a record back --------------------------------------------- */

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/*
 * A string at *@p into @out (ASCII kept, anything else as '?', cut at
 * @cap - 1): enough for names and statuses, which are ASCII. False if it
 * is not a JSON string.
 */
static bool read_string(const char **p, char *out, size_t cap)
{
	const char *s = *p;
	size_t n = 0;

	if (*s++ != '"')
		return false;
	for (; *s && *s != '"'; s++) {
		char c = *s;

		if (c == '\\') {
			s++;
			if (*s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
						return false;
				c = '?';
				s += 4;
			} else if (*s && strchr("\"\\/bfnrt", *s)) {
				c = *s == '"' || *s == '\\' || *s == '/' ? *s : ' ';
			} else {
				return false;
			}
		} else if ((unsigned char)c < 0x20) {
			return false;
		} else if ((unsigned char)c >= 0x80) {
			c = '?';
		}
		if (n + 1 < cap)
			out[n++] = c;
	}
	if (*s != '"')
		return false;
	out[n] = '\0';
	*p = s + 1;
	return true;
}

/* A number, null, true or false: skipped. */
static bool skip_scalar(const char **p)
{
	const char *s = *p;

	if (!strncmp(s, "null", 4) || !strncmp(s, "true", 4))
		s += 4;
	else if (!strncmp(s, "false", 5))
		s += 5;
	else
		while (*s && strchr("+-.0123456789eE", *s))
			s++;
	if (s == *p)
		return false;
	*p = s;
	return true;
}

/* One record: its name and status. NULL, or why it is not a record. */
static const char *read_record(const char *line, char *name, size_t ncap, char *status, size_t scap)
{
	char key[32], scratch[64];
	const char *p = ws(line);

	name[0] = status[0] = '\0';
	if (*p++ != '{')
		return "expected '{'";
	for (p = ws(p); *p != '}';) {
		char *to = scratch;
		size_t cap = sizeof(scratch);

		if (!read_string(&p, key, sizeof(key)))
			return "expected a key";
		p = ws(p);
		if (*p++ != ':')
			return "expected ':'";
		p = ws(p);
		if (!strcmp(key, "name"))
			to = name, cap = ncap;
		else if (!strcmp(key, "status"))
			to = status, cap = scap;
		if (*p == '"' ? !read_string(&p, to, cap) : !skip_scalar(&p))
			return "bad value";
		p = ws(p);
		if (*p == ',')
			p = ws(p + 1);
		else if (*p != '}')
			return "expected ',' or '}'";
	}
	if (*ws(p + 1))
		return "text after the record";
	if (!name[0] || !status[0])
		return "no name or status";
	if (!proto_test_name_valid(name, strlen(name)))
		return "name is not a test name";
	return NULL;
}

void json_names_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

static bool failed_status(const char *s)
{
	return strcmp(s, "PASS") && strcmp(s, "SKIP");
}

long json_read_failed(const char *path, char ***names, char *err, size_t errlen)
{
	char *line = NULL, name[PROTO_REQUEST_MAX], status[16];
	FILE *f = fopen(path, "r");
	char **v = NULL;
	size_t n = 0, cap = 0;
	long ret = 0, lineno = 0;

	*names = NULL;
	if (!f)
		ret = -errno;
	else if (!(line = malloc(JSON_LINE_MAX)))
		ret = -ENOMEM;
	if (ret) {
		snprintf(err, errlen, "%s", strerror((int)-ret));
		goto out;
	}
	while (fgets(line, JSON_LINE_MAX, f)) {
		size_t len = strlen(line);
		const char *why;

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f)) {
			snprintf(err, errlen, "line %ld: longer than %d bytes", lineno,
				 JSON_LINE_MAX);
			ret = -EINVAL;
			goto out;
		}
		if (!*ws(line))
			continue;
		why = read_record(line, name, sizeof(name), status, sizeof(status));
		if (why) {
			snprintf(err, errlen, "line %ld: not a --json record: %s", lineno, why);
			ret = -EINVAL;
			goto out;
		}
		if (!failed_status(status))
			continue;
		if (n == cap) {
			char **nv;

			cap = cap ? cap * 2 : 16;
			nv = cap <= JSON_NAMES_MAX ? realloc(v, cap * sizeof(*nv)) : NULL;
			if (!nv) {
				ret = -ENOMEM;
				snprintf(err, errlen, "line %ld: too many records", lineno);
				goto out;
			}
			v = nv;
		}
		v[n] = strdup(name);
		if (!v[n]) {
			ret = -ENOMEM;
			snprintf(err, errlen, "%s", strerror(ENOMEM));
			goto out;
		}
		n++;
	}
	if (ferror(f)) {
		ret = -EIO;
		snprintf(err, errlen, "%s", strerror(EIO));
	}
out:
	if (f)
		fclose(f);
	free(line);
	if (ret) {
		json_names_free(v, n);
		return ret;
	}
	*names = v;
	return (long)n;
}
