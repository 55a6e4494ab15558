/*
 * ociargs.c - runc's command line, as a pure function: the words that
 * containerd's shim, conmon and CRI-O pass (oci-callers.md §1).
 *
 *   minictr [--root DIR] [--log FILE] [--log-format text|json]
 *           [--systemd-cgroup] [--debug] COMMAND [OPTIONS] ID [ARG]
 *   minictr ... exec [OPTIONS] ID [CMD...]     runc's flags and docker's
 *
 * Each flag as "--opt value" or "--opt=value" (Go's flag package, which
 * every caller's runtime speaks); options stop at the first word that is
 * not one, as Go's do.  A flag that minictr has no use for but callers
 * send (--no-pivot, --no-new-keyring) is accepted and changes nothing:
 * minictr always pivots when it can, and never touches keyrings.
 * --systemd-cgroup says linux.cgroupsPath is systemd's slice:prefix:name.  Signals come as numbers, names, and
 * names without SIG (CRI-O's `kill ID KILL`).  Single-letter flags
 * cluster, as docker's `exec -ti` (only the last may take a value).
 * --help (or -h: no command of runc's has an -h) among the options asks
 * for the command's usage, as runc's does: a->help, and 0.
 * argv in, struct oci_args or an error out; no printing, no globals.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "minictr.h"

/* Every option, by name, whether it takes a value, and where it goes. */
enum { O_ROOT, O_LOG, O_LOG_FORMAT, O_SYSTEMD, O_DEBUG, O_BUNDLE, O_PID_FILE,
       O_CONSOLE, O_NO_PIVOT, O_NO_KEYRING, O_PRESERVE, O_ALL, O_FORCE,
       O_DETACH, O_PROCESS, O_TTY, O_ENV, O_CWD, O_USER, O_INTERACTIVE,
       O_TRACE,
       O_ROOTLESS };
static const struct { const char *name; char short_name; int value, id; }
opts[] = {
	{ "root", 0, 1, O_ROOT }, { "log", 0, 1, O_LOG },
	{ "log-format", 0, 1, O_LOG_FORMAT },
	{ "systemd-cgroup", 0, 0, O_SYSTEMD }, { "debug", 0, 0, O_DEBUG },
	{ "bundle", 'b', 1, O_BUNDLE }, { "pid-file", 0, 1, O_PID_FILE },
	{ "console-socket", 0, 1, O_CONSOLE }, { "no-pivot", 0, 0, O_NO_PIVOT },
	{ "no-new-keyring", 0, 0, O_NO_KEYRING },
	{ "preserve-fds", 0, 1, O_PRESERVE }, { "all", 'a', 0, O_ALL },
	{ "force", 'f', 0, O_FORCE }, { "detach", 'd', 0, O_DETACH },
	{ "process", 0, 1, O_PROCESS }, { "tty", 't', 0, O_TTY },
	{ "env", 'e', 1, O_ENV }, { "cwd", 0, 1, O_CWD },
	{ "workdir", 'w', 1, O_CWD }, { "user", 'u', 1, O_USER },
	{ "interactive", 'i', 0, O_INTERACTIVE }, { "trace", 0, 0, O_TRACE },
	{ "rootless", 0, 0, O_ROOTLESS },
};
#define NOPTS (sizeof opts / sizeof opts[0])

/* Which options each place takes (a bit per id). */
#define BIT(x) (1u << (x))
#define GLOBAL (BIT(O_ROOT) | BIT(O_LOG) | BIT(O_LOG_FORMAT) | \
		BIT(O_SYSTEMD) | BIT(O_DEBUG))
#define CREATE (BIT(O_BUNDLE) | BIT(O_PID_FILE) | BIT(O_CONSOLE) | \
		BIT(O_NO_PIVOT) | BIT(O_NO_KEYRING) | BIT(O_PRESERVE))
/* exec: runc's (--process, --cwd, -u UID[:GID]...) and docker's (-i, -w) */
#define EXEC (BIT(O_PROCESS) | BIT(O_TTY) | BIT(O_ENV) | BIT(O_CWD) | \
	      BIT(O_USER) | BIT(O_INTERACTIVE) | BIT(O_DETACH) | \
	      BIT(O_PID_FILE) | BIT(O_CONSOLE) | BIT(O_PRESERVE) | BIT(O_TRACE))
