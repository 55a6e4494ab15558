/*
 * test/unit_boot.c - the pure parts of `boot` and --restart, as tables:
 * restart_parse() and restart_next() (restart.c), boot_args() and
 * boot_words() (bootconf.c).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../minictr.h"

#define N(a) (sizeof a / sizeof a[0])

Test(restart, parse)
{
	static const struct { const char *in, *expect; } c[] = {
		{ "no", "no 0" }, { "always", "always 0" },
		{ "unless-stopped", "always 0" }, { "on-failure", "on-failure 0" },
		{ "on-failure:1", "on-failure 1" }, { "on-failure:2", "on-failure 2" },
		{ "on-failure:2147483647", "on-failure 2147483647" },
		{ "on-failure:2147483648", "error" }, { "on-failure:0", "error" },
		{ "on-failure:", "error" }, { "on-failure:-1", "error" },
		{ "on-failure:x", "error" }, { "on-failure:1 ", "error" },
		{ "", "error" }, { "No", "error" }, { "yes", "error" },
		{ "always:2", "error" }, { "on-failure2", "error" },
	};
	static const char *names[] = { "no", "on-failure", "always" };

	for (size_t i = 0; i < N(c); i++) {
		struct restart_policy p = { RESTART_ALWAYS, 9 };
		char got[48];

		if (restart_parse(c[i].in, &p))
			snprintf(got, sizeof got, "error");
		else
			snprintf(got, sizeof got, "%s %d", names[p.when], p.max);
		cr_expect_str_eq(got, c[i].expect, "input \"%s\"", c[i].in);
	}
}

/* A run of exits: status, never_ran, stopped, ran_ms, and the delays. */
struct exit_row {
	int status, never_ran, stopped;
	long long ran_ms;
	long delay;
};

static void check_exits(const char *policy, const struct exit_row *e, size_t n)
{
	struct restart_policy p;
	struct restart_state r = { 0 };

	cr_assert_null(restart_parse(policy, &p));
	for (size_t i = 0; i < n; i++)
		cr_expect_eq(restart_next(&p, &r, e[i].status, e[i].never_ran,
					  e[i].stopped, e[i].ran_ms), e[i].delay,
			     "%s, exit %zu", policy, i);
}

Test(restart, next)
{
	static const struct exit_row no[] = { { 1, 0, 0, 5, -1 } };
	/* on-failure:2: three runs, 100 then 200 ms */
	static const struct exit_row two[] = {
		{ 3, 0, 0, 5, 100 }, { 3, 0, 0, 5, 200 }, { 3, 0, 0, 5, -1 },
	};
	static const struct exit_row success[] = { { 0, 0, 0, 5, -1 } };
	static const struct exit_row killed[] = { { 137, 0, 0, 5, 100 } };
	/* doubling up to a minute; ten healthy seconds start it over */
	static const struct exit_row always[] = {
		{ 0, 0, 0, 5, 100 }, { 1, 0, 0, 5, 200 }, { 0, 0, 0, 5, 400 },
		{ 0, 0, 0, 9999, 800 }, { 0, 0, 0, 10000, 100 },
		{ 0, 0, 0, 5, 200 },
	};
	static const struct exit_row cap[] = {
		{ 1, 0, 0, 0, 100 }, { 1, 0, 0, 0, 200 }, { 1, 0, 0, 0, 400 },
		{ 1, 0, 0, 0, 800 }, { 1, 0, 0, 0, 1600 }, { 1, 0, 0, 0, 3200 },
		{ 1, 0, 0, 0, 6400 }, { 1, 0, 0, 0, 12800 }, { 1, 0, 0, 0, 25600 },
		{ 1, 0, 0, 0, 51200 }, { 1, 0, 0, 0, 60000 }, { 1, 0, 0, 0, 60000 },
	};
	/* never again after a stop, or when it never ran */
	static const struct exit_row stopped[] = { { 143, 0, 1, 5, -1 } };
	static const struct exit_row never[] = { { 127, 1, 0, 5, -1 } };

	check_exits("no", no, N(no));
	check_exits("on-failure:2", two, N(two));
	check_exits("on-failure", success, N(success));
	check_exits("on-failure", killed, N(killed));
	check_exits("always", always, N(always));
	check_exits("on-failure", cap, N(cap));
	check_exits("always", stopped, N(stopped));
	check_exits("unless-stopped", never, N(never));
}

/* boot_args() on argv, then described: "host cfg dry run=[...]". */
static void describe_args(const char *const *argv, struct boot_opts *b,
			  char *out, size_t len)
{
	int argc = 0, n;

	while (argv[argc])
		argc++;
	if (boot_args(argc, (char *const *)argv, b) < 0) {
		snprintf(out, len, "error: %s: %s", b->error,
			 b->word ? b->word : "-");
		return;
	}
	n = snprintf(out, len, "host=%s config=%s dry=%d run=",
		     b->hostname ? b->hostname : "-",
		     b->config ? b->config : "-", b->dry_run);
	if (!b->run) {
		snprintf(out + n, len - n, "none");
		return;
	}
	n += snprintf(out + n, len - n, "[");
	for (int i = 0; i < b->nrun; i++)
		n += snprintf(out + n, len - n, "%s%s", i ? "," : "", b->run[i]);
	snprintf(out + n, len - n, "]");
}

