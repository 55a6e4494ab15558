/*
 * bench/floor_plus.c - the floor, plus the two steps every minictr
 * container must also take: bring lo up (--net none) and install the
 * TIOCSTI seccomp filter.  Both are minictr's own code (ns.c, seccomp.c),
 * linked in, so the difference between this and minictr is what the rest
 * of minictr costs: the status pipe, signals, stdin, environment, fds.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../minictr.h"

int main(int argc, char *argv[])
{
	int status;
	pid_t pid = ns_clone(CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS |
			     CLONE_NEWIPC | CLONE_NEWNET | SIGCHLD);

	if (argc < 2 || pid < 0)
		return 125;
	if (pid == 0) {
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
		mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		ns_loopback_up();
		seccomp_deny_tiocsti();
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 125;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
