/*
 * test/unit_dockerargs.c - dockerargs.c: docker's command lines for ps,
 * logs, stop, kill, rm, wait, inspect; runc's ps told apart; log tails;
 * docker's durations; and args.c's --name rule.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "../minictr.h"

static char *names[32];

static int parse(struct docker_args *d, const char *line)
{
	static char buf[512], *argv[32];  /* d points into them */
	int argc = 0;

	strcpy(buf, line);
	for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	return parse_docker(argc, argv, d, names);
}

Test(parse_docker, ps_forms)
{
	struct docker_args d;

	cr_assert_eq(parse(&d, "ps"), 0);
	cr_expect(d.cmd == DOCKER_PS && !d.all && !d.quiet && !d.json &&
		  !d.runc_ps);
	cr_assert_eq(parse(&d, "ps -aq"), 0);
	cr_expect(d.all && d.quiet);
	cr_assert_eq(parse(&d, "ps --all --format json"), 0);
	cr_expect(d.all && d.json && !d.runc_ps);
	cr_assert_eq(parse(&d, "ps --format=json web"), 0);
	cr_expect(d.runc_ps && d.json && !strcmp(d.names[0], "web"));
	cr_assert_eq(parse(&d, "ps web"), 0);
	cr_expect(d.runc_ps && !d.json);
	cr_assert_eq(parse(&d, "ps -a --no-trunc"), 0);
	cr_expect(d.all && d.no_trunc && !d.runc_ps);
	cr_expect(parse(&d, "ps") == 0 && !d.no_trunc);
	cr_expect_eq(parse(&d, "ps --no-trunc=1"), -1);
	cr_expect_eq(parse(&d, "logs --no-trunc web"), -1);
}

Test(parse_docker, list_forms)
{
	struct docker_args d;

	cr_assert_eq(parse(&d, "list"), 0);
	cr_expect(d.cmd == DOCKER_LIST && !d.quiet && !d.json && !d.nnames);
	cr_assert_eq(parse(&d, "list -q --format=json"), 0);
	cr_expect(d.quiet && d.json);
	cr_assert_eq(parse(&d, "list -f json"), 0);
	cr_expect(d.json);
	cr_assert_eq(parse(&d, "list --format table"), 0);
	cr_expect(!d.json);
}

Test(parse_docker, flags_anywhere_values_three_ways)
{
	struct docker_args d;

	cr_assert_eq(parse(&d, "stop web -t 3 db"), 0);
	cr_expect(d.cmd == DOCKER_STOP && d.time == 3 && d.nnames == 2);
	cr_expect_str_eq(d.names[0], "web");
	cr_expect_str_eq(d.names[1], "db");
	cr_assert_eq(parse(&d, "stop -t0 web"), 0);
	cr_expect_eq(d.time, 0);
	cr_assert_eq(parse(&d, "stop --time=7 web"), 0);
	cr_expect_eq(d.time, 7);
	cr_assert_eq(parse(&d, "stop -t=4 web"), 0);    /* pflag's too */
	cr_expect_eq(d.time, 4);
	cr_assert_eq(parse(&d, "stop web"), 0);
	cr_expect_eq(d.time, -1);
	/* docker's negative -t: wait for ever, no SIGKILL; "-0" is 0 */
	cr_assert_eq(parse(&d, "stop -t -1 web"), 0);
	cr_expect_eq(d.time, MONITOR_FOREVER);
	cr_assert_eq(parse(&d, "stop --time=-30 web"), 0);
	cr_expect_eq(d.time, MONITOR_FOREVER);
	cr_assert_eq(parse(&d, "stop -t-0 web"), 0);
	cr_expect_eq(d.time, 0);
	cr_assert_eq(parse(&d, "logs -f --tail 5 web"), 0);
	cr_expect(d.follow && d.tail == 5);
	cr_assert_eq(parse(&d, "logs -n all web"), 0);
	cr_expect_eq(d.tail, -1);
	cr_assert_eq(parse(&d, "kill -s HUP a b"), 0);
	cr_expect(d.cmd == DOCKER_KILL && !strcmp(d.signal, "HUP") &&
		  d.nnames == 2);
	cr_assert_eq(parse(&d, "rm -f a -- -b"), 0);
	cr_expect(d.force && d.nnames == 2 && !strcmp(d.names[1], "-b"));
	cr_assert_eq(parse(&d, "wait a"), 0);
	cr_assert_eq(parse(&d, "inspect a b"), 0);
	cr_expect(d.cmd == DOCKER_INSPECT && d.nnames == 2);
}

