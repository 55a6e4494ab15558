/*
 * init.c - the child side: turn a fresh clone into the container, then
 * become the command with execve.
 *
 * The steps run in this order, and the order matters:
 *   0. the ids first         a user namespace: wait for the maps (userns.c)
 *      the cgroup            with a limit: wait until placed (cgroup.c),
 *                            then a cgroup namespace of its own (cgroupns.c)
 *      OCI hooks             the runtime's prestart, createRuntime (hooks.c)
 *   1. die with the parent   prctl(PR_SET_PDEATHSIG), race checked
 *   2. a new session         setsid(2): no controlling terminal...
 *   3. stdin                 /dev/null unless -i or -t
 *   4. private mounts        mount(2) MS_REC|MS_PRIVATE on /, BEFORE ...
 *      --rootfs              ... DIR becomes / (rootfs.c), BEFORE ...
 *   5. a fresh /proc         ... mount(2) of proc for our pid namespace
 *      -t                    ...but a terminal from our own /dev/ptmx, as
 *                            controlling terminal, 0, 1, 2 and
 *                            /dev/console (pty.c)
 *   6. hostname              sethostname(2)
 *   7. lo up                 see ns.c
 *   8. environment           see env.c: nothing of the host's leaks in;
 *                            TERM only if the new root has its terminfo;
 *                            HOME from -u's passwd entry (caps.c)
 *   9. workdir               chdir(2); missing is an error, never created
 *      config.json           umask, rlimits, OOM score (process.c)
 *      --rootfs              masks (rootfs.c)
 *      privileges            the user, its groups, no_new_privs,
 *                            capabilities, in the kernel's order (caps.c);
 *                            then the parent-death signal again, which a
 *                            change of user clears
 *      OCI create            ready; block on exec.fifo until start (created.c)
 *  10. signals reset         sigprocmask(2), sigaction(2)
 *  11. fds above 2 closed    close_range(2)
 *  12. seccomp              the container's filter (docker's default
 *                            profile, or the one given), which always
 *                            refuses TIOCSTI: seccomp.c, seccomp_bpf.c
 *                            (before the privileges go when seccomp(2)
 *                            needs it, and before --init's PID 1)
 *  13. execve(2)             the command becomes PID 1 (or 2 with --init),
 *                            found in the container's PATH as execvp(3) does
 *
 * A failing step writes a struct child_report into the status pipe and
 * exits (fail(), msg.c); the parent prints it as one line.  The pipe is
 * O_CLOEXEC, so a successful execve closes it and the parent reads EOF.
 * This process was made by a raw clone(2): ns.c says what is safe here
 * (malloc and stdio are; raise, abort and exit(3) are not).
 * Man pages: mount_namespaces(7), proc(5), pid_namespaces(7), execve(2).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "minictr.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)   /* linux/close_range.h */
#endif

extern char **environ;

/*
 * If minictr dies, even by SIGKILL, the kernel sends us SIGKILL: the
 * container never outlives the runtime that waits for it.  The kernel
 * delivers it to a namespace's PID 1 because it comes from outside.
 * The race: minictr may have died before prctl().  getppid() cannot tell
 * (it is 0 for a PID 1 whose parent is in another namespace), but the
 * status pipe can: minictr holds its only read end, and poll(2) on our
 * write end reports POLLERR once no reader is left.
 */
static void die_with_parent(int report_fd)
{
	struct pollfd p = { .fd = report_fd, .events = POLLOUT };

	if (traced(prctl(PR_SET_PDEATHSIG, SIGKILL),
		   "prctl(PR_SET_PDEATHSIG, SIGKILL)") < 0)
		fail(report_fd, EXIT_SETUP, errno, "prctl PR_SET_PDEATHSIG");
	if (poll(&p, 1, 0) == 1 && (p.revents & POLLERR))
		_exit(EXIT_SETUP);
}

/*
 * Without -t, stdout and stderr stay minictr's, and stdin is /dev/null
 * unless -i: the command never reads the caller's input.  (With -t, all
 * three are the container's terminal, opened once the mounts are made.)
 * An exec's process too (exec.c).
 */
