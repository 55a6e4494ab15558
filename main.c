/*
 * main.c - minictr: run a command in new namespaces, as PID 1 with its own
 * /proc.  This file is the front door: help, version, and `run`.
 *
 * The whole container lifecycle, in the order it happens:
 *   parse_run()        args.c   the command line, as a pure function
 *   run_container()    run.c    block signals, status pipe, clone
 *     cgroup_setup()   cgroup.c (limits) the cgroup, made before clone
 *     etcfiles_make()  etcfiles.c (--rootfs) /etc/hosts..., outside DIR
 *     container_main() init.c   (child) mounts, /proc, hostname, execve
 *       rootfs_enter() rootfs.c (--rootfs) /dev, /sys, pivot_root
 *         mounts_make() mounts.c  volumes, --tmpfs, /etc files, sorted
 *       rootfs_finish() rootfs.c (--rootfs) masks
 *       drop_privileges() caps.c -u's user, groups, capabilities
 *     pid1_main()      pid1.c   (child, --init) a tiny init as PID 1
 *   supervise()        run_watch.c forward signals, wait, exit status
 *   restart_next()     restart.c (--restart) again, after a back-off
 * `boot` (boot.c) prepares a machine around the same run_container().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

static const char usage[] =
	"usage: minictr run [OPTIONS] [--] COMMAND [ARG...]\n"
	"       minictr --help | --version\n"
	"       minictr COMMAND --help | help [COMMAND] | version\n";

static const char help[] =
	"\n"
	"Run COMMAND as PID 1 in new UTS, PID, mount, network and IPC\n"
	"namespaces, with its own /proc, optionally in its own root filesystem\n"
	"and within cgroup limits.  As root, or as a user in a user namespace\n"
	"(rootless: one ID, or /etc/subuid's range through newuidmap).\n"
	"\n"
	"Options of run:\n"
	"  -i, --interactive        keep stdin attached (default: /dev/null)\n"
	"  -t, --tty                allocate a pseudo-terminal, also /dev/console;\n"
	"                           TERM is ours if the root has its terminfo,\n"
	"                           else xterm\n"
	"  -h, --hostname NAME      the container's hostname (default: the host's)\n"
	"  -e, --env KEY[=VALUE]    set a variable; KEY alone copies it from here\n"
	"      --env-file FILE      KEY=VALUE lines (docker's format); -e wins\n"
	"  -w, --workdir DIR        working directory inside (default: current)\n"
	"      --net, --network none|host\n"
	"                           none: only lo, up (default); host: share the network\n"
	"      --init               a tiny init is PID 1; COMMAND runs as PID 2\n"
	"      --stop-timeout SECS  SIGKILL this long after SIGTERM/SIGINT/SIGHUP\n"
	"                           if the container still runs (default: 10);\n"
	"                           a second SIGINT/SIGTERM kills it at once;\n"
	"                           -1: no SIGKILL, wait for ever (docker's)\n"
	"      --restart POLICY     no (default), on-failure[:N] (at most N times),\n"
	"                           always: start it again when it exits, after\n"
	"                           100 ms, doubling (docker's); never after a stop\n"
	"                           signal, a failed start or a kill (any signal)\n"
	"  -m, --memory SIZE        memory limit, as docker reads it: bytes, or\n"
	"                           k, m, g, t, p (also kb, KiB...): 64m, 1.5g\n"
	"                           (at least 6m, at most 9223372036854775295,\n"
	"                           docker's largest; 0: none)\n"
	"      --memory-swap SIZE   memory and swap together, as docker: at least\n"
	"                           -m (equal: no swap, the default); -1: swap\n"
	"                           unlimited; needs -m\n"
	"      --pids-limit N       at most N processes and threads (-1: none)\n"
	"      --cpus DECIMAL       CPU time, in CPUs: 0.5 (or .5, 1/2) is half\n"
	"                           of one CPU (at most the CPUs minictr may run\n"
	"                           on; 0: none)\n"
	"      --cpuset-cpus LIST   run only on these CPUs: 0-1,3\n"
	"      --rootfs DIR         DIR is the container's /, with its own /dev,\n"
	"                           /sys read-only, /etc/hosts, /etc/hostname,\n"
	"                           /etc/resolv.conf, and docker's capability set\n"
	"                           less CAP_MKNOD\n"
	"  -v, --volume HOST:CONTAINER[:ro|:rw]\n"
	"                           bind HOST onto CONTAINER (needs --rootfs);\n"
	"                           :ro is read-only all the way down; not on\n"
	"                           /proc (the container's own)\n"
	"      --tmpfs PATH[:OPTIONS]\n"
	"                           a tmpfs at PATH (needs --rootfs); OPTIONS:\n"
	"                           size=64m (k, m, g, t, p, e: the kernel's),\n"
	"                           mode=1777,ro,exec... (default:\n"
	"                           rw,nosuid,nodev,noexec)\n"
	"      --read-only          make DIR read-only inside (needs --rootfs)\n"
	"      --shm-size SIZE      /dev/shm's size, in -m's units (default: 64m,\n"
	"                           docker's; needs --rootfs)\n"
	"      --userns auto|host   as root, auto: a user namespace mapped to a\n"
	"                           free slice of root's /etc/subuid range, so\n"
	"                           root inside is an unprivileged uid outside\n"
	"                           (default: host)\n"
	"      --cgroupns host|private\n"
	"                           private: its own cgroup namespace, and with\n"
	"                           --rootfs its own read-only /sys/fs/cgroup\n"
	"                           (default: private with --rootfs on v2)\n"
	"  -u, --user USER[:GROUP]  run as USER: a name from the container's own\n"
	"                           /etc/passwd (HOME too) or a number; no\n"
	"                           capabilities unless USER is root\n"
	"      --group-add GROUP    one more supplementary group (name or number)\n"
	"                           with or without -u\n"
	"      --cap-add CAP, --cap-drop CAP\n"
	"                           add or drop a capability: NET_ADMIN,\n"
	"                           cap_chown, ALL (docker's rule); MKNOD\n"
	"                           with --rootfs: runc's device policy too\n"
	"      --privileged         every capability, nothing masked, /sys\n"
	"                           read-write, no seccomp profile (docker's)\n"
	"      --security-opt no-new-privileges[=true|false]\n"
	"                           no setuid gain (default: on with --rootfs)\n"
	"      --security-opt seccomp=unconfined|PROFILE.json\n"
	"                           the seccomp profile (default: docker's, for\n"
	"                           the container's capabilities); unconfined\n"
	"                           keeps only the TIOCSTI rule\n"
	"  -d, --detach             run in the background: print the ID, exit 0;\n"
	"                           a monitor waits for it and keeps its output\n"
	"                           (not with -t: minictr has no attach)\n"
	"      --name NAME          a name to find it by (also in the foreground);\n"
	"                           -d without it makes one up\n"
	"      --rm                 remove it when it ends\n"
	"      --trace              narrate every step on stderr\n"
	"      --help               show this help\n"
	"\n"
	"Named and detached containers (docker's commands; state under --root,\n"
	"default /run/minictr, as the OCI commands; NAME is a name, an ID or a\n"
	"unique prefix of an ID; a failure exits 1, a usage error 125):\n"
	"  minictr [--root DIR] run -d|--name ...   as above\n"
	"  ps [-a] [-q] [--format json]   containers (running; -a: all)\n"
	"     [--no-trunc]                whole IDs and commands\n"
	"  ps [--format table|json] NAME  runc's ps: the pids of one\n"
	"  logs [-f] [--tail N] NAME      what a -d one wrote (last MiB)\n"
	"  stop [-t SECS] NAME...         SIGTERM, SIGKILL after SECS (default:\n"
	"                                 its --stop-timeout, 10; -1: never)\n"
	"                                 and no more --restart, even waiting\n"
	"  kill [-s SIGNAL] NAME...       (default KILL); runc's kill ID [SIGNAL]\n"
	"                                 when ID is exact or SIGNAL is given\n"
	"                                 and no more --restart, even waiting\n"
	"  rm [-f] NAME...                remove a stopped one (-f: kill it first)\n"
	"                                 (waiting to --restart: needs -f)\n"
	"  wait NAME...                   until it stops (--restart: exits): its\n"
	"                                 exit status\n"
	"  inspect NAME...                its state and how it was started, JSON\n"
	"  also docker's long forms: ps --all, --quiet; logs --follow, --tail\n"
	"  as -n; stop --time, --timeout; kill --signal\n"
	"\n"
	"As an OCI runtime (runc's command line: containerd, docker, podman):\n"
	"  minictr [--root DIR] [--log FILE] [--log-format text|json]\n"
	"          [--systemd-cgroup] [--debug] COMMAND\n"
	"    create [--bundle|-b DIR] [--pid-file FILE] [--console-socket PATH]\n"
	"           [--no-pivot] [--no-new-keyring] [--preserve-fds N] ID\n"
	"                           set up DIR/config.json's container; its\n"
	"                           init waits for start; minictr exits\n"
	"                           (Ctrl-C meanwhile: nothing left, 128+N)\n"
	"    start ID               run the command of a created container\n"
	"                           (its execve failing: one line, 126 or 127)\n"
	"    state ID               its state, as JSON\n"
	"    kill [--all|-a] ID [SIGNAL]   (default SIGTERM; 9, KILL, SIGKILL)\n"
	"    delete [--force|-f] ID (SIGKILL it first if it runs)\n"
	"    run --bundle DIR [--detach] ID   create, start, wait\n"
	"                           (a terminal: relayed, as run -t's)\n"
	"    spec [--bundle DIR]    write a config.json with minictr's defaults\n"
	"         [--rootless]      ... for this user: a user namespace mapping\n"
	"                           its uid and gid to 0, no network namespace\n"
	"    exec [--process FILE] [--detach|-d] [--pid-file FILE]\n"
	"         [--console-socket PATH] [--tty|-t] [--interactive|-i]\n"
	"         [--env|-e K=V] [--cwd|--workdir|-w DIR] [--user|-u USER[:GROUP]]\n"
	"         [--preserve-fds N] [--trace] ID [COMMAND [ARG...]]\n"
	"                           run COMMAND (or FILE's OCI process) in a\n"
	"                           created or running container: its init's\n"
	"                           namespaces, cgroups, capabilities, seccomp;\n"
	"                           env: the container's, then -e; stdin only\n"
	"                           with -i or --process; --detach writes the\n"
	"                           pid file and exits, else minictr waits,\n"
	"                           relays -t, and exits with its status\n"
	"    features               what minictr implements, as runc's JSON\n"
	"    list [--format|-f table|json] [--quiet|-q]\n"
	"                           the containers of --root: ID PID STATUS\n"
	"                           BUNDLE CREATED OWNER, or runc's JSON array\n"
	"    ps [--format table|json] ID   the pids of its processes (json: an\n"
	"                           array)\n"
	"  --root: the state directories (default /run/minictr; a user's:\n"
	"  $XDG_RUNTIME_DIR/minictr); an OCI command's failure exits 125\n"
	"  (126, 127: the command cannot run, or is not in the container's\n"
	"  PATH), one line on stderr and in --log\n"
	"\n"
	"As a machine's init (the kernel's rdinit=/minictr -- boot run ...):\n"
	"  minictr boot [--hostname NAME] [--config FILE] [--dry-run] [--]\n"
	"               run [OPTIONS] COMMAND [ARG...]\n"
	"  boot mounts /proc, /sys, /dev (devpts, shm), /run, /tmp, cgroup2,\n"
	"  opens /dev/console, sets the hostname (default minictr), brings lo up,\n"
	"  runs the container as run does, reaps orphans, stops it on\n"
	"  Ctrl-Alt-Del, SIGTERM or SIGPWR, prints 'minictr: container exited\n"
	"  with status N' (or, if its command never started, 'minictr: boot\n"
	"  failed') and powers off.  /etc/minictr/boot (--config) holds more\n"
	"  words, the command line's win; --dry-run prints what it would run.\n"
	"\n"
	"Exit status:\n"
	"  N       the command's own exit status\n"
	"  128+N   the command was killed by signal N (137: also when minictr\n"
	"          killed it after --stop-timeout or a second signal; it says so)\n"
	"  125     minictr's own error (usage, set-up, a limit the host lacks)\n"
	"  126     the command was found but could not be executed\n"
	"  127     the command was not found\n";

/*
 * `CMD --help` (a->help, d->help): CMD's lines of the help above, each
 * a line that starts with CMD in the commands' columns and the more
 * indented lines under it, so there is one text; NULL: all of it.
 */
