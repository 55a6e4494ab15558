/*
 * stale.c - whose cgroup is this, and may it go?  The name of a
 * container's cgroup, and the sweep of those a dead minictr left behind.
 *
 * A minictr killed by SIGKILL cannot remove its cgroup; the next run
 * with a limit does.  But "dead" must be proved, and a pid alone proves
 * nothing: minictr may run in a container of its own (a nested run, a
 * minictr in docker) where it is PID 1 like every other such minictr,
 * and a pid seen from another pid namespace is another process.  So the
 * name says who made it, in terms that hold across namespaces:
 *
 *   minictr-<pid namespace inode>-<pid in it>-<start time in ticks>
 *
 * (the inode of /proc/self/ns/pid, and field 22 of /proc/self/stat: a
 * pid reused by a later process has a later start time).  minictr's own
 * leaf on cgroup v2 (cgroup.c) is the same name with "-minictr" added;
 * the directory of generated /etc files (etcfiles.c) is named so too,
 * after "etc-", and swept by the same proof of death (stale_name).
 *
 * A cgroup is stale only when both hold:
 *   - the kernel says it is empty: "populated 0" in cgroup.events (v2,
 *     counts its descendants too), no pid in cgroup.procs nor tasks (v1);
 *   - its owner is provably gone: in our pid namespace, no process with
 *     that pid and start time (or only a zombie); in another one that we
 *     can see (a descendant: its processes are in our /proc, NSpid in
 *     /proc/PID/status gives their pid in it), none of its processes has
 *     that pid and start time.  A namespace we cannot see (an ancestor's,
 *     a sibling's, or one that no longer exists) proves nothing: left.
 * The sweep never kills: it removes empty directories, deepest first,
 * with rmdir(2), which the kernel itself refuses (EBUSY) for a cgroup
 * that holds a process.  An empty cgroup of a live minictr (made, not yet
 * entered) is safe because its owner is alive.
 * Man pages: cgroups(7), pid_namespaces(7), proc(5) (stat, status).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

struct owner {
	unsigned long ns;       /* the pid namespace's inode */
	long pid;               /* the pid in that namespace */
	unsigned long long start;
};

/* The start time (ticks after boot) of /proc/<pid>, and its state
 * letter: 0, or -1 when there is no such process.  Read with one read(2)
 * and parsed by hand: stdio's FILE and scanf would add 20 KB to a binary
 * that needs neither elsewhere. */
int proc_start(const char *pid, unsigned long long *start, char *state)
{
	char dir[300], buf[1024], *p, *end;

	snprintf(dir, sizeof dir, "/proc/%s", pid);
	if (read_text(dir, "stat", buf, sizeof buf) < 0)
		return -1;
	p = strrchr(buf, ')');          /* the name may hold spaces and ')' */
	if (!p || p[1] != ' ' || !p[2])
		return -1;
	*state = p[2];
	/* after the state, 18 fields to skip: starttime is field 22 */
	for (int field = 3; field < 22 && p; field++)
		p = strchr(p + 2, ' ');
	if (!p)
		return -1;
	*start = strtoull(p + 1, &end, 10);
	return end == p + 1 ? -1 : 0;
}

/* The pid namespace inode of /proc/<pid>, or 0. */
static unsigned long pid_ns(const char *pid)
{
	char path[300];
	struct stat st;

	snprintf(path, sizeof path, "/proc/%s/ns/pid", pid);
	return stat(path, &st) < 0 ? 0 : (unsigned long)st.st_ino;
}

/* "minictr-<ns>-<pid>-<start>": this minictr's name for its cgroup. */
void cgroup_name(char *buf, size_t len)
{
	struct owner me = { pid_ns("self"), (long)getpid(), 0 };
	char state;

	if (!me.ns || proc_start("self", &me.start, &state) < 0)
		die("read /proc/self/stat and /proc/self/ns/pid (is /proc "
		    "this pid namespace's?)");
	snprintf(buf, len, "minictr-%lu-%ld-%llu", me.ns, me.pid, me.start);
}

