/* SPDX-License-Identifier: MIT */
/* QMP's JSON (RFC 8259) checked and read without building a tree: QEMU's replies are small. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/hex.h"
#include "protocol/qmp_json.h"

struct cur {
	const char *p, *end;
};

static void skip_ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
		c->p++;
}

static bool take(struct cur *c, char ch)
{
	skip_ws(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

/* A string at c->p ('"' included): 0 with c->p after it, or -EPROTO. */
static int skip_string(struct cur *c)
{
	if (c->p >= c->end || *c->p != '"')
		return -EPROTO;
	for (c->p++; c->p < c->end; c->p++) {
		unsigned char ch = (unsigned char)*c->p;

		if (ch == '"') {
			c->p++;
			return 0;
		}
		if (ch < 0x20)
			return -EPROTO;
		if (ch != '\\')
			continue;
		if (++c->p >= c->end)
			return -EPROTO;
		if (*c->p == 'u') {
			if (c->end - c->p < 5)
				return -EPROTO;
			for (int i = 1; i <= 4; i++)
				if (hex_digit(c->p[i]) < 0)
					return -EPROTO;
			c->p += 4;
		} else if (!strchr("\"\\/bfnrt", *c->p)) {
			return -EPROTO;
		}
	}
	return -EPROTO;
}

static int skip_number(struct cur *c)
{
	const char *s = c->p;

	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p >= c->end || *c->p < '0' || *c->p > '9')
		return -EPROTO;
	while (c->p < c->end && ((*c->p >= '0' && *c->p <= '9') || strchr(".eE+-", *c->p)))
		c->p++;
	return c->p > s ? 0 : -EPROTO;
}

static int skip_word(struct cur *c, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n))
		return -EPROTO;
	c->p += n;
	return 0;
}

static int skip_value(struct cur *c, int depth);

/* An object or array at c->p; @close is '}' or ']'. */
static int skip_container(struct cur *c, int depth, char close)
{
	int ret;

	if (depth >= QMP_JSON_DEPTH_MAX)
		return -EPROTO;
	c->p++;
	if (take(c, close))
		return 0;
	do {
		if (close == '}') {
			skip_ws(c);
			if ((ret = skip_string(c)) || !take(c, ':'))
				return ret ? ret : -EPROTO;
		}
		if ((ret = skip_value(c, depth + 1)))
			return ret;
	} while (take(c, ','));
	return take(c, close) ? 0 : -EPROTO;
}

static int skip_value(struct cur *c, int depth)
{
	skip_ws(c);
	if (c->p >= c->end)
		return -EPROTO;
	switch (*c->p) {
	case '{':
		return skip_container(c, depth, '}');
	case '[':
		return skip_container(c, depth, ']');
	case '"':
		return skip_string(c);
	case 't':
		return skip_word(c, "true");
	case 'f':
		return skip_word(c, "false");
	case 'n':
		return skip_word(c, "null");
	default:
		return skip_number(c);
	}
}

int qmp_json_check(const char *msg, size_t len)
{
	struct cur c = { msg, msg + len };

	skip_ws(&c);
	if (c.p >= c.end || *c.p != '{' || skip_value(&c, 0))
		return -EPROTO;
	skip_ws(&c);
	return c.p == c.end ? 0 : -EPROTO;
}

int qmp_json_member(const char *msg, size_t len, const char *key, struct qmp_json_span *v)
{
	struct cur c = { msg, msg + len };
	size_t klen = strlen(key);

	if (!take(&c, '{'))
		return -EPROTO;
	if (take(&c, '}'))
		return 0;
	do {
		const char *k;
		int ret;

		skip_ws(&c);
		k = c.p;
		if ((ret = skip_string(&c)) || !take(&c, ':'))
			return ret ? ret : -EPROTO;
		skip_ws(&c);
		v->p = c.p;
		if ((ret = skip_value(&c, 1)))
			return ret;
		v->len = (size_t)(c.p - v->p);
		/* QEMU's keys carry no escapes: compare the raw text */
		if (c.p > k && (size_t)(c.p - k) >= klen + 2 && k[klen + 1] == '"' &&
		    !memcmp(k + 1, key, klen))
			return 1;
	} while (take(&c, ','));
	return take(&c, '}') ? 0 : -EPROTO;
}

/* Code point @u as UTF-8 at @o; returns the bytes written. */
static size_t put_utf8(char *o, unsigned long u)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xc0 | (u >> 6));
		o[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		o[0] = (char)(0xe0 | (u >> 12));
		o[1] = (char)(0x80 | ((u >> 6) & 0x3f));
		o[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (u >> 18));
	o[1] = (char)(0x80 | ((u >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((u >> 6) & 0x3f));
	o[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

static unsigned long hex4(const char *p)
{
	return (unsigned long)(hex_digit(p[0]) << 12 | hex_digit(p[1]) << 8 | hex_digit(p[2]) << 4 |
			       hex_digit(p[3]));
}

int qmp_json_string(const struct qmp_json_span *v, char **out)
{
	struct cur c = { v->p, v->p + v->len };
	const char *p, *end;
	char *o;

	if (skip_string(&c) || c.p != c.end)
		return -EPROTO;
	/* no escape grows: \uXXXX (6 bytes) is at most 4, a pair (12) 4 */
	*out = o = malloc(v->len + 1);
	if (!o)
		return -ENOMEM;
	for (p = v->p + 1, end = v->p + v->len - 1; p < end; p++) {
		unsigned long u;

		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			u = hex4(p + 1);
			p += 4;
			/* a surrogate pair is one code point; a lone half becomes U+FFFD */
			if (u >= 0xd800 && u < 0xdc00 && end - p >= 7 && p[1] == '\\' &&
			    p[2] == 'u' && hex_digit(p[3]) >= 0 && hex_digit(p[4]) >= 0 &&
			    hex_digit(p[5]) >= 0 && hex_digit(p[6]) >= 0 && hex4(p + 3) >= 0xdc00 &&
			    hex4(p + 3) < 0xe000) {
				u = 0x10000 + ((u - 0xd800) << 10) + (hex4(p + 3) - 0xdc00);
				p += 6;
			} else if (u >= 0xd800 && u < 0xe000) {
				u = 0xfffd;
			}
			if (!u) {
				/* the result is a C string: a NUL is shown, never cut it short */
				*o++ = '\\';
				*o++ = '0';
			} else {
				o += put_utf8(o, u);
			}
			break;
		default: /* '"', '\\', '/' */
			*o++ = *p;
			break;
		}
	}
	*o = '\0';
	return 0;
}

char *qmp_json_quote(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);
	char *out = malloc(6 * n + 3), *o = out;

	if (!out)
		return NULL;
	*o++ = '"';
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			*o++ = '\\';
			*o++ = (char)ch;
		} else if (ch < 0x20) {
			memcpy(o, "\\u00", 4);
			o[4] = hex[ch >> 4];
			o[5] = hex[ch & 15];
			o += 6;
		} else {
			*o++ = (char)ch;
		}
	}
	*o++ = '"';
	*o = '\0';
	return out;
}
