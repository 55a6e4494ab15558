/*
 * json.c - JSON in and out, for config.json and the state minictr prints:
 * tokens from jsmn, values (strings, integers, booleans) by hand.
 *
 * jsmn (Debian's libjsmn-dev, one header) splits the text into tokens, in
 * document order: an object or array, then its members.  It allocates
 * nothing: it is called twice, once without tokens to count them, then
 * with an array of exactly that many from the heap (a podman config with
 * its seccomp profile has thousands).  JSMN_STRICT: only true, false,
 * null and numbers may be bare.  JSMN_PARENT_LINKS: each token knows its
 * parent, so a closing bracket costs one step per level instead of a
 * walk back over every token (quadratic on a hostile file).  And once
 * parsed, each token's next sibling is computed (skip_index), so that
 * skipping a value, however big, is one step: docker's seccomp profile,
 * a few hundred names in a few dozen arrays, is walked in linear time.
 *
 * jsmn checks the shape only loosely, so what it leaves is checked here:
 * a key must be a string with exactly one value, a bare word must be one
 * of true, false, null or a number, and nothing may follow the document.
 * Strings are unescaped here too (json_string): \uXXXX and surrogate
 * pairs become UTF-8, because Go's encoder, which every container engine
 * uses, writes <, > and & as \u003c, \u003e and \u0026, so `sh -c 'a > b'`
 * arrives escaped; a NUL, which no C string can carry, is refused.
 *
 * Output (json_quote): strings with ", \ and control characters escaped;
 * the rest of what minictr prints is integers, by printf.
 *
 * Pure: text in, tokens or an error out; no printing, no globals.  Every
 * function takes a token index and returns a value or -1.
 * See RFC 8259 (JSON), RFC 3629 (UTF-8), jsmn's README.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "minictr.h"

#define TOK(j, t) (((const jsmntok_t *)(j)->tok)[t])

/* Only whitespace in text[from, len) (no NUL ends the text: no strspn). */
static int blank_after(const char *text, size_t from, size_t len)
{
	for (; from < len; from++)
		if (!strchr(" \t\r\n", text[from]) || !text[from])
			return 0;
	return 1;
}

