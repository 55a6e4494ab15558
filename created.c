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
 * Then init.c's exec_command(): signals reset, fds closed, execve.  A
 * failure from here on has no one to report to: fail() writes its line
 * on the container's stderr, where the caller's logs are.
 * Man pages: fifo(7), open(2), proc(5) (/proc/pid/fd), access(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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

/* The command is there, or fail in runc's words, which podman maps to
 * 127 (`create` here, and `exec`: exec.c). */
void command_check(const struct run_opts *o, const char **envp, int report_fd)
{
	if (!command_found(o->argv[0], envp) && strchr(o->argv[0], '/'))
		fail(report_fd, EXIT_NOT_FOUND, ENOENT, "exec: \"%s\": stat %s",
		     o->argv[0], o->argv[0]);
	if (!command_found(o->argv[0], envp))
		fail(report_fd, EXIT_NOT_FOUND, 0, "exec: \"%s\": executable "
		     "file not found in $PATH", o->argv[0]);
}

void await_start(const struct run_opts *o, const char **envp, int report_fd)
{
	struct child_report ready = { .status = 0 };
	char path[40], why[300] = "!";
	int fd;

	command_check(o, envp, report_fd);
	if (write(report_fd, &ready, sizeof ready) != sizeof ready)
		_exit(EXIT_SETUP);      /* `create` is gone: it said why */
	close(report_fd);
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
	close(fd);
	close(o->exec_fifo);
}