static int print_help(const char *cmd)
{
	size_t n = cmd ? strlen(cmd) : 0, in = 0, ind;
	const char *l, *end;
	int first;

	fputs(cmd ? "usage:\n" : usage, stdout);
	for (l = help; cmd && *l; l = end + 1) {
		end = strchr(l, '\n');
		ind = strspn(l, " ");
		first = ind <= 4 && !strncmp(l + ind, cmd, n) && l[ind + n] == ' ';
		if (first)
			in = ind;
		else if (ind <= in || l == end)
			in = 0;         /* the next command's, or prose */
		if (in)
			printf("  %s%.*s\n", first ? "minictr " : "        ",
			       (int)(end - l - in), l + in);
	}
	if (!cmd)
		fputs(help, stdout);
	return 0;
}

/* Usage errors: one line, exit 125.  Nothing runs.  Only one: a
 * synopsis after it would be `run`'s for every command, and a caller
 * reading the first line (`2>&1 | head -1`) would die of SIGPIPE. */
static _Noreturn void usage_error(const char *what)
{
	error_line(0, "%s", what);
	exit(EXIT_SETUP);
}

/*
 * If minictr was started with 0, 1 or 2 closed, the first file it opens
 * would take that number and the container would write into our status
 * pipe.  Fill any hole with /dev/null first.
 */
