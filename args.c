/*
 * args.c - parsing the options of `minictr run`, as a pure function.
 *
 * argv goes in, a filled struct run_opts (or a struct parse_error) comes
 * out: no printing, no exit, no allocation, no globals.  That is what lets
 * test/unit_args.c check every case as a table, with glibc's criterion,
 * while the product is built against musl.
 *
 * The conventions are POSIX's utility syntax plus docker's long names:
 * short flags cluster (-ti), a value may be attached or separate (-hNAME,
 * -h NAME, -ih NAME), long options take --opt VALUE or --opt=VALUE, the
 * last of a repeated option wins, and parsing stops at the first word that
 * is not an option and at "--".  getopt(3) is not used because glibc's
 * permutes argv (it would eat the -l of `minictr run ls -l`) and musl's
 * does not: a short hand-written loop behaves the same under both.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "minictr.h"

enum option_id {
	OPT_INTERACTIVE, OPT_TTY, OPT_HOSTNAME, OPT_ENV, OPT_WORKDIR,
	OPT_NET, OPT_INIT, OPT_STOP_TIMEOUT, OPT_TRACE, OPT_HELP,
};

/* One row per option: the help text in main.c lists them in this order. */
static const struct option_spec {
	char short_name;        /* 0: long form only */
	const char *long_name;
	int takes_value;
	enum option_id id;
} options[] = {
	{ 'i', "interactive",  0, OPT_INTERACTIVE },
	{ 't', "tty",          0, OPT_TTY },
	{ 'h', "hostname",     1, OPT_HOSTNAME },
	{ 'e', "env",          1, OPT_ENV },
	{ 'w', "workdir",      1, OPT_WORKDIR },
	{ 0,   "net",          1, OPT_NET },
	{ 0,   "init",         0, OPT_INIT },
	{ 0,   "stop-timeout", 1, OPT_STOP_TIMEOUT },
	{ 0,   "trace",        0, OPT_TRACE },
	{ 0,   "help",         0, OPT_HELP },
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const struct option_spec *find_short(char c)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (options[i].short_name && options[i].short_name == c)
			return &options[i];
	return NULL;
}

/* Match "name" or "name=value" (without the leading "--"). */
static const struct option_spec *find_long(const char *word, size_t len)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (strlen(options[i].long_name) == len &&
		    memcmp(options[i].long_name, word, len) == 0)
			return &options[i];
	return NULL;
}

/* RFC 1123 host name label rules, with dots allowed, at most 64 bytes. */
int valid_hostname(const char *name)
{
	size_t len = strlen(name);

	if (len < 1 || len > 64)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9');
		int edge = (i == 0 || i == len - 1);
		if (!alnum && (edge || (c != '-' && c != '.')))
			return 0;
	}
	return 1;
}

/* A whole number of seconds: digits only, no sign, no overflow. */
static int parse_seconds(const char *s, long *out)
{
	long n = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (n > (2147483647L - (*s - '0')) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	*out = n;
	return 0;
}

static enum parse_code bad_value(struct parse_error *err, const char *value,
				 const char *reason)
{
	err->code = PARSE_BAD_VALUE;
	err->value = value;
	err->reason = reason;
	return PARSE_BAD_VALUE;
}

/* Store one option's effect in o; the value has already been found. */
static enum parse_code apply(const struct option_spec *opt, const char *value,
			     struct run_opts *o, struct parse_error *err)
{
	switch (opt->id) {
	case OPT_INTERACTIVE:  o->interactive = 1; break;
	case OPT_TTY:          o->tty = 1; break;
	case OPT_INIT:         o->init = 1; break;
	case OPT_TRACE:        o->trace = 1; break;
	case OPT_HELP:         return PARSE_HELP;
	case OPT_WORKDIR:
		if (*value == '\0')
			return bad_value(err, value, "an empty path");
		o->workdir = value;
		break;
	case OPT_HOSTNAME:
		if (!valid_hostname(value))
			return bad_value(err, value, "use 1-64 letters, digits, "
					 "'-' and '.', starting and ending "
					 "with a letter or digit");
		o->hostname = value;
		break;
	case OPT_ENV:
		if (*value == '\0' || *value == '=')
			return bad_value(err, value, "empty variable name");
		o->env[o->nenv++] = value;
		break;
	case OPT_NET:
		if (strcmp(value, "none") == 0)
			o->net = NET_NONE;
		else if (strcmp(value, "host") == 0)
			o->net = NET_HOST;
		else
			return bad_value(err, value, "use none or host");
		break;
	case OPT_STOP_TIMEOUT:
		if (parse_seconds(value, &o->stop_timeout) < 0)
			return bad_value(err, value, "use a whole number of "
					 "seconds");
		break;
	}
	return PARSE_OK;
}

/* --name, --name=value or --name value; *i moves past what was used. */
static enum parse_code parse_long(int argc, char *const argv[], int *i,
				  struct run_opts *o, struct parse_error *err)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct option_spec *opt = find_long(name, len);
	const char *value = eq ? eq + 1 : NULL;

	err->short_name = 0;
	err->long_name = argv[*i];
	err->long_len = (int)len + 2;
	if (!opt)
		return err->code = PARSE_UNKNOWN_OPTION;
	if (!opt->takes_value && value)
		return err->code = PARSE_TAKES_NO_VALUE;
	if (opt->takes_value && !value) {
		if (*i + 1 >= argc)
			return err->code = PARSE_NEEDS_VALUE;
		value = argv[++*i];
	}
	return apply(opt, value, o, err);
}