static const struct { const char *name; enum oci_command cmd; unsigned opts;
		      int args; } commands[] = {
	{ "create", OCI_CREATE, CREATE, 1 },
	{ "run", OCI_RUN, CREATE | BIT(O_DETACH), 1 },
	{ "start", OCI_START, 0, 1 }, { "state", OCI_STATE, 0, 1 },
	{ "kill", OCI_KILL, BIT(O_ALL), 2 },
	{ "delete", OCI_DELETE, BIT(O_FORCE), 1 },
	{ "spec", OCI_SPEC, BIT(O_BUNDLE) | BIT(O_ROOTLESS), 0 },
	{ "exec", OCI_EXEC, EXEC, 1 },
	{ "features", OCI_FEATURES, 0, 0 },
};

static int bad(struct oci_args *a, const char *error, const char *word)
{
	a->error = error;
	a->word = word;
	return -1;
}

/* The option named by len bytes of w (a long name, or one letter), if
 * this place takes it; NOPTS if not. */
static size_t lookup(const char *w, size_t len, int is_long, unsigned allowed)
{
	size_t k = 0;

	while (k < NOPTS && !(is_long ? strlen(opts[k].name) == len &&
			      !strncmp(opts[k].name, w, len) :
			      len == 1 && opts[k].short_name == w[0]))
		k++;
	return k < NOPTS && (allowed & BIT(opts[k].id)) ? k : NOPTS;
}

/* Option k, with its value (NULL if it takes none), into a; 0 or -1. */
static int apply(size_t k, const char *value, const char *word,
		 struct oci_args *a)
{
	char *end;

	switch (opts[k].id) {
	case O_ROOT: a->root = value; break;
	case O_LOG: a->log = value; break;
	case O_LOG_FORMAT:
		if (strcmp(value, "json") && strcmp(value, "text"))
			return bad(a, "is json or text", word);
		a->log_json = !strcmp(value, "json");
		break;
	case O_DEBUG: case O_TRACE: a->debug = 1; break;
	case O_SYSTEMD: a->systemd = 1; break;
	case O_BUNDLE: a->bundle = value; break;
	case O_PID_FILE: a->pid_file = value; break;
	case O_CONSOLE: a->console_socket = value; break;
	case O_PRESERVE:
		a->preserve_fds = strtol(value, &end, 10);
		if (*end || end == value || a->preserve_fds < 0 ||
		    a->preserve_fds > 65536)
			return bad(a, "is a number of fds", word);
		break;
	case O_ALL: a->all = 1; break;
	case O_FORCE: a->force = 1; break;
	case O_DETACH: a->detach = 1; break;
	case O_PROCESS: a->process = value; break;
	case O_TTY: a->tty = 1; break;
	case O_ENV:
		if (!a->env)
			return bad(a, "unknown option", word);
		a->env[a->nenv++] = value;
		break;
	case O_CWD: a->cwd = value; break;
	case O_USER: a->user = value; break;
	case O_INTERACTIVE: a->interactive = 1; break;
	case O_ROOTLESS: a->rootless = 1; break;
	default: break;         /* accepted, and nothing to do */
	}
	return 0;
}

/* -ti: letters that take no value, but the last, which may take the
 * next word; how many words it took, or -1. */
static int cluster(int argc, char *const argv[], int i, unsigned allowed,
		   struct oci_args *a)
{
	const char *p = argv[i] + 1;
	size_t k = NOPTS;

	for (; *p; p++) {
		if ((k = lookup(p, 1, 0, allowed)) == NOPTS)
			return bad(a, "unknown option", argv[i]);
		if (opts[k].value && (p[1] || i + 1 >= argc))
			return bad(a, "needs a value", argv[i]);
		if (apply(k, opts[k].value ? argv[i + 1] : NULL, argv[i], a) < 0)
			return -1;
	}
	return opts[k].value ? 2 : 1;
}

/* One option word (and maybe the next) into a; how many words it took. */
static int option(int argc, char *const argv[], int i, unsigned allowed,
		  struct oci_args *a)
{
	const char *w = argv[i], *value = NULL, *eq;
	int is_long = w[1] == '-';
	size_t k, len;