static void ensure_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", O_RDWR) != fd)
			die("open /dev/null");
}

/* A file run was given that read_whole() could not read: one line. */
static _Noreturn void unreadable(const char *what, const char *path)
{
	error_line(0, "run: %s %s: %s", what, path, read_error(errno));
	exit(EXIT_SETUP);
}

/* FILE's bytes, up to ENV_FILE_MAX, with room for env_file_parse()'s
 * last NUL; *len: how many.  A file that cannot be read (a FIFO: not a
 * regular file, read_whole) is a usage error. */
static char *read_env_file(const char *path, size_t *len)
{
	char *buf = read_whole(path, len);

	if (!buf)
		unreadable("--env-file", path);
	if (*len > ENV_FILE_MAX) {
		error_line(0, "run: --env-file %s: larger than %d MiB, the "
			   "environment execve(2) can pass", path,
			   ENV_FILE_MAX >> 20);
		exit(EXIT_SETUP);
	}
	return buf;
}

/*
 * --env-file: read each FILE in order and put its entries before the -e
 * values (docker's precedence, see env.c), into a new o->env.  Reading
 * is done here, in the front door: env_file_parse() only sees bytes.
 * Nothing is freed: the entries point into the files' buffers, and
 * without free() musl links its small malloc (5 KiB less).
 */
