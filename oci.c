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
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"

/* One error line (and its log line), exit 125: every OCI failure. */
static _Noreturn __attribute__((format(printf, 1, 2)))
void oci_fail(const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	error_line(0, "%s", what);
	exit(EXIT_SETUP);
}

/* --systemd-cgroup: cgroupsPath is "slice:prefix:name", put where
 * systemd would put it (mountinfo.c), in every hierarchy's tree. */
static void systemd_path(struct run_opts *o)
{
	static char path[PATH_MAX_OCI];
	const char *why = cgroup_systemd_path(o->cgroups_path, path,
					      sizeof path);

	if (why)
		oci_fail("config.json: linux.cgroupsPath: %s", why);
	o->cgroups_path = path;
}

/* config.json of the bundle into o; bundle made absolute into s, and
 * its text into s->config for ROOT/ID's copy. */
static void read_config(const struct oci_args *a, struct run_opts *o,
			struct oci_state *s)
{
	char path[PATH_MAX_OCI + 16], *text;
	struct config_error err;
	const char *why;
	size_t len;

	if (!realpath(a->bundle ? a->bundle : ".", s->bundle))
		die("bundle %s", a->bundle ? a->bundle : ".");
	snprintf(path, sizeof path, "%s/config.json", s->bundle);
	if (!(text = read_whole(path, &len)))   /* a FIFO: refused, not waited */
		oci_fail("%s: %s", path, read_error(errno));
	if (config_parse(text, len, s->bundle, o, &err) < 0) {
		if (strcmp(err.field, "config.json") == 0)  /* the whole file */
			oci_fail("config.json: %s", err.reason);
		oci_fail("config.json: %s: %s", err.field, err.reason);
	}
	if ((why = seccomp_prepare(o)))
		oci_fail("config.json: linux.seccomp: %s", why);
	s->config = text;       /* kept in ROOT/ID for exec, and for start's and delete's
				 * hooks: the bundle may change meanwhile */
	s->config_len = len;
	for (int i = 0; i < err.nnotes; i++)
		trace("config.json: accepted: %s", err.notes[i]);
	if (o->apparmor && read_whole("/sys/module/apparmor/parameters/enabled",
				      &len) && o->apparmor[0])
		oci_fail("config.json: process.apparmorProfile: AppArmor is on "
			 "here, and profiles are not supported yet");
	snprintf(s->rootfs, sizeof s->rootfs, "%s", o->rootfs);
	s->annotations = o->annotations;
	if (a->systemd && o->cgroups_path)
		systemd_path(o);
}

/* --console-socket: connected now, before pivot_root hides the path. */
static int console_socket(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof sun.sun_path)
		oci_fail("--console-socket %s: path too long", path);
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0)
		die("--console-socket %s", path);
	return fd;
}

/* The fifo the init will block on, and its O_PATH fd for the child. */
static int make_fifo(const struct oci_state *s)
{
	char path[PATH_MAX_OCI];
	int fd;

	state_path(s, "exec.fifo", path, sizeof path);
	if (mkfifo(path, 0600) < 0 ||
	    (fd = open(path, O_PATH | O_CLOEXEC)) < 0)
		die("mkfifo %s", path);         /* ROOT/ID goes at exit */
	return fd;
}

/* state.json, then the pid file: both whole, both before create exits. */
static void record(struct oci_state *s, const struct oci_args *a, pid_t pid)
{
	char path[PATH_MAX_OCI] = "", pidtext[16], st, *json;
	size_t need;

	snprintf(pidtext, sizeof pidtext, "%d", (int)pid);
	state_path(s, "state.json", path, sizeof path);
	if (proc_start(pidtext, &s->start, &st) < 0)
		goto failed;
	s->pid = pid;
	need = state_json(s, "created", pid, 1, NULL, 0) + 1;
	if (!(json = malloc(need)))
		goto failed;
	need = state_json(s, "created", pid, 1, json, need);
	if (write_atomic(path, json, need, 0600) < 0)
		goto failed;
	/* no newline: containerd's reader does strconv.Atoi on it all */
	if (!a->pid_file)
		return;
	snprintf(path, sizeof path, "--pid-file %s", a->pid_file);
	if (write_atomic(a->pid_file, pidtext, strlen(pidtext), 0644) < 0)
		goto failed;
	return;
failed:
	/* exit(): cgroup.c's atexit kills the init in its cgroups and
	 * removes them, then maker.c's removes ROOT/ID */
	error_line(errno, "record the container's state (%s)", path);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	exit(EXIT_SETUP);
}

/* LISTEN_FDS (systemd socket activation): that many fds from 3 go in. */
static int listen_fds(void)
{
	const char *v = getenv("LISTEN_FDS");

	return v ? atoi(v) : 0;
}