Test(boot, args)
{
	static const struct { const char *argv[10], *expect; } c[] = {
		{ { NULL }, "host=- config=- dry=0 run=none" },
		{ { "run", "sh", NULL }, "host=- config=- dry=0 run=[sh]" },
		{ { "run", NULL }, "host=- config=- dry=0 run=[]" },
		{ { "--", "run", "-m", "9m", "sh", NULL },
		  "host=- config=- dry=0 run=[-m,9m,sh]" },
		{ { "--hostname", "web", "run", "sh", NULL },
		  "host=web config=- dry=0 run=[sh]" },
		{ { "--hostname=web", "--dry-run", NULL },
		  "host=web config=- dry=1 run=none" },
		{ { "--config", "/c", "--config=/d", NULL },
		  "host=- config=/d dry=0 run=none" },
		{ { "run", "--hostname", "x", NULL },
		  "host=- config=- dry=0 run=[--hostname,x]" },
		{ { "--hostname", NULL }, "error: needs a value: --hostname" },
		{ { "--hostname", "-bad", NULL },
		  "error: not a valid hostname: -bad" },
		{ { "--hostnamex", NULL }, "error: unknown option: --hostnamex" },
		{ { "--config=", NULL }, "error: an empty path: --config" },
		{ { "--bogus", "run", "sh", NULL }, "error: unknown option: --bogus" },
		{ { "sh", NULL }, "error: expected an option or run: sh" },
		{ { "--", "sh", NULL }, "error: expected run: sh" },
		{ { "--", NULL }, "host=- config=- dry=0 run=none" },
		{ { "--dry-run=1", NULL }, "error: unknown option: --dry-run=1" },
	};

	for (size_t i = 0; i < N(c); i++) {
		struct boot_opts b = { 0 };
		char got[256];

		describe_args(c[i].argv, &b, got, sizeof got);
		cr_expect_str_eq(got, c[i].expect, "row %zu", i);
	}
}

/* The file first, the command line over it: the command line's run wins. */
Test(boot, layers)
{
	char *file[] = { "--hostname", "a", "run", "one", NULL };
	char *cmd[] = { "--hostname", "b", NULL };
	char *cmd_run[] = { "run", "two", NULL };
	struct boot_opts b = { 0 };
	char got[128];

	boot_args(4, file, &b);
	describe_args((const char *const *)cmd, &b, got, sizeof got);
	cr_expect_str_eq(got, "host=b config=- dry=0 run=[one]");
	describe_args((const char *const *)cmd_run, &b, got, sizeof got);
	cr_expect_str_eq(got, "host=b config=- dry=0 run=[two]");
}

/* boot_words() on a file's text: the words joined by "|", or the error. */
static void describe_words(const char *in, char *out, size_t len)
{
	size_t n = strlen(in);
	char text[256], *words[130];
	struct boot_opts b = { 0 };
	int k, used = 0;

	memcpy(text, in, n + 1);
	k = boot_words(text, n, words, &b);
	if (k < 0) {
		snprintf(out, len, "error: line %d: %s", b.line, b.error);
		return;
	}
	used = snprintf(out, len, "%d:", k);
	for (int i = 0; i < k; i++)
		used += snprintf(out + used, len - used, "%s[%s]", i ? "" : "",
				 words[i]);
	cr_expect_null(words[k]);
}

Test(boot, words)
{
	static const struct { const char *in, *expect; } c[] = {
		{ "", "0:" }, { " \n\t\r\n", "0:" },
		{ "run sh", "2:[run][sh]" },
		{ "  run\n\tsh  \n", "2:[run][sh]" },
		{ "# only a comment", "0:" },
		{ "run # the rest\nsh", "2:[run][sh]" },
		{ "run a#b", "2:[run][a#b]" },
		{ "'a b' \"c d\"", "2:[a b][c d]" },
		{ "x'a b'y", "1:[xa by]" },
		{ "'' \"\"", "2:[][]" },
		{ "'it''s'", "1:[its]" },
		{ "\"it's\"", "1:[it's]" },
		{ "'a\nb' c", "2:[a\nb][c]" },
		{ "'# not' a", "2:[# not][a]" },
		{ "-e 'A=$HOME \\n'", "2:[-e][A=$HOME \\n]" },
		{ "a\n\n'b", "error: line 3: a quote that is not closed" },
		{ "\"", "error: line 1: a quote that is not closed" },
		{ "a\nb\n'c\nd", "error: line 3: a quote that is not closed" },
	};

	for (size_t i = 0; i < N(c); i++) {
		char got[512];

		describe_words(c[i].in, got, sizeof got);
		cr_expect_str_eq(got, c[i].expect, "input \"%s\"", c[i].in);
	}
}

Test(boot, nul_byte)
{
	char text[] = "run a\0b";
	char *words[8];
	struct boot_opts b = { 0 };

	cr_expect_eq(boot_words(text, 7, words, &b), -1);
	cr_expect_str_eq(b.error, "a NUL byte");
	cr_expect_eq(b.line, 1);
}
