/*
 * test/unit_users.c - -u against a container's /etc/passwd and /etc/group
 * (passwd.c), and capability names and docker's rule (capnames.c), as
 * tables.  Each user_resolve() row is a spec, --group-add words and what
 * comes out, "uid gid [groups] HOME", or the error "what word: reason".
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../minictr.h"

static const char passwd[] =
	"root:x:0:0:root:/root:/bin/sh\n"
	"\n"
	"broken line without colons\n"
	"neg:x:-1:0::/neg:/bin/sh\n"
	"big:x:2147483648:0::/big:/bin/sh\n"
	"alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
	"bob:x:1001:100::/home/bob:/bin/sh\n"
	"1002:x:1003:1003::/numbered:/bin/sh\n"
	"nohome:x:1004:1004\n"
	"alice:x:2000:2000::/second:/bin/sh\n"
	":x:7:7::/noname:/bin/sh\n"
	"last:x:1005:1005::/home/last:/bin/sh";         /* no newline */

static const char group[] =
	"root:x:0:\n"
	"users:x:100:alice\n"
	"alice:x:1000:\n"
	"wheel:x:10:bob,alice\n"
	"audio:x:29:alicex,xalice, alice\n"            /* none is alice */
	"bad:x:notanumber:alice\n"
	"staff:x:50:bob\n"
	"5000:x:5001:\n"
	"last:x:1005:nohome";                            /* no newline */

struct resolve_case {
	const char *spec;
	const char *add[4];
	const char *expect;
};

static const struct resolve_case resolve_cases[] = {
	/* names: the entry's IDs and HOME, groups that list the name */
	{ "alice", { NULL }, "1000 1000 [100 10 1000] /home/alice" },
	{ "bob", { NULL }, "1001 100 [10 50 100] /home/bob" },
	{ "root", { NULL }, "0 0 [0] /root" },
	{ "last", { NULL }, "1005 1005 [1005] /home/last" },
	{ "nohome", { NULL }, "1004 1004 [1005 1004] /" },
	/* numbers: an entry's UID, or an entry's name, or as they are */
	{ "1000", { NULL }, "1000 1000 [100 10 1000] /home/alice" },
	{ "1002", { NULL }, "1003 1003 [1003] /numbered" },
	{ "1003", { NULL }, "1003 1003 [1003] /numbered" },
	{ "4242", { NULL }, "4242 0 [0] /" },
	{ "0", { NULL }, "0 0 [0] /root" },
	/* the first entry of a name wins */
	{ "2000", { NULL }, "2000 2000 [100 10 2000] /second" },
	/* USER:GROUP: no supplementary groups from the file */
	{ "alice:staff", { NULL }, "1000 50 [50] /home/alice" },
	{ "alice:29", { NULL }, "1000 29 [29] /home/alice" },
	{ "alice:777", { NULL }, "1000 777 [777] /home/alice" },
	{ "alice:5000", { NULL }, "1000 5001 [5001] /home/alice" },
	{ "4242:4343", { NULL }, "4242 4343 [4343] /" },
	/* --group-add: names looked up, numbers as they are */
	{ "alice", { "staff", "4242", "0", NULL }, "1000 1000 [100 10 1000 50 4242 0] /home/alice" },
	{ "4242", { "wheel", NULL }, "4242 0 [0 10] /" },
	{ "bob:users", { "audio", NULL }, "1001 100 [100 29] /home/bob" },
	/* a group already there, by name or number: once */
	{ "alice", { "users", "100", "wheel", NULL }, "1000 1000 [100 10 1000] /home/alice" },
	{ "alice:staff", { "4242", "4242", "staff", NULL }, "1000 50 [50 4242] /home/alice" },
	/* no USER (no -u): root as it is, the --group-add groups alone */
	{ NULL, { "audio", "4242", "29", NULL }, "0 0 [29 4242] -" },
	{ NULL, { "users", "ghosts", NULL }, "error: group ghosts: not in the container's /etc/group" },
	{ NULL, { "2147483648", NULL }, "error: group 2147483648: uids and gids must be in range 0-2147483647" },
	/* errors: one word, one reason */
	{ "nobody", { NULL }, "error: user nobody: not in the container's /etc/passwd" },
	{ "neg", { NULL }, "error: user neg: not in the container's /etc/passwd" },
	{ "big", { NULL }, "error: user big: not in the container's /etc/passwd" },
	{ "", { NULL }, "error: user : not in the container's /etc/passwd" },
	{ "alice:nogroup", { NULL }, "error: group nogroup: not in the container's /etc/group" },
	{ "alice:bad", { NULL }, "error: group bad: not in the container's /etc/group" },
	{ "alice", { "wheel", "ghosts", NULL }, "error: group ghosts: not in the container's /etc/group" },
	{ "99999999999", { NULL }, "error: user 99999999999: uids and gids must be in range 0-2147483647" },
	{ "alice", { "2147483648", NULL }, "error: group 2147483648: uids and gids must be in range 0-2147483647" },
};

