/*
 * maker.c - a state directory being made (ROOT/ID, state.c), who makes
 * it, and what is left of it when its maker is killed.
 *
 * `create` and `run --name` make ROOT/ID first and its state.json last.
 * A maker that exits on the way, by any exit() (die() and a refused
 * limit included), removes ROOT/ID (atexit) unless it finished
 * (maker_done); its cgroups go by cgroup.c's own atexit, which runs first.
 * A SIGKILL of the maker (a caller's timeout, the OOM killer) runs
 * nothing: ROOT/ID stays without state.json, holding its ID and its name.
 * So the maker says who it is before anything else:
 *
 *   ROOT/ID/maker   "<pid> <start time>\n" of the minictr making it, then
 *                   (create) "init <pid> <start time>\n" of its init once
 *                   cloned, and the cgroups it made for the init, one a
 *                   line; removed once state.json is written
 *
 * ROOT/ID and its maker file are made under ROOT's flock(2), the lock
 * container.c checks names under.  Whoever holds that lock and finds ROOT/ID
 * without state.json finds its maker file too, or a maker that died
 * between the two (or an older minictr's), or one that has just finished:
 * a maker finishes without the lock (state.json, then maker unlinked),
 * so state.json is looked for again after the maker file and its maker
 * were, and only then is ROOT/ID half-made.  THE RULE (maker_clear):
 *   - its maker alive (that pid with that start time, not a zombie): it
 *     is being made, and stays, whatever asks;
 *   - else it is half-made: its init (if that pid still has that start
 *     time) and the processes in its cgroups are killed and the cgroups
 *     removed (a `create`'s init released before its maker died waits on
 *     exec.fifo: it has no parent-death signal, by design, its caller
 *     being a subreaper; unreleased, it waits on the cgroup or user
 *     namespace pipe and exits when the maker dies; a rootless one is in
 *     no cgroup: the init line is how it is found), then ROOT/ID.
 * `delete`, `rm` and `create` (of the same ID) apply it to the one they
 * are given; `run --name` and `run -d`, to every ROOT/ID that `run` made,
 * before a name is picked.  A maker that exit()s kills its init itself
 * (abandon: our child, so its pid cannot be reused before we reap it).
 * Pids are this pid namespace's, as state.json's: minictrs sharing a
 * ROOT share a pid namespace.
 * Man pages: flock(2), proc(5) (/proc/pid/stat field 22), atexit(3),
 * pidfd_open(2), pidfd_send_signal(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"

/* No struct oci_state in here: zeroing its 10 KiB would make as many
 * pages the `run -d` monitor's own for its whole life (RssAnon). */
/* the maker file at most: its line, the init's, the cgroups */
#define MAKER_MAX (64 + 64 + CGROUPS_MAX)

static struct {
	pid_t owner;            /* the maker: not a child that exit()ed */
	pid_t init;             /* create's init, our child; 0: none yet */
	int done;
	char root[PATH_MAX_OCI], id[ID_MAX + 1], line[64];
} me;

/* ROOT/ID/name (name NULL: ROOT/ID) of the container being made. */
static const char *my_path(const char *name, char *buf, size_t len)
{
	struct oci_state s = { .root = me.root, .id = me.id };

	return state_path(&s, name, buf, len);
}

/* ROOT, locked (flock(2)): the fd, which holds the lock until closed. */
int maker_lock(const char *root)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 && user_root_missing(root))
		exit(EXIT_SETUP);
	if (fd < 0 || flock(fd, LOCK_EX) < 0)
		die("lock %s", root);
	return fd;
}

/* atexit: a container never finished leaves nothing behind: not its
 * init either (rootless, no cgroup.c kills it).  Our child, so its pid is
 * not reused until reaped: waitpid(2) WNOHANG says 0 while it runs, and
 * ECHILD once a failure path reaped it. */
static void abandon(void)
{
	struct oci_state s = { .root = me.root, .id = me.id };

	if (getpid() != me.owner || me.done)
		return;
	if (me.init > 0 && waitpid(me.init, NULL, WNOHANG) == 0) {
		kill(me.init, SIGKILL);
		waitpid(me.init, NULL, 0);
	}
	state_remove(&s);
}

