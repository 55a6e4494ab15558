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
	n = env_build(&o, host_env, "HOSTNAME=box", keep_term, work, out);
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
	cr_assert_eq(env_build(&o, none, "HOSTNAME=h", 1, work, out), 4);
	cr_expect_str_eq(out[2], "TERM=xterm");
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
