/*
 * main.c - minictr: run a command in new namespaces, as PID 1 with its own
 * /proc.  This file is the front door: help, version, and `run`.
 *
 * The whole container lifecycle, in the order it happens:
 *   parse_run()        args.c   the command line, as a pure function
 *   run_container()    run.c    block signals, status pipe, clone
 *     cgroup_setup()   cgroup.c (limits) the cgroup, made before clone
 *     container_main() init.c   (child) mounts, /proc, hostname, execve
 *       rootfs_enter() rootfs.c (--rootfs) /dev, /sys, volumes, pivot_root
 *       rootfs_finish() rootfs.c (--rootfs) masks, capabilities (caps.c)
 *     pid1_main()      pid1.c   (child, --init) a tiny init as PID 1
 *   supervise()        run.c    forward signals, wait, exit status
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minictr.h"

static const char usage[] =
	"usage: minictr run [OPTIONS] [--] COMMAND [ARG...]\n"
	"       minictr --help | --version\n";

static const char help[] =
	"\n"
	"Run COMMAND as PID 1 in new UTS, PID, mount, network and IPC\n"
	"namespaces, with its own /proc, optionally in its own root filesystem\n"
	"and within cgroup limits.  Needs root.\n"
	"\n"
	"Options of run:\n"
	"  -i, --interactive        keep stdin attached (default: /dev/null)\n"
	"  -t, --tty                allocate a pseudo-terminal, also /dev/console;\n"
	"                           TERM is ours if the root has its terminfo,\n"
	"                           else xterm\n"
	"  -h, --hostname NAME      the container's hostname (default: the host's)\n"
	"  -e, --env KEY[=VALUE]    set a variable; KEY alone copies it from here\n"
	"  -w, --workdir DIR        working directory inside (default: current)\n"
	"      --net none|host      none: only lo, up (default); host: share the network\n"
	"      --init               a tiny init is PID 1; COMMAND runs as PID 2\n"
	"      --stop-timeout SECS  SIGKILL this long after SIGTERM/SIGINT/SIGHUP\n"
	"                           if the container still runs (default: 10);\n"
	"                           a second SIGINT/SIGTERM kills it at once\n"
	"  -m, --memory SIZE        memory limit in bytes, or with k, m, g: 64m\n"
	"      --pids-limit N       at most N processes and threads\n"
	"      --cpus DECIMAL       CPU time, in CPUs: 0.5 is half of one CPU\n"
	"      --cpuset-cpus LIST   run only on these CPUs: 0-1,3\n"
	"      --rootfs DIR         DIR is the container's /, with its own /dev,\n"
	"                           /sys read-only and docker's capability set\n"
	"  -v, --volume HOST:CONTAINER[:ro]\n"
	"                           bind HOST onto CONTAINER (needs --rootfs)\n"
	"      --read-only          make DIR read-only inside (needs --rootfs)\n"
	"      --trace              narrate every step on stderr\n"
	"      --help               show this help\n"
	"\n"
	"Exit status:\n"
	"  N       the command's own exit status\n"
	"  128+N   the command was killed by signal N (137: also when minictr\n"
	"          killed it after --stop-timeout or a second signal; it says so)\n"
	"  125     minictr's own error (usage, set-up, a limit the host lacks)\n"
	"  126     the command was found but could not be executed\n"
	"  127     the command was not found\n";

/* Usage errors: one line, then the synopsis, exit 125.  Nothing runs. */
static _Noreturn void usage_error(const char *what)
{
	error_line(0, "%s", what);
	fputs(usage, stderr);
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

static int cmd_run(int argc, char *argv[])
{
	/* room for one -e or -v per word; a VLA is safe because the kernel
	 * caps argv at a quarter of the stack limit (execve(2), "Limits") */
	const char *env[argc + 1], *volumes[argc + 1];
	struct run_opts o = { .env = env, .volumes = volumes };
	struct parse_error err;
	char why[512], what[600];

	switch (parse_run(argc, argv, &o, &err)) {
	case PARSE_OK:
		return run_container(&o);
	case PARSE_HELP:
		fputs(usage, stdout);
		fputs(help, stdout);
		return 0;
	default:
		format_parse_error(&err, why, sizeof why);
		snprintf(what, sizeof what, "run: %s", why);
		usage_error(what);
	}
}

int main(int argc, char *argv[])
{
	ensure_std_fds();
	if (argc < 2)
		usage_error("missing command");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		fputs(help, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("minictr " MINICTR_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 2, argv + 2);
	if (strcmp(argv[1], "sealed-init") == 0)  /* --rootfs --init's PID 1 */
		sealed_init_main(argc - 2, argv + 2);

	char what[300];
	snprintf(what, sizeof what, "unknown %s '%s'",
		 argv[1][0] == '-' ? "option" : "command", argv[1]);
	usage_error(what);
}
