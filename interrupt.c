/*
 * interrupt.c - (parent) Ctrl-C, or SIGTERM, SIGHUP or SIGQUIT, while
 * `create` sets a container up: noticed at once, and the set-up undone.
 *
 * Their default action ends minictr wherever it is: between the mkdir of
 * ROOT/ID and its state.json, with a cgroup made, an init cloned, a hook
 * running, and no atexit(3) handler run (cgroup.c and maker.c remove what
 * an exit() leaves).  So `create` blocks them (sigprocmask(2)) before it
 * makes anything, and its two long waits poll a signalfd(2) beside what
 * they wait for: a hook (hooks.c), the init's report (run.c); the short
 * ones (ROOT's flock, a killed create's init, 10 s at most) do not, and
 * the signal is seen after them.  A signal
 * ends the wait at once; what was waited for is SIGKILLed; minictr
 * leaves by exit(), one line and 128+N (a shell's status for a command
 * killed by signal N), and the atexit handlers kill the init and remove
 * its cgroups and ROOT/ID: nothing half-made.  A signal between two
 * waits stays pending until the next one looks, and `create` looks a
 * last time before it writes state.json (oci_create.c).
 * Blocked, not caught: no handler runs in the middle of malloc, and
 * none is lost.  One the caller ignores (sigaction(2): nohup's SIGHUP)
 * is left alone: it stays ignored, not an interruption.  The init
 * inherits the mask; it unblocks them once ready, waiting for `start`
 * (interrupt_created: they end it then, as runc's), and clears the mask
 * before its execve (init.c), each hook before its own (hooks.c).  runc
 * ignores a SIGTERM sent to it alone while a hook runs, and ends only
 * when Ctrl-C reaches the hook too; this ends on either.
 * Man pages: signalfd(2), sigprocmask(2), sigpending(2), sigaction(2),
 * signal(7).
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "minictr.h"

/* What people and supervisors send to stop a program (run_signals.c forwards
 * the same ones to a container). */
static const int stops[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };

static struct {
	int fd;                 /* the signalfd; -1: none (not watching,
				 * or signalfd(2) failed: then only the
				 * looks of interrupt_exit() see a signal) */
	pid_t owner;            /* who watches: not a child of clone(2) */
	sigset_t old;           /* the mask before */
} w = { .fd = -1 };

/* From here on, the stop signals wait for interrupt_fd()'s readers. */
void interrupt_watch(void)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
		struct sigaction was;

		/* one our caller ignores (nohup's SIGHUP, a background job's
		 * SIGINT) stays ignored: blocked, the kernel would queue it
		 * all the same (sig_ignored() spares blocked signals), and it
		 * would read as an interruption */
		if (sigaction(stops[i], NULL, &was) == 0 &&
		    was.sa_handler == SIG_IGN)
			continue;
		sigaddset(&set, stops[i]);
	}
	sigprocmask(SIG_BLOCK, &set, &w.old);
	w.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	w.owner = getpid();
}

/* The fd to poll(2) beside a wait, readable once a stop signal came;
 * -1 when nothing is watched (or there is no signalfd), or in a clone of
 * ours (the init's own hooks), whose signals are its own. */
int interrupt_fd(void)
{
	return getpid() == w.owner ? w.fd : -1;
}

/* The stop signal that came, or 0.  sigpending(2), not a read: it stays
 * pending, for the next wait and for interrupt_exit(). */
int interrupted(void)
{
	sigset_t pending;

	if (getpid() != w.owner || sigpending(&pending) < 0)
		return 0;
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
		if (sigismember(&pending, stops[i]))
			return stops[i];
	return 0;
}

/* If a stop signal came: say so and exit(), whose handlers undo the
 * set-up.  The caller has killed what it waited for. */
void interrupt_exit(void)
{
	int sig = interrupted();

	if (!sig)
		return;
	error_line(0, "create: interrupted by %s", signal_name(sig));
	exit(128 + sig);
}

/* The init's handler while "created": dies of sig as with no handler;
 * a PID 1 of its own namespace, which the kernel spares a signal with
 * no handler (signal(7)), exits 128+sig instead.  kill(2), not raise():
 * a raw clone's child (ns.c). */
static void die_of(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t one;

	sigaction(sig, &dfl, NULL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	kill(getpid(), sig);    /* delivered before kill returns */
	_exit(128 + sig);
}

/* A stop signal the caller ignores that stays ignored while created:
 * HUP and INT (nohup's, a shell's background job's), as Go's runtime,
 * so runc's init, keeps them; it catches TERM and QUIT all the same. */
static int kept_ignored(int sig)
{
	return sig == SIGHUP || sig == SIGINT;
}

/* (the init, in a clone of `create`'s) ready and waiting for `start`:
 * the stop signals act on it at once, as on runc's init, not when start
 * unblocks them (`kill ID TERM` of a created container: it is stopped).
 * A handler, not SIG_DFL: runc's init catches them (Go's runtime does)
 * and so ends as a PID 1 too; from outside, the kernel would drop them.
 * HUP or INT the caller ignores stays ignored (kept_ignored); init.c
 * resets all at execve. */
void interrupt_created(void)
{
	struct sigaction die = { .sa_handler = die_of }, was;
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
		if (sigaction(stops[i], NULL, &was) < 0 ||
		    (was.sa_handler == SIG_IGN && kept_ignored(stops[i])))
			continue;
		sigaction(stops[i], &die, NULL);
		sigaddset(&set, stops[i]);
	}
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* create is done (state.json written): the mask as it was, for what
 * `run --bundle` does next. */
void interrupt_end(void)
{
	if (getpid() != w.owner)
		return;
	if (w.fd >= 0)
		close(w.fd);
	w.fd = -1;
	w.owner = 0;
	sigprocmask(SIG_SETMASK, &w.old, NULL);
}
