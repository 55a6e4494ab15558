/*
 * oci_start.c - `start`: the exec fifo opened, which lets the init
 * blocked on it go on (created.c); "0" then EOF when its execve worked,
 * "!" and why when a startContainer hook failed, else the execve's
 * report; then the poststart hooks.  after_hooks() runs the hooks that
 * come after create (poststart here, poststop at delete, oci.c) from the
 * copy of config.json create kept, a failure only a warning.
 * Syscalls: open(2) O_NONBLOCK, read(2), unlink(2), fcntl(2).
 * Man pages: fifo(7), pipe(7) (EOF once every writer is gone).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minictr.h"
#include "oci.h"

/* The hooks of kind k from the config.json kept at create (its hooks
 * only: config_hooks), with the state as it is now; a failure is a
 * warning (poststart, poststop). */
void after_hooks(const struct oci_state *s, enum hook_kind k,
			const char *status)
{
	struct run_opts o = { 0 };
	struct config_error err;
	char path[PATH_MAX_OCI], what[512], *text, *state;
	size_t len;

	if (!(text = read_whole(state_path(s, "config.json", path, sizeof path),
				&len)) ||
	    config_hooks(text, len, &o, &err) < 0 || !o.nhooks[k])
		return;
	len = state_json(s, status, strcmp(status, "stopped") ? s->pid : 0, 0,
			 NULL, 0) + 1;
	if (!(state = malloc(len)))
		return;
	state_json(s, status, strcmp(status, "stopped") ? s->pid : 0, 0, state,
		   len);
	if (hooks_run(&o, k, state, what, sizeof what) < 0)
		warn_line("warning: %s", what);
}

/* After "0": the init's execve.  The fifo is O_CLOEXEC in the init, so
 * EOF when it worked; else the init's report (created.c), 1 and r. */
static int exec_failed(int fd, struct child_report *r)
{
	size_t got = 0;
	ssize_t n;

	fcntl(fd, F_SETFL, 0);  /* blocking now: the init holds it open */
	while (got < sizeof *r && ((n = read(fd, (char *)r + got,
					     sizeof *r - got)) > 0 ||
				   (n < 0 && errno == EINTR)))
		got += n > 0 ? (size_t)n : 0;
	return got == sizeof *r;
}

/* start failed (a startContainer hook, the execve): one line, status;
 * `run` (a) deletes the container, stopping by itself. */
static _Noreturn void start_failed(struct oci_state *s,
				   const struct oci_args *a, int status,
				   int err, const char *what)
{
	struct oci_args force = *a;

	error_line(err, "%s", what);
	force.force = 1;        /* it is stopping: wait for it */
	if (a->cmd == OCI_RUN)
		cmd_delete(s, &force);
	exit(status);
}

/* start: open the fifo; the init, blocked opening it, goes on; start
 * returns once its execve worked, or fails with its report.  `run` (a)
 * deletes what a failing startContainer hook or execve stopped. */
void cmd_start(struct oci_state *s, const struct oci_args *a)
{
	const char *status = state_status(s);
	char path[PATH_MAX_OCI], why[300] = "";
	struct child_report r;
	ssize_t n;
	int fd;

	if (!strcmp(status, "stopped"))
		oci_fail("cannot start a container that has stopped");
	if (!strcmp(status, "running"))
		oci_fail("cannot start an already running container");
	/* O_NONBLOCK: this open never waits; the init's does, for us */
	fd = open(state_path(s, "exec.fifo", path, sizeof path),
		  O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		die("open %s", path);
	unlink(path);           /* from now on, the status says running */
	/* one write: "0" (go), or "!" and why a startContainer hook failed;
	 * its first byte alone: after "0" comes the execve's report */
	while (read(fd, why, 1) <= 0) {
		if (!state_alive(s))
			oci_fail("cannot start a container that has stopped");
		usleep(1000);   /* the init is between open and write */
	}
	if (why[0] == '!') {    /* the rest of that one write is there */
		n = read(fd, why + 1, sizeof why - 2);
		why[n > 0 ? n + 1 : 1] = '\0';
		start_failed(s, a, EXIT_SETUP, 0, why + 1);
	}
	if (exec_failed(fd, &r))
		start_failed(s, a, r.status, r.err, r.what);
	close(fd);
	after_hooks(s, HOOK_POSTSTART, "running");
}