/* A cluster such as -ti or -ihNAME; a value ends the cluster. */
static enum parse_code parse_short(int argc, char *const argv[], int *i,
				   struct run_opts *o, struct parse_error *err)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		const struct option_spec *opt = find_short(*p);
		const char *value = NULL;

		err->short_name = *p;
		err->long_name = NULL;
		if (!opt)
			return err->code = PARSE_UNKNOWN_OPTION;
		if (opt->takes_value) {
			if (p[1] != '\0')
				value = p + 1;
			else if (*i + 1 < argc)
				value = argv[++*i];
			else
				return err->code = PARSE_NEEDS_VALUE;
		}
		enum parse_code rc = apply(opt, value, o, err);
		if (rc != PARSE_OK || value)
			return rc;
	}
	return PARSE_OK;
}

/*
 * Parse the words after "run".  o->env must point to room for argc
 * pointers (at most one -e per word).  On PARSE_OK, o->argv is the command.
 */
enum parse_code parse_run(int argc, char *const argv[], struct run_opts *o,
			  struct parse_error *err)
{
	const char **env = o->env;
	int i;

	memset(o, 0, sizeof *o);
	memset(err, 0, sizeof *err);
	o->env = env;
	o->net = NET_NONE;
	o->stop_timeout = 10;   /* docker stop's default */

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		enum parse_code rc;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;          /* the command ("-" alone is a word) */
		if (a[1] == '-')
			rc = parse_long(argc, argv, &i, o, err);
		else
			rc = parse_short(argc, argv, &i, o, err);
		if (rc != PARSE_OK)
			return err->code = rc;
	}
	if (i >= argc)
		return err->code = PARSE_NO_COMMAND;
	o->argv = argv + i;
	return PARSE_OK;
}

/* The words for a parse error, without the "minictr: run: " prefix. */
int format_parse_error(const struct parse_error *err, char *buf, size_t len)
{
	/* the option as the user typed it: "-h" or "--hostname" */
	char short_form[3] = { '-', err->short_name, '\0' };
	const char *opt = err->short_name ? short_form : err->long_name;
	int n = err->short_name ? 2 : err->long_len;

	switch (err->code) {
	case PARSE_NO_COMMAND:
		return snprintf(buf, len, "missing command");
	case PARSE_UNKNOWN_OPTION:
		return snprintf(buf, len, "unknown option '%.*s'", n, opt);
	case PARSE_NEEDS_VALUE:
		return snprintf(buf, len, "option '%.*s' needs a value", n, opt);
	case PARSE_TAKES_NO_VALUE:
		return snprintf(buf, len, "option '%.*s' takes no value", n, opt);
	case PARSE_BAD_VALUE:
		return snprintf(buf, len, "invalid value '%s' for '%.*s': %s",
				err->value, n, opt, err->reason);
	default:
		return snprintf(buf, len, "no error");
	}
}
