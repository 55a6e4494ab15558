/*
 * test/unit_env.c - the container's environment (env.c), as a table.
 *
 * Each row: the words after "run" and a fixed host environment, then the
 * exact environment the container must get, entries joined by spaces.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "../minictr.h"

struct env_case {
	const char *argv[12];
	const char *expect;
};

static char *host_env[] = {
	"TERM=screen", "HOME=/home/me", "SECRET=1", "EMPTY=", "PATH=/host",
	NULL,
};

#define BASE "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOSTNAME=box"

static struct env_case cases[] = {
	/* the clean default: nothing of the host leaks in */
	{ { "sh", NULL }, BASE " HOME=/root" },
	/* -t adds TERM, copied from the host */
	{ { "-t", "sh", NULL }, BASE " TERM=screen HOME=/root" },
	/* -e sets, in order, after the defaults */
	{ { "-e", "A=1", "-e", "B=2", "sh", NULL }, BASE " HOME=/root A=1 B=2" },
	{ { "-e", "A=", "sh", NULL }, BASE " HOME=/root A=" },
	{ { "-e", "A=x=y", "sh", NULL }, BASE " HOME=/root A=x=y" },
	/* the last -e for a name wins, in the first one's place */
	{ { "-e", "A=1", "-e", "B=2", "-e", "A=3", "sh", NULL },
	  BASE " HOME=/root A=3 B=2" },
	/* -e overrides a default */
	{ { "-e", "PATH=/x", "sh", NULL },
	  "PATH=/x HOSTNAME=box HOME=/root" },
	{ { "-t", "-e", "TERM=vt100", "sh", NULL }, BASE " TERM=vt100 HOME=/root" },
	{ { "-e", "HOSTNAME=other", "sh", NULL },
	  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOSTNAME=other HOME=/root" },
	/* -e NAME copies from the host, or is left out when unset there */
	{ { "-e", "SECRET", "sh", NULL }, BASE " HOME=/root SECRET=1" },
	{ { "-e", "EMPTY", "sh", NULL }, BASE " HOME=/root EMPTY=" },
	{ { "-e", "NOPE", "sh", NULL }, BASE " HOME=/root" },
	{ { "-e", "HOME", "sh", NULL }, BASE " HOME=/home/me" },
	{ { "-e", "SEC", "sh", NULL }, BASE " HOME=/root" },
	{ { "-e", "A=1", "-e", "NOPE", "-e", "A=2", "sh", NULL }, BASE " HOME=/root A=2" },
	/* names are exact: case matters, prefixes do not match */
	{ { "-e", "a=1", "-e", "A=2", "sh", NULL }, BASE " HOME=/root a=1 A=2" },
	{ { "-e", "AB=1", "-e", "A=2", "sh", NULL }, BASE " HOME=/root AB=1 A=2" },
};

/*
 * Each row runs as its own test.  The parameter is the row's index, not
 * the row: criterion may run a test in a fresh process, where pointers
 * into our static table would not point at the same place.
 */
#define NCASES (sizeof cases / sizeof cases[0])
static int rows[NCASES];

ParameterizedTestParameters(env_build, table)
{
	for (size_t i = 0; i < NCASES; i++)
		rows[i] = (int)i;
	return cr_make_param_array(int, rows, NCASES);
}

/* Run env_build() on a row's words; got is the result, joined by spaces. */
static void build(const struct env_case *c, int keep_term, char got[1024])
{
	const char *env[12], *out[32];
	struct env_entry work[32];
	struct run_opts o = { .env = env };
	struct parse_error err;
	int argc = 0, n;

	while (c->argv[argc])
		argc++;
	cr_assert_eq(parse_run(argc, (char *const *)c->argv, &o, &err), PARSE_OK);
	cr_assert_leq(env_size(&o), 32);
	n = env_build(&o, host_env, "HOSTNAME=box", "HOME=/root", keep_term,
		      work, out);
	cr_assert_null(out[n]);
	cr_assert_leq(n + 1, env_size(&o));
	got[0] = '\0';
	for (int i = 0; i < n; i++) {
		strcat(got, i ? " " : "");
		strcat(got, out[i]);
	}
}

