/*
 * oci.c - the OCI front door: runc's commands, as containerd's shim,
 * conmon (podman) and CRI-O call them (oci-callers.md §1, §1.10).
 *
 *   create   config.json -> struct run_opts (config.c), then the same
 *            clone and set-up as `run` (run.c create_container()); the
 *            init waits on ROOT/ID/exec.fifo (created.c); state.json and
 *            the pid file are written; minictr EXITS: the init is
 *            reparented to the caller, a subreaper that reaps it.  So no
 *            parent-death signal, no relay, no signal forwarding, and 0-2
 *            pass through (with a terminal, the pty master goes to
 *            --console-socket before create exits)
 *   start    opens the fifo: the init reads its byte and execs
 *   state    the state JSON, its status read from the world (state.c)
 *   kill     a signal to the init (or, --all, to its cgroups' processes);
 *            a run -d one's through its monitor (docker.c: no restart)
 *   delete   SIGKILL if it must, wait, remove cgroups and ROOT/ID
 *   run      create + start + wait, for people trying a bundle by hand;
 *            with process.terminal and no --console-socket, not
 *            detached: the terminal relayed as `run -t`'s (run.c)
 *   spec     a config.json with minictr's defaults (spec.c)
 *   exec     a process in a running container (exec.c), which needs
 *            the copy of config.json `create` keeps in ROOT/ID
 *   features what minictr implements, as JSON (features.c)
 * Every failure: one line on stderr and, with --log, in the log (JSON
 * with --log-format json), in runc's words, which callers match.
 * Man pages: unix(7) (the console socket), fifo(7), kill(2).
 *
 * This file: the commands' dispatch, the state root and --log, ROOT/ID
 * loaded, state, kill, delete, exec, run --bundle; create is in
 * oci_create.c, start and the hooks after create in oci_start.c (oci.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"
#include "oci.h"

/* One error line (and its log line), exit 125: every OCI failure. */
_Noreturn void oci_fail(const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	error_line(0, "%s", what);
	exit(EXIT_SETUP);
}

/* kill: to the init; --all, to every process of its cgroups too.  A
 * run -d or run --name one: through its monitor (docker.c), which then
 * starts nothing again (--restart), even in its back-off. */
