/*
 * container.c - a container `run` names (--name, -d) on disk, from its
 * making to its end: ROOT/ID made with its name and run.json under ROOT's
 * lock, its state.json once it runs (so that the OCI commands and `exec`
 * work on it), "restarting" during --restart's back-off, its exit status
 * kept, and with --rm the whole directory removed.
 *
 * Uniqueness without a daemon: ROOT is locked with flock(2) while a name
 * is checked and ROOT/ID/name written, so of two `run --name web` at the
 * same moment one wins and the other is told.  The lock goes with the
 * fd: a minictr killed meanwhile holds nothing.  A name held by a
 * half-made container (no state.json) whose maker is gone is free: that
 * container is removed (maker.c's rule).
 * Man pages: flock(2), open(2), unlink(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "minictr.h"

/* The container this process made, until it is recorded as started.
 * Of s only root and id are set (its state.json is made on the stack,
 * container_started): the monitor of `run -d` keeps one page of this. */
static struct {
	char id[72];
	pid_t owner;            /* who made it: not a child that exit()ed */
	char created[48];       /* state.json's "created": its first start's,
				 * kept by --restart's (runc's, docker's) */
	struct oci_state s;
} cur;

/*
 * `run --name` or `run -d`: a new ID, a unique name, ROOT/ID with its
 * name and run.json, all under ROOT's lock.  Exits 125 when the name is
 * taken.  The ID into id.
 */
void container_new(const struct run_opts *o, char *id, size_t len)
{
	char path[PATH_MAX_OCI], name[NAME_MAX_CTR + 8];
	int lock;

	cur.s.root = o->root;
	cur.s.id = cur.id;
	container_new_id(cur.id);
	state_make_root(o->root);
	lock = maker_lock(o->root);
	/* a name held by a half-made container whose maker is gone (a
	 * minictr killed before its state.json) is free (maker.c) */
	maker_sweep_locked(o->root);
	container_pick_name(o->root, o, name, sizeof name);
	/* until state.json, any exit() removes it (maker.c) */
	if (maker_begin(o->root, cur.id) < 0)
		die("mkdir %s", state_path(&cur.s, NULL, path, sizeof path));
	cur.owner = getpid();
	if (write_atomic(state_path(&cur.s, "name", path, sizeof path), name,
			 strlen(name), 0600) < 0)
		die("write %s", path);
	close(lock);            /* the name is taken: others may look */
	runjson_write(o, &cur.s, name);
	if (seccomp_keep(o, &cur.s) < 0)        /* exec's filter, as create's */
		die("write %s/seccomp.bpf", cur.id);
	snprintf(id, len, "%s", cur.id);
}

/* --restart's back-off (run.c): the status it exited with, in
 * ROOT/ID/restarting until the next start (`ps`: "Restarting (1)"). */
void container_restarting(int status)
{
	char path[PATH_MAX_OCI], text[16];
	int n = snprintf(text, sizeof text, "%d\n", status);

	if (cur.owner)
		write_atomic(state_path(&cur.s, "restarting", path, sizeof path),
			     text, (size_t)n, 0600);
}

/* state.json, as `create` writes it, so that `state`, `kill`, `delete`
 * and `exec` work on it.  All on the stack, not in cur: the monitor
 * gives its set-up's stack back once the container runs
 * (monitor_settle). */
static void write_state(const struct run_opts *o, pid_t pid)
{
	struct oci_state s = { .root = cur.s.root, .id = cur.id, .pid = pid };
	char path[PATH_MAX_OCI], pidtext[16], st;
	char json[PATH_MAX_OCI * 6 + CGROUPS_MAX * 2];
	size_t n;

	snprintf(pidtext, sizeof pidtext, "%d", (int)pid);
	if (proc_start(pidtext, &s.start, &st) < 0)
		die("read /proc/%d/stat", (int)pid);
	if (!o->rootfs || !realpath(o->rootfs, s.rootfs))
		snprintf(s.rootfs, sizeof s.rootfs, "/");
	if (!cur.created[0])
		rfc3339_now(cur.created, sizeof cur.created);
	snprintf(s.created, sizeof s.created, "%s", cur.created);
	cgroup_dirs(s.cgroups, sizeof s.cgroups);
	unlink(state_path(&s, "restarting", path, sizeof path));
	n = state_json(&s, "running", pid, 1, json, sizeof json);
	if (n >= sizeof json || write_atomic(state_path(&s, "state.json",
			path, sizeof path), json, n, 0600) < 0)
		die("write %s", path);
}

/* After clone (run.c): a named container's state.json.  A plain `run`
 * has none, and touches none of that stack. */
void container_started(const struct run_opts *o, pid_t pid)
{
	if (!cur.owner)
		return;
	write_state(o, pid);
	maker_done();
}

/* ROOT/ID/exit.  ROOT full (a small /run, a chatty container): the
 * status matters more than the output, so the log gives way, its older
 * half first, and says so in what is left of it. */
static int write_exit(const char *path, const char *text, size_t n)
{
	int r = write_atomic(path, text, n, 0600), err = errno;

	for (int step = 0; r < 0 && err == ENOSPC && step < 2; step++) {
		if (log_give_way(step) < 0)
			continue;
		r = write_atomic(path, text, n, 0600);
		err = errno;
		if (r == 0)
			error_line(0, "%s is full: the log was cut to record "
				   "the exit status", cur.s.root);
	}
	errno = err;
	return r;
}

/*
 * The end: its exit status in ROOT/ID/exit (`ps -a`, `wait`); with --rm,
 * then the whole container gone, but not under a `wait`: each holds a
 * shared flock(2) on ROOT/ID until it has read exit (docker.c), and this
 * exclusive one waits for them all.  A `wait` that comes later finds no
 * container, as docker's.
 */
void container_ended(const struct run_opts *o, int status)
{
	char path[PATH_MAX_OCI], text[16];
	int n = snprintf(text, sizeof text, "%d\n", status), dir;

	if (!cur.owner)
		return;
	if (write_exit(state_path(&cur.s, "exit", path, sizeof path), text,
		       (size_t)n) < 0 && errno != ENOENT)
		error_line(errno, "write %s", path);    /* ENOENT: rm -f'd */
	if (!o->rm)
		return;
	dir = open(state_path(&cur.s, NULL, path, sizeof path),
		   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir >= 0)
		flock(dir, LOCK_EX);
	state_remove(&cur.s);
	if (dir >= 0)
		close(dir);
}
