/*
 * test/unit_json.c - json.c: what jsmn's tokens become, what is refused,
 * how strings are unescaped (Go's \u003c, surrogate pairs, NUL) and
 * quoted back.  Rows of tables, as the other unit tests.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../minictr.h"

static const char *parse(const char *text, struct json *j)
{
	return json_parse(text, strlen(text), j);
}

Test(json_parse, refuses_what_jsmn_lets_through)
{
	static const struct { const char *text, *why; } rows[] = {
		{ "", "empty" },
		{ "{", "truncated" },
		{ "{\"a\":", "truncated" },
		{ "{\"a\":\"b", "truncated" },
		{ "[1]", "not a JSON object" },
		{ "{} {}", "more after the object" },
		{ "{\"a\" \"b\"}", "an object member that is not \"key\": value" },
		{ "{\"a\":1 \"b\":2}", "an object member that is not \"key\": value" },
		{ "{\"a\":tru}", "a bare word that is not true, false, null or a number" },
		{ "{\"a\":01}", "a bare word that is not true, false, null or a number" },
		{ "{\"a\":1.}", "a bare word that is not true, false, null or a number" },
		{ "{\"a\":-}", "a bare word that is not true, false, null or a number" },
		{ "{\"a\":[\"b\":1]}", "a value followed by ':'" },
		{ "{1:2}", "not JSON (a bad character, escape or bracket)" },
		{ "{\"a\":\"\\x\"}", "not JSON (a bad character or escape)" },
		{ "{\"a\":[}", "not JSON (a bad character, escape or bracket)" },
	};
	struct json j;

	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		const char *why = parse(rows[i].text, &j);
		cr_expect(why && strcmp(why, rows[i].why) == 0,
			  "%s: got %s", rows[i].text, why ? why : "(ok)");
		json_free(&j);
	}
	cr_expect_str_eq(json_parse("{}\0", 3, &j), "a NUL byte in the file");
	/* only len bytes are read: what follows is not the text (the
	 * fuzzer's first finding, a strspn past the end) */
	cr_expect_null(json_parse("{} x", 3, &j));
	json_free(&j);
}

Test(json_parse, walks_objects_and_arrays)
{
	struct json j;
	long long v;
	int a;

	cr_assert_null(parse(" {\"a\": {\"x\": [1, 2]}, \"b\": [true, "
			     "\"s\", -12, 1.5e3, null]} \n", &j));
	a = json_get(&j, 0, "b");
	cr_expect_eq(json_type(&j, a), JSON_ARRAY);
	cr_expect_eq(json_size(&j, a), 5);
	cr_expect_eq(json_bool(&j, json_at(&j, a, 0)), 1);
	cr_expect_str_eq(json_string(&j, json_at(&j, a, 1)), "s");
	cr_expect_eq(json_int(&j, json_at(&j, a, 2), -100, 100, &v), 0);
	cr_expect_eq(v, -12);
	cr_expect_eq(json_int(&j, json_at(&j, a, 3), 0, 1 << 30, &v), -1);
	cr_expect_eq(json_int(&j, json_at(&j, a, 2), 0, 100, &v), -1);
	cr_expect_eq(json_get(&j, 0, "x"), -1, "only the object's own keys");
	cr_expect_eq(json_size(&j, json_get(&j, json_get(&j, 0, "a"), "x")), 2);
	json_free(&j);
}

/* json_next by its definition: the first token that starts after t
 * ends (a string's raw text is between its quotes, as its token). */
static int next_by_scan(const struct json *j, int t)
{
	int len, ulen;
	const char *end = json_raw(j, t, &len) + len;

	for (t++; t < j->n && json_raw(j, t, &ulen) < end; t++)
		;
	return t;
}

Test(json_next, skips_a_value_in_one_step)
{
	static const struct { const char *text; int t, next; } rows[] = {
		/* a key: its value; a value: past all of it */
		{ "{\"a\":[[[[[]]]]],\"b\":1}", 1, 2 },
		{ "{\"a\":[[[[[]]]]],\"b\":1}", 2, 7 },
		{ "{\"a\":[[[[[]]]]],\"b\":1}", 6, 7 },
		/* the last member: past the end of every container it closes */
		{ "{\"a\":1,\"b\":{\"c\":[1,2]}}", 4, 9 },
		{ "{\"a\":1,\"b\":{\"c\":[1,2]}}", 8, 9 },
		{ "{\"a\":1,\"b\":{\"c\":[1,2]}}", 0, 9 },
		/* empty containers and strings have nothing inside */
		{ "{\"a\":{},\"b\":[],\"c\":\"\"}", 2, 3 },
		{ "{\"a\":{},\"b\":[],\"c\":\"\"}", 4, 5 },
		{ "{\"a\":{},\"b\":[],\"c\":\"\"}", 6, 7 },
		{ "{}", 0, 1 },
		/* out of range: the end */
		{ "{\"a\":1}", -1, 3 },
		{ "{\"a\":1}", 3, 3 },
	};
	struct json j;

	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		cr_assert_null(parse(rows[i].text, &j), "%s", rows[i].text);
		cr_expect_eq(json_next(&j, rows[i].t), rows[i].next,
			     "%s: %d", rows[i].text, rows[i].t);
		for (int t = 0; t < j.n; t++)
			cr_expect_eq(json_next(&j, t), next_by_scan(&j, t),
				     "%s: %d", rows[i].text, t);
		json_free(&j);
	}
}