void setup_stdin(const struct run_opts *o, int report_fd)
{
	int fd;

	if (o->tty || o->interactive)
		return;
	fd = traced(open("/dev/null", O_RDONLY | O_CLOEXEC),
		    "open(\"/dev/null\", O_RDONLY|O_CLOEXEC)");
	if (fd < 0 || traced(dup2(fd, STDIN_FILENO), "dup2(%d, 0)", fd) < 0)
		fail(report_fd, EXIT_SETUP, errno, "open /dev/null");
	close(fd);
}

/* -d: stdout and stderr are the monitor's log pipe (logfile.c). */
static void setup_output(const struct console *con, int report_fd)
{
	if (con->output < 0)
		return;
	if (traced(dup2(con->output, STDOUT_FILENO), "dup2(%d, 1)",
		   con->output) < 0 ||
	    traced(dup2(con->output, STDERR_FILENO), "dup2(%d, 2)",
		   con->output) < 0)
		fail(report_fd, EXIT_SETUP, errno, "the log pipe");
	close(con->output);
}

/*
 * The kernel's trap, and the seed's bug: CLONE_NEWNS copies the mount
 * table, but a mount point that is "shared" (systemd makes / rshared at
 * boot) stays in the same peer group as the host's.  A /proc mounted on
 * it would propagate back to the host and hide the host's own /proc.
 * Making every mount private first, recursively, cuts the link.
 * Then a fresh proc: it shows the pid namespace of whoever mounts it, so
 * `ps` inside sees only the container's processes.
 */
static void setup_mounts(const struct run_opts *o, int report_fd)
{
	/* source and type mean nothing to a propagation change: "none" */
	if (traced_mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0) {
		if (errno != EINVAL)
			fail(report_fd, EXIT_SETUP, errno, "make / private");
		root_mount_point(report_fd);    /* in a chroot: chroot.c */
		if (traced_mount("none", "/", "none", MS_REC | MS_PRIVATE,
				 NULL) < 0)
			fail(report_fd, EXIT_SETUP, errno, "make / private");
	}
	if (o->rootfs)
		rootfs_enter(o, report_fd);     /* from here, / is DIR */
	if (o->rootfs && userns_on())
		return;                 /* mounted before pivot_root: rootfs.c */
	if (traced_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV |
			 MS_NOEXEC, NULL) < 0)
		fail(report_fd, EXIT_SETUP, errno, "mount /proc");
}

/* Set the hostname (a new UTS namespace starts with a copy of the host's)
 * and write the HOSTNAME=... entry for the environment into entry. */
static void setup_hostname(const struct run_opts *o, int report_fd,
			   char *entry, size_t len)
{
	struct utsname u;

	if (o->hostname &&
	    traced(sethostname(o->hostname, strlen(o->hostname)),
		   "sethostname(\"%s\", %zu)", o->hostname,
		   strlen(o->hostname)) < 0)
		fail(report_fd, EXIT_SETUP, errno, "sethostname %s", o->hostname);
	uname(&u);
	snprintf(entry, len, "HOSTNAME=%s", u.nodename);
}

/*
 * Signals: minictr's parent blocked the ones it forwards, and minictr's
 * own caller may have set some to SIG_IGN (nohup, some CI runners ignore
 * SIGPIPE).  Both survive execve, so the command would inherit them.
 */
static void reset_signals(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;

	trace("every signal's action back to SIG_DFL: sigaction(2) for 1..%d",
	      NSIG - 1);
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);   /* SIGKILL, SIGSTOP: EINVAL */
	sigemptyset(&none);
	traced(sigprocmask(SIG_SETMASK, &none, NULL),
	       "sigprocmask(SIG_SETMASK, [], NULL)");
}

/*
 * Only 0, 1 and 2 reach the command (and, for `create --preserve-fds N`,
 * the N after them, as runc passes them): any other fd minictr inherited
 * (a caller's socket, a log file) would leak into the container.
 * close_range(2) (Linux 5.11 for CLOSE_RANGE_CLOEXEC) marks them all
 * close-on-exec in one call: the status pipe stays usable until execve.
 * Older kernels, common on boards: walk /proc/self/fd (our own /proc by
 * now) with getdents(2), which needs no malloc.
 */
static void close_fds_on_exec(int first)
{
	char buf[1024];
	long n;
	int dir;

	if (traced(syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC),
		   "close_range(%d, ~0U, CLOSE_RANGE_CLOEXEC)", first) == 0)
		return;
	dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (dir >= 0 && (n = getdents(dir, (void *)buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			struct dirent *e = (struct dirent *)(buf + off);
			int fd = atoi(e->d_name);
			if (fd >= first && fd != dir)
				fcntl(fd, F_SETFD, FD_CLOEXEC);
			off += e->d_reclen;
		}
	}
	if (dir >= 0)
		close(dir);
}