ParameterizedTest(int *row, env_build, table)
{
	char got[1024];

	build(&cases[*row], 1, got);
	cr_expect_str_eq(got, cases[*row].expect);
}

/* The container's root has no terminfo entry for the host's TERM: docker's
 * xterm instead, and -e still wins (-e TERM copies the host's, as asked). */
static struct env_case unknown_term[] = {
	{ { "-t", "sh", NULL }, BASE " TERM=xterm HOME=/root" },
	{ { "-t", "-e", "TERM=vt100", "sh", NULL }, BASE " TERM=vt100 HOME=/root" },
	{ { "-t", "-e", "TERM", "sh", NULL }, BASE " TERM=screen HOME=/root" },
	{ { "sh", NULL }, BASE " HOME=/root" },
};

Test(env_build, unknown_term)
{
	char got[1024];

	for (size_t r = 0; r < sizeof unknown_term / sizeof unknown_term[0]; r++) {
		build(&unknown_term[r], 0, got);
		cr_expect_str_eq(got, unknown_term[r].expect, "row %zu", r);
	}
}

/* No host environment at all (env -i): only the defaults. */
Test(env_build, empty_host)
{
	const char *env[4], *out[8];
	struct env_entry work[8];
	char *argv[] = { "-t", "-e", "X", "sh", NULL };
	char *none[] = { NULL };
	struct run_opts o = { .env = env };
	struct parse_error err;

	parse_run(4, argv, &o, &err);
	cr_assert_eq(env_build(&o, none, "HOSTNAME=h", "HOME=/root", 1, work, out), 4);
	cr_expect_str_eq(out[2], "TERM=xterm");
}

/* env_resolve(): an entry as the container gets it, and as run.json
 * records it for exec: KEY=VALUE as it is, KEY the host's, or nothing. */
Test(env_resolve, entries)
{
	cr_expect_str_eq(env_resolve("A=1", host_env), "A=1");
	cr_expect_str_eq(env_resolve("A=", host_env), "A=");
	cr_expect_str_eq(env_resolve("SECRET", host_env), "SECRET=1");
	cr_expect_str_eq(env_resolve("EMPTY", host_env), "EMPTY=");
	cr_expect_null(env_resolve("SECRE", host_env));    /* a prefix: no */
	cr_expect_null(env_resolve("NOPE", host_env));
	cr_expect_str_eq(env_resolve("SECRET=2", host_env), "SECRET=2");
}

/*
 * --env-file: env_file_parse() on a file's bytes.  Each row: the bytes
 * (with their length, so a NUL can be in them) and the entries joined by
 * '|', or "error LINE: reason".
 */
struct env_file_case {
	const char *bytes;
	size_t len;
	const char *expect;
};
#define ROW(s, expect) { s, sizeof s - 1, expect }

static struct env_file_case file_cases[] = {
	ROW("", ""),
	ROW("\n\n\n", ""),
	ROW("A=1\nB=2\n", "A=1|B=2"),
	ROW("A=1\nB=2", "A=1|B=2"),             /* no newline at the end */
	/* comments and blank lines, leading blanks skipped */
	ROW("# a comment\n\n   \n\t# indented\nA=1\n", "A=1"),
	ROW("  A=1\n\tB=2\n", "A=1|B=2"),
	/* the value is kept exactly: quotes, #, spaces, '=', $ */
	ROW("A=\"x y\"\n", "A=\"x y\""),
	ROW("A='x'\n", "A='x'"),
	ROW("A=x # not a comment\n", "A=x # not a comment"),
	ROW("A= x \n", "A= x "),
	ROW("A=b=c\n", "A=b=c"),
	ROW("A=$HOME\n", "A=$HOME"),
	ROW("A=\n", "A="),
	/* KEY alone: kept as is, env_build() copies or drops it */
	ROW("SECRET\nNOPE\n", "SECRET|NOPE"),
	/* CRLF lines and a byte-order mark, as docker */
	ROW("A=1\r\nB=2\r\n", "A=1|B=2"),
	ROW("\xef\xbb\xbf" "A=1\n", "A=1"),
	ROW("A=1\r\r\n", "A=1\r"),             /* only the last CR goes */
	/* what is not a variable, with its line */
	ROW("=1\n", "error 1: no variable name before '='"),
	ROW("A=1\n\n  =x\n", "error 3: no variable name before '='"),
	ROW("A B=1\n", "error 1: a space or tab in the variable name"),
	ROW("A\t=1\n", "error 1: a space or tab in the variable name"),
	ROW("A \n", "error 1: a space or tab in the variable name"),
	ROW("A=1\nB=\0x\n", "error 2: a NUL byte in the line"),
	ROW("\0\n", "error 1: a NUL byte in the line"),
	ROW("# \0 in a comment\nA=1", "A=1"),
};

