/*
 * run.c - the parent side: create the container, then supervise it.
 *
 *   1. block the signals we forward, and SIGCHLD     sigprocmask(2)
 *   2. a status pipe, O_CLOEXEC                       pipe2(2)
 *   3. with -t, a socketpair for the terminal         see pty.c
 *   4. one clone with every namespace flag            see ns.c
 *   5. one poll(2) loop until the container's PID 1 exits:
 *        - the status pipe: a report means a set-up step or execve
 *          failed; EOF means execve succeeded
 *        - a signalfd(2): forward SIGHUP, SIGINT, SIGQUIT, SIGTERM,
 *          SIGUSR1, SIGUSR2 to the container; reap it on SIGCHLD; with
 *          -t, copy the new window size on SIGWINCH
 *        - a timer: SIGKILL --stop-timeout seconds after a SIGTERM,
 *          SIGINT or SIGHUP, because the kernel drops signals with the
 *          default action sent to a namespace's PID 1 (a PID-1 `sleep`
 *          ignores SIGTERM): that is docker stop's rule
 *        - with -t, the terminal's bytes both ways     see relay.c
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
#include <time.h>
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
	long stop_timeout;
	int stopping;               /* a SIGKILL is due at kill_at */
	struct timespec kill_at;
	int master;                 /* -t: the pty master; -1 without */
	struct relay relay;
};

int exit_status_of(int wait_status)
{
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return WEXITSTATUS(wait_status);
}

/* Milliseconds until the SIGKILL is due: poll()'s timeout, at most 11
 * days at a time (an int of ms); -1 when none is due. */
static int ms_until_kill(const struct watch *w)
{
	struct timespec now;
	long long ms;

	if (!w->stopping)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (w->kill_at.tv_sec - now.tv_sec) * 1000LL +
	     (w->kill_at.tv_nsec - now.tv_nsec) / 1000000;
	if (ms < 0)
		return 0;
	return ms > 1000000000 ? 1000000000 : (int)ms;
}

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

static void forward(struct watch *w, int sig)
{
	traced(kill(w->pid, sig), "kill(%d, %s)", w->pid, strsignal(sig));
	if ((sig == SIGTERM || sig == SIGINT || sig == SIGHUP) &&
	    !w->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &w->kill_at);
		w->kill_at.tv_sec += w->stop_timeout;
		w->stopping = 1;
	}
}

/* Drain the signalfd; return 1 once the container's PID 1 is reaped. */
static int handle_signals(struct watch *w, int *wait_status)
{
	struct signalfd_siginfo si;
	pid_t pid;

	while (read(w->signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGWINCH) {
			if (w->master >= 0)
				pty_copy_size(w->master);
			continue;
		}
		if (si.ssi_signo != SIGCHLD) {
			forward(w, (int)si.ssi_signo);
			continue;
		}
		do
			pid = waitpid(w->pid, wait_status, WNOHANG);
		while (pid < 0 && errno == EINTR);
		if (pid == w->pid) {
			trace("waitpid(%d) = %d, exit status %d", w->pid, pid,
			      exit_status_of(*wait_status));
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

		if (w->master >= 0)
			relay_events(&w->relay, fds + 2);
		n = poll(fds, 4, ms_until_kill(w));
		if (n < 0 && errno != EINTR)
			die("poll");
		/* not only when poll() timed out: a relay that always has
		 * bytes to move would otherwise put the SIGKILL off forever */
		if (ms_until_kill(w) == 0) {
			traced(kill(w->pid, SIGKILL), "kill(%d, SIGKILL) after "
			       "--stop-timeout %ld", w->pid, w->stop_timeout);
			w->stopping = 0;
		}
		if (n <= 0)
			continue;
		if (w->master >= 0)
			relay_io(&w->relay, fds + 2);
		if (fds[1].revents)
			read_report(w);
		if (fds[0].revents && handle_signals(w, &wait_status))
			break;
	}
	/* PID 1 is gone, so is every process of its namespace, so is every
	 * write end of the pipe and of the pty slave: these reads cannot
	 * block, and they hand over all that the container wrote. */
	if (w->master >= 0)
		relay_drain(&w->relay);
	if (w->report_fd >= 0)
		read_report(w);
	pty_restore();          /* before our own line: not in raw mode */
	if (!w->reported)
		return exit_status_of(wait_status);
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
	w->master = pty_receive(sock);
	if (w->master < 0)
		return;                 /* the status pipe will say why */
	pty_raw_mode();
	w->relay.in_fd = o->interactive ? STDIN_FILENO : -1;
	w->relay.master = w->master;
	w->relay.master_open = 1;
	w->relay.last_in = '\n';
}

int run_container(const struct run_opts *o)
{
	unsigned long flags = CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS |
			      CLONE_NEWIPC | SIGCHLD;
	struct watch w = { .stop_timeout = o->stop_timeout, .master = -1 };
	struct console con = { .sock = -1 };
	int pipefd[2], sv[2] = { -1, -1 };
	char names[160];
	sigset_t set;

	if (o->net == NET_NONE)
		flags |= CLONE_NEWNET;
	trace_enabled = o->trace;
	block_signals(o, &set);
	cgroup_setup(o);        /* limits: the cgroup to start in */
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
