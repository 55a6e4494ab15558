/*
 * dockerargs.c - docker's commands on containers, as pure functions:
 * their command lines, the tail of a log, and how long ago ("5 seconds").
 *
 *   ps [-a] [-q] [--no-trunc] [--format json|table] [ID]   (an ID: runc's
 *        ps, the pids)
 *   list [-q] [--format table|json]           (runc's list)
 *   logs [-f] [--tail N|all] NAME
 *   stop [-t SECONDS] NAME...      kill [-s SIGNAL] NAME...
 *   rm [-f] NAME...    wait NAME...    inspect NAME...
 *
 * Docker's CLI (cobra and pflag) takes its flags anywhere among the
 * names, clusters short ones (-aq), and takes a value attached, after
 * '=' or as the next word; "--" ends the flags.  So does this parser.
 * --help (or -h) among the flags, wherever, asks for the command's usage
 * (cobra's): d->help, and 0, whatever else the words say.
 * argv in, struct docker_args or an error out; no printing, no globals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minictr.h"

enum { D_ALL, D_QUIET, D_FORMAT, D_FOLLOW, D_TAIL, D_TIME, D_FORCE,
       D_SIGNAL, D_NO_TRUNC };
static const struct { enum docker_command cmd; const char *name;
		      char short_name; int value, id; } dopts[] = {
	{ DOCKER_PS, "all", 'a', 0, D_ALL },
	{ DOCKER_PS, "quiet", 'q', 0, D_QUIET },
	{ DOCKER_PS, "format", 0, 1, D_FORMAT },
	{ DOCKER_PS, "no-trunc", 0, 0, D_NO_TRUNC },
	{ DOCKER_LIST, "quiet", 'q', 0, D_QUIET },
	{ DOCKER_LIST, "format", 'f', 1, D_FORMAT },
	{ DOCKER_LOGS, "follow", 'f', 0, D_FOLLOW },
	{ DOCKER_LOGS, "tail", 'n', 1, D_TAIL },
	{ DOCKER_STOP, "time", 't', 1, D_TIME },
	{ DOCKER_STOP, "timeout", 0, 1, D_TIME },
	{ DOCKER_RM, "force", 'f', 0, D_FORCE },
	{ DOCKER_KILL, "signal", 's', 1, D_SIGNAL },
};
#define NDOPTS (sizeof dopts / sizeof dopts[0])

static const struct { const char *name; enum docker_command cmd; } dcmds[] = {
	{ "ps", DOCKER_PS }, { "logs", DOCKER_LOGS }, { "stop", DOCKER_STOP },
	{ "kill", DOCKER_KILL }, { "rm", DOCKER_RM }, { "wait", DOCKER_WAIT },
	{ "inspect", DOCKER_INSPECT },
	{ "list", DOCKER_LIST },
};

static int bad(struct docker_args *d, const char *error, const char *word)
{
	d->error = error;
	d->word = word;
	return -1;
}

/* A refused value of the option typed as word ("-t", "--tail=x"). */
static int bad_value(struct docker_args *d, const char *error,
		     const char *word, const char *value)
{
	d->value = value;
	return bad(d, error, word);
}

/* A whole number from 0 to max, or -1. */
static long number(const char *s, long max)
{
	char *end;
	long n = strtol(s, &end, 10);

	return *s >= '0' && *s <= '9' && !*end && n <= max ? n : -1;
}

/* Option id with its value (NULL for a flag) into d; 0, or -1. */
static int set(struct docker_args *d, int id, const char *value,
	       const char *word)
{
	switch (id) {
	case D_ALL: d->all = 1; break;
	case D_QUIET: d->quiet = 1; break;
	case D_FOLLOW: d->follow = 1; break;
	case D_FORCE: d->force = 1; break;
	case D_NO_TRUNC: d->no_trunc = 1; break;
	case D_FORMAT:
		if (strcmp(value, "json") && strcmp(value, "table"))
			return bad_value(d, "use json or table", word, value);
		d->json = !strcmp(value, "json");
		break;
	case D_TAIL:
		d->tail = strcmp(value, "all") ? number(value, 1L << 30) : -1;
		if (d->tail < 0 && strcmp(value, "all"))
			return bad_value(d, "use a number of lines, or all", word,
					 value);
		break;
	case D_TIME:
		/* docker's: a negative number waits for ever ("-0": 0) */
		if (value[0] == '-' && number(value + 1, 1L << 30) >= 0)
			d->time = number(value + 1, 1L << 30) ? MONITOR_FOREVER : 0;
		else if ((d->time = number(value, 1L << 30)) < 0)
			return bad_value(d, "use a whole number of seconds, or -1 "
					 "to wait for ever", word, value);
		break;
	case D_SIGNAL:
		if (parse_signal(value) < 0)
			return bad_value(d, "use a signal's name or number: "
					 "TERM, SIGKILL, 9", word, value);
		d->signal = value;
		break;
	}
	return 0;
}

/* The option named by w (long: len bytes of it), for this command. */
static int find(enum docker_command cmd, const char *w, size_t len, int lng)
{
	for (size_t k = 0; k < NDOPTS; k++)
		if (dopts[k].cmd == cmd && (lng ? strlen(dopts[k].name) == len &&
		    !strncmp(dopts[k].name, w, len) : dopts[k].short_name == *w))
			return (int)k;
	return -1;
}

/* A long option at argv[i]; how many words it took, or -1. */
static int long_option(int argc, char *const argv[], int i,
		       struct docker_args *d)
{
	const char *w = argv[i] + 2, *eq = strchr(w, '=');
	int k = find(d->cmd, w, eq ? (size_t)(eq - w) : strlen(w), 1);

