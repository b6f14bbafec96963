/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "json_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *s, *end;
	size_t line;
	char *why;
	size_t whylen;
	int depth;
};

static int
fail(struct parser *p, const char *what)
{
	snprintf(p->why, p->whylen, "%s", what);
	return -1;
}

static void
ws(struct parser *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' ||
	    *p->s == '\n' || *p->s == '\r')) {
		if (*p->s == '\n')
			p->line++;
		p->s++;
	}
}

static struct json *
node(struct parser *p, enum json_type t)
{
	struct json *j = calloc(1, sizeof(*j));

	if (j != NULL) {
		j->type = t;
		j->line = p->line;
	}
	return j;
}

/* utf8 appends code point c to out. */
static size_t
utf8(unsigned c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static int
hex4(struct parser *p, unsigned *c)
{
	*c = 0;
	if (p->end - p->s < 4)
		return fail(p, "a truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		char h = *p->s++;
		unsigned d;
		if (h >= '0' && h <= '9')
			d = (unsigned)(h - '0');
		else if (h >= 'a' && h <= 'f')
			d = (unsigned)(h - 'a' + 10);
		else if (h >= 'A' && h <= 'F')
			d = (unsigned)(h - 'A' + 10);
		else
			return fail(p, "a bad \\u escape");
		*c = *c << 4 | d;
	}
	return 0;
}

/* string: p->s at the opening quote; the unescaped text in *out. */
static int
string(struct parser *p, char **out)
{
	const char *q = ++p->s;
	size_t n = 0;
	char *o;

	while (q < p->end && *q != '"') {
		if (*q == '\\' && q + 1 < p->end)
			q++;
		q++;
		n++;
	}
	if (q >= p->end)
		return fail(p, "a string with no closing quote: truncated");
	/* Escapes never grow: \uXXXX (6 bytes) gives at most 3, a pair
	 * (12) 4. */
	if ((o = malloc((size_t)(q - p->s) + 1)) == NULL)
		return fail(p, "out of memory");
	n = 0;
	while (*p->s != '"') {
		unsigned char ch = (unsigned char)*p->s++;
		if (ch < 0x20) {
			free(o);
			return fail(p, "a control character in a string");
		}
		if (ch != '\\') {
			o[n++] = (char)ch;
			continue;
		}
		unsigned c;
		switch (*p->s++) {
		case '"': o[n++] = '"'; break;
		case '\\': o[n++] = '\\'; break;
		case '/': o[n++] = '/'; break;
		case 'b': o[n++] = '\b'; break;
		case 'f': o[n++] = '\f'; break;
		case 'n': o[n++] = '\n'; break;
		case 'r': o[n++] = '\r'; break;
		case 't': o[n++] = '\t'; break;
		case 'u':
			if (hex4(p, &c) != 0) {
				free(o);
				return -1;
			}
			if (c >= 0xd800 && c < 0xdc00 && p->end - p->s >= 6 &&
			    p->s[0] == '\\' && p->s[1] == 'u') {
				unsigned lo;
				p->s += 2;
				if (hex4(p, &lo) != 0) {
					free(o);
					return -1;
				}
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			}
			n += utf8(c, o + n);
			break;
		default:
			free(o);
			return fail(p, "a bad escape in a string");
		}
	}
	p->s++;
	o[n] = '\0';
	*out = o;
	return 0;
}

static int value(struct parser *p, struct json **out);

static int
members(struct parser *p, struct json *j, char close)
{
	struct json **tail = &j->child;

	p->s++;
	ws(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		struct json *v = NULL;
		ws(p);
		if (close == '}') {
			if (p->s >= p->end || *p->s != '"')
				return fail(p, p->s >= p->end ? "truncated" :
				    "expected a member name");
			if (string(p, &key) != 0)
				return -1;
			ws(p);
			if (p->s >= p->end || *p->s != ':') {
				free(key);
				return fail(p, "expected ':'");
			}
			p->s++;
		}
		if (value(p, &v) != 0) {
			free(key);
			json_free(v);
			return -1;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		ws(p);
		if (p->s >= p->end)
			return fail(p, "truncated");
		if (*p->s == close) {
			p->s++;
			return 0;
		}
		if (*p->s != ',')
			return fail(p, close == '}' ? "expected ',' or '}'" :
			    "expected ',' or ']'");
		p->s++;
	}
}

static int
value(struct parser *p, struct json **out)
{
	struct json *j;
	int e = 0;

	ws(p);
	if (p->s >= p->end)
		return fail(p, "truncated");
	if (++p->depth > 64)
		return fail(p, "nested deeper than 64");
	switch (*p->s) {
	case '{':
	case '[':
		if ((j = node(p, *p->s == '{' ? JSON_OBJECT : JSON_ARRAY)) == NULL)
			return fail(p, "out of memory");
		*out = j;
		e = members(p, j, *p->s == '{' ? '}' : ']');
		break;
	case '"':
		if ((j = node(p, JSON_STRING)) == NULL)
			return fail(p, "out of memory");
		*out = j;
		e = string(p, &j->text);
		break;
	default: {
		static const struct { const char *w; enum json_type t; } lit[] = {
			{ "null", JSON_NULL }, { "true", JSON_TRUE },
			{ "false", JSON_FALSE },
		};
		for (size_t i = 0; i < 3; i++) {
			size_t n = strlen(lit[i].w);
			if ((size_t)(p->end - p->s) >= n &&
			    memcmp(p->s, lit[i].w, n) == 0) {
				if ((j = node(p, lit[i].t)) == NULL)
					return fail(p, "out of memory");
				p->s += n;
				*out = j;
				p->depth--;
				return 0;
			}
		}
		/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
		const char *q = p->s;
		if (q < p->end && *q == '-')
			q++;
		const char *digits = q;
		while (q < p->end && *q >= '0' && *q <= '9')
			q++;
		if (q == digits)
			return fail(p, "expected a value");
		if (*digits == '0' && q - digits > 1)
			return fail(p, "a bad number");
		if (q < p->end && *q == '.') {
			const char *f = ++q;
			while (q < p->end && *q >= '0' && *q <= '9')
				q++;
			if (q == f)
				return fail(p, "a bad number");
		}
		if (q < p->end && (*q == 'e' || *q == 'E')) {
			q++;
			if (q < p->end && (*q == '+' || *q == '-'))
				q++;
			const char *x = q;
			while (q < p->end && *q >= '0' && *q <= '9')
				q++;
			if (q == x)
				return fail(p, "a bad number");
		}
		if ((j = node(p, JSON_NUMBER)) == NULL ||
		    (j->text = strndup(p->s, (size_t)(q - p->s))) == NULL) {
			free(j);
			return fail(p, "out of memory");
		}
		p->s = q;
		*out = j;
	}
	}
	p->depth--;
	return e;
}

int
json_parse(const char *s, size_t len, struct json **out, size_t *line,
    char *why, size_t whylen)
{
	struct parser p = { s, s + len, 1, why, whylen, 0 };
	struct json *j = NULL;

	*out = NULL;
	if (value(&p, &j) == 0) {
		ws(&p);
		if (p.s == p.end) {
			*out = j;
			return 0;
		}
		fail(&p, "more after the document");
	}
	*line = p.line;
	json_free(j);
	return -1;
}

void
json_free(struct json *j)
{
	while (j != NULL) {
		struct json *next = j->next;
		json_free(j->child);
		free(j->text);
		free(j->key);
		free(j);
		j = next;
	}
}

const struct json *
json_get(const struct json *o, const char *key)
{
	if (o == NULL || o->type != JSON_OBJECT)
		return NULL;
	for (const struct json *c = o->child; c != NULL; c = c->next)
		if (c->key != NULL && strcmp(c->key, key) == 0)
			return c;
	return NULL;
}
