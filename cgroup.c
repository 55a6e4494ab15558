/*
 * cgroup.c - resource limits: memory, processes, CPU time and CPU set,
 * on cgroup v1, v2, or a host that mixes them, found by looking.
 *
 * A cgroup is a directory in a cgroup filesystem; writing a pid into its
 * cgroup.procs moves that process in, and its children are born there.
 * Each controller (memory, pids, cpu, cpuset) lives in exactly one
 * hierarchy: a v1 mount of its own (/sys/fs/cgroup/memory, whose mount
 * options name it) or the one v2 mount (whose cgroup.controllers lists
 * it).  A "hybrid" host has both: v1 for the controllers, and a v2 mount
 * with none of them.  So minictr asks /proc/self/mountinfo, controller by
 * controller, and may use several hierarchies at once.
 *
 * The container's cgroup is <hierarchy>/minictr/<minictr's pid>:
 *   - v2's "no internal processes" rule: a cgroup that hands controllers
 *     to its children (cgroup.subtree_control) may hold no process itself.
 *     The root is exempt; minictr/ never holds one.  So: +memory in the
 *     root's and in minictr/'s subtree_control, the container in the leaf.
 *   - v1's cpuset starts with empty cpuset.cpus and cpuset.mems, and
 *     joining such a cgroup fails with ENOSPC: copy them from the parent.
 *
 * The order, so the command never runs outside its limits:
 *   parent: cgroup_setup()  mkdir, write the limits      (before clone)
 *   child:  cgroup_wait()   block on a pipe              (first thing)
 *   parent: cgroup_place()  write the pid to cgroup.procs, release it
 * clone3(CLONE_INTO_CGROUP) would start the child inside at once, but on
 * v2 only, and Linux 5.7 or later; the pipe works on v1 and v2 alike and
 * costs one read.  Without a limit none of this happens: no cgroup, no
 * pipe, no read.
 *
 * On the way out (atexit, so every exit() of the parent, die() included):
 * the cgroup's processes are killed (cgroup.kill, else SIGKILL to each pid
 * in cgroup.procs) and it is removed, retrying while the kernel still
 * counts a dying process (EBUSY).  A minictr killed by SIGKILL cannot
 * clean up: the next run with a limit removes every minictr/<pid> whose
 * pid is dead.
 *
 * One file, longer than most here, because it is one story: where the
 * controllers are, the cgroup's life from mkdir to rmdir, and the two
 * dialects (v1 and v2 name the same limits differently).
 * Man pages: cgroups(7), and the kernel's cgroup-v2.rst and cgroup-v1/.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "minictr.h"

enum { MEMORY, PIDS, CPU, CPUSET, NCONTROLLERS };
static const char *const controllers[] = { "memory", "pids", "cpu", "cpuset" };
static const char *const options[] = {
	"--memory", "--pids-limit", "--cpus", "--cpuset-cpus",
};

struct hierarchy {
	char root[128];         /* its mount point: /sys/fs/cgroup/memory */
	char dir[160];          /* the container's: <root>/minictr/<pid> */
	int v2;
	unsigned mask;          /* the controllers minictr uses in it */
};

static struct {
	int n;                  /* hierarchies in use; 0: no limit asked */
	struct hierarchy h[NCONTROLLERS];
	unsigned found;         /* controllers placed in a hierarchy */
	char v2_root[128];      /* the v2 mount, if any */
	int sync[2];            /* the child waits on sync[0] */
	pid_t owner;            /* minictr's pid: only it cleans up */
	const struct run_opts *o;
} cg;

/* Write value to dir/name.  -1 with errno on failure. */
static int write_file(const char *dir, const char *name, const char *value)
{
	char path[256];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, value, strlen(value));
	err = errno;
	close(fd);
	errno = err;
	return traced(n < 0 ? -1 : 0, "write(\"%s\", \"%s\")", path, value);
}

/* Read dir/name into buf (NUL-terminated).  -1 with errno on failure. */
static int read_file(const char *dir, const char *name, char *buf, size_t len)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n < 0 ? -1 : 0;
}