static void cmd_kill(struct oci_state *s, const struct oci_args *a)
{
	int sig = a->signal ? parse_signal(a->signal) : SIGTERM, asked;
	char buf[4096], *line = s->cgroups;

	if (!state_alive(s) && !container_monitor_alive(s)) {
		if (a->all)
			exit(0);        /* runc: nothing left to signal */
		oci_fail("container not running");
	}
	asked = monitor_kill(s, sig);   /* first: then the init is not seen
					 * to die of the --all below alone */
	for (char *nl; a->all && (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (read_text(line, "cgroup.procs", buf, sizeof buf) == 0)
			for (char *p = buf; *p; p += strcspn(p, "\n"), p += !!*p)
				kill(atoi(p), sig);
	}
	if (asked < 0 || (!asked && kill(s->pid, sig) < 0))
		die("kill %d", s->pid);
}

/* delete: SIGKILL if asked to (--force), wait, remove everything. */
void cmd_delete(struct oci_state *s, const struct oci_args *a)
{
	const char *status = state_status(s);
	char *line = s->cgroups;

	if (!strcmp(status, "running") && !a->force)
		oci_fail("cannot delete container %s that is not stopped: %s",
			 s->id, status);
	if (state_alive(s))
		kill(s->pid, SIGKILL);
	/* not our child: poll until it is gone or a zombie (up to 10 s) */
	for (int i = 0; i < 10000 && state_alive(s); i++)
		usleep(1000);
	if (state_alive(s))
		oci_fail("container %s did not die after SIGKILL", s->id);
	for (char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (cgroup_remove(line) < 0)
			die("remove cgroup %s", line);
	}
	after_hooks(s, HOOK_POSTSTOP, "stopped");
	state_remove(s);
}

/* exec: into a created or running container (runc refuses only a
 * stopped one); the console socket connected here, in the host's
 * mount namespace, as create's. */
static int cmd_exec(const struct oci_args *a, const struct oci_state *s)
{
	if (!state_alive(s))
		oci_fail("cannot exec in a stopped container");
	return exec_container(a, s, a->console_socket ?
			      console_socket(a->console_socket) : -1);
}

/* run --bundle: create, start, wait for the init (our child), delete.
 * With a terminal of ours, `run -t`'s loop waits, relays and forwards
 * (run.c watch_child(): no status pipe left to read, -1). */
static int cmd_run_bundle(const struct oci_args *a, struct oci_state *s)
{
	struct run_opts o = { 0 };
	int status = 0, relay = -1;
	pid_t pid = cmd_create(a, s, &o, &relay);
	sigset_t set;

	cmd_start(s, a);
	if (a->detach)
		return 0;
	if (relay >= 0) {
		block_signals(&o, &set);        /* as relay_socket(): the set */
		status = watch_child(&o, pid, -1, relay, -1, &set);
	} else {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		status = exit_status_of(status);
	}
	cmd_delete(s, a);
	return status;
}

/* The state root (a user's: $XDG_RUNTIME_DIR/minictr, as runc's and
 * crun's; root's /run/minictr is not the user's to write) into a and s,
 * and --log, --log-format, --debug set up. */
static void oci_setup(struct oci_args *a, struct oci_state *s, char *rt,
		      size_t len)
{
	const char *root = state_root(a->root, rt, len);
	int fd;

	if (!root && a->cmd != OCI_SPEC)
		oci_fail("XDG_RUNTIME_DIR is not set: give --root DIR, a "
			 "directory of your own for the state");
	s->root = a->root = root ? root : a->root;

	if (a->log) {
		fd = open(a->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			die("--log %s", a->log);
		msg_log_to(fd, a->log_json);
	}
	trace_enabled = a->debug;
}

/* THE place an ID becomes a state directory, ROOT/ID, loaded into s
 * (id: room for the ID exec found); 1 when there is nothing more to do
 * (a delete that is done already), else 0. */
static int oci_load(const struct oci_args *a, struct oci_state *s, char *id,
		    size_t len)
{
	int half;

	/* exec also takes docker's names and unique ID prefixes (names.c);
	 * runc's other commands get exact IDs from their callers. */
	if (a->cmd == OCI_EXEC && container_find(a->root, a->id, id, len) == 0)
		s->id = id;
	/* a half-made ROOT/ID (no state.json: its maker was killed) is
	 * delete's to clear, unless its maker is alive (maker.c) */
	if (a->cmd == OCI_DELETE && (half = maker_clear(s)) != 0) {
		if (half < 0)   /* EBUSY: being made */
			oci_fail("container %s is being created", s->id);
		return 1;
	}
	if (state_load(s) < 0) {
		if (a->cmd == OCI_DELETE && a->force && errno == ENOENT)
			return 1;       /* runc: delete --force is idempotent */
		if (errno == ENOENT)
			oci_fail("container does not exist");
		die("read the state of %s", a->id);
	}
	return 0;
}

/* state: runc's JSON of the container, its status read from the world. */
static int cmd_state(struct oci_state *s)
{
	const char *st = state_status(s);
	int pid = strcmp(st, "stopped") ? s->pid : 0;  /* runc: 0 */
	size_t need = state_json(s, st, pid, 0, NULL, 0) + 1;
	char *json = malloc(need);

	if (!json)
		die("state");
	state_json(s, st, pid, 0, json, need);
	puts(json);
	return 0;
}

/* The OCI commands: log set up, ID checked, state loaded; exit status. */
int oci_main(const struct oci_args *given)
{
	struct oci_args args = *given, *a = &args;
	struct oci_state s = { .id = a->id };
	char rt[PATH_MAX - 64], id[ID_MAX + 1];

	oci_setup(a, &s, rt, sizeof rt);
	if (a->cmd == OCI_SPEC)
		return spec_write(a->bundle, a->rootless);
	if (a->cmd == OCI_FEATURES)
		return features_write();
	if (!valid_id(a->id))
		oci_fail("invalid container ID: '%s' (letters, digits, _ + - ., "
			 "at most %d)", a->id, ID_MAX);
	if (a->cmd == OCI_CREATE) {
		struct run_opts o = { 0 };

		return cmd_create(a, &s, &o, NULL) > 0 ? 0 : EXIT_SETUP;
	}
	if (a->cmd == OCI_RUN)
		return cmd_run_bundle(a, &s);
	if (oci_load(a, &s, id, sizeof id))
		return 0;
	if (a->cmd == OCI_STATE)
		return cmd_state(&s);
	if (a->cmd == OCI_EXEC)
		return cmd_exec(a, &s);
	if (a->cmd == OCI_START)
		cmd_start(&s, a);
	else if (a->cmd == OCI_KILL)
		cmd_kill(&s, a);
	else
		cmd_delete(&s, a);
	return 0;
}