Test(parse_docker, refusals)
{
	static const struct { const char *line, *error, *word; } rows[] = {
		{ "stop", "needs a container", "stop" },
		{ "logs a b", "takes one container", "logs" },
		{ "ps -a web", "takes one container ID, without -a or -q "
		  "(runc's ps)", "ps" },
		{ "ps a b", "takes one container ID, without -a or -q "
		  "(runc's ps)", "ps" },
		{ "stop -t x web", "use a whole number of seconds, or -1 to "
		  "wait for ever", "-t" },
		{ "stop -t -x web", "use a whole number of seconds, or -1 to "
		  "wait for ever", "-t" },
		{ "stop -t - web", "use a whole number of seconds, or -1 to "
		  "wait for ever", "-t" },
		{ "stop -t --1 web", "use a whole number of seconds, or -1 to "
		  "wait for ever", "-t" },
		{ "logs --tail=x web", "use a number of lines, or all",
		  "--tail=x" },
		{ "kill -s NOPE web", "use a signal's name or number: "
		  "TERM, SIGKILL, 9", "-s" },
		{ "ps --format yaml", "use json or table", "--format" },
		{ "rm -x web", "unknown option", "-x" },
		{ "rm --force=1 web", "takes no value", "--force=1" },
		{ "stop web -t", "needs a value", "-t" },
		{ "wait -f web", "unknown option", "-f" },
		{ "list web", "takes no container", "list" },
		{ "list -a", "unknown option", "-a" },
		{ "list -f yaml", "use json or table", "-f" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct docker_args d;

		cr_expect_eq(parse(&d, rows[i].line), -1, "%s", rows[i].line);
		cr_expect_str_eq(d.error, rows[i].error, "%s", rows[i].line);
		cr_expect_str_eq(d.word, rows[i].word, "%s", rows[i].line);
		cr_expect(strncmp(rows[i].error, "use ", 4) || d.value,
			  "%s: the refused value kept", rows[i].line);
	}
}

Test(parse_docker, help_asked_anywhere_among_the_flags)
{
	static const char *const rows[] = {
		"ps --help", "ps -h", "stop -t x --help", "kill -h a b",
		"rm --bogus -h", "wait --help", "inspect -h", "list --help",
		"logs web --help",
	};
	struct docker_args d;

	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		cr_expect(parse(&d, rows[i]) == 0 && d.help, "%s", rows[i]);
	cr_expect(parse(&d, "logs web") == 0 && !d.help);
	cr_expect(parse(&d, "rm -- --help") == 0 && !d.help);  /* a name */
}

Test(parse_docker, not_a_docker_command)
{
	struct docker_args d;

	cr_expect_eq(parse(&d, "exec web true"), -1);
	cr_expect_eq(d.cmd, DOCKER_NONE);
}

Test(log_tail, last_lines)
{
	static const struct { const char *buf; long n; size_t at; } rows[] = {
		{ "a\nb\nc\n", 2, 2 },  { "a\nb\nc\n", 1, 4 },
		{ "a\nb\nc\n", 3, 0 },  { "a\nb\nc\n", 9, 0 },
		{ "a\nb\nc\n", 0, 6 },  { "a\nb\nc\n", -1, 0 },
		{ "a\nb\nc", 1, 4 },    { "a\nb\nc", 2, 2 },
		{ "", 3, 0 },           { "\n\n", 1, 1 },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		cr_expect_eq(log_tail(rows[i].buf, strlen(rows[i].buf),
				      rows[i].n), rows[i].at, "row %zu", i);
}

Test(human_duration, dockers_words)
{
	static const struct { long long s; const char *words; } rows[] = {
		{ 0, "Less than a second" }, { 1, "1 second" },
		{ 59, "59 seconds" }, { 60, "About a minute" },
		{ 119, "About a minute" }, { 120, "2 minutes" },
		{ 3599, "59 minutes" }, { 3600, "About an hour" },
		{ 5400, "2 hours" }, { 47 * 3600, "47 hours" },
		{ 48 * 3600, "2 days" }, { 14 * 86400, "2 weeks" },
		{ 60 * 86400, "2 months" }, { 800 * 86400, "2 years" },
	};
	char buf[48];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		cr_expect_str_eq(human_duration(rows[i].s, buf, sizeof buf),
				 rows[i].words, "%lld s", rows[i].s);
}

Test(valid_name, dockers_rule)
{
	cr_expect(valid_name("web"));
	cr_expect(valid_name("my_web.1-a"));
	cr_expect(valid_name("9x"));
	cr_expect(!valid_name("w"));
	cr_expect(!valid_name("_web"));
	cr_expect(!valid_name("-web"));
	cr_expect(!valid_name("a/b"));
	cr_expect(!valid_name(".."));
	cr_expect(!valid_name("a b"));
	cr_expect(!valid_name(""));
	cr_expect(!valid_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			      "aaaaaaaaaaa"));
}

Test(parse_run, detach_name_rm)
{
	char *argv[] = { "-d", "--name", "web", "--rm", "sh", NULL };
	char *bad[] = { "--name=a/b", "sh", NULL };
	const char *room[8];
	struct run_opts o = { .env = room, .env_files = room, .volumes = room,
			      .tmpfs = room };
	struct parse_error err;

	cr_assert_eq(parse_run(5, argv, &o, &err), PARSE_OK);
	cr_expect(o.detach && o.rm && !strcmp(o.name, "web") &&
		  !strcmp(o.argv[0], "sh"));
	cr_expect_eq(parse_run(2, bad, &o, &err), PARSE_BAD_VALUE);
	cr_expect_str_eq(err.value, "a/b");
}
