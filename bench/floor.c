/*
 * bench/floor.c - the floor: the least a namespace launcher can do.
 * One raw clone with the five namespaces, the private remount, a /proc
 * mount, execve, and a wait.  No checks beyond what keeps it honest, no
 * error reporting, no signals: minictr's cost is measured against this.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int status;
	pid_t pid = syscall(SYS_clone, CLONE_NEWUTS | CLONE_NEWPID |
			    CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET | SIGCHLD,
			    NULL, NULL, NULL, 0);

	if (argc < 2 || pid < 0)
		return 125;
	if (pid == 0) {
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
		mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 125;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