	if (k < 0)
		return bad(d, "unknown option", argv[i]);
	if (!dopts[k].value)
		return eq ? bad(d, "takes no value", argv[i]) :
		       set(d, dopts[k].id, NULL, argv[i]) + 1;
	if (!eq && i + 1 >= argc)
		return bad(d, "needs a value", argv[i]);
	if (set(d, dopts[k].id, eq ? eq + 1 : argv[i + 1], argv[i]) < 0)
		return -1;
	return eq ? 1 : 2;
}

/* A cluster of short options (-aq, -t5, -t 5); how many words, or -1. */
static int short_options(int argc, char *const argv[], int i,
			 struct docker_args *d)
{
	for (const char *p = argv[i] + 1; *p; p++) {
		int k = find(d->cmd, p, 1, 0);

		if (k < 0)
			return bad(d, "unknown option", argv[i]);
		if (!dopts[k].value) {
			set(d, dopts[k].id, NULL, argv[i]);
			continue;
		}
		if (p[1])               /* -t5; -t=5 too (pflag's) */
			return set(d, dopts[k].id, p + 1 + (p[1] == '='),
				   argv[i]) < 0 ? -1 : 1;
		if (i + 1 >= argc)
			return bad(d, "needs a value", argv[i]);
		return set(d, dopts[k].id, argv[i + 1], argv[i]) < 0 ? -1 : 2;
	}
	return 1;
}

/* How many NAMEs each command takes: at least, at most (-1: any). */
static int names_ok(struct docker_args *d)
{
	if (d->cmd == DOCKER_PS) {
		d->runc_ps = d->nnames > 0;
		return d->nnames <= 1 && !(d->runc_ps && (d->all || d->quiet));
	}
	if (d->cmd == DOCKER_LIST)
		return d->nnames == 0;
	if (d->nnames == 0)
		return 0;
	return d->cmd != DOCKER_LOGS || d->nnames == 1;
}

/*
 * argv from the command's word ("ps"); names are moved to the front of
 * argv's copy in names, so the caller provides room: names points into
 * out, argc words.  0 with d filled; -1 with d->error and d->word;
 * d->cmd DOCKER_NONE when argv[0] is not one of docker's commands.
 */
int parse_docker(int argc, char *const argv[], struct docker_args *d,
		 char **out)
{
	int i = 1, n, flags = 1;

	*d = (struct docker_args){ .tail = -1, .time = -1, .names = out };
	for (size_t c = 0; argc > 0 && c < sizeof dcmds / sizeof *dcmds; c++)
		if (!strcmp(argv[0], dcmds[c].name))
			d->cmd = dcmds[c].cmd;
	if (d->cmd == DOCKER_NONE)
		return bad(d, "unknown command", argc > 0 ? argv[0] : "");
	for (n = 1; n < argc && strcmp(argv[n], "--"); n++)
		if (help_word(argv[n])) {
			d->help = 1;
			return 0;
		}
	while (i < argc) {
		if (flags && !strcmp(argv[i], "--")) {
			flags = 0;
			i++;
			continue;
		}
		if (!flags || argv[i][0] != '-' || !argv[i][1]) {
			out[d->nnames++] = argv[i++];
			continue;
		}
		n = argv[i][1] == '-' ? long_option(argc, argv, i, d) :
					short_options(argc, argv, i, d);
		if (n < 0)
			return -1;
		i += n;
	}
	if (!names_ok(d))
		return bad(d, d->cmd == DOCKER_PS ? "takes one container ID, "
			   "without -a or -q (runc's ps)" : d->cmd == DOCKER_LOGS
			   ? "takes one container" : d->cmd == DOCKER_LIST ?
			   "takes no container" : "needs a container", argv[0]);
	return 0;
}

/*
 * Docker's words for a duration (go-units HumanDuration): "Less than a
 * second", "1 second", "5 seconds", "About a minute", "5 minutes",
 * "About an hour", "5 hours", "3 days", "3 weeks", "3 months", "2 years".
 */
const char *human_duration(long long s, char *buf, size_t len)
{
	long long m = s / 60, h = (s + 1800) / 3600;
	static const struct { long long below, per; const char *unit; } big[] = {
		{ 48, 1, "hours" }, { 24 * 14, 24, "days" },
		{ 24 * 60, 24 * 7, "weeks" }, { 24 * 365 * 2, 24 * 30, "months" },
		{ -1, 24 * 365, "years" },
	};
	size_t k = 0;

	if (s < 1)
		snprintf(buf, len, "Less than a second");
	else if (s == 1)
		snprintf(buf, len, "1 second");
	else if (s < 60)
		snprintf(buf, len, "%lld seconds", s);
	else if (m == 1)
		snprintf(buf, len, "About a minute");
	else if (m < 60)
		snprintf(buf, len, "%lld minutes", m);
	else if (h == 1)
		snprintf(buf, len, "About an hour");
	else {
		while (big[k].below >= 0 && h >= big[k].below)
			k++;
		snprintf(buf, len, "%lld %s", h / big[k].per, big[k].unit);
	}
	return buf;
}

/*
 * Where the last `lines` lines of buf start (logs --tail): a last line
 * without its newline counts as a line, as tail(1) counts it.
 */
size_t log_tail(const char *buf, size_t len, long lines)
{
	size_t i = len;

	if (lines < 0)
		return 0;
	if (lines == 0)
		return len;
	if (i > 0 && buf[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (buf[i - 1] == '\n' && --lines == 0)
			return i;
		i--;
	}
	return 0;
}