Test(json_next, deep_nesting_and_the_members_after_it)
{
	enum { DEPTH = 63 };    /* with the object around it: the limit, 64 */
	char *text = malloc(2 * DEPTH + 32);
	struct json j;
	int n = sprintf(text, "{\"a\":");

	memset(text + n, '[', DEPTH);
	memset(text + n + DEPTH, ']', DEPTH);
	strcpy(text + n + 2 * DEPTH, ",\"b\":[{},2]}");
	cr_assert_null(parse(text, &j));
	cr_expect_eq(json_next(&j, 2), DEPTH + 2, "past every level");
	cr_expect_eq(json_next(&j, DEPTH + 1), DEPTH + 2, "the innermost");
	cr_expect_eq(json_get(&j, 0, "b"), DEPTH + 3);
	cr_expect_eq(json_at(&j, DEPTH + 3, 1), DEPTH + 5);
	cr_expect_eq(json_next(&j, DEPTH + 3), j.n);
	json_free(&j);
	free(text);
}

/* jsmn closes brackets in time quadratic in the depth: 64 is the limit */
Test(json_parse, depth_bounded_brackets_in_strings_free)
{
	enum { DEEP = 200000 };
	char *text = malloc(2 * DEEP + 32);
	struct json j;
	int n = sprintf(text, "{\"a\":");

	memset(text + n, '[', DEEP);
	memset(text + n + DEEP, ']', DEEP);
	strcpy(text + n + 2 * DEEP, "}");
	cr_expect_str_eq(parse(text, &j), "nested more than 64 deep");
	json_free(&j);
	free(text);
	cr_expect_str_eq(parse("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", &j), "nested more than 64 deep",
			 "the object and 64 arrays: one level too many");
	json_free(&j);
	cr_expect_null(parse("{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[\"}", &j),
		       "brackets in a string, and an escaped quote");
	json_free(&j);
}

Test(json_int, bounds_and_overflow)
{
	static const struct { const char *text; int ok; long long v; } rows[] = {
		{ "{\"n\":9223372036854775807}", 1, 9223372036854775807LL },
		{ "{\"n\":9223372036854775808}", 0, 0 },
		{ "{\"n\":99999999999999999999}", 0, 0 },
		{ "{\"n\":-9223372036854775807}", 1, -9223372036854775807LL },
		{ "{\"n\":1e3}", 0, 0 },
		{ "{\"n\":\"1\"}", 0, 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct json j;
		long long v = 0;
		cr_assert_null(parse(rows[i].text, &j));
		int rc = json_int(&j, json_get(&j, 0, "n"), -(1LL << 62) * 2,
				  0x7fffffffffffffffLL, &v);
		cr_expect_eq(rc == 0, rows[i].ok, "%s", rows[i].text);
		if (rows[i].ok)
			cr_expect_eq(v, rows[i].v, "%s", rows[i].text);
		json_free(&j);
	}
}

Test(json_unescape, escapes_to_utf8)
{
	static const struct { const char *in, *out; } rows[] = {
		{ "plain", "plain" },
		{ "a \\u003e b \\u0026\\u003c", "a > b &<" },
		{ "\\\"\\\\\\/\\b\\f\\n\\r\\t", "\"\\/\b\f\n\r\t" },
		{ "\\u00e9\\u20ac", "\xc3\xa9\xe2\x82\xac" },
		{ "\\ud83d\\ude00", "\xf0\x9f\x98\x80" },       /* U+1F600 */
		{ "\\u2028", "\xe2\x80\xa8" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },               /* raw UTF-8 */
	};
	static const char *const bad[] = {
		"\\u0000", "a\\u0000b", "\\ud83d", "\\ud83dx", "\\ude00",
		"\\ud83d\\u0041", "\\u12", "\\u12g4", "\\", "\\x", "tab\there",
	};
	char out[64];

	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		int n = json_unescape(rows[i].in, (int)strlen(rows[i].in), out);
		cr_expect_eq(n, (int)strlen(rows[i].out), "%s", rows[i].in);
		cr_expect_str_eq(out, rows[i].out, "%s", rows[i].in);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_expect_eq(json_unescape(bad[i], (int)strlen(bad[i]), out), -1,
			     "%s", bad[i]);
}

Test(json_quote, escapes_and_truncates_like_snprintf)
{
	static const struct { const char *in, *out; } rows[] = {
		{ "", "\"\"" },
		{ "id-1", "\"id-1\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "l1\nl2\x1b", "\"l1\\u000al2\\u001b\"" },
		{ "\xc3\xa9", "\"\xc3\xa9\"" },
	};
	char out[64], small[4];

	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		size_t n = json_quote(rows[i].in, out, sizeof out);
		cr_expect_str_eq(out, rows[i].out);
		cr_expect_eq(n, strlen(rows[i].out));
	}
	cr_expect_eq(json_quote("abcdef", small, sizeof small), 8);
	cr_expect_str_eq(small, "\"ab");
}