/* word is one of the items of list, items separated by any of seps. */
static int has_word(const char *list, const char *word, const char *seps)
{
	size_t len = strlen(word);

	for (const char *p = list; *p; p += strcspn(p, seps), p += !!*p)
		if (strncmp(p, word, len) == 0 && (p[len] == '\0' ||
						    strchr(seps, p[len])))
			return 1;
	return 0;
}

/* The number after "key " on a line of text ("oom_kill 1"), or 0. */
static int counter(const char *text, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = text; *p; p += strcspn(p, "\n"), p += !!*p)
		if (strncmp(p, key, len) == 0 && p[len] == ' ')
			return atoi(p + len + 1);
	return 0;
}

/* The limit the host cannot give: say which, exit 125, never run. */
static _Noreturn __attribute__((format(printf, 3, 4)))
void cannot(int c, int err, const char *fmt, ...)
{
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	error_line(err, "%s: %s", options[c], what);
	exit(EXIT_SETUP);
}

static struct hierarchy *use_hierarchy(const char *root, int v2, unsigned mask)
{
	struct hierarchy *h = &cg.h[cg.n++];

	snprintf(h->root, sizeof h->root, "%s", root);
	snprintf(h->dir, sizeof h->dir, "%s/minictr/%d", root, (int)cg.owner);
	h->v2 = v2;
	h->mask = mask;
	cg.found |= mask;
	return h;
}

/* Kill every process of the cgroup at dir. */
static void kill_all(const char *dir)
{
	char buf[4096];

	if (write_file(dir, "cgroup.kill", "1") == 0)   /* v2, Linux 5.14 */
		return;
	if (read_file(dir, "cgroup.procs", buf, sizeof buf) < 0)
		return;
	for (char *p = buf; *p; p += strcspn(p, "\n"), p += !!*p)
		traced(kill(atoi(p), SIGKILL), "kill(%d, SIGKILL)", atoi(p));
}

/* Empty the cgroup at dir and remove it; 0, or -1 with errno. */
static int remove_cgroup(const char *dir)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	/* A killed process leaves its cgroup only once it has exited:
	 * rmdir says EBUSY until then.  Up to 5 s, then give up. */
	for (int i = 0; i < 500; i++) {
		if (traced(rmdir(dir), "rmdir(\"%s\")", dir) == 0 ||
		    errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -1;
		kill_all(dir);
		nanosleep(&tick, NULL);
	}
	return -1;
}

/* Remove <root>/minictr/<pid> left by a minictr that is gone (SIGKILL).
 * A pid that still exists (a zombie not yet reaped, or a new process
 * that got the number) keeps its cgroup until it is gone too. */
