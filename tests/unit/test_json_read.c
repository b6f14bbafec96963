/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* json_read: values, escapes, numbers kept as text, the line of each
 * value, and refusals with their line. */
#include <string.h>

#include "json_read.h"
#include "tap.h"

static int
bad(const char *s, size_t want_line, const char *want)
{
	struct json *j;
	size_t line = 0;
	char why[128] = "";
	int rc = json_parse(s, strlen(s), &j, &line, why, sizeof(why));

	return rc == -1 && j == NULL && line == want_line && strstr(why, want) != NULL;
}

int
main(void)
{
	const char *doc = "{\"a\": [1, -2.5e3, 18446744073709551615],\n"
	    " \"s\": \"x\\\"\\\\\\n\\u00e9\\ud83d\\ude00\",\n \"t\": true, \"n\": null}";
	struct json *j;
	size_t line;
	char why[128];

	ok(json_parse(doc, strlen(doc), &j, &line, why, sizeof(why)) == 0,
	    "a document parses: %s", why);
	const struct json *a = json_get(j, "a");
	ok(a && a->type == JSON_ARRAY && a->line == 1, "an array on line 1");
	ok(a && strcmp(a->child->text, "1") == 0 &&
	    strcmp(a->child->next->text, "-2.5e3") == 0 &&
	    strcmp(a->child->next->next->text, "18446744073709551615") == 0,
	    "numbers keep their text, 2^64-1 exactly");
	const struct json *s = json_get(j, "s");
	ok(s && s->line == 2 && strcmp(s->text, "x\"\\\n\xc3\xa9\xf0\x9f\x98\x80") == 0,
	    "escapes, \\u00e9 and a surrogate pair in UTF-8, line 2");
	ok(json_get(j, "t")->type == JSON_TRUE && json_get(j, "n")->type == JSON_NULL &&
	    json_get(j, "missing") == NULL, "true, null, a missing key");
	json_free(j);

	ok(bad("{\"a\": 1,\n\"b\": ", 2, "truncated"), "truncated on line 2");
	ok(bad("{\"a\" 1}", 1, "expected ':'"), "no colon");
	ok(bad("[1 2]", 1, "expected ',' or ']'"), "no comma");
	ok(bad("{\"a\": 01}", 1, "a bad number"), "a leading zero");
	ok(bad("{\"a\": \"x", 1, "no closing quote"), "an open string");
	ok(bad("{\"a\": \"\\q\"}", 1, "bad escape"), "a bad escape");
	ok(bad("{\"a\": \"\\u12g4\"}", 1, "bad \\u escape"), "a bad \\u escape");
	ok(bad("{} x", 1, "more after the document"), "trailing bytes");
	ok(bad("\n\n{\"a\": tru}", 3, "expected a value"), "a bad literal on line 3");
	char deep[200];
	memset(deep, '[', 100);
	deep[100] = '\0';
	ok(bad(deep, 1, "nested deeper than 64"), "nesting over 64 refused");
	return tap_done();
}