static void resolve(const struct resolve_case *c, const struct user_files *f,
		    char *out, size_t len)
{
	static unsigned groups[USER_GROUPS_MAX];
	struct user_creds cr = { .groups = groups, .home = "-", .home_len = 1 };
	struct user_error err;
	int nadd = 0, n;

	while (c->add[nadd])
		nadd++;
	if ((c->spec ? user_resolve(c->spec, c->add, nadd, f, &cr, &err) :
	     groups_resolve(c->add, nadd, f, &cr, &err)) < 0) {
		snprintf(out, len, "error: %s %.*s: %s", err.what, err.word_len,
			 err.word, err.reason);
		return;
	}
	n = snprintf(out, len, "%u %u [", cr.uid, cr.gid);
	for (int i = 0; i < cr.ngroups; i++)
		n += snprintf(out + n, len - n, "%s%u", i ? " " : "", cr.groups[i]);
	snprintf(out + n, len - n, "] %.*s", cr.home_len, cr.home);
}

#define NRESOLVE (sizeof resolve_cases / sizeof resolve_cases[0])
static int resolve_rows[NRESOLVE];

ParameterizedTestParameters(user_resolve, table)
{
	for (size_t i = 0; i < NRESOLVE; i++)
		resolve_rows[i] = (int)i;
	return cr_make_param_array(int, resolve_rows, NRESOLVE);
}

ParameterizedTest(int *row, user_resolve, table)
{
	const struct resolve_case *c = &resolve_cases[*row];
	struct user_files f = { passwd, group, sizeof passwd - 1,
				sizeof group - 1 };
	char got[512];

	resolve(c, &f, got, sizeof got);
	cr_expect_str_eq(got, c->expect, "spec \"%s\"", c->spec);
}

/* No files at all (an image without /etc): numbers work, names do not. */
Test(user_resolve, without_files)
{
	struct user_files none = { NULL, NULL, 0, 0 };
	static const struct resolve_case rows[] = {
		{ "1000", { "5", NULL }, "1000 0 [0 5] /" },
		{ "1000:1000", { NULL }, "1000 1000 [1000] /" },
		{ "root", { NULL }, "error: user root: not in the container's /etc/passwd" },
		{ "0:wheel", { NULL }, "error: group wheel: not in the container's /etc/group" },
	};
	char got[256];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		resolve(&rows[i], &none, got, sizeof got);
		cr_expect_str_eq(got, rows[i].expect, "spec \"%s\"", rows[i].spec);
	}
}

/* A file cut anywhere is still read within its length (ASan checks). */
Test(user_resolve, every_prefix)
{
	static const struct resolve_case c = { "alice", { "wheel", NULL }, "" };
	char got[256];

	for (size_t p = 0; p < sizeof passwd; p++)
		for (size_t g = 0; g < sizeof group; g += 7) {
			char *pw = malloc(p ? p : 1), *gr = malloc(g ? g : 1);
			memcpy(pw, passwd, p);
			memcpy(gr, group, g);
			struct user_files f = { pw, gr, p, g };
			resolve(&c, &f, got, sizeof got);
			free(pw);
			free(gr);
		}
}