static void sweep(const char *root)
{
	char dir[160], buf[1024];
	int fd, swept = 0;
	long n;

	snprintf(dir, sizeof dir, "%s/minictr", root);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (fd >= 0 && (n = getdents(fd, (void *)buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			struct dirent *e = (struct dirent *)(buf + off);
			pid_t pid = atoi(e->d_name);
			char stale[300];

			off += e->d_reclen;
			if (pid <= 0 || (pid != cg.owner &&
					 !(kill(pid, 0) < 0 && errno == ESRCH)))
				continue;
			snprintf(stale, sizeof stale, "%s/%.16s", dir, e->d_name);
			swept += remove_cgroup(stale) == 0;
		}
	}
	if (fd >= 0)
		close(fd);
	if (swept)
		rmdir(dir);     /* if no container uses it any more */
}

/* One line of the mount table: a v1 hierarchy holding controllers we
 * need, or the v2 mount.  Every cgroup mount is swept on the way. */
static void found_mount(const struct mount_entry *m, void *need)
{
	unsigned mask = 0;

	if (strcmp(m->fstype, "cgroup2") == 0 && !cg.v2_root[0]) {
		snprintf(cg.v2_root, sizeof cg.v2_root, "%s", m->point);
	} else if (strcmp(m->fstype, "cgroup") == 0) {
		for (int c = 0; c < NCONTROLLERS; c++)
			if ((*(unsigned *)need & 1u << c & ~cg.found) &&
			    has_word(m->options, controllers[c], ","))
				mask |= 1u << c;
	} else {
		return;
	}
	sweep(m->point);
	if (mask)
		use_hierarchy(m->point, 0, mask);
}

/* Place each needed controller: a v1 hierarchy first, else v2. */
static void find_hierarchies(unsigned need)
{
	char list[256] = "";
	unsigned v2_mask = 0;

	if (mountinfo_each(found_mount, &need) < 0)
		die("read /proc/self/mountinfo");
	if (cg.v2_root[0])
		read_file(cg.v2_root, "cgroup.controllers", list, sizeof list);
	for (int c = 0; c < NCONTROLLERS; c++) {
		if (!(need & 1u << c & ~cg.found))
			continue;
		if (!has_word(list, controllers[c], " \n"))
			cannot(c, 0, "this host has no cgroup %s controller "
			       "(none in /proc/self/mountinfo, nor in a "
			       "cgroup2 mount's cgroup.controllers)",
			       controllers[c]);
		v2_mask |= 1u << c;
	}
	if (v2_mask)
		use_hierarchy(cg.v2_root, 1, v2_mask);
}

/* v2: hand the controllers down from dir to its children. */
static void enable_controllers(const char *dir, unsigned mask)
{
	char plus[16];

	for (int c = 0; c < NCONTROLLERS; c++) {
		if (!(mask & 1u << c))
			continue;
		snprintf(plus, sizeof plus, "+%s", controllers[c]);
		if (write_file(dir, "cgroup.subtree_control", plus) < 0)
			cannot(c, errno, "enable the %s controller in "
			       "%s/cgroup.subtree_control", controllers[c], dir);
	}
}

/* v1 cpuset: an empty cpuset.cpus or .mems is copied from the parent. */
static void copy_cpuset(const char *from, const char *to)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char value[256];

	for (int i = 0; i < 2; i++) {
		if (read_file(to, files[i], value, sizeof value) < 0)
			return;         /* no cpuset in this hierarchy */
		if (value[0] != '\n' && value[0] != '\0')
			continue;
		if (read_file(from, files[i], value, sizeof value) < 0 ||
		    write_file(to, files[i], value) < 0)
			cannot(CPUSET, errno, "copy %s from the parent", files[i]);
	}
}

/* mkdir <root>/minictr and the leaf; 0, or -1 with errno (ENOENT: another
 * minictr removed minictr/ in between, try again). */
static int make_dirs(struct hierarchy *h, int c)
{
	char parent[150];

	snprintf(parent, sizeof parent, "%s/minictr", h->root);
	if (h->v2)
		enable_controllers(h->root, h->mask);
	if (traced(mkdir(parent, 0755), "mkdir(\"%s\")", parent) < 0 &&
	    errno != EEXIST)
		cannot(c, errno, "mkdir %s", parent);
	if (h->v2)
		enable_controllers(parent, h->mask);
	else
		copy_cpuset(h->root, parent);
	if (traced(mkdir(h->dir, 0755), "mkdir(\"%s\")", h->dir) < 0)
		return -1;
	if (!h->v2)
		copy_cpuset(parent, h->dir);
	return 0;
}

static void set_limit(struct hierarchy *h, int c, const char *file,
		      const char *value)
{
	if (write_file(h->dir, file, value) < 0)
		cannot(c, errno, "write %s", file);
}

/* Write each limit in the dialect of its hierarchy. */
static void write_limits(struct hierarchy *h, const struct run_opts *o)
{
	/* --cpus's period is docker's; config.json may name its own */
	long long period = o->cpu_period ? o->cpu_period : CPU_PERIOD_US;
	char v[64];

	if (h->mask & 1u << MEMORY) {
		snprintf(v, sizeof v, "%lld", o->memory);
		set_limit(h, MEMORY, h->v2 ? "memory.max" : "memory.limit_in_bytes", v);
		/* the limit is the limit: no swap on top of it (docker allows
		 * as much again).  Absent when swap is not accounted. */
		if (write_file(h->dir, h->v2 ? "memory.swap.max" :
			       "memory.memsw.limit_in_bytes", h->v2 ? "0" : v) < 0 &&
		    errno != ENOENT)
			cannot(MEMORY, errno, "limit swap in %s", h->dir);
	}
	if (h->mask & 1u << PIDS) {
		snprintf(v, sizeof v, "%lld", o->pids_limit);
		set_limit(h, PIDS, "pids.max", v);
	}
	if (h->mask & 1u << CPU && h->v2) {
		snprintf(v, sizeof v, "%lld %lld", o->cpu_quota, period);
		set_limit(h, CPU, "cpu.max", v);
	} else if (h->mask & 1u << CPU) {
		snprintf(v, sizeof v, "%lld", period);
		set_limit(h, CPU, "cpu.cfs_period_us", v);
		snprintf(v, sizeof v, "%lld", o->cpu_quota);
		set_limit(h, CPU, "cpu.cfs_quota_us", v);
	}
	if (h->mask & 1u << CPUSET)
		set_limit(h, CPUSET, "cpuset.cpus", o->cpuset_cpus);
}