/* argv as --trace shows it: ["sh", "-c", "echo hi"], cut at len. */
static const char *argv_text(char *const argv[], char *buf, size_t len)
{
	size_t n = snprintf(buf, len, "[");

	for (int i = 0; argv[i] && n < len; i++)
		n += snprintf(buf + n, len - n, "%s\"%s\"", i ? ", " : "",
			      argv[i]);
	if (n < len)
		snprintf(buf + n, len - n, "]");
	return buf;
}

/* One execve(2), narrated with --trace (only a failure returns). */
static void traced_execve(const char *path, char *const argv[],
			  const char **envp)
{
	char args[200];
	int nvars = 0;

	while (envp[nvars])
		nvars++;
	traced(execve(path, argv, (char *const *)envp),
	       "execve(\"%s\", %s, [%d vars])", path,
	       argv_text(argv, args, sizeof args), nvars);
}

/*
 * execvp(3), written out so that --trace can show every execve(2) it
 * makes, and so that the PATH searched is the container's (envp), not
 * minictr's.  A name with a '/' is run as it is; another is tried in
 * each directory of PATH in turn (musl's rules: an empty entry is the
 * current directory; ENOENT, ENOTDIR and EACCES go on to the next one,
 * and EACCES is what is reported if any said so; any other error stops).
 * Returns only on failure, with errno set.
 */
static void exec_path(char *const argv[], const char **envp)
{
	const char *file = argv[0], *dirs = "/usr/local/bin:/bin:/usr/bin";
	int eacces = 0;
	char path[4096];

	if (*file == '\0') {
		errno = ENOENT;
		return;
	}
	if (strchr(file, '/')) {
		traced_execve(file, argv, envp);
		return;
	}
	for (int i = 0; envp[i]; i++)
		if (strncmp(envp[i], "PATH=", 5) == 0)
			dirs = envp[i] + 5;
	for (const char *d = dirs, *end; ; d = end + 1) {
		end = d + strcspn(d, ":");
		if (snprintf(path, sizeof path, "%.*s%s%s", (int)(end - d), d,
			     end > d ? "/" : "", file) < (int)sizeof path) {
			traced_execve(path, argv, envp);
			if (errno == EACCES)
				eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return;
		}
		if (*end == '\0')
			break;
	}
	errno = eacces ? EACCES : ENOENT;
}

/*
 * Step 12, the seccomp filter, once: the container's own (seccomp.c:
 * docker's default profile, the one given, or the one exec found in
 * ROOT/ID/seccomp.bpf), else the TIOCSTI filter.  seccomp(2) needs
 * no_new_privs or CAP_SYS_ADMIN: without no_new_privs (no --rootfs, or
 * --security-opt no-new-privileges=false), when the command may lose
 * CAP_SYS_ADMIN (a user, capabilities), it is installed before the
 * privileges go (caps.c), as runc does; later calls, in this process or
 * a sealed --init's children, see it in place (PR_GET_SECCOMP says 2).
 */
static void enter_filter(const struct run_opts *o, int report_fd)
{
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
		seccomp_enter(o, report_fd);
}

/* Before drop_privileges(), for run and exec alike: the filter now when
 * no_new_privs is off and the command may lose CAP_SYS_ADMIN (above). */
void filter_before_drop(const struct run_opts *o, int report_fd)
{
	if (!o->no_new_privs && (o->rootfs || o->caps_given || o->user ||
				 o->has_ids))
		enter_filter(o, report_fd);
}

/* Steps 10-13: become the command.  Shared with pid1.c (--init). */
_Noreturn void exec_command(const struct run_opts *o, const char **envp,
			    int report_fd)
{
	int err;

	reset_signals();
	/* OCI --preserve-fds N (and LISTEN_FDS): 3 to 3+N-1 go through */
	close_fds_on_exec(3 + o->preserve_fds);
	enter_filter(o, report_fd);
	trace(strchr(o->argv[0], '/') ? "the command: \"%s\", by execve(2), "
	      "which does not return when it works" : "the command: \"%s\", "
	      "by execve(2) in each PATH directory until one works (that one "
	      "does not return)", o->argv[0]);
	exec_path(o->argv, envp);
	err = errno;
	fail(report_fd, err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN, err,
	     "exec %s", o->argv[0]);
}

