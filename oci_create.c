/*
 * oci_create.c - `create`: a bundle's config.json into struct run_opts,
 * ROOT/ID made under ROOT's lock, the exec fifo the init will block on,
 * the terminal's way out (--console-socket, or run --bundle's relay), the
 * same clone as `run` (run.c create_container()), then state.json and
 * the pid file; minictr exits and the init is the caller's (oci.c).
 * Syscalls: mkfifo(2), fchownat(2), socket(2), connect(2),
 * socketpair(2), kill(2), waitpid(2).
 * Man pages: fifo(7), unix(7), realpath(3), sd_listen_fds(3).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"
#include "oci.h"

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
int console_socket(const char *path)
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
pid_t cmd_create(const struct oci_args *a, struct oci_state *s,
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