/* maker's text: its line, then what follows (the init, the cgroups). */
static void write_maker(const char *more)
{
	char path[PATH_MAX_OCI], text[MAKER_MAX];
	int n = snprintf(text, sizeof text, "%s%s", me.line, more);

	if (write_atomic(my_path("maker", path, sizeof path), text,
			 (size_t)n, 0600) < 0)
		die("write %s", path);
}

/* With ROOT locked: mkdir ROOT/ID and write its maker file; -1 with
 * errno (EEXIST: ROOT/ID is there).  From now on, until maker_done(),
 * every exit() removes ROOT/ID. */
int maker_begin(const char *root, const char *id)
{
	char path[PATH_MAX_OCI], pid[16], st;
	unsigned long long start = 0;

	snprintf(me.root, sizeof me.root, "%s", root);
	snprintf(me.id, sizeof me.id, "%s", id);
	if (mkdir(my_path(NULL, path, sizeof path), 0711) < 0)
		return -1;
	me.owner = getpid();
	atexit(abandon);
	snprintf(pid, sizeof pid, "%d", (int)me.owner);
	proc_start(pid, &start, &st);
	snprintf(me.line, sizeof me.line, "%s %llu\n", pid, start);
	write_maker("");
	return 0;
}

/* create, after cgroup_setup() and before clone: the cgroups the init
 * will be in, for a maker_clear() should this minictr be killed. */
void maker_cgroups(void)
{
	char dirs[CGROUPS_MAX];

	cgroup_dirs(dirs, sizeof dirs);
	write_maker(dirs);
}

/* create, right after clone: the init, "init <pid> <start time>" before
 * the cgroups.  While create lives, abandon() kills it should create
 * fail; if create is SIGKILLed once the init is released, the maker file
 * names it for maker_clear() (rootless: no cgroup to find it in). */
void maker_init(pid_t pid)
{
	char dirs[CGROUPS_MAX], more[CGROUPS_MAX + 64], text[16], st;
	unsigned long long start = 0;

	if (getpid() != me.owner || me.done)
		return;
	me.init = pid;
	snprintf(text, sizeof text, "%d", (int)pid);
	proc_start(text, &start, &st);
	cgroup_dirs(dirs, sizeof dirs);
	snprintf(more, sizeof more, "init %d %llu\n%s", (int)pid, start, dirs);
	write_maker(more);
}

/* state.json is written: the container is whole, exit() keeps it, and
 * its maker file has said all it had to. */
void maker_done(void)
{
	char path[PATH_MAX_OCI];

	me.done = 1;
	unlink(my_path("maker", path, sizeof path));
}

/* The processes in each cgroup of lines (one a line), killed, and the
 * cgroups removed (cgroup.c, as delete does). */
static void remove_cgroups(char *lines)
{
	for (char *nl; (nl = strchr(lines, '\n')); lines = nl + 1) {
		*nl = '\0';
		if (cgroup_remove(lines) < 0 && errno != ENOENT)
			error_line(errno, "remove cgroup %s", lines);
	}
}

/*
 * The init a killed create named ("init <pid> <start time>"), SIGKILLed
 * if it is still that process, and awaited (up to 10 s, as delete waits).
 * Its pidfd (pidfd_open(2), Linux 5.3) is opened BEFORE its start time is
 * checked: if the pid was taken by another process since, the check
 * fails; if after, the signal goes to the pidfd's process, dead, not to
 * the newcomer.  Without pidfds, kill(2) right after the check.
 */
static void kill_init(const char *line)
{
	struct oci_state init = { 0 };
	int fd;

	if (strncmp(line, "init ", 5) != 0)
		return;
	init.pid = atoi(line + 5);
	init.start = strtoull(line + 5 + strcspn(line + 5, " "), NULL, 10);
	fd = init.pid > 0 ? (int)syscall(SYS_pidfd_open, init.pid, 0) : -1;
	if (state_alive(&init) && (fd >= 0 ? syscall(SYS_pidfd_send_signal,
			fd, SIGKILL, NULL, 0) : kill(init.pid, SIGKILL)) == 0)
		trace("%d, the init of a killed create: SIGKILL", init.pid);
	for (int i = 0; i < 10000 && state_alive(&init); i++)
		usleep(1000);
	if (fd >= 0)
		close(fd);
}