/* First: wait until the parent has put us where we belong, each in the
 * order the kernel needs. */
static void await_parent(const struct run_opts *o, int report_fd)
{
	etcfiles_hold();        /* --userns=auto: while still the host's root */
	userns_wait(report_fd); /* a user namespace: until its ids are mapped */
	cgroup_wait();          /* with limits: until we are in the cgroup */
	cgroupns_enter(o, report_fd);   /* --cgroupns=private: only then */
	hooks_wait(o);          /* with hooks: until prestart's have run */
}

/* -u's user looked up in our root (into creds), and the command's
 * environment built into envp (work: env_build's room for sorting).
 * envp points into hostname_entry and home_entry: the caller's, alive
 * until execve. */
static void setup_user_env(const struct run_opts *o,
			   const char *hostname_entry, char *home_entry,
			   size_t home_len, struct user_creds *creds,
			   struct env_entry *work, const char **envp,
			   int report_fd)
{
	int keep_term;

	if (!envp || !work)
		fail(report_fd, EXIT_SETUP, errno, "environment");
	/* TERM: the caller's only if our root (DIR by now) knows it */
	keep_term = o->tty && getenv("TERM") && terminfo_has(getenv("TERM"));
	user_lookup(o, creds, report_fd);       /* -u: our root's files */
	snprintf(home_entry, home_len, "HOME=%.*s", creds->home_len,
		 creds->home);
	trace("environment: %d variables", env_build(o, environ, hostname_entry,
						     home_entry, keep_term, work,
						     envp));
}

/* The child's whole life, steps 1-9, then exec (or --init's PID 1). */
_Noreturn void container_main(const struct run_opts *o, int report_fd,
			      const struct console *con)
{
	char hostname_entry[80], home_entry[4100];
	struct user_creds creds;
	/* one pointer and one sort slot per variable, so thousands of -e
	 * cannot overflow the stack: from the heap, freed by execve */
	const char **envp = malloc(env_size(o) * sizeof *envp);
	struct env_entry *work = malloc(env_size(o) * sizeof *work);

	msg_in_container();
	await_parent(o, report_fd);
	if (!o->oci)            /* OCI: the container outlives `create` */
		die_with_parent(report_fd);
	if (traced(setsid(), "setsid()") < 0)
		fail(report_fd, EXIT_SETUP, errno, "setsid");
	setup_stdin(o, report_fd);
	setup_output(con, report_fd);
	setup_mounts(o, report_fd);
	if (o->tty && pty_inside(con->sock, &con->size, 1) < 0)
		fail(report_fd, EXIT_SETUP, errno, "open the terminal");
	setup_hostname(o, report_fd, hostname_entry, sizeof hostname_entry);
	if (o->net == NET_NONE && ns_loopback_up() < 0)
		fail(report_fd, EXIT_SETUP, errno, "bring up lo");
	setup_user_env(o, hostname_entry, home_entry, sizeof home_entry, &creds,
		       work, envp, report_fd);

	if (o->workdir && traced(chdir(o->workdir), "chdir(\"%s\")",
				 o->workdir) < 0)
		fail(report_fd, EXIT_SETUP, errno, "workdir %s", o->workdir);

	process_attributes(o, report_fd);       /* config.json's: process.c */
	if (o->rootfs)
		rootfs_finish(o, report_fd);    /* hide /proc's and /sys's knobs */
	filter_before_drop(o, report_fd);       /* while we may: see above */
	drop_privileges(o, &creds, report_fd);  /* last: caps.c says why */
	if (!o->oci && (o->user || o->has_ids))
		die_with_parent(report_fd);     /* cleared by setuid: again */
	if (o->init)            /* docker's init runs under it too, and a */
		enter_filter(o, report_fd);     /* sealed one keeps it */
	if (o->rootfs && o->init)
		sealed_reexec(o, envp, report_fd);
	if (o->init)
		pid1_main(o, envp, report_fd);
	if (o->oci)             /* `create`: ready, then wait for `start`, */
		report_fd = await_start(o, envp, report_fd);    /* its reader */
	exec_command(o, envp, report_fd);
}
