/*
 * hooks.c - config.json's hooks: programs the runtime runs at fixed
 * moments of a container's life, each with the container's state JSON
 * (state.c) on its stdin.  Docker adds one to every container (a
 * prestart hook, libnetwork-setkey, that finds the network namespace
 * through the state's pid); podman's hooks.d and people add others.
 *
 *   prestart,        `create`, in the runtime's namespaces, once the
 *   createRuntime    container's exist: the parent, right after clone,
 *                    while the child waits (hooks_created, hooks_wait)
 *   createContainer  `create`, in the container's namespaces, before
 *                    pivot_root: the child (rootfs.c); its path is seen
 *                    in the host's files still
 *   startContainer   `start`, in the container, before the command's
 *                    execve: the init (created.c), path seen inside
 *   poststart        `start`, by the runtime, once the command runs
 *   poststop         `delete`, by the runtime, once the container is gone
 * A failure of one of the first four fails create (or start, for
 * startContainer) and stops the container; of the last two, a warning.
 * The sync pipe carries the state from the parent to the child: the
 * child cannot build it (it does not know its own pid as the host sees
 * it), and it must wait for the first two hooks anyway.
 *
 * Each hook: a raw clone (ns.c, as fork) whose child makes a memfd of
 * the state its stdin (a pipe could fill up with a hook that does not
 * read), clears the signal mask, leads a process group of its own, and
 * execve(2)s path with args and env exactly as given (no PATH search, no
 * environment of ours).  Its timeout is a poll(2) on a pidfd; when it
 * passes, SIGKILL to the group: the hook and what it started (`sh -c
 * 'sleep 1000 & sleep 1000'` leaves no sleep; runc kills the hook alone,
 * and its children live on); so when `create` is interrupted
 * (interrupt.c): its signalfd is in that poll.  A child that left the
 * group (setsid, setpgid) is the hook's own business, as a daemon is.
 * See the runtime spec's config.md "POSIX-platform Hooks" and
 * runtime.md "Lifecycle".  Man pages: memfd_create(2), pidfd_open(2),
 * setpgid(2), execve(2), waitpid(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"

/* The child's side of one hook: stdin, signals, execve; never returns. */
static _Noreturn void exec_hook(const struct ctr_hook *h, int state_fd)
{
	const char *path_only[2] = { h->path, NULL }, *none[1] = { NULL };
	sigset_t all;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	setpgid(0, 0);          /* its group: what wait_hook() kills */
	if (dup2(state_fd, STDIN_FILENO) < 0)
		_exit(EXIT_SETUP);
	execve(h->path, (char *const *)(h->args ? h->args : path_only),
	       (char *const *)(h->env ? h->env : none));
	_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

/* Wait for the hook; past its timeout, or once `create` is interrupted
 * (interrupt.c: Ctrl-C, SIGTERM), SIGKILL to its process group, while
 * the hook, unreaped, still holds the group's id.  0, -1 when timed
 * out, -2 when interrupted; *status is waitpid(2)'s. */
static int wait_hook(pid_t pid, int timeout, int *status)
{
	int stop = interrupt_fd(), pidfd = timeout || stop >= 0 ?
		  (int)syscall(SYS_pidfd_open, pid, 0) : -1, n = 1;
	struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN },
			       { .fd = stop, .events = POLLIN } };

	/* no pidfd (before Linux 5.3): the hook runs as long as it likes */
	while (pidfd >= 0 && (n = poll(p, 2, timeout ? timeout * 1000 :
				       -1)) < 0 && errno == EINTR)
		;
	if (pidfd >= 0)
		close(pidfd);
	stop = pidfd >= 0 && n > 0 && !p[0].revents;   /* interrupted */
	if (n == 0 || stop) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);     /* killed before its setpgid() */
	}
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return n == 0 ? -1 : stop ? -2 : 0;
}

/* One hook; 0, or -1 with what failed in what (errno 0 but for a setup
 * failure). */
static int run_one(const struct ctr_hook *h, int state_fd, char *what,
		   size_t len)
{
	int status = 0, timed_out;
	pid_t pid;

	lseek(state_fd, 0, SEEK_SET);
	pid = ns_clone(SIGCHLD);        /* fork, as ns.c explains */
	if (pid == 0)
		exec_hook(h, state_fd);
	if (pid < 0)
		return snprintf(what, len, "%s: fork", h->path), -1;
	setpgid(pid, pid);      /* the child's too: whichever comes first */
	timed_out = wait_hook(pid, h->timeout, &status);
	errno = 0;
	if (timed_out == -2)    /* the caller says so: interrupt_exit() */
		snprintf(what, len, "%s: killed: interrupted", h->path);
	else if (timed_out)
		snprintf(what, len, "%s: killed after its timeout of %d s",
			 h->path, h->timeout);
	else if (WIFSIGNALED(status))
		snprintf(what, len, "%s: killed by signal %d", h->path,
			 WTERMSIG(status));
	else if (WEXITSTATUS(status))
		snprintf(what, len, "%s: exit status %d%s", h->path,
			 WEXITSTATUS(status), WEXITSTATUS(status) ==
			 EXIT_NOT_FOUND ? " (not found?)" : "");
	return timed_out || status ? -1 : 0;
}