/* Is ROOT/ID whole: has it its state.json? */
static int whole(const struct oci_state *s)
{
	char path[PATH_MAX_OCI];

	return access(state_path(s, "state.json", path, sizeof path), F_OK) == 0;
}

/* ROOT/ID/maker into text: 1 its maker is alive, 0 gone, -1 no file. */
static int maker_read(const char *dir, char *text, size_t len)
{
	struct oci_state m = { 0 };

	if (read_text(dir, "maker", text, len) < 0)
		return -1;
	m.pid = atoi(text);
	m.start = strtoull(text + strcspn(text, " "), NULL, 10);
	return state_alive(&m);
}

/* With ROOT locked: apply THE RULE to ROOT/ID.  1 removed (half-made),
 * 0 nothing to do (no ROOT/ID, or a whole one), -1 with errno EBUSY
 * (being made). */
int maker_clear_locked(const struct oci_state *s)
{
	char dir[PATH_MAX_OCI], path[PATH_MAX_OCI],
	     text[MAKER_MAX], *p;
	int maker;

	if (access(state_path(s, NULL, dir, sizeof dir), F_OK) < 0 || whole(s))
		return 0;
	if ((maker = maker_read(dir, text, sizeof text)) > 0) {
		errno = EBUSY;
		return -1;
	}
	/* A maker finishes without ROOT's lock: state.json, then its maker
	 * file unlinked (maker_done), then `create`'s exits.  So since the
	 * look for state.json above, it may have finished: no maker file,
	 * or a maker gone, is no proof of a half-made container until
	 * state.json is looked for again, after them.  (Without this look, a
	 * `run -d` sweeping removed a neighbour that had just started: its
	 * monitor ran on, and ps, stop and rm no longer knew it.) */
	if (whole(s))
		return 0;
	if (maker < 0) {
		/* no maker file: its maker died before writing it.  Unless it
		 * is no container's at all (/run/minictr holds etcfiles.c's
		 * directories too): only one with a container's first files
		 * goes, or an empty one */
		if (access(state_path(s, "name", path, sizeof path), F_OK) < 0 &&
		    access(state_path(s, "config.json", path, sizeof path),
			   F_OK) < 0)
			return rmdir(dir) == 0;
	} else {
		p = text + strcspn(text, "\n");  /* then its init */
		kill_init(p += !!*p);
		if (strncmp(p, "init ", 5) == 0)
			p += strcspn(p, "\n"), p += !!*p;
		remove_cgroups(p);              /* then its cgroups */
	}
	trace("%s is half-made, and its maker is gone: removed", dir);
	state_remove(s);
	return 1;
}

/* With ROOT locked: THE RULE for each ROOT/ID that `run` made (64 hex
 * digits, names.c): so a killed `run --name` holds its name, and its
 * directory stays, only until the next `run --name` or `run -d`. */
void maker_sweep_locked(const char *root)
{
	struct subdirs d;
	const char *name;

	if (subdirs_open(&d, root) < 0)
		return;
	while ((name = subdirs_next(&d)))
		if (strlen(name) == 64 && strspn(name, "0123456789abcdef") == 64)
			maker_clear_locked(&(struct oci_state){ .root = root,
								.id = name });
	subdirs_close(&d);
}

/* THE RULE for ROOT/ID, with ROOT locked meanwhile. */
int maker_clear(const struct oci_state *s)
{
	char dir[PATH_MAX_OCI];
	int lock, r, err;

	/* no ROOT/ID (nor perhaps ROOT), or a whole one: nothing to lock */
	if (access(state_path(s, NULL, dir, sizeof dir), F_OK) < 0 || whole(s))
		return 0;
	lock = maker_lock(s->root);
	r = maker_clear_locked(s);
	err = errno;
	close(lock);
	errno = err;
	return r;
}