static void add_env_files(struct run_opts *o)
{
	int nfiles = o->nenv_files, room = o->nenv + 1, n = 0;
	char *bufs[nfiles + 1];
	size_t lens[nfiles + 1];
	const char **env;

	for (int i = 0; i < nfiles; i++) {
		bufs[i] = read_env_file(o->env_files[i], &lens[i]);
		room += env_file_lines(bufs[i], lens[i]);
	}
	if (!nfiles)
		return;
	env = malloc(room * sizeof *env);
	if (!env)
		die("run: --env-file");
	for (int i = 0; i < nfiles; i++) {
		struct env_file_error err;
		int k = env_file_parse(bufs[i], lens[i], env + n, &err);

		if (k < 0) {
			error_line(0, "run: --env-file %s:%d: %s",
				   o->env_files[i], err.line, err.reason);
			exit(EXIT_SETUP);
		}
		n += k;
	}
	memcpy(env + n, o->env, o->nenv * sizeof *env);
	o->env = env;
	o->nenv += n;
}

/* --security-opt seccomp=FILE: read here, parsed by seccomp_load();
 * then the filter, compiled before anything is made (seccomp.c). */
static void add_seccomp(struct run_opts *o)
{
	static struct sc_profile profile;
	char where[96];
	const char *why;
	size_t len;
	char *text;

	if (o->seccomp_file) {
		if (!(text = read_whole(o->seccomp_file, &len)))
			unreadable("seccomp profile", o->seccomp_file);
		if ((why = seccomp_load(text, len, &profile, where, sizeof where))) {
			error_line(0, "run: seccomp profile %s: %s%s%s",
				   o->seccomp_file, where, where[0] ? ": " : "",
				   why);
			exit(EXIT_SETUP);
		}
		o->seccomp = &profile;
	}
	if ((why = seccomp_prepare(o))) {
		error_line(0, "run: seccomp profile %s: %s", o->seccomp_file ?
			   o->seccomp_file : "(docker's default)", why);
		exit(EXIT_SETUP);
	}
}

