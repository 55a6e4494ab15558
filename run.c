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
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
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
	int machine;                /* o->machine: PID 1 of the machine */
	struct stop stop;
	struct relay relay;         /* -t; its master is -1 without */
	int log_fd;                 /* -d: the container's output; else -1 */
	int detach;                 /* -d: `run -d` waits for the report */
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
	if (!w->reported && w->detach) {
		log_ready();    /* `run -d` prints the ID and returns */
		monitor_settle();       /* its set-up's stack given back */
	}
}

/* -d: the container's output into its log; at EOF, no more polling. */
static void copy_log(struct watch *w)
{
	if (log_copy(w->log_fd) == 0) {
		close(w->log_fd);
		w->log_fd = -1;
	}
}

/* waitpid(2) as strace shows it, the status decoded. */
static void trace_wait(pid_t asked, pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		trace("waitpid(%d, [{WIFSIGNALED(s) && WTERMSIG(s) == %d}], "
		      "WNOHANG) = %d", asked, WTERMSIG(status), pid);
	else
		trace("waitpid(%d, [{WIFEXITED(s) && WEXITSTATUS(s) == %d}], "
		      "WNOHANG) = %d", asked, WEXITSTATUS(status), pid);
}

/* Reap the container's PID 1, and as the machine's PID 1 every other
 * child too: an orphan re-parented to us stays a zombie until we wait for
 * it.  1 once the container's PID 1 is reaped. */
static int reap(const struct watch *w, int *wait_status)
{
	pid_t asked = w->machine ? -1 : w->pid, pid;
	int status;

	for (;;) {
		do
			pid = waitpid(asked, &status, WNOHANG);
		while (pid < 0 && errno == EINTR);
		if (pid <= 0)
			return 0;
		if (pid == w->pid) {
			trace_wait(asked, pid, status);
			*wait_status = status;
			return 1;
		}
	}
}

/* The signal the container gets: as the machine's PID 1, the kernel's
 * Ctrl-Alt-Del (SIGINT, once boot.c turned CAD off) and SIGPWR mean
 * "shut down", and a container is stopped the way docker stop does it. */
static int passed_on(const struct watch *w, int sig)
{
	return w->machine && (sig == SIGINT || sig == SIGPWR) ? SIGTERM : sig;
}

/*
 * A second `stop -t N` while the first one waits: docker's runs a clock
 * of its own, so SIGKILL comes N s from now if that is sooner than the
 * first one's (which may be never: -t -1).  Its -1 or -t -1 adds nothing.
 */
static void hurry(struct stop *s, int secs)
{
	long long due = now_ms() + secs * 1000LL;

	if (secs < 0 || s->killed)
		return;
	if (s->timeout >= 0 && due >= s->since + s->timeout * 1000LL)
		return;
	trace("a second stop (-t %d): SIGKILL in %d s", secs, secs);
	s->since = now_ms();
	s->timeout = secs;      /* stop_tick() kills when it is due */
}

/*
 * `minictr stop` (docker.c) sends us SIGTERM by sigqueue(3), its -t in the
 * value: SI_QUEUE, which kill(2) and the kernel never make.  Its seconds
 * replace --stop-timeout (-1: keep ours; MONITOR_FOREVER: for ever); then
 * it is forwarded as any SIGTERM, and --restart starts nothing again.  A second `stop` meanwhile
 * is not a second SIGTERM, which would SIGKILL at once: at most it
 * brings the SIGKILL nearer (hurry()).
 * `minictr kill` sends the same with MONITOR_KILL(its signal): that
 * signal, to PID 1, and no more --restart either (1: done).
 */
static int stop_asked(struct watch *w, const struct signalfd_siginfo *si)
{
	if (si->ssi_signo != SIGTERM || si->ssi_code != SI_QUEUE)
		return 0;
	if (si->ssi_int < -1 && si->ssi_int != MONITOR_FOREVER) {
		stop_kill_asked(&w->stop, MONITOR_KILL(si->ssi_int));
		return 1;
	}
	if (w->stop.signal) {
		hurry(&w->stop, si->ssi_int);
		return 1;
	}
	if (si->ssi_int >= 0)
		w->stop.timeout = si->ssi_int;
	else if (si->ssi_int == MONITOR_FOREVER)
		w->stop.timeout = -1;   /* stop -t -1: no SIGKILL */
	return 0;
}