/*
 * run --bundle with process.terminal and no --console-socket (runc's
 * rule: only a detached one needs the socket): `run -t`'s terminal.  The
 * master comes back on a socketpair, run.c's loop relays it; the signals
 * that loop forwards are blocked before the clone, as run's, and the
 * size is the user's unless consoleSize says.
 */
static int relay_socket(struct run_opts *o, int *relay)
{
	struct winsize ws;
	sigset_t set;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	block_signals(o, &set);
	pty_user_size(&ws);
	if (!o->console_rows && !o->console_cols) {
		o->console_rows = ws.ws_row;
		o->console_cols = ws.ws_col;
	}
	*relay = sv[0];
	return sv[1];
}

/* A step of create failed once ROOT/ID exists: say which; exit()
 * leaves nothing (maker.c). */
static _Noreturn void create_failed(const char *what)
{
	error_line(errno, "create: %s", what);
	exit(EXIT_SETUP);
}

/* ROOT/ID with its maker file, made under ROOT's lock: from now on any
 * exit() removes it, and a SIGKILL leaves what delete clears; then the
 * bundle's config.json in it. */
static void make_root_id(const struct oci_args *a, const struct oci_state *s)
{
	char path[PATH_MAX_OCI];
	int lock;

	state_make_root(a->root);
	lock = maker_lock(a->root);
	/* a half-made ROOT/ID of this ID, its maker killed: cleared, its
	 * released init killed (maker.c), as delete would */
	if (maker_clear_locked(s) < 0)
		oci_fail("container with given ID already exists");
	if (maker_begin(a->root, s->id) < 0)
		errno == EEXIST ? oci_fail("container with given ID already "
					   "exists") : die("mkdir %s",
					   state_path(s, NULL, path, sizeof path));
	close(lock);
	if (write_atomic(state_path(s, "config.json", path, sizeof path),
			 s->config, s->config_len, 0600) < 0)
		create_failed(path);
}

/* create: everything but the user's process; returns the init's pid.
 * o: config.json's options, filled; relay: see relay_socket(). */
static pid_t cmd_create(const struct oci_args *a, struct oci_state *s,
			struct run_opts *o, int *relay)
{
	pid_t pid;

	read_config(a, o, s);
	if (o->tty && !a->console_socket && (a->cmd != OCI_RUN || a->detach))
		oci_fail("cannot allocate tty if runc will detach without "
			 "setting console socket");
	/* connected first: a refusal here leaves no ROOT/ID behind */
	o->console_sock = !o->tty ? -1 : a->console_socket ?
			  console_socket(a->console_socket) : relay_socket(o, relay);
	/* Ctrl-C, SIGTERM: from now on they end create cleanly, at its
	 * next wait, not wherever it is (interrupt.c) */
	interrupt_watch();
	make_root_id(a, s);
	rfc3339_now(s->created, sizeof s->created);     /* hooks see it */
	o->state = s;
	o->oci = 1;
	o->interactive = 1;              /* 0, 1 and 2 pass through */
	o->trace = a->debug;
	o->preserve_fds = (int)a->preserve_fds + listen_fds();
	o->exec_fifo = make_fifo(s);
	/* the init opens it as process.user by then (caps.c): its owner.
	 * A user (rootless) owns it already, as the init's mapped root. */
	if (o->has_ids && geteuid() == 0 &&
	    fchownat(o->exec_fifo, "", (uid_t)id_host(o->uid_maps, o->nuid_maps,
						    o->uid),
		     (gid_t)id_host(o->gid_maps, o->ngid_maps, o->gid),
		     AT_EMPTY_PATH) < 0)
		create_failed("chown exec.fifo");
	if (seccomp_keep(o, s) < 0)    /* the filter `exec` installs too */
		create_failed("write seccomp.bpf");
	cgroup_setup(o);        /* a refused limit exits here */
	maker_cgroups();        /* where delete finds the init if we die */
	pid = create_container(o);
	close(o->exec_fifo);
	if (o->console_sock >= 0)
		close(o->console_sock);  /* the init sent the master on it */
	if (pid < 0)
		exit(-pid);
	interrupt_exit();       /* the last look: after it, a whole one */
	cgroup_dirs(s->cgroups, sizeof s->cgroups);
	record(s, a, pid);
	cgroup_keep(s->cgroups, sizeof s->cgroups);     /* delete's now */
	maker_done();
	interrupt_end();
	return pid;
}

/* The hooks of kind k from the config.json kept at create (its hooks
 * only: config_hooks), with the state as it is now; a failure is a
 * warning (poststart, poststop). */
static void after_hooks(const struct oci_state *s, enum hook_kind k,
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

static void cmd_delete(struct oci_state *s, const struct oci_args *a);

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
static void cmd_start(struct oci_state *s, const struct oci_args *a)
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
static void cmd_delete(struct oci_state *s, const struct oci_args *a)
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