/* How cmd_run() runs what it parsed: `run`, `boot` as PID 1 (o.machine),
 * or `boot --dry-run` (parse only).  root: --root, the state dirs; ran:
 * boot's, set to whether the command was started (o.ran), or NULL. */
enum run_mode { RUN_NORMAL, RUN_MACHINE, RUN_CHECK };

static int cmd_run(int argc, char *argv[], const char *root,
		   enum run_mode mode, int *ran)
{
	/* room for one -e, --env-file, -v or --tmpfs per word; a VLA is safe
	 * because the kernel caps argv at a quarter of the stack limit
	 * (execve(2), "Limits") */
	const char *env[argc + 1], *env_files[argc + 1], *volumes[argc + 1];
	const char *tmpfs[argc + 1], *group_add[argc + 1];
	struct run_opts o = { .env = env, .env_files = env_files,
			      .volumes = volumes, .tmpfs = tmpfs,
			      .group_add = group_add };
	struct parse_error err;
	char why[512], what[600];

	switch (parse_run(argc, argv, &o, &err)) {
	case PARSE_OK:
		add_env_files(&o);
		o.root = root;
		o.machine = mode == RUN_MACHINE;
		o.ran = ran;
		if (o.detach && o.tty)
			usage_error("run: -d -t: a detached container's terminal "
				    "needs attach, which minictr lacks: use -d "
				    "without -t (its output is in `logs`)");
		if (o.detach && mode != RUN_NORMAL)     /* boot's */
			usage_error("boot: run -d: the machine powers off as "
				    "soon as run returns, its container with "
				    "it: leave -d out");
		add_seccomp(&o);
		if (mode == RUN_CHECK)
			return 0;
		if (o.detach || o.name)         /* ps, stop, exec see it */
			return detach_run(&o);
		return run_container(&o);
	case PARSE_HELP:
		return print_help(NULL);
	default:
		format_parse_error(&err, why, sizeof why);
		snprintf(what, sizeof what, "run: %s", why);
		usage_error(what);
	}
}

/*
 * `kill WORD...`: runc's or docker's?  runc's when WORD is exactly a
 * container's ID, or names none (the error is runc's, as its callers
 * read it); docker's when it is a name or an ID prefix, or an option
 * runc lacks (-s) came first.  (A SIGNAL after a name: main() says.)
 */
