/*
 * run.c - the parent side: create the container, then supervise it.
 *
 *   1. block the signals we forward, and SIGCHLD     sigprocmask(2)
 *      then, before clone: the cgroup (cgroup.c), and with --rootfs the
 *      generated /etc files (etcfiles.c); both removed at exit
 *   2. a status pipe, O_CLOEXEC                       pipe2(2)
 *   3. with -t, a socketpair for the terminal         see pty.c
 *   4. one clone with every namespace flag            see ns.c
 *   5. one poll(2) loop until the container's PID 1 exits:
 *        - the status pipe: a report means a set-up step or execve
 *          failed; EOF means execve succeeded
 *        - a signalfd(2): forward SIGHUP, SIGINT, SIGQUIT, SIGTERM,
 *          SIGUSR1, SIGUSR2 to the container; reap it on SIGCHLD; with
 *          -t, copy the new window size on SIGWINCH
 *        - the stop clock: after a SIGTERM, SIGINT or SIGHUP, a line
 *          if it has not stopped in a moment, SIGKILL after
 *          --stop-timeout or a second SIGINT/SIGTERM    see stop.c
 *        - with -t, the terminal's bytes both ways     see relay.c;
 *          when our stdout is gone, the container's terminal is hung up
 *          and the stop clock starts as for a SIGHUP
 *        - with -d, the container's output, into its log  logfile.c
 *   6. with --restart, when restart.c says so: wait its back-off (a
 *      stop signal meanwhile ends it; `minictr stop` sends one, with its
 *      -t queued beside it, and `minictr kill` one with its signal), then
 *      again from 2., in the same cgroup and with the same /etc files;
 *      never after a `minictr kill` (docker's rule)
 *   7. exit with the command's status, 128+N for signal N, or the
 *      report's 125/126/127 and its one error line.
 * As a machine's PID 1 (`boot`, o->machine) the loop also reaps every
 * orphan the kernel hands it, and SIGINT (Ctrl-Alt-Del) and SIGPWR stop
 * the container as SIGTERM does.
 * Without -t the container inherits our stdout and stderr: no copying.
 *
 * Man pages: clone(2), signalfd(2), poll(2), waitpid(2), pipe(7).
 *
 * This file: steps 1-4, 6 and 7, and OCI create's clone; step 5's loop is
 * in run_watch.c, the signals it blocks, reads, forwards and reaps on
 * (and step 6's back-off) in run_signals.c (run.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"
#include "run.h"

static void clone_failed(unsigned long flags)
{
	int err = errno;

	/* a user always asks for CLONE_NEWUSER (userns.c), without which
	 * every namespace flag needs CAP_SYS_ADMIN */
	if (flags & CLONE_NEWUSER)
		userns_refused(err);    /* names the switch that forbids it */
	error_line(err, "clone");
	exit(EXIT_SETUP);       /* exit: atexit removes a cgroup */
}

/* The namespaces: run's set, or config.json's (config_ns.c); the
 * network's is --net's or the bundle's. */
static unsigned long clone_flags(const struct run_opts *o)
{
	unsigned long flags = o->namespaces ? o->namespaces : CLONE_NEWUTS |
			      CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | SIGCHLD;

	return o->net == NET_NONE ? flags | CLONE_NEWNET : flags;
}

/* create: the init's report, unless Ctrl-C or SIGTERM comes first
 * (interrupt.c): then minictr exits, and maker.c's atexit kills the init,
 * our child still. */
static ssize_t read_ready(int fd, struct child_report *r)
{
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
			       { .fd = interrupt_fd(), .events = POLLIN } };
	ssize_t n;

	while (poll(p, 2, -1) < 0 && errno == EINTR)
		;
	if (!p[0].revents)
		interrupt_exit();
	do
		n = read(fd, r, sizeof *r);
	while (n < 0 && errno == EINTR);
	return n;
}

/* create's child, released: its "ready" on fd (closed here), or its one
 * failure said.  Its pid, or minus the report's exit status. */
static pid_t await_ready(pid_t pid, int fd)
{
	struct child_report r;
	ssize_t n = read_ready(fd, &r);

	close(fd);
	if (n == (ssize_t)sizeof r && r.status == 0)
		return pid;
	waitpid(pid, NULL, 0);  /* it exits by itself after a report */
	if (n != (ssize_t)sizeof r) {
		error_line(0, "the container's init died while being set up");
		return -EXIT_SETUP;
	}
	error_line(r.err, "%s", r.what);
	return -r.status;
}

/*
 * OCI `create`: the same clone and the same set-up as run_container(),
 * then no supervisor.  The child reports "ready" (status 0, created.c)
 * and blocks on exec.fifo, or reports a failure and exits.  Returns its
 * pid, or minus the report's exit status after its one error line.
 */