/* The hooks of kind k in order, each with state on stdin; 0, or -1 at
 * the first that fails, what saying which and why. */
int hooks_run(const struct run_opts *o, enum hook_kind k, const char *state,
	      char *what, size_t len)
{
	char why[300];
	int fd, rc = 0;

	if (!o->nhooks[k])
		return 0;
	fd = (int)syscall(SYS_memfd_create, "state.json", MFD_CLOEXEC);
	if (fd < 0 || write(fd, state, strlen(state)) < 0) {
		snprintf(what, len, "%s hooks: the state for stdin",
			 hook_names[k]);
		return -1;
	}
	for (int i = 0; i < o->nhooks[k] && rc == 0; i++) {
		trace("running the %s hook #%d: %s", hook_names[k], i,
		      o->hooks[k][i].path);
		if ((rc = run_one(&o->hooks[k][i], fd, why, sizeof why)) < 0)
			snprintf(what, len, "error running %s hook #%d: %s",
				 hook_names[k], i, why);
	}
	close(fd);
	return rc;
}

/* The parent -> child pipe: the state, once the first hooks are done;
 * and the state, as the child read it, for its own hooks. */
static int sync_fd[2] = { -1, -1 };
static const char *child_state;

/* Any hook of create's or start's that the child must wait or run for? */
static int child_hooks(const struct run_opts *o)
{
	return o->nhooks[HOOK_PRESTART] + o->nhooks[HOOK_CREATE_RUNTIME] +
	       o->nhooks[HOOK_CREATE_CONTAINER] +
	       o->nhooks[HOOK_START_CONTAINER];
}

/* Parent, before clone. */
void hooks_sync_make(const struct run_opts *o)
{
	if (child_hooks(o) && pipe2(sync_fd, O_CLOEXEC) < 0)
		die("pipe");
}

/* Parent, after clone: prestart and createRuntime, then the state to
 * the child, which goes on.  0, or -1 with what (the caller kills it). */
int hooks_created(const struct run_opts *o, pid_t pid, char *what,
		  size_t len)
{
	size_t need;
	char *state;
	int rc;

	if (sync_fd[1] < 0)
		return 0;
	close(sync_fd[0]);
	need = state_json(o->state, "creating", pid, 0, NULL, 0) + 1;
	if (!(state = malloc(need)))
		die("state");
	state_json(o->state, "creating", pid, 0, state, need);
	rc = hooks_run(o, HOOK_PRESTART, state, what, len);
	if (rc == 0)
		rc = hooks_run(o, HOOK_CREATE_RUNTIME, state, what, len);
	/* its length first, then the state; a failure: EOF, and the child
	 * exits.  No free(): minictr's malloc never frees (see oci_start.c) */
	if (rc == 0 && (write(sync_fd[1], &need, sizeof need) != sizeof need ||
			write(sync_fd[1], state, need) != (ssize_t)need)) {
		snprintf(what, len, "send the state to the init");
		rc = -1;
	}
	close(sync_fd[1]);
	return rc;
}

/* n bytes from fd, in as many reads as it takes; 0, or -1. */
static int read_all(int fd, void *buf, size_t n)
{
	for (ssize_t r; n; n -= (size_t)r, buf = (char *)buf + r)
		if ((r = read(fd, buf, n)) <= 0 && !(r < 0 && errno == EINTR))
			return -1;
		else if (r < 0)
			r = 0;
	return 0;
}

/* Child, once in its cgroup: wait for the parent's hooks, and keep the
 * state they sent for the child's own (hooks_child). */
void hooks_wait(const struct run_opts *o)
{
	size_t len = 0;
	char *state = NULL;

	if (!child_hooks(o))
		return;
	close(sync_fd[1]);
	if (read_all(sync_fd[0], &len, sizeof len) < 0 || len > 1 << 24 ||
	    !(state = malloc(len)) || read_all(sync_fd[0], state, len) < 0)
		_exit(EXIT_SETUP);      /* the parent said why */
	close(sync_fd[0]);
	child_state = state;
}

/* Child: createContainer (rootfs.c) or startContainer (created.c).  By
 * startContainer's time the container is "created": the state's status
 * says so (one word shorter, changed in place). */
int hooks_child(const struct run_opts *o, enum hook_kind k, char *what,
		size_t len)
{
	char *at = child_state ? strstr(child_state, "\"creating\"") : NULL;

	if (k == HOOK_START_CONTAINER && at) {      /* "creat|ing" -> ed" */
		memmove(at + 8, at + 9, strlen(at + 9) + 1);
		memcpy(at + 6, "ed", 2);
	}
	return hooks_run(o, k, child_state, what, len);
}
