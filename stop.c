/*
 * stop.c - stopping a container: forwarding signals, the stop timeout,
 * and never leaving the user to wait in silence.
 *
 * minictr passes SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1 and SIGUSR2 on
 * to the container's PID 1 with kill(2).  SIGTERM, SIGINT and SIGHUP ask
 * it to stop, and start docker stop's clock:
 *   - after NOTICE_MS, if it still runs, one line on stderr says so, why,
 *     what to do about it and how long is left (never when it obeyed);
 *   - after --stop-timeout seconds, SIGKILL, and one line saying so
 *     (-1: never, docker's "wait for ever"; the notice says so);
 *   - a second SIGINT or SIGTERM meanwhile: SIGKILL at once (docker
 *     compose's "press Ctrl-C again to force").
 * Why a PID 1 so often does not obey: the kernel drops every signal whose
 * action is the default when it is sent to the PID 1 of a pid namespace,
 * even from outside it (only SIGKILL and SIGSTOP go through), so a
 * `sleep` or a shell without a trap, run as PID 1, ignores SIGTERM and
 * Ctrl-C.  --init puts a PID 1 in front that handles them (pid1.c).
 * /proc/PID/status tells which case it is: SigCgt lists the signals a
 * process catches, SigBlk those it blocks (a blocked signal waits, as
 * --init's PID 1 does, in sigwaitinfo(2)).
 *
 * Man pages: kill(2), pid_namespaces(7) ("signals to init"), proc(5),
 * waitid(2).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "minictr.h"

/*
 * The moment after which a stop signal counts as not obeyed: 1 s.  A
 * program that handles SIGTERM is usually gone in a few milliseconds, and
 * a pause of more than about a second is what a person at a terminal
 * starts to read as a hang.  Shorter would warn about a service that is
 * still closing its files; longer leaves them staring at nothing.
 */
#define NOTICE_MS 1000

static const struct { int sig; const char *name; } names[] = {
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGTERM, "SIGTERM" }, { SIGUSR1, "SIGUSR1" }, { SIGUSR2, "SIGUSR2" },
	{ SIGKILL, "SIGKILL" },
};

/* "SIGTERM": the name kill(2) and the man pages use (interrupt.c too). */
const char *signal_name(int sig)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "?";
}

/* CLOCK_MONOTONIC, in ms: the stop clock's, and --restart's (run.c). */
long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void kill_now(struct stop *s, enum stop_kill why)
{
	traced(kill(s->pid, SIGKILL), "kill(%d, SIGKILL)", s->pid);
	if (!s->killed)
		s->killed = why;
}

/* The clock starts: sig was sent (or, for a hang-up, the kernel sent it). */
static void start(struct stop *s, int sig)
{
	s->signal = sig;
	s->since = now_ms();
	if (s->timeout == 0)
		kill_now(s, KILLED_TIMEOUT);
}

/* Pass sig on; a stop signal starts the clock, a second one kills. */
void stop_forward(struct stop *s, int sig)
{
	int is_stop = sig == SIGTERM || sig == SIGINT || sig == SIGHUP;

	if (s->signal && (sig == SIGINT || sig == SIGTERM)) {
		trace("a second stop signal (%s): no more waiting",
		      signal_name(sig));
		kill_now(s, KILLED_AGAIN);
		return;
	}
	traced(kill(s->pid, sig), "kill(%d, %s)", s->pid, signal_name(sig));
	if (is_stop && !s->signal)
		start(s, sig);
}

/*
 * `minictr kill` (docker.c), through us: sig to PID 1 as it is (no
 * clock: docker's kill does not escalate), and --restart is over, as
 * docker's kill marks the container stopped by hand (its ExitOnNext):
 * for any signal, docker's rule when no stop signal is set, and minictr
 * has no --stop-signal.  A crash of its own, or a kill(1) of its pid
 * from the host, still restarts it.  PID 1 may be a zombie not reaped
 * yet (its SIGCHLD still in the signalfd): the kill is then harmless,
 * and its pid is not anyone else's.
 */
void stop_kill_asked(struct stop *s, int sig)
{
	const char *name = signal_name(sig);

	s->kill_asked = 1;
	if (*name != '?')
		traced(kill(s->pid, sig), "kill(%d, %s)", s->pid, name);
	else
		traced(kill(s->pid, sig), "kill(%d, %d)", s->pid, sig);
}

