/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * json_read: a small strict JSON reader (RFC 8259) for `compare`, which
 * reads back what lib/report_json.c writes.  Numbers keep their text, so
 * that 64-bit counts are read exactly.  Every value knows its line.
 */
#ifndef WB_JSON_READ_H
#define WB_JSON_READ_H

#include <stddef.h>

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING,
    JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;
	size_t line;
	char *text;		/* NUMBER: its text; STRING: unescaped */
	char *key;		/* a member of an OBJECT: its name */
	struct json *child;	/* ARRAY, OBJECT: the first element */
	struct json *next;	/* the next element of the parent */
};

/*
 * json_parse parses s[0..len) into *out.  Returns 0, or -1 with the line
 * in *line and the problem in why (errno ENOMEM gives "out of memory").
 * Nesting deeper than 64 is refused.
 */
int json_parse(const char *s, size_t len, struct json **out, size_t *line,
    char *why, size_t whylen);
void json_free(struct json *j);

/* json_get: the member key of object o, or NULL. */
const struct json *json_get(const struct json *o, const char *key);

#endif