pid_t create_container(const struct run_opts *o)
{
	unsigned long flags = clone_flags(o) | userns_plan(o);
	struct console con = { .sock = o->console_sock, .output = -1,
			       .size = { o->console_rows, o->console_cols } };
	struct ns_saved saved;
	int pipefd[2];
	char names[160], what[sizeof ((struct child_report *)0)->what];
	pid_t pid;

	trace_enabled = o->trace;
	hooks_sync_make(o);     /* cgroup_setup(): oci_create.c's, before */
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		die("pipe");
	if (ns_join(o, &saved, what, sizeof what) < 0) {
		error_line(errno, "%s", what);  /* nothing made yet: the */
		close(pipefd[0]);               /* caller removes its state */
		close(pipefd[1]);
		return -EXIT_SETUP;
	}
	pid = ns_clone(flags);
	if (pid == 0) {
		close(pipefd[0]);
		container_main(o, pipefd[1], &con);
	}
	traced(pid, "clone(%s)", ns_flag_names(flags, names, sizeof names));
	ns_return(&saved);      /* before anything else: hooks run in ours */
	if (pid < 0)
		clone_failed(flags);
	maker_init(pid);        /* before it is released: maker.c */
	userns_map(pid);        /* a user namespace: its ids, then ... */
	cgroup_place(pid);
	close(pipefd[1]);
	if (hooks_created(o, pid, what, sizeof what) < 0) {
		kill(pid, SIGKILL);     /* it waits for the state: never ran */
		waitpid(pid, NULL, 0);
		close(pipefd[0]);
		interrupt_exit();       /* Ctrl-C killed the hook: that's why */
		error_line(errno, "%s", what);
		return -EXIT_SETUP;
	}
	return await_ready(pid, pipefd[0]);
}

/* Steps 2 to 5, once: clone, then supervise until PID 1 is reaped. */
static int run_once(const struct run_opts *o, const sigset_t *set,
		    struct watch *w)
{
	unsigned long flags = clone_flags(o) | userns_plan(o);
	struct console con = { .sock = -1, .output = -1 };
	int pipefd[2], sv[2] = { -1, -1 }, logp[2] = { -1, -1 };
	char names[160];

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		die("pipe");
	if (o->tty) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			die("socketpair");
		con.sock = sv[1];
		pty_user_size(&con.size);
	}
	/* -d: the container's 1 and 2, one pipe, read by the loop below */
	if (o->detach && pipe2(logp, O_CLOEXEC) < 0)
		die("pipe");
	if (o->detach)
		con.output = logp[1];

	w->pid = ns_clone(flags);
	if (w->pid == 0) {
		close(pipefd[0]);
		if (sv[0] >= 0)
			close(sv[0]);
		container_main(o, pipefd[1], &con);
	}
	traced(w->pid, "clone(%s)", ns_flag_names(flags, names, sizeof names));
	if (w->pid < 0)
		clone_failed(flags);
	w->stop.pid = w->pid;
	userns_map(w->pid);     /* a user namespace: its ids, then ... */
	cgroup_place(w->pid);   /* then the child may go on */
	container_started(o, w->pid);   /* --name, -d: state.json */
	/* Our copies of the child's ends must go, or we would never see EOF
	 * on the pipe, nor on the socket if the child dies before sending. */
	close(pipefd[1]);
	w->report_fd = pipefd[0];
	if (o->detach) {
		close(logp[1]);
		fcntl(logp[0], F_SETFL, O_NONBLOCK);
		w->log_fd = logp[0];
	}
	if (o->tty)
		close(sv[1]);
	return cgroup_report(watch(w, o, sv[0], set));
}

/* One line per restart, so a log shows a crash loop for what it is. */
static void say_restart(const struct run_opts *o, int status,
			const struct restart_state *r)
{
	char of[24] = "";

	if (o->restart.max)
		snprintf(of, sizeof of, " of %d", o->restart.max);
	error_line(0, "container exited with status %d; restart %d%s in %ld ms "
		   "(--restart)", status, r->count, of, r->delay_ms);
}

int run_container(const struct run_opts *o)
{
	struct restart_state r = { 0 };
	sigset_t set;
	int signal_fd = -1, status;

	trace_enabled = o->trace;
	block_signals(o, &set);
	cgroup_setup(o);        /* limits: the cgroup to start in */
	if (o->rootfs)
		etcfiles_make(o);       /* its /etc/hosts, outside DIR */
	for (;;) {
		struct watch w = { .stop.timeout = o->stop_timeout,
				   .stop.tty = o->tty, .relay.master = -1,
				   .stop.machine = o->machine,
				   .signal_fd = signal_fd, .log_fd = -1,
				   .detach = o->detach, .machine = o->machine };
		long long started = now_ms();
		long delay;

		status = run_once(o, &set, &w);
		signal_fd = w.signal_fd;
		if (o->ran)             /* boot's status line, or boot failed */
			*o->ran = !w.reported;
		delay = restart_next(&o->restart, &r, status, w.reported,
				     w.stop.signal || w.stop.kill_asked,
				     now_ms() - started);
		if (delay < 0)
			return status;
		say_restart(o, status, &r);
		container_restarting(status);   /* `ps` */
		if (back_off(&w, delay))
			return status;
		cgroup_rearm();
	}
}
