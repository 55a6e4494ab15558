/*
 * created.c - (child) an OCI container between `create` and `start`:
 * everything is set up, the command is known to exist, and the init
 * waits on ROOT/ID/exec.fifo, as runc's does.
 *
 *   1. the command, looked up in the container's PATH now, so that
 *      `create` fails with runc's words ("executable file not found in
 *      $PATH": podman maps them to 127), not a later `start`
 *   2. a report with status 0 on the status pipe: "ready"; `create`
 *      writes the pid file and exits on it
 *   3. open(2) of the fifo for writing, through /proc/self/fd/N of the
 *      O_PATH fd `create` opened before pivot_root (the path is not in
 *      the container's root): it blocks until `start` opens it for
 *      reading; the startContainer hooks run (hooks.c); one byte says
 *      go ("!" and a line: a hook failed, the init exits)
 *   4. the fifo stays open, O_CLOEXEC, as the status pipe was: init.c's
 *      exec_command() (signals reset, fds closed, execve) reports a
 *      failure on it, a struct child_report, and `start` prints it and
 *      exits 126 or 127 (runc's statuses for an exec that fails); when
 *      execve works, the kernel closes it and `start` reads EOF
 * What execve(2) would refuse for size (E2BIG) is refused at 1., by
 * create, with the kernel's rule (too_big).
 * Man pages: fifo(7), open(2), proc(5) (/proc/pid/fd), access(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

/* An executable regular file at path. */
static int executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

/* file, as execvp(3) would find it with envp's PATH (init.c's search). */
int command_found(const char *file, const char **envp)
{
	const char *dirs = "/usr/local/bin:/bin:/usr/bin";
	char path[4096];

	if (strchr(file, '/'))
		return executable(file);
	for (int i = 0; envp[i]; i++)
		if (strncmp(envp[i], "PATH=", 5) == 0)
			dirs = envp[i] + 5;
	for (const char *d = dirs, *end; *file; d = end + 1) {
		end = d + strcspn(d, ":");
		snprintf(path, sizeof path, "%.*s%s%s", (int)(end - d), d,
			 end > d ? "/" : "", file);
		if (executable(path))
			return 1;
		if (*end == '\0')
			break;
	}
	return 0;
}

/*
 * What execve(2) will refuse with E2BIG, refused now (fs/exec.c, Linux
 * 4.13 on): a string (with its NUL) over MAX_ARG_STRLEN, 32 pages; or
 * all of them, with a pointer each, over a quarter of the stack limit
 * (the container's by now: process.c set config.json's rlimits), taken
 * as at least ARG_MAX (128 KiB) and at most 6 MiB (3/4 of _STK_LIM).
 * The kernel counts a little more (the file's path): this refuses only
 * what cannot work.  why: room for the words; NULL when it may work.
 * exec_bytes: what a NULL-ended array takes, strings, NULs and pointers;
 * *one, its longest string with its NUL.
 */
static size_t exec_bytes(char *const *v, size_t *one)
{
	size_t total = 0, n;

	for (; *v; v++) {
		n = strlen(*v) + 1;
		total += n + sizeof *v;
		*one = n > *one ? n : *one;
	}
	return total;
}

static const char *too_big(char *const *argv, const char **envp, char *why,
			   size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), one = 0, limit = 6 << 20,
	       total = exec_bytes(argv, &one) +
		       exec_bytes((char *const *)envp, &one);
	struct rlimit stack;

	if (getrlimit(RLIMIT_STACK, &stack) == 0 &&
	    stack.rlim_cur != RLIM_INFINITY && stack.rlim_cur / 4 < limit)
		limit = stack.rlim_cur / 4;
	if (limit < 131072)
		limit = 131072;
	if (one > 32 * page)
		snprintf(why, len, "an argument or environment string of %zu "
			 "bytes (the kernel's limit: %zu)", one - 1, 32 * page - 1);
	else if (total > limit)
		snprintf(why, len, "arguments and environment of %zu bytes (the "
			 "kernel's limit here: %zu, from the stack's)", total,
			 limit);
	return one > 32 * page || total > limit ? why : NULL;
}

/* The command is there, or fail in runc's words, which podman maps to
 * 127 (`create` here, and `exec`: exec.c); and execve(2) would take it. */
void command_check(const struct run_opts *o, const char **envp, int report_fd)
{
	char why[160];

	if (too_big(o->argv, envp, why, sizeof why))
		fail(report_fd, EXIT_CANNOT_RUN, E2BIG, "exec %s: %s", o->argv[0],
		     why);
	/* there but not an executable file (a directory, no x bit):
	 * runc's LookPath says permission denied, podman's 126 */
	if (!command_found(o->argv[0], envp) && strchr(o->argv[0], '/') &&
	    access(o->argv[0], F_OK) == 0)
		fail(report_fd, EXIT_CANNOT_RUN, 0, "exec: \"%s\": permission "
		     "denied", o->argv[0]);
	if (!command_found(o->argv[0], envp) && strchr(o->argv[0], '/'))
		fail(report_fd, EXIT_NOT_FOUND, ENOENT, "exec: \"%s\": stat %s",
		     o->argv[0], o->argv[0]);
	if (!command_found(o->argv[0], envp))
		fail(report_fd, EXIT_NOT_FOUND, 0, "exec: \"%s\": executable "
		     "file not found in $PATH", o->argv[0]);
}

int await_start(const struct run_opts *o, const char **envp, int report_fd)
{
	struct child_report ready = { .status = 0 };
	char path[40], why[300] = "!";
	int fd;

	command_check(o, envp, report_fd);
	if (write(report_fd, &ready, sizeof ready) != sizeof ready)
		_exit(EXIT_SETUP);      /* `create` is gone: it said why */
	close(report_fd);
	interrupt_created();    /* `kill ID TERM` acts now, not at start */
	snprintf(path, sizeof path, "/proc/self/fd/%d", o->exec_fifo);
	trace("waiting for start: open(\"%s\", O_WRONLY) blocks until `start` "
	      "opens exec.fifo", path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail(-1, EXIT_SETUP, errno, "exec.fifo");
	/* `start` is reading: a failing startContainer hook is its error,
	 * sent as "!" and the line (one write under PIPE_BUF: whole) */
	if (hooks_child(o, HOOK_START_CONTAINER, why + 1, sizeof why - 1) < 0) {
		/* `start` says it, once (with `run --bundle` our stderr is
		 * its stderr too); the init only when start cannot hear */
		if (write(fd, why, strlen(why)) == (ssize_t)strlen(why))
			_exit(EXIT_SETUP);
		fail(-1, EXIT_SETUP, 0, "%s", why + 1);
	}
	if (write(fd, "0", 1) != 1)
		fail(-1, EXIT_SETUP, errno, "exec.fifo");
	close(o->exec_fifo);
	return fd;      /* O_CLOEXEC: `start` reads EOF once execve works */
}
