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
 *   6. exit with the command's status, 128+N for signal N, or the
 *      report's 125/126/127 and its one error line.
 * Without -t the container inherits our stdout and stderr: no copying.
 *
 * Man pages: clone(2), signalfd(2), poll(2), waitpid(2), pipe(7).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"

/* What minictr passes on: the signals people and supervisors use to stop
 * or poke a process.  Anything else is ours to handle or ignore. */
static const int forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
};

struct watch {
	pid_t pid;                  /* the container's PID 1, as we see it */
	int report_fd;              /* status pipe; -1 once read */
	int signal_fd;
	struct child_report report;
	int reported;               /* report holds a failure */
	struct stop stop;
	struct relay relay;         /* -t; its master is -1 without */
};

/* The report, or EOF (execve worked, or the child died without one). */
static void read_report(struct watch *w)
{
	ssize_t n;

	do
		n = read(w->report_fd, &w->report, sizeof w->report);
	while (n < 0 && errno == EINTR);
	w->reported = (n == (ssize_t)sizeof w->report);
	close(w->report_fd);
	w->report_fd = -1;
}

/* waitpid(2) as strace shows it, the status decoded. */
static void trace_wait(pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		trace("waitpid(%d, [{WIFSIGNALED(s) && WTERMSIG(s) == %d}], "
		      "WNOHANG) = %d", pid, WTERMSIG(status), pid);
	else
		trace("waitpid(%d, [{WIFEXITED(s) && WEXITSTATUS(s) == %d}], "
		      "WNOHANG) = %d", pid, WEXITSTATUS(status), pid);
}

/* Drain the signalfd; return 1 once the container's PID 1 is reaped. */
static int handle_signals(struct watch *w, int *wait_status)
{
	struct signalfd_siginfo si;
	pid_t pid;

	while (read(w->signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGWINCH) {
			if (w->relay.master >= 0)
				pty_copy_size(w->relay.master);
			continue;
		}
		if (si.ssi_signo != SIGCHLD) {
			stop_forward(&w->stop, (int)si.ssi_signo);
			continue;
		}
		do
			pid = waitpid(w->pid, wait_status, WNOHANG);
		while (pid < 0 && errno == EINTR);
		if (pid == w->pid) {
			trace_wait(pid, *wait_status);
			return 1;
		}
	}
	return 0;
}

/* Step 5: the loop.  Returns minictr's exit status. */
static int supervise(struct watch *w)
{
	int wait_status = 0;

	for (;;) {
		/* poll() skips an fd of -1: the pipe once it is read, the
		 * relay's two without -t */
		struct pollfd fds[4] = {
			{ .fd = w->signal_fd, .events = POLLIN },
			{ .fd = w->report_fd, .events = POLLIN },
			{ .fd = -1 }, { .fd = -1 },
		};
		int n;

		if (w->relay.master >= 0)
			relay_events(&w->relay, fds + 2);
		n = poll(fds, 4, stop_ms_left(&w->stop));
		if (n < 0 && errno != EINTR)
			die("poll");
		/* checked after every poll(), not only on a timeout: a
		 * container that floods its terminal keeps poll() busy */
		stop_tick(&w->stop);
		if (n <= 0)
			continue;
		if (w->relay.master >= 0 && relay_io(&w->relay, fds + 2))
			stop_hangup(&w->stop);
		if (fds[1].revents)
			read_report(w);
		if (fds[0].revents && handle_signals(w, &wait_status))
			break;
	}
	/* PID 1 is gone, so is every process of its namespace, so is every
	 * write end of the pipe and of the pty slave: these reads cannot
	 * block, and they hand over all that the container wrote. */
	if (w->relay.master >= 0)
		relay_drain(&w->relay);
	if (w->report_fd >= 0)
		read_report(w);
	pty_restore();          /* before our own line: not in raw mode */
	if (!w->reported)
		return stop_report(&w->stop, exit_status_of(wait_status));
	error_line(w->report.err, "%s", w->report.what);
	return w->report.status;
}

static void clone_failed(void)
{
	int err = errno;

	/* Every namespace flag but CLONE_NEWUSER needs CAP_SYS_ADMIN. */
	if (err == EPERM && geteuid() != 0)
		error_line(0, "clone: %s (minictr needs root)", strerror(err));
	else
		error_line(err, "clone");
	exit(EXIT_SETUP);       /* exit: atexit removes a cgroup */
}