#define NFILE_CASES (sizeof file_cases / sizeof file_cases[0])
static int file_rows[NFILE_CASES];

ParameterizedTestParameters(env_file_parse, table)
{
	for (size_t i = 0; i < NFILE_CASES; i++)
		file_rows[i] = (int)i;
	return cr_make_param_array(int, file_rows, NFILE_CASES);
}

ParameterizedTest(int *row, env_file_parse, table)
{
	const struct env_file_case *c = &file_cases[*row];
	char buf[128], got[256] = "";
	const char *out[16];
	struct env_file_error err;
	int n;

	memcpy(buf, c->bytes, c->len);
	cr_assert_leq(env_file_lines(buf, c->len), 16);
	n = env_file_parse(buf, c->len, out, &err);
	if (n < 0)
		snprintf(got, sizeof got, "error %d: %s", err.line, err.reason);
	for (int i = 0; i < n; i++) {
		strcat(got, i ? "|" : "");
		strcat(got, out[i]);
	}
	cr_expect_str_eq(got, c->expect);
}

/* The lines counted are room enough: one entry per line at most. */
Test(env_file_parse, lines_bound_entries)
{
	char buf[] = "A=1\nB=2\nC";
	const char *out[3];
	struct env_file_error err;

	cr_expect_eq(env_file_lines(buf, 9), 3);
	cr_expect_eq(env_file_lines(buf, 0), 1);
	cr_expect_eq(env_file_parse(buf, 9, out, &err), 3);
}

/* Where the terminfo entry of a TERM may be: every place, in order. */
Test(terminfo_path, places)
{
	const char *want[] = {
		"/etc/terminfo/x/xterm-kitty", "/etc/terminfo/78/xterm-kitty",
		"/lib/terminfo/x/xterm-kitty", "/lib/terminfo/78/xterm-kitty",
		"/usr/share/terminfo/x/xterm-kitty",
		"/usr/share/terminfo/78/xterm-kitty",
		"/usr/lib/terminfo/x/xterm-kitty",
		"/usr/lib/terminfo/78/xterm-kitty",
	};
	char buf[128];
	int i;

	for (i = 0; terminfo_path("xterm-kitty", i, buf, sizeof buf) == 0; i++) {
		cr_assert_lt(i, 8);
		cr_expect_str_eq(buf, want[i]);
	}
	cr_expect_eq(i, 8);
	cr_expect_eq(terminfo_path("xterm", -1, buf, sizeof buf), -1);
}

/* The hex spelling is of the byte, unsigned: "\xe9t" is e9/, not -17. */
Test(terminfo_path, hex_of_a_high_byte)
{
	char buf[64];

	cr_assert_eq(terminfo_path("\xe9t", 1, buf, sizeof buf), 0);
	cr_expect_str_eq(buf, "/etc/terminfo/e9/\xe9t");
}

/* Names that are not names: no place at all, so never found. */
Test(terminfo_path, refused)
{
	const char *bad[] = { "", ".", "..", "../../bin/sh", "a/b", "/x" };
	char buf[128];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_eq(terminfo_path(bad[i], 0, buf, sizeof buf), -1,
			     "%s", bad[i]);
}

/* A place longer than buf is refused, not cut. */
Test(terminfo_path, too_long)
{
	char buf[20];

	cr_expect_eq(terminfo_path("xterm-256color", 0, buf, sizeof buf), -1);
}
