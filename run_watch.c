/*
 * run_watch.c - step 5 of run.c: the one poll(2) loop that supervises a
 * child made and started, until its PID 1 is reaped.  It reads the status
 * pipe (a report: a set-up step or execve failed; EOF: execve worked),
 * the signalfd (run_signals.c), the stop clock (stop.c), with -t the
 * terminal both ways (relay.c), with -d the container's output into its
 * log (logfile.c); then drains what is left and gives minictr's status.
 * `run`'s container and a foreground `exec`'s process go through it.
 * Syscalls: poll(2), signalfd(2), read(2), kill(2).
 * Man pages: poll(2), signalfd(2), pipe(7), pty(7).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "minictr.h"
#include "run.h"

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

/*
 * Step 5 for a child made and started, whose pid and status pipe are in
 * w: `run`'s container, and a foreground `exec`'s process (exec.c),
 * which minictr relays and waits for just the same.  sock: -t's socket
 * (the master comes on it), or -1; set: what block_signals() blocked.
 */
int watch(struct watch *w, const struct run_opts *o, int sock,
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