Test(passwd_line, fields)
{
	struct id_entry e;
	const char *l = "alice:x:1000:100:A:/home/a:/bin/sh";

	cr_assert_eq(passwd_line(l, strlen(l), &e), 0);
	cr_expect_eq(e.name_len, 5);
	cr_expect_eq(e.id, 1000);
	cr_expect_eq(e.gid, 100);
	cr_expect_eq(e.more_len, 7);
	cr_expect_eq(memcmp(e.more, "/home/a", 7), 0);
	l = "a:x:1:2";
	cr_expect_eq(passwd_line(l, strlen(l), &e), 0, "no GECOS, no home");
	cr_expect_eq(e.more_len, 0);
	static const char *const bad[] = { "", "a", "a:x", "a:x:1", ":x:1:1",
		"a:x::1", "a:x:1:", "a:x:+1:1", "a:x:1 :1", "a:x:01234567890:1",
		"a:x:2147483648:0", "a:x:1:4294967295" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_eq(passwd_line(bad[i], strlen(bad[i]), &e), -1,
			     "\"%s\" skipped", bad[i]);
}

Test(group_line, fields)
{
	struct id_entry e;
	const char *l = "wheel:x:10:a,b";

	cr_assert_eq(group_line(l, strlen(l), &e), 0);
	cr_expect_eq(e.name_len, 5);
	cr_expect_eq(e.gid, 10);
	cr_expect_eq(e.more_len, 3);
	l = "wheel:x:10";
	cr_expect_eq(group_line(l, strlen(l), &e), 0, "no member list");
	cr_expect_eq(e.more_len, 0);
	static const char *const bad[] = { "", "wheel", "wheel:x", ":x:1:",
		"wheel:x::", "wheel:x:-1:", "wheel:x:ten:" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_eq(group_line(bad[i], strlen(bad[i]), &e), -1,
			     "\"%s\" skipped", bad[i]);
}

Test(user_id, range)
{
	cr_expect_eq(user_id("0", 1), 0);
	cr_expect_eq(user_id("2147483647", 10), 2147483647LL);
	cr_expect_eq(user_id("2147483648", 10), -1);
	cr_expect_eq(user_id("99999999999", 11), -1);
	cr_expect_eq(user_id("", 0), -1);
	cr_expect_eq(user_id("12a", 3), -1);
	cr_expect_eq(user_id("12a", 2), 12, "only len bytes are read");
}

Test(cap_mask, names)
{
	cr_expect_eq(cap_mask("CAP_CHOWN", 1), 1);
	cr_expect_eq(cap_mask("CHOWN", 1), 0, "config.json: CAP_ needed");
	cr_expect_eq(cap_mask("cap_chown", 1), 0, "config.json: capitals");
	cr_expect_eq(cap_mask("ALL", 1), 0);
	cr_expect_eq(cap_mask("net_admin", 0), 1ULL << 12);
	cr_expect_eq(cap_mask("Cap_Net_Admin", 0), 1ULL << 12);
	cr_expect_eq(cap_mask("CHECKPOINT_RESTORE", 0), 1ULL << 40);
	cr_expect_eq(cap_mask("all", 0), ~0ULL);
	cr_expect_eq(cap_mask("CAP_ALL", 0), 0);
	cr_expect_eq(cap_mask("CAP_", 0), 0);
	cr_expect_eq(cap_mask("", 0), 0);
	cr_expect_str_eq(cap_name(27), "MKNOD");
	cr_expect_null(cap_name(41));
	cr_expect_null(cap_name(-1));
}

Test(cap_tweak, dockers_rule)
{
	unsigned long long base = CAPS_DEFAULT, chown = 1, kill = 1ULL << 5;

	cr_expect_eq(cap_tweak(base, 0, 0, 0), base);
	cr_expect_eq(cap_tweak(base, 0, chown, 0), base & ~chown);
	cr_expect_eq(cap_tweak(base, chown, chown, 0), base, "add wins");
	cr_expect_eq(cap_tweak(base, kill, ~0ULL, 0), kill);
	cr_expect_eq(cap_tweak(base, ~0ULL, chown, 0), CAPS_ALL & ~chown);
	cr_expect_eq(cap_tweak(base, ~0ULL, ~0ULL, 0), CAPS_ALL, "add ALL wins");
	cr_expect_eq(cap_tweak(base, 0, ~0ULL, 1), CAPS_ALL, "privileged");
}