/*
 * Blocked before clone, so none is lost before the loop reads the
 * signalfd (set: what it reads); the child inherits the mask and clears
 * it before exec.  SIGPIPE is blocked too, not read: a write to a closed
 * stdout then fails with EPIPE instead of killing minictr mid-relay.
 */
static void block_signals(const struct run_opts *o, sigset_t *set)
{
	sigset_t blocked;

	sigemptyset(set);
	for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
		sigaddset(set, forwarded[i]);
	sigaddset(set, SIGCHLD);
	if (o->tty)
		sigaddset(set, SIGWINCH);
	blocked = *set;
	sigaddset(&blocked, SIGPIPE);
	sigprocmask(SIG_BLOCK, &blocked, NULL);
}

/* -t: take the master the container sends, then relay through it. */
static void start_relay(struct watch *w, const struct run_opts *o, int sock)
{
	w->relay.master = pty_receive(sock);
	if (w->relay.master < 0)
		return;                 /* the status pipe will say why */
	pty_raw_mode();
	w->relay.in_fd = o->interactive ? STDIN_FILENO : -1;
	w->relay.master_open = 1;
	w->relay.last_in = '\n';
}

/* The namespaces: run's set, or config.json's (config_linux.c); the
 * network's is --net's or the bundle's. */
static unsigned long clone_flags(const struct run_opts *o)
{
	unsigned long flags = o->namespaces ? o->namespaces : CLONE_NEWUTS |
			      CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | SIGCHLD;

	return o->net == NET_NONE ? flags | CLONE_NEWNET : flags;
}

/*
 * OCI `create`: the same clone and the same set-up as run_container(),
 * then no supervisor.  The child reports "ready" (status 0, created.c)
 * and blocks on exec.fifo, or reports a failure and exits.  Returns its
 * pid, or minus the report's exit status after its one error line.
 */
pid_t create_container(const struct run_opts *o)
{
	unsigned long flags = clone_flags(o);
	struct console con = { .sock = o->console_sock,
			       .size = { o->console_rows, o->console_cols } };
	struct child_report r;
	struct ns_saved saved;
	int pipefd[2];
	char names[160], what[sizeof r.what];
	ssize_t n;
	pid_t pid;

	trace_enabled = o->trace;
	cgroup_setup(o);
	hooks_sync_make(o);
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
		clone_failed();
	cgroup_place(pid);
	close(pipefd[1]);
	if (hooks_created(o, pid, what, sizeof what) < 0) {
		kill(pid, SIGKILL);     /* it waits for the state: never ran */
		waitpid(pid, NULL, 0);
		close(pipefd[0]);
		error_line(errno, "%s", what);
		return -EXIT_SETUP;
	}
	do
		n = read(pipefd[0], &r, sizeof r);
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
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

int run_container(const struct run_opts *o)
{
	unsigned long flags = clone_flags(o);
	struct watch w = { .stop.timeout = o->stop_timeout, .stop.tty = o->tty,
			   .relay.master = -1 };
	struct console con = { .sock = -1 };
	int pipefd[2], sv[2] = { -1, -1 };
	char names[160];
	sigset_t set;

	trace_enabled = o->trace;
	block_signals(o, &set);
	cgroup_setup(o);        /* limits: the cgroup to start in */
	if (o->rootfs)
		etcfiles_make(o);       /* its /etc/hosts, outside DIR */
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		die("pipe");
	if (o->tty) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			die("socketpair");
		con.sock = sv[1];
		pty_user_size(&con.size);
	}

	w.pid = ns_clone(flags);
	if (w.pid == 0) {
		close(pipefd[0]);
		if (sv[0] >= 0)
			close(sv[0]);
		container_main(o, pipefd[1], &con);
	}
	traced(w.pid, "clone(%s)", ns_flag_names(flags, names, sizeof names));
	if (w.pid < 0)
		clone_failed();
	w.stop.pid = w.pid;
	cgroup_place(w.pid);    /* then the child may go on */
	/* Our copies of the child's ends must go, or we would never see EOF
	 * on the pipe, nor on the socket if the child dies before sending. */
	close(pipefd[1]);
	w.report_fd = pipefd[0];
	if (o->tty) {
		close(sv[1]);
		start_relay(&w, o, sv[0]);
	}
	w.signal_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (w.signal_fd < 0) {
		kill(w.pid, SIGKILL);
		die("signalfd");
	}
	return cgroup_report(supervise(&w));
}
