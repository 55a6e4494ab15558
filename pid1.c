/*
 * pid1.c - --init: minictr stays PID 1 of the container as a tiny init.
 *
 * Being PID 1 of a pid namespace carries two duties most programs were
 * never written for (see pid_namespaces(7)):
 *   - signals: the kernel drops any signal whose action is the default,
 *     so a `sleep` or a shell as PID 1 ignores SIGTERM and Ctrl-C;
 *   - orphans: every process whose parent dies is re-parented to PID 1,
 *     which must wait(2) for it or it stays a zombie forever.
 * This init forks the command as PID 2, in its own process group, then
 * waits for signals: it forwards each one to the command (all but SIGCHLD,
 * the synchronous faults and the terminal's stop signals), reaps every zombie on SIGCHLD, and exits
 * with the command's status as soon as the command exits.  The kernel
 * then kills whatever is left in the namespace.
 *
 * Blocking the signals and taking them with sigwaitinfo(2) is what makes
 * the kernel queue them for us (a blocked signal is never dropped), with
 * no handler and no race.  Cost: one fork and one wait per signal.
 * Syscalls: clone(2) (as fork), sigprocmask(2), sigaction(2), setpgid(2),
 * sigwaitinfo(2), kill(2), waitpid(2), close_range(2).  The model is tini (krallin/tini).
 */
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "minictr.h"

/* Everything but the faults a process raises on itself, which must keep
 * killing us if we ever hit one, and the terminal's job-control signals,
 * which are for the foreground job, not for us: we ignore those. */
static void forwarded_signals(sigset_t *set)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	int job_control[] = { SIGTSTP, SIGTTIN, SIGTTOU };

	sigfillset(set);
	for (int i = 0; i < 3; i++) {
		sigaction(job_control[i], &ign, NULL);
		sigdelset(set, job_control[i]);
	}
	sigdelset(set, SIGSEGV);
	sigdelset(set, SIGBUS);
	sigdelset(set, SIGILL);
	sigdelset(set, SIGFPE);
	sigdelset(set, SIGTRAP);
	sigdelset(set, SIGSYS);
	sigdelset(set, SIGABRT);
}

/* Reap every zombie; exit with the command's status once it is one. */
static void reap_zombies(pid_t command)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		trace("waitpid(-1, &status, WNOHANG) = %d", pid);
		if (pid == command)
			_exit(exit_status_of(status));
	}
}

_Noreturn void pid1_main(const struct run_opts *o, const char **envp,
			 int report_fd)
{
	sigset_t set;
	pid_t command;

	/* Blocked before the fork: a signal or the command's death that
	 * comes before the loop below is queued, not lost. */
	forwarded_signals(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);

	command = ns_clone(SIGCHLD);    /* a plain fork */
	if (command == 0) {
		/* its own process group; with -t, the terminal's foreground
		 * one, so the shell's job control works (SIGTTOU is ignored
		 * here, or asking as a background group would stop us) */
		setpgid(0, 0);
		if (o->tty)
			tcsetpgrp(STDIN_FILENO, getpid());
		exec_command(o, envp, report_fd);
	}
	if (traced(command, "clone(SIGCHLD)") < 0)
		fail(report_fd, EXIT_SETUP, errno, "fork");
	setpgid(command, command);      /* both sides: whoever runs first */

	/* Our copy of the status pipe goes: the command's copy is the one
	 * that tells minictr whether execve worked.  We need no other fd. */
	close(report_fd);
	syscall(SYS_close_range, 3, ~0U, 0);

	for (;;) {
		int sig = sigwaitinfo(&set, NULL);

		if (sig == SIGCHLD)
			reap_zombies(command);
		else if (sig > 0)
			traced(kill(command, sig), "kill(%d, %d)", command, sig);
	}
}