/* The pid of /proc/<pid> in its own namespace: the last of NSpid;
 * -1 when the kernel has no NSpid line (before 4.1). */
static long ns_pid(const char *pid)
{
	char dir[300], buf[2048], *p;

	snprintf(dir, sizeof dir, "/proc/%s", pid);
	if (read_text(dir, "status", buf, sizeof buf) < 0 ||
	    !(p = strstr(buf, "\nNSpid:")))
		return -1;
	p[strcspn(p + 1, "\n") + 1] = '\0';  /* that line only */
	p = strrchr(p, '\t');
	return p ? atol(p + 1) : -1;
}

/* "minictr-<ns>-<pid>-<start>[...]" into o: 0, or -1 for any other name. */
static int parse_name(const char *name, struct owner *o)
{
	char *end;

	if (strncmp(name, "minictr-", 8) != 0)
		return -1;
	o->ns = strtoul(name + 8, &end, 10);
	if (end == name + 8 || *end != '-')
		return -1;
	name = end + 1;
	o->pid = strtol(name, &end, 10);
	if (end == name || *end != '-')
		return -1;
	name = end + 1;
	o->start = strtoull(name, &end, 10);
	return end == name ? -1 : 0;
}

/* o's minictr is gone: 1 proved, 0 alive or not provable. */
static int owner_gone(const struct owner *o)
{
	struct subdirs proc;
	const char *name;
	int seen = 0, alive = 0;

	if (subdirs_open(&proc, "/proc") < 0)
		return 0;
	while (!alive && (name = subdirs_next(&proc))) {
		unsigned long long start;
		char state;
		long pid;

		if (name[0] < '1' || name[0] > '9' || pid_ns(name) != o->ns)
			continue;
		seen = 1;               /* the namespace is one we can see */
		pid = ns_pid(name);
		alive = pid < 0 ||      /* no NSpid: nothing proved */
			(pid == o->pid &&
			 proc_start(name, &start, &state) == 0 &&
			 start == o->start && state != 'Z');
	}
	subdirs_close(&proc);
	return seen && !alive;
}

/* The kernel says no process is in dir (nor, on v2, below it). */
static int is_empty(const char *dir)
{
	char buf[64];

	if (read_text(dir, "cgroup.events", buf, sizeof buf) == 0)
		return strstr(buf, "populated 0") != NULL;
	return read_text(dir, "cgroup.procs", buf, sizeof buf) == 0 &&
	       buf[0] == '\0' &&
	       read_text(dir, "tasks", buf, sizeof buf) == 0 && buf[0] == '\0';
}

/* rmdir dir and every cgroup below it, deepest first.  The kernel
 * refuses one that holds a process (EBUSY): then dir stays too. */
int rmdir_tree(const char *dir)
{
	struct subdirs d;
	const char *name;
	char sub[PATH_MAX];

	if (subdirs_open(&d, dir) == 0) {
		while ((name = subdirs_next(&d))) {
			snprintf(sub, sizeof sub, "%s/%s", dir, name);
			rmdir_tree(sub);
		}
		subdirs_close(&d);
	}
	if (traced(rmdir(dir), "rmdir(\"%s\")", dir) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

/* name, "minictr-<ns>-<pid>-<start>[...]", is a minictr proved gone:
 * 1.  Also for etcfiles.c's directories, named the same way. */
int stale_name(const char *name)
{
	struct owner o;

	return parse_name(name, &o) == 0 && owner_gone(&o);
}

/* Remove each minictr-* cgroup in parent that is empty and whose owner
 * is proved gone.  Kills nothing. */
void sweep_stale(const char *parent)
{
	struct subdirs d;
	const char *name;
	char dir[PATH_MAX];

	if (subdirs_open(&d, parent) < 0)
		return;
	while ((name = subdirs_next(&d))) {
		if (strncmp(name, "minictr-", 8) != 0)
			continue;
		snprintf(dir, sizeof dir, "%s/%s", parent, name);
		if (is_empty(dir) && stale_name(name)) {
			trace("%s is stale: empty, and its minictr is gone",
			      dir);
			rmdir_tree(dir);
		}
	}
	subdirs_close(&d);
}
