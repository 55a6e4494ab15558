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

ParameterizedTest(int *row, env_build, table)
{
	const struct env_case *c = &cases[*row];
	const char *env[12], *out[32];
	struct env_entry work[32];
	struct run_opts o = { .env = env };
	struct parse_error err;
	char got[1024] = "";
	int argc = 0, n;

	while (c->argv[argc])
		argc++;
	cr_assert_eq(parse_run(argc, (char *const *)c->argv, &o, &err), PARSE_OK);
	cr_assert_leq(env_size(&o), 32);
	n = env_build(&o, host_env, "HOSTNAME=box", work, out);
	cr_assert_null(out[n]);
	cr_assert_leq(n + 1, env_size(&o));
	for (int i = 0; i < n; i++) {
		strcat(got, i ? " " : "");
		strcat(got, out[i]);
	}
	cr_expect_str_eq(got, c->expect);
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
	cr_assert_eq(env_build(&o, none, "HOSTNAME=h", work, out), 4);
	cr_expect_str_eq(out[2], "TERM=xterm");
}