/* A bare word jsmn let through: true, false, null, or a JSON number. */
static int valid_primitive(const char *s, int len)
{
	int i = 0, digits;

	if ((len == 4 && !memcmp(s, "true", 4)) ||
	    (len == 5 && !memcmp(s, "false", 5)) ||
	    (len == 4 && !memcmp(s, "null", 4)))
		return 1;
	i += i < len && s[i] == '-';
	for (digits = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (!digits || (digits > 1 && s[i - digits] == '0'))
		return 0;       /* no digit, or a leading zero */
	if (i < len && s[i] == '.')
		for (i++, digits = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (!digits)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		i += i < len && (s[i] == '+' || s[i] == '-');
		for (digits = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (!digits)
			return 0;
	}
	return i == len;
}

/* What jsmn does not check: keys, bare words, one value per key. */
static const char *check_tokens(const struct json *j)
{
	for (int t = 0; t < j->n; t++) {
		const jsmntok_t *k = &TOK(j, t);
		int parent = k->parent;

		int key = parent >= 0 && TOK(j, parent).type == JSMN_OBJECT;

		if (k->type == JSMN_PRIMITIVE &&
		    !valid_primitive(j->text + k->start, k->end - k->start))
			return "a bare word that is not true, false, null or a "
			       "number";
		if (key && (k->type != JSMN_STRING || k->size != 1))
			return "an object member that is not \"key\": value";
		if (!key && (k->type == JSMN_STRING ||
			     k->type == JSMN_PRIMITIVE) && k->size != 0)
			return "a value followed by ':'";
	}
	return NULL;
}

/*
 * j->next[t]: the token after t and everything inside it (j->n after the
 * last).  Tokens are in document order, so that is the first token that
 * starts after t ends.  One pass keeps the tokens still open (a container
 * whose end is not reached yet) on a stack; token t closes every one that
 * ends before t starts, and each is t's.  The stack is threaded through
 * next[] itself (an open token's next[] holds the open one below it), so
 * no depth, however hostile, needs more room: each token is pushed and
 * popped once, O(n).
 */
static void skip_index(struct json *j)
{
	int top = -1, below;

	for (int t = 0; t <= j->n; t++) {
		while (top >= 0 &&
		       (t == j->n || TOK(j, top).end <= TOK(j, t).start)) {
			below = j->next[top];
			j->next[top] = t;
			top = below;
		}
		if (t < j->n) {
			j->next[t] = top;       /* pushed */
			top = t;
		}
	}
}

/* Parse len bytes of text (not NUL-terminated) into j; NULL, or why not.
 * j->tok: json_free() releases it. */
/*
 * Deeper than JSON_DEPTH brackets?  jsmn closes a bracket by walking up
 * from the last token to the first one still open, one step per level
 * already closed: n nested arrays cost n*n/2 steps, and 200,000 of them
 * (400 KB) ran for minutes.  The callers' files nest 6 deep (a seccomp
 * rule's argument); Go's encoder stops at 10,000.  Brackets inside
 * strings do not count.
 */
#define JSON_DEPTH 64

static int too_deep(const char *text, size_t len)
{
	int depth = 0, in_string = 0;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_string) {
			i += c == '\\';       /* the escaped character is skipped */
			in_string = c != '"';
		} else if (c == '"') {
			in_string = 1;
		} else if ((c == '[' || c == '{') && ++depth > JSON_DEPTH) {
			return 1;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
}

const char *json_parse(const char *text, size_t len, struct json *j)
{
	jsmn_parser p;
	int n;

	*j = (struct json){ .text = text, .len = len };
	if (memchr(text, '\0', len))
		return "a NUL byte in the file";
	if (too_deep(text, len))
		return "nested more than 64 deep";
	jsmn_init(&p);
	n = jsmn_parse(&p, text, len, NULL, 0);
	if (n <= 0)
		return n == 0 ? "empty" : n == JSMN_ERROR_PART ? "truncated" :
		       "not JSON (a bad character or escape)";
	/* mmap(2), not malloc: json_free() gives them back with munmap(2),
	 * and no free() in the binary keeps musl's small malloc (5 KiB) */
	j->size = (size_t)n * (sizeof(jsmntok_t) + sizeof(int));   /* + next */
	j->tok = mmap(NULL, j->size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (j->tok == MAP_FAILED) {
		j->tok = NULL;
		return "out of memory";
	}
	jsmn_init(&p);
	n = jsmn_parse(&p, text, len, j->tok, (unsigned)n);
	if (n <= 0)
		return n == 0 || n == JSMN_ERROR_PART ? "truncated" :
		       "not JSON (a bad character, escape or bracket)";
	j->n = n;
	j->next = (int *)((jsmntok_t *)j->tok + n);
	skip_index(j);
	if (TOK(j, 0).type != JSMN_OBJECT)
		return "not a JSON object";
	if (!blank_after(text, (size_t)TOK(j, 0).end, len))
		return "more after the object";
	return check_tokens(j);
}

void json_free(struct json *j)
{
	if (j->tok)
		munmap(j->tok, j->size);
	j->tok = NULL;
	j->next = NULL;
	j->n = 0;
}

int json_type(const struct json *j, int t)
{
	return t >= 0 && t < j->n ? (int)TOK(j, t).type : JSON_NONE;
}

/* Members of an object (pairs) or elements of an array. */
int json_size(const struct json *j, int t)
{
	return t >= 0 && t < j->n ? TOK(j, t).size : 0;
}

/* The token after t and everything inside it (after an object's key:
 * its value), j->n after the last: computed once by skip_index(). */
int json_next(const struct json *j, int t)
{
	return t >= 0 && t < j->n ? j->next[t] : j->n;
}

/* The value of key in the object obj, or -1.  A key given twice: the
 * last one, as Go's encoding/json decides (the callers' language). */
int json_get(const struct json *j, int obj, const char *key)
{
	size_t len = strlen(key);
	int t = obj + 1, found = -1;

	if (json_type(j, obj) != JSON_OBJECT)
		return -1;
	for (int i = 0; i < TOK(j, obj).size; i++, t = json_next(j, t + 1)) {
		const jsmntok_t *k = &TOK(j, t);
		if ((size_t)(k->end - k->start) == len &&
		    !memcmp(j->text + k->start, key, len))
			found = t + 1;
	}
	return found;
}

/* The i-th element of an array (or, for an object, the i-th key). */
int json_at(const struct json *j, int arr, int i)
{
	int t = arr + 1;

	while (i-- > 0)
		t = json_next(j, json_type(j, arr) == JSON_OBJECT ? t + 1 : t);
	return t;
}

/* The raw text of a token: a string's is between its quotes. */
const char *json_raw(const struct json *j, int t, int *len)
{
	*len = TOK(j, t).end - TOK(j, t).start;
	return j->text + TOK(j, t).start;
}

/* Four hex digits at s, or -1. */
static long hex4(const char *s)
{
	long v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Code point cp as UTF-8 at out; the number of bytes. */
static int utf8(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* "\uXXXX" at s[*i] (the backslash), a surrogate pair taking two of them:
 * the code point, *i moved past it; -1 if bad. */
static long unicode_escape(const char *s, int len, int *i)
{
	long hi, lo;

	if (*i + 6 > len || (hi = hex4(s + *i + 2)) < 0)
		return -1;
	*i += 6;
	if (hi < 0xd800 || hi > 0xdfff)
		return hi;
	if (hi > 0xdbff || *i + 6 > len || s[*i] != '\\' || s[*i + 1] != 'u')
		return -1;      /* a low half alone, or a high half alone */
	lo = hex4(s + *i + 2);
	if (lo < 0xdc00 || lo > 0xdfff)
		return -1;
	*i += 6;
	return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

/*
 * Unescape the len bytes of a string's body into out (room for len + 1:
 * no escape is shorter than what it stands for).  The length, or -1 for
 * a bad escape, a control character, or a NUL (\u0000).
 */
int json_unescape(const char *s, int len, char *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	int n = 0;

	for (int i = 0; i < len;) {
		const char *e;
		long cp;

		if ((unsigned char)s[i] < 0x20)
			return -1;
		if (s[i] != '\\') {
			out[n++] = s[i++];
			continue;
		}
		if (i + 1 < len && s[i + 1] != 'u' &&
		    (e = memchr(from, s[i + 1], sizeof from - 1))) {
			out[n++] = to[e - from];
			i += 2;
			continue;
		}
		cp = unicode_escape(s, len, &i);
		if (cp <= 0)
			return -1;      /* bad, or a NUL */
		n += utf8((unsigned long)cp, out + n);
	}
	out[n] = '\0';
	return n;
}

/* A string token as a new C string (malloc), or NULL if t is no string
 * or holds a bad escape or a NUL. */
char *json_string(const struct json *j, int t)
{
	int len;
	const char *raw;
	char *s;

	if (json_type(j, t) != JSON_STRING)
		return NULL;
	raw = json_raw(j, t, &len);
	s = malloc((size_t)len + 1);
	if (s && json_unescape(raw, len, s) < 0)
		return NULL;    /* not freed: see json_parse() */
	return s;
}

/* An integer token in [min, max]: 0, or -1 (not an integer, or out). */
int json_int(const struct json *j, int t, long long min, long long max,
	     long long *out)
{
	int len, neg;
	const char *s;
	unsigned long long v = 0, limit;
	long long value;

	if (json_type(j, t) != JSON_PRIMITIVE)
		return -1;
	s = json_raw(j, t, &len);
	neg = s[0] == '-';
	limit = neg ? 1ULL << 63 : (1ULL << 63) - 1;
	if (len == neg)
		return -1;
	for (int i = neg; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (d > 9 || v > (limit - d) / 10)
			return -1;      /* a fraction, an exponent, too big */
		v = v * 10 + d;
	}
	value = neg ? (long long)(0 - v) : (long long)v;
	if (value < min || value > max)
		return -1;
	*out = value;
	return 0;
}

/* true or false: 1 or 0; anything else -1. */
int json_bool(const struct json *j, int t)
{
	int len;
	const char *s;

	if (json_type(j, t) != JSON_PRIMITIVE)
		return -1;
	s = json_raw(j, t, &len);
	if (len == 4 && !memcmp(s, "true", 4))
		return 1;
	if (len == 5 && !memcmp(s, "false", 5))
		return 0;
	return -1;
}

/* One byte of json_quote()'s output, if it fits. */
static void put(char *out, size_t len, size_t *n, char c)
{
	if (*n + 1 < len)
		out[*n] = c;
	(*n)++;
}

/*
 * s as a JSON string, quotes included, into out (len bytes, always
 * NUL-terminated); returns the length it needs, as snprintf does.
 * ", \ and control characters are escaped; other bytes go as they are.
 */
size_t json_quote(const char *s, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	put(out, len, &n, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c < 0x20)
			put(out, len, &n, '\\');
		if (c < 0x20) {
			put(out, len, &n, 'u');
			put(out, len, &n, '0');
			put(out, len, &n, '0');
			put(out, len, &n, hex[c >> 4]);
			c = (unsigned char)hex[c & 15];
		}
		put(out, len, &n, (char)c);
	}
	put(out, len, &n, '"');
	if (len)
		out[n < len ? n : len - 1] = '\0';
	return n;
}