/* atexit: kill what is left in the cgroups and remove them. */
static void cleanup(void)
{
	char parent[150];

	if (getpid() != cg.owner)
		return;         /* a child that exit()ed: not its job */
	for (int i = 0; i < cg.n; i++) {
		if (remove_cgroup(cg.h[i].dir) < 0)
			error_line(errno, "remove cgroup %s", cg.h[i].dir);
		snprintf(parent, sizeof parent, "%s/minictr", cg.h[i].root);
		rmdir(parent);  /* if no other container uses it */
	}
}

/* Parent, before clone: find, sweep, create, limit.  Exits 125 if the
 * host cannot apply a limit. */
void cgroup_setup(const struct run_opts *o)
{
	unsigned need = (o->memory ? 1u << MEMORY : 0) |
			(o->pids_limit ? 1u << PIDS : 0) |
			(o->cpu_quota ? 1u << CPU : 0) |
			(o->cpuset_cpus ? 1u << CPUSET : 0);

	if (!need)
		return;
	cg.owner = getpid();
	cg.o = o;
	atexit(cleanup);
	find_hierarchies(need);
	for (int i = 0; i < cg.n; i++) {
		struct hierarchy *h = &cg.h[i];
		int c = __builtin_ctz(h->mask), tries = 0;

		while (make_dirs(h, c) < 0) {
			if (++tries == 3 || (errno != EEXIST && errno != ENOENT))
				cannot(c, errno, "mkdir %s", h->dir);
			if (errno == EEXIST)        /* ours, from a dead pid */
				remove_cgroup(h->dir);
		}
		write_limits(h, o);
	}
	if (pipe2(cg.sync, O_CLOEXEC) < 0)
		die("pipe");
}

/* Child, first thing: wait until the parent has placed us. */
void cgroup_wait(void)
{
	char c;
	ssize_t n;

	if (!cg.n)
		return;
	close(cg.sync[1]);
	do
		n = read(cg.sync[0], &c, 1);
	while (n < 0 && errno == EINTR);
	close(cg.sync[0]);
	if (n != 1)
		_exit(EXIT_SETUP);      /* the parent failed, and says why */
}

/* Parent, after clone: move the child into each cgroup, then release it. */
void cgroup_place(pid_t pid)
{
	char v[16];

	if (!cg.n)
		return;
	close(cg.sync[0]);
	snprintf(v, sizeof v, "%d", (int)pid);
	for (int i = 0; i < cg.n; i++) {
		if (write_file(cg.h[i].dir, "cgroup.procs", v) < 0) {
			int err = errno;
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			errno = err;
			die("place the container in %s", cg.h[i].dir);
		}
	}
	if (write(cg.sync[1], "", 1) != 1)
		die("release the container");
	close(cg.sync[1]);
}

/* Parent, once PID 1 is gone: an OOM kill gets its own line. */
int cgroup_report(int status)
{
	char events[512], limit[32];

	if (!cg.o || !cg.o->memory || status != 128 + SIGKILL)
		return status;
	for (int i = 0; i < cg.n; i++) {
		if (!(cg.h[i].mask & 1u << MEMORY) ||
		    read_file(cg.h[i].dir, cg.h[i].v2 ? "memory.events" :
			      "memory.oom_control", events, sizeof events) < 0)
			continue;
		if (counter(events, "oom_kill") > 0)
			error_line(0, "container was killed: out of memory "
				   "(limit %s)", format_size(cg.o->memory,
							     limit, sizeof limit));
	}
	return status;
}