	w += is_long ? 2 : 1;
	len = (eq = strchr(w, '=')) ? (size_t)(eq - w) : strlen(w);
	if (!is_long && !eq && len > 1)
		return cluster(argc, argv, i, allowed, a);
	if ((k = lookup(w, len, is_long, allowed)) == NOPTS)
		return bad(a, "unknown option", argv[i]);
	if (opts[k].value && !eq && i + 1 >= argc)
		return bad(a, "needs a value", argv[i]);
	if (opts[k].value)
		value = eq ? eq + 1 : argv[i + 1];
	else if (eq)
		return bad(a, "takes no value", argv[i]);
	if (apply(k, value, argv[i], a) < 0)
		return -1;
	return opts[k].value && !eq ? 2 : 1;
}

/* Options from argv[i] on; the index of the first word that is not one. */
static int options(int argc, char *const argv[], int i, unsigned allowed,
		   struct oci_args *a)
{
	int n;

	while (i < argc && argv[i][0] == '-' && argv[i][1]) {
		if (!strcmp(argv[i], "--"))
			return i + 1;
		if (help_word(argv[i])) {
			a->help = 1;
			return argc;
		}
		if ((n = option(argc, argv, i, allowed, a)) < 0)
			return -1;
		i += n;
	}
	return i;
}

/* exec ID CMD...: the command, or --process FILE's (not both). */
static int exec_command_words(int argc, char *const argv[], int i,
			      struct oci_args *a)
{
	if (a->process && i < argc)
		return bad(a, "either --process or a command, not both",
			   argv[i]);
	if (!a->process && i >= argc)
		return bad(a, "needs a command (or --process FILE)", "exec");
	a->cmd_argv = argv + i;
	return 0;
}

/*
 * argv from the first word after the program's name, ending in NULL as
 * main's does.  0 with a filled, or OCI_NONE when the words are `run`
 * without --bundle (the docker-style front door, args.c); -1 with
 * a->error and a->word.  a->env is the caller's room for argc pointers
 * (exec's -e values), kept; NULL refuses -e.
 */
int parse_oci(int argc, char *const argv[], struct oci_args *a)
{
	const char **env = a->env;
	size_t c = 0;
	int i;

	*a = (struct oci_args){ .root = "/run/minictr", .env = env };
	if ((i = options(argc, argv, 0, GLOBAL, a)) < 0)
		return -1;
	a->argi = i;            /* docker's commands start here too */
	if (a->help)            /* minictr [--root DIR] --help */
		return 0;
	if (i >= argc)
		return bad(a, "missing command", "");
	while (c < sizeof commands / sizeof *commands &&
	       strcmp(argv[i], commands[c].name))
		c++;
	if (c == sizeof commands / sizeof *commands)
		return bad(a, "unknown command", argv[i]);
	a->cmd = commands[c].cmd;
	i = options(argc, argv, i + 1, commands[c].opts, a);
	if (i < 0 || a->help) {
		if (a->cmd == OCI_RUN) {  /* docker-style run: not ours */
			a->cmd = OCI_NONE;
			a->help = 0;    /* run --help: args.c's */
		}
		return a->cmd == OCI_NONE || a->help ? 0 : -1;
	}
	if (a->cmd == OCI_RUN && !a->bundle) {
		a->cmd = OCI_NONE;
		return 0;
	}
	if (commands[c].args && i >= argc)
		return bad(a, "needs a container ID", commands[c].name);
	a->id = commands[c].args ? argv[i++] : NULL;
	if (a->cmd == OCI_KILL && i < argc)
		a->signal = argv[i++];
	if (a->cmd == OCI_EXEC)
		return exec_command_words(argc, argv, i, a);
	if (i < argc)
		return bad(a, "one argument too many", argv[i]);
	if (a->signal && parse_signal(a->signal) < 0)
		return bad(a, "not a signal", a->signal);
	return 0;
}

/* --help, or -h, which no command of runc's or docker's but run takes */
int help_word(const char *w)
{
	return !strcmp(w, "--help") || !strcmp(w, "-h");
}

/* runc's rule, bounded: letters, digits, _ + - . ; not "." or "..";
 * so an ID is one path component, never "..", never empty. */
int valid_id(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > ID_MAX || !strcmp(id, ".") || !strcmp(id, ".."))
		return 0;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_+-.") == n;
}

static const struct { const char *name; int sig; } signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
};

/* "9", "KILL", "SIGKILL" (any case): the number, or -1. */
int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s >= '0' && *s <= '9')
		return *end || n < 1 || n > 64 ? -1 : (int)n;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
		if (!strcasecmp(s, signals[i].name))
			return signals[i].sig;
	return -1;
}