/* -t: our stdout is gone and relay.c hung up the container's terminal;
 * the kernel sent its session SIGHUP.  From here, as for a SIGHUP. */
void stop_hangup(struct stop *s)
{
	if (!s->signal)
		start(s, SIGHUP);
}

/* Milliseconds until the next step is due: poll()'s timeout, or -1. */
int stop_ms_left(const struct stop *s)
{
	long long due, left;

	if (!s->signal || s->killed || (s->timeout < 0 && s->noticed))
		return -1;      /* -1: no SIGKILL ever, the notice given */
	due = s->since + s->timeout * 1000LL;
	if (!s->noticed && (s->timeout < 0 || s->timeout * 1000LL > NOTICE_MS))
		due = s->since + NOTICE_MS;
	left = due - now_ms();
	if (left < 0)
		return 0;
	return left > 1000000000 ? 1000000000 : (int)left;
}

/* Does the process catch sig, or block it (then it waits, queued)? */
static int handles(pid_t pid, int sig)
{
	char dir[32], buf[2048], *cgt, *blk;
	unsigned long long caught = 0, blocked = 0;

	snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
	if (read_text(dir, "status", buf, sizeof buf) < 0)
		return 0;
	if ((cgt = strstr(buf, "\nSigCgt:")))
		caught = strtoull(cgt + 8, NULL, 16);
	if ((blk = strstr(buf, "\nSigBlk:")))
		blocked = strtoull(blk + 8, NULL, 16);
	return ((caught | blocked) >> (sig - 1)) & 1;
}

/* The one line, once, when the stop signal was not obeyed in time.
 * With -t, Ctrl-C is a byte for the container's terminal (raw mode), so
 * the way to hurry minictr is a signal.  As a machine's init (boot) no
 * Ctrl-C reaches minictr (the console is not its terminal): a second
 * Ctrl-Alt-Del does, the kernel's SIGINT. */
static void notice(struct stop *s)
{
	long left = (s->since + s->timeout * 1000LL - now_ms() + 500) / 1000;
	const char *name = signal_name(s->signal);
	const char *again = s->machine ? "Ctrl-Alt-Del or SIGTERM again" :
			    s->tty ? "SIGINT or SIGTERM to minictr again" :
				     "Ctrl-C or SIGTERM again";
	char when[64];

	/* --stop-timeout -1: minictr waits, and says that it will */
	if (s->timeout < 0)
		snprintf(when, sizeof when, "no SIGKILL (--stop-timeout -1)");
	else
		snprintf(when, sizeof when, "SIGKILL in %ld s", left);
	s->noticed = 1;
	pty_line_start();
	if (handles(s->pid, s->signal))
		error_line(0, "the container has not stopped: its PID 1 handles "
			   "%s but still runs; %s, or %s kills it now", name,
			   when, again);
	else
		error_line(0, "the container has not stopped: its PID 1 has no "
			   "handler for %s, and the kernel drops those sent to "
			   "a namespace's PID 1 (--init fixes this); %s, or %s "
			   "kills it now", name, when, again);
	pty_line_start();
}

/* Has PID 1 exited already?  Its SIGCHLD may wait in the signalfd, read
 * after this poll(): WNOWAIT asks without reaping it. */
static int exited(pid_t pid)
{
	siginfo_t si = { .si_pid = 0 };

	return waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       si.si_pid == pid;
}

/* After each poll(): say it or kill it, when it is time. */
void stop_tick(struct stop *s)
{
	long long waited;

	if (!s->signal || s->killed || exited(s->pid))
		return;
	waited = now_ms() - s->since;
	if (s->timeout >= 0 && waited >= s->timeout * 1000LL) {
		trace("still running %ld s after %s (--stop-timeout)",
		      s->timeout, signal_name(s->signal));
		kill_now(s, KILLED_TIMEOUT);
	} else if (waited >= NOTICE_MS && !s->noticed) {
		notice(s);
	}
}

/* At the end: when our SIGKILL is what ended it, say so (status 137). */
int stop_report(const struct stop *s, int status)
{
	if (status != 128 + SIGKILL || !s->killed)
		return status;
	if (s->killed == KILLED_TIMEOUT)
		error_line(0, "container was killed: still running %ld s after "
			   "%s (--stop-timeout)", s->timeout,
			   signal_name(s->signal));
	else
		error_line(0, "container was killed: a second SIGINT or SIGTERM");
	return status;
}