static int runc_kill(const struct oci_args *a)
{
	char path[PATH_MAX_OCI], id[ID_MAX + 1];
	struct stat st;

	if (!a->id)
		return 0;
	snprintf(path, sizeof path, "%s/%s", a->root, a->id);
	if (valid_id(a->id) && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 1;
	return container_find(a->root, a->id, id, sizeof id) < 0;
}

/* runc's kill with a name or an ID prefix: the ID it stands for. */
static struct oci_args *by_name(struct oci_args *a)
{
	static char id[ID_MAX + 1];

	if (container_find(a->root, a->id, id, sizeof id) == 0)
		a->id = id;
	return a;
}

/*
 * docker's ps, logs, stop, kill, rm, wait, inspect (dockerargs.c), after
 * the global options; returns only when the words are none of them.
 * Their usage errors exit 125, as docker's CLI does.
 */
static void docker_door(int argc, char *argv[], const struct oci_args *a)
{
	int i = a->argi + 1;
	char *names[argc + 1];
	struct docker_args d;
	char what[300];

	if (i >= argc)
		return;
	if (parse_docker(argc - i, argv + i, &d, names) == 0)
		exit(d.help ? print_help(argv[i]) : docker_main(&d, a->root));
	if (d.cmd == DOCKER_NONE)
		return;
	if (d.value)                    /* as run's: the value, its option */
		snprintf(what, sizeof what, "%s: invalid value '%s' for '%.*s': "
			 "%s", argv[i], d.value, (int)strcspn(d.word, "="),
			 d.word, d.error);
	else if (strcmp(d.word, argv[i]))  /* the command's name first */
		snprintf(what, sizeof what, "%s: %s: %s", argv[i], d.word,
			 d.error);
	else
		snprintf(what, sizeof what, "%s: %s", d.word, d.error);
	usage_error(what);
}

/* A command line neither door took: one line, in the caller's log too
 * (a command minictr lacks, exec or ps, is an error an engine reads
 * there). */
static _Noreturn void command_error(const struct oci_args *a)
{
	char what[300];
	int fd = a->log ? open(a->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			       0644) : -1;

	if (fd >= 0)
		msg_log_to(fd, a->log_json);
	if (!a->error)          /* --root ... run, without --bundle */
		snprintf(what, sizeof what, "run: --bundle, after global "
			 "options");
	else if (a->cmd == OCI_NONE && (!strcmp(a->error, "unknown command") ||
					!strcmp(a->error, "unknown option")))
		snprintf(what, sizeof what, "%s '%s'", a->error, a->word);
	else
		snprintf(what, sizeof what, "%s%s%s", a->word,
			 a->word[0] ? ": " : "", a->error);
	usage_error(what);
}

/* A user's `run --name`/`-d` and docker's commands keep their state
 * where the OCI commands do (state_root(): $XDG_RUNTIME_DIR/minictr), so
 * that ps, exec, stop and rm find it; without XDG_RUNTIME_DIR, --root's
 * default stays, and saying why is the OCI door's (oci_main). */
static void user_state(struct oci_args *a)
{
	static char rt[PATH_MAX_OCI];
	const char *root = state_root(a->root, rt, sizeof rt);

	if (root)
		a->root = root;
}

/* `boot` (boot.c): the machine, then the same run as `run`'s. */
static _Noreturn void cmd_boot(int argc, char *argv[])
{
	struct boot_opts b;
	int status, ran = 0;

	if (argc > 0 && strcmp(argv[0], "--help") == 0 && getpid() != 1) {
		exit(print_help(NULL));         /* a user's, not a kernel's */
	}
	if (boot_start(argc, argv, &b)) {       /* --dry-run */
		status = cmd_run(b.nrun, (char **)b.run, NULL, RUN_CHECK,
				 NULL);
		boot_print(&b);
		boot_end(status, 0);
	}
	/* ran: a container's own 125 is its status, not a boot failure */
	status = cmd_run(b.nrun, (char **)b.run, "/run/minictr", RUN_MACHINE,
			 &ran);
	boot_end(status, ran);
}

int main(int argc, char *argv[])
{
	const char *env[argc + 1];      /* exec's -e values (a VLA: cmd_run) */
	struct oci_args a = { .env = env };
	int boot, parsed;

	/* docker's `help [CMD]`, `version`: --help, CMD --help, --version */
	if (argc == 2 && !strcmp(argv[1], "help"))
		argv[1] = "--help";
	else if (argc == 3 && !strcmp(argv[1], "help"))
		argv[1] = argv[2], argv[2] = "--help";
	if (argc == 2 && !strcmp(argv[1], "version"))
		argv[1] = "--version";
	boot = boot_wanted(argc, argv);

	/* before ensure_std_fds(): as the kernel's init, 0-2 may be closed
	 * with no /dev/null to fill them; boot.c opens /dev/console */
	if (boot)
		cmd_boot(argc - boot, argv + boot);
	ensure_std_fds();
	if (argc < 2)
		usage_error("missing command (see minictr --help)");
	/* runc's commands (ociargs.c); `run` without --bundle is ours; runc's
	 * `kill REF [SIGNAL]` or docker's `kill [-s SIGNAL] NAME...`: by the
	 * form (runc_kill) */
	parsed = parse_oci(argc - 1, argv + 1, &a);
	user_state(&a);
	if (parsed == 0 && a.help)      /* [--root DIR] [CMD] --help */
		return print_help(a.cmd ? argv[a.argi + 1] : NULL);
	if (parsed == 0) {
		if (a.cmd == OCI_NONE)          /* [--root DIR] run ... */
			return cmd_run(argc - a.argi - 2, argv + a.argi + 2,
				       a.root, RUN_NORMAL, NULL);
		if (a.cmd != OCI_KILL || runc_kill(&a))
			return oci_main(&a);
		if (a.signal)           /* kill NAME SIGNAL: runc's, by name */
			return oci_main(by_name(&a));
	} else if (a.cmd == OCI_KILL && runc_kill(&a)) {
		command_error(&a);      /* kill ID NOSIG: runc's error */
	}
	docker_door(argc, argv, &a);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-v") == 0) {
		/* runc's shape: podman info shows the first line */
		puts("minictr version " MINICTR_VERSION "\nspec: 1.0.2");
		return 0;
	}
	if (strcmp(argv[1], "sealed-init") == 0)  /* --rootfs --init's PID 1 */
		sealed_init_main(argc - 2, argv + 2);

	command_error(&a);
}
