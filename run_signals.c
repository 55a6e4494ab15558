/*
 * run_signals.c - the supervisor's signals: blocked before the clone
 * (none lost, the child clears the mask), then read off a signalfd(2) by
 * run_watch.c's loop: SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2
 * forwarded to the container (stop.c), `minictr stop`'s and `minictr
 * kill`'s SIGTERM by sigqueue(3) told apart, SIGWINCH's size copied with
 * -t, SIGCHLD reaped (as a machine's PID 1, every orphan too); and the
 * --restart back-off, which a stop signal cuts short.
 * Syscalls: sigprocmask(2), waitpid(2), read(2) of a signalfd, poll(2).
 * Man pages: signal(7), signalfd(2), sigqueue(3), waitpid(2).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"
#include "run.h"

/* What minictr passes on: the signals people and supervisors use to stop
 * or poke a process.  Anything else is ours to handle or ignore. */
static const int forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
};

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
int handle_signals(struct watch *w, int *wait_status)
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

/* Step 6: the back-off.  0 when it is over; 1 when a stop signal came
 * meanwhile (then nothing starts again): `minictr stop`'s and `minictr
 * kill`'s too (both a SIGTERM), so a container waiting to restart is
 * stopped at once.  One last look once the time is up: a signal that
 * came just then counts too.  (One that comes after it, before the
 * next clone, is read by the next start's loop, and ends that start.) */
int back_off(struct watch *w, long ms)
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