/* Drain the signalfd; return 1 once the container's PID 1 is reaped. */
static int handle_signals(struct watch *w, int *wait_status)
{
	struct signalfd_siginfo si;

	while (read(w->signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGWINCH) {
			if (w->relay.master >= 0)
				pty_copy_size(w->relay.master);
			continue;
		}
		if (si.ssi_signo != SIGCHLD) {
			if (!stop_asked(w, &si))
				stop_forward(&w->stop, passed_on(w,
							(int)si.ssi_signo));
			continue;
		}
		if (reap(w, wait_status))
			return 1;
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
		struct pollfd fds[5] = {
			{ .fd = w->signal_fd, .events = POLLIN },
			{ .fd = w->report_fd, .events = POLLIN },
			{ .fd = -1 }, { .fd = -1 },
			{ .fd = w->log_fd, .events = POLLIN },
		};
		int n;

		if (w->relay.master >= 0)
			relay_events(&w->relay, fds + 2);
		n = poll(fds, 5, stop_ms_left(&w->stop));
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
		if (fds[4].revents)     /* after the report: see log_ready() */
			copy_log(w);
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
	while (w->log_fd >= 0 && log_copy(w->log_fd) > 0)
		;
	pty_restore();          /* before our own line: not in raw mode */
	if (!w->reported)
		return stop_report(&w->stop, exit_status_of(wait_status));
	error_line(w->report.err, "%s", w->report.what);
	return w->report.status;
}

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

/*
 * Blocked before clone, so none is lost before the loop reads the
 * signalfd (set: what it reads); the child inherits the mask and clears
 * it before exec (so does a foreground exec's process: exec.c).  SIGPIPE
 * is blocked too, not read: a write to a closed
 * stdout then fails with EPIPE instead of killing minictr mid-relay.
 */
void block_signals(const struct run_opts *o, sigset_t *set)
{
	sigset_t blocked;

	sigemptyset(set);
	for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
		sigaddset(set, forwarded[i]);
	sigaddset(set, SIGCHLD);
	if (o->machine)
		sigaddset(set, SIGPWR);
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
	hooks_sync_make(o);     /* cgroup_setup(): oci.c's, before */
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

/*
 * Step 5 for a child made and started, whose pid and status pipe are in
 * w: `run`'s container, and a foreground `exec`'s process (exec.c),
 * which minictr relays and waits for just the same.  sock: -t's socket
 * (the master comes on it), or -1; set: what block_signals() blocked.
 */
static int watch(struct watch *w, const struct run_opts *o, int sock,
		 const sigset_t *set)
{
	if (o->tty)
		start_relay(w, o, sock);
	/* made after the first clone, so the child's set-up sees the fds it
	 * always had; kept for the next start (--restart) */
	if (w->signal_fd < 0)
		w->signal_fd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (w->signal_fd < 0) {
		kill(w->pid, SIGKILL);
		die("signalfd");
	}
	return supervise(w);
}

/* exec's door to step 5: log_fd is -1 there (only `run -d` logs). */
int watch_child(const struct run_opts *o, pid_t pid, int report_fd, int sock,
		int log_fd, const sigset_t *set)
{
	struct watch w = { .pid = pid, .report_fd = report_fd, .signal_fd = -1,
			   .stop = { .pid = pid, .timeout = o->stop_timeout,
				     .tty = o->tty }, .relay.master = -1,
			   .log_fd = log_fd, .detach = o->detach };

	return watch(&w, o, sock, set);
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

/* Step 6: the back-off.  0 when it is over; 1 when a stop signal came
 * meanwhile (then nothing starts again): `minictr stop`'s and `minictr
 * kill`'s too (both a SIGTERM), so a container waiting to restart is
 * stopped at once.  One last look once the time is up: a signal that
 * came just then counts too.  (One that comes after it, before the
 * next clone, is read by the next start's loop, and ends that start.) */
static int back_off(struct watch *w, long ms)
{
	long long until = now_ms() + ms;
	struct signalfd_siginfo si;
	int unused, left;

	do {
		struct pollfd p = { .fd = w->signal_fd, .events = POLLIN };

		left = (int)(until - now_ms());
		if (poll(&p, 1, left > 0 ? left : 0) <= 0)
			continue;
		while (read(w->signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
			int sig = passed_on(w, (int)si.ssi_signo);

			if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
				return 1;
			if (sig == SIGCHLD)
				reap(w, &unused);       /* orphans only, now */
		}
	} while (left > 0);
	return 0;
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
