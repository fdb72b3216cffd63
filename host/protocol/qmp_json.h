/* SPDX-License-Identifier: MIT */
/*
 * The JSON of QMP (QEMU's machine protocol), as little as a client needs:
 * one message checked whole, its top-level members found, strings decoded.
 */
#ifndef HOST_PROTOCOL_QMP_JSON_H
#define HOST_PROTOCOL_QMP_JSON_H

#include <stddef.h>

/* Nesting deeper than this is refused: QEMU's replies go 4 or 5 deep. */
#define QMP_JSON_DEPTH_MAX 32

/* A span of the message: a member's value as its JSON text. */
struct qmp_json_span {
	const char *p;
	size_t len;
};

/*
 * Is @msg (@len bytes) exactly one JSON object, whitespace around it
 * allowed? 0, or -EPROTO for anything else (the caller's garbage check).
 */
int qmp_json_check(const char *msg, size_t len);
/*
 * The value of top-level member @key of the object @msg (checked with
 * qmp_json_check first): 1 with *@v set, 0 when absent, -EPROTO.
 */
int qmp_json_member(const char *msg, size_t len, const char *key, struct qmp_json_span *v);
/*
 * The JSON string @v decoded (escapes, \uXXXX as UTF-8; a \u0000 becomes
 * "\\0") into a malloc'd NUL-terminated copy: 0, -EPROTO when @v is not a
 * string, -ENOMEM.
 */
int qmp_json_string(const struct qmp_json_span *v, char **out);
/* @s as a JSON string (quotes included), malloc'd; NULL when out of memory. */
char *qmp_json_quote(const char *s);

#endif
