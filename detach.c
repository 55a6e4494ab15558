/*
 * detach.c - `run -d`, `run --name` and `--rm`: containers that `ps`,
 * `stop`, `logs` and `exec` find again, with no daemon.
 *
 * `run --name` (foreground): ROOT/ID is made (container.c), then the same
 * run_container() as ever; its status is kept in ROOT/ID/exit.
 * `run -d`: minictr forks a monitor and waits for it to say "running":
 *
 *   run -d ──fork──> monitor: setsid(2), stdin and stdout /dev/null,
 *      │                      stderr the pipe back; ROOT/ID; then
 *      │                      run_container(): the same clone, the
 *      │                      same poll loop (run.c), the container's
 *      │                      output into ROOT/ID/container.log
 *      │<── "\0ID\n", EOF ── once execve worked (logfile.c)
 *   prints the ID, exits 0   ...the monitor waits, forwards SIGTERM with
 *                            --stop-timeout, records the exit status,
 *                            removes the cgroup (and with --rm, ROOT/ID)
 * If it fails first, the pipe carries the error line and run -d exits
 * with the monitor's status: 125, 126 or 127, as `run` would.
 * The monitor is the container's parent: if it is killed (even by
 * SIGKILL), the container gets SIGKILL too (init.c, PR_SET_PDEATHSIG),
 * and ROOT/ID stays, without an exit status, until `rm`.
 *
 * -d -t is refused: a terminal needs someone to hold its master and a
 * way to reattach to it (docker's attach), which minictr lacks.
 * Man pages: fork(2), setsid(2), credentials(7) (sessions), madvise(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"

/* The monitor keeps no fd of its caller's but the pipe it answers on:
 * a `$(minictr run -d ...)` waits for every writer of its stdout. */
static void detach_fds(int ready)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(ready, 2) < 0)
		die("monitor: stdio");
	if (syscall(SYS_close_range, 3, ~0U, 0) < 0)
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
}

/* The monitor: its own session, then the container's whole life. */
static _Noreturn void monitor(struct run_opts *o, int ready)
{
	char id[72];
	int status;

	if (setsid() < 0)
		die("setsid");
	detach_fds(ready);
	container_new(o, id, sizeof id);
	log_begin(o->root, id);
	status = run_container(o);
	container_ended(o, status);
	exit(status);
}

/*
 * The container runs: the monitor's set-up is over, and it went deep
 * (run.json and state.json made on the stack, paths, quoting), while the
 * loop that stays for the container's whole life runs a few frames above
 * this one.  Each stack page once touched stays the monitor's own
 * (RssAnon) until it exits, used or not: MADV_DONTNEED gives back those
 * below this frame, and a later touch gets a zeroed page (madvise(2)).
 * The range ends a page below this frame, so madvise's own call is clear
 * of it, and reaches SETTLE_DEPTH below, deeper than any set-up goes;
 * the part of it the stack has not grown into is not mapped (the kernel
 * keeps far more than that free below the stack), and makes madvise
 * say ENOMEM once it has done the rest.
 */
#define SETTLE_DEPTH (1 << 20)
void monitor_settle(void)
{
	uintptr_t page = (uintptr_t)getpagesize();
	uintptr_t end = ((uintptr_t)__builtin_frame_address(0) & ~(page - 1)) -
			page;

	madvise((void *)(end - SETTLE_DEPTH), SETTLE_DEPTH, MADV_DONTNEED);
}

/* run -d: what the monitor says, until EOF; the ID, or its error. */
static int await_monitor(pid_t pid, int fd)
{
	char buf[4096];
	size_t len = 0;
	ssize_t n;
	int status = 0;

	while (len < sizeof buf - 1 &&
	       (n = read(fd, buf + len, sizeof buf - 1 - len)) != 0)
		if (n > 0)
			len += (size_t)n;
		else if (errno != EINTR)
			break;
	buf[len] = '\0';
	n = (ssize_t)strlen(buf);       /* the error lines, before a NUL */
	(void)!write(STDERR_FILENO, buf, (size_t)n);
	if ((size_t)n < len) {          /* "\0ID\n": it runs */
		(void)!write(STDOUT_FILENO, buf + n + 1, len - (size_t)n - 1);
		return 0;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return exit_status_of(status);
}

/* `run` with --name or -d (main.c): the status to exit with. */
int detach_run(struct run_opts *o)
{
	char id[72];
	int ready[2], status;
	pid_t pid;

	if (!o->root)
		o->root = "/run/minictr";
	if (!o->detach) {
		container_new(o, id, sizeof id);
		status = run_container(o);
		container_ended(o, status);
		return status;
	}
	if (pipe2(ready, O_CLOEXEC) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		monitor(o, ready[1]);
	close(ready[1]);
	return await_monitor(pid, ready[0]);
}
