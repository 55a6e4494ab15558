/*
 * test/unit_subid.c - /etc/subuid lines and a passwd name, as tables.
 *
 * subid_range() must pick the range newuidmap(1) will accept: the first
 * line that names the user, by name or by number, with sane numbers.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>

#include "../minictr.h"

struct subid_case {
	const char *text;
	const char *name;       /* NULL: by number only */
	unsigned long id;
	const char *expect;     /* "START:COUNT" or "none" */
};

static struct subid_case cases[] = {
	{ "rlx:100000:65536\n", "rlx", 1001, "100000:65536" },
	{ "1001:100000:65536\n", "rlx", 1001, "100000:65536" },
	{ "1001:100000:65536", NULL, 1001, "100000:65536" },    /* no \n */
	{ "alice:1:2\nrlx:100000:65536\n", "rlx", 1001, "100000:65536" },
	/* the first line that names the user wins, as in newuidmap */
	{ "rlx:5:6\nrlx:100000:65536\n", "rlx", 1001, "5:6" },
	/* a prefix of the name is not the name */
	{ "rl:100000:65536\nrlxx:1:1\n", "rlx", 1001, "none" },
	{ "10011:100000:65536\n", NULL, 1001, "none" },
	/* malformed lines are skipped, the next one counts */
	{ "rlx:abc:65536\nrlx:7:8\n", "rlx", 1001, "7:8" },
	{ "rlx:100000\nrlx:1:0\nrlx:1:2x\n", "rlx", 1001, "none" },
	{ "# rlx:1:2\n\nrlx:3:4\n", "rlx", 1001, "3:4" },
	/* the range must fit in 32 bits */
	{ "rlx:4294967295:2\n", "rlx", 1001, "none" },
	{ "rlx:4294901760:65536\n", "rlx", 1001, "4294901760:65536" },
	{ "rlx:99999999999:1\n", "rlx", 1001, "none" },
	{ "", "rlx", 1001, "none" },
	{ "root:300000:65536\n", "root", 0, "300000:65536" },
	{ "0:300000:65536\n", NULL, 0, "300000:65536" },
};

#define NCASES (sizeof cases / sizeof cases[0])
static int rows[NCASES];

ParameterizedTestParameters(subid_range, table)
{
	for (size_t i = 0; i < NCASES; i++)
		rows[i] = (int)i;
	return cr_make_param_array(int, rows, NCASES);
}

ParameterizedTest(int *row, subid_range, table)
{
	const struct subid_case *c = &cases[*row];
	unsigned long start = 0, count = 0;
	char got[64] = "none";

	if (subid_range(c->text, c->name, c->id, &start, &count) == 0)
		snprintf(got, sizeof got, "%lu:%lu", start, count);
	cr_expect_str_eq(got, c->expect, "row %d", *row);
}

Test(passwd_name, finds_the_uid)
{
	const char *pw = "root:x:0:0:root:/root:/bin/sh\n"
			 "rlx:x:1001:1001::/home/rlx:/bin/sh\n"
			 "bad line\n"
			 "long:x:1002:1002::/:/bin/sh\n";
	char name[8];

	cr_expect_eq(passwd_name(pw, 1001, name, sizeof name), 0);
	cr_expect_str_eq(name, "rlx");
	cr_expect_eq(passwd_name(pw, 0, name, sizeof name), 0);
	cr_expect_str_eq(name, "root");
	cr_expect_eq(passwd_name(pw, 100, name, sizeof name), -1);
	cr_expect_eq(passwd_name(pw, 1002, name, 4), -1);    /* too long */
	cr_expect_eq(passwd_name("a:x:10\nb:x:1:", 1, name, sizeof name), 0);
	cr_expect_str_eq(name, "b");
}
