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
 * The container's cgroup is made below the one minictr itself runs in
 * (/proc/self/cgroup: "4:memory:/a/b" on v1, "0::/a/b" on v2), in every
 * hierarchy, so every limit above it still holds: a systemd unit's
 * MemoryMax=, a CI job's.  Its name, minictr-<pidns>-<pid>-<start>, says
 * who made it, across pid namespaces (stale.c).  Two traps:
 *   - v2's "no internal processes" rule: only a cgroup without processes
 *     may hand controllers to its children (cgroup.subtree_control); the
 *     root is exempt.  minictr's own cgroup holds minictr.  So, as
 *     systemd's delegation documentation says, when minictr is alone in
 *     a cgroup the controllers were delegated to, it moves itself into a
 *     leaf of its own (<dir>-minictr) and enables them there; otherwise
 *     it exits 125 and says what to do (systemd-run --scope -p
 *     Delegate=yes, or the root cgroup).  Never a half-applied limit.
 *   - v1's cpuset starts with empty cpuset.cpus and cpuset.mems, and
 *     joining such a cgroup fails with ENOSPC: copy them from the parent.
 *
 * The order, so the command never runs outside its limits, and a limit
 * the host cannot honour is refused before anything exists:
 *   parent: cgroup_setup()  find, check against the host (CPUs there are,
 *                           a usable memory size, the v2 rule), sweep,
 *                           mkdir, write the limits      (before clone)
 *   child:  cgroup_wait()   block on a pipe              (first thing)
 *   parent: cgroup_place()  write the pid to cgroup.procs, release it
 * clone3(CLONE_INTO_CGROUP) would start the child inside at once, but on
 * v2 only, and Linux 5.7 or later; the pipe works on v1 and v2 alike and
 * costs one read.  Without a limit none of this happens: no cgroup, no
 * pipe, no read.
 *
 * On the way out (atexit, so every exit() of the parent, die() included):
 * the cgroup's processes are killed (cgroup.kill, else SIGKILL to each pid
 * in cgroup.procs, in any cgroup a nested minictr made below) and it is
 * removed, retrying while the kernel still counts a dying process (EBUSY);
 * minictr leaves its v2 leaf the way it came.  That kill is the owner's,
 * for its own container only: a minictr killed by SIGKILL cannot clean
 * up, and the next run sweeps what it left without killing (stale.c).
 *
 * The story is told here, in the order it happens; its steps live in
 * the cgroup_*.c files cgroup.h lists (what they share is there too).
 * Man pages: cgroups(7), and the kernel's cgroup-v2.rst and cgroup-v1/;
 * systemd.io/CGROUP_DELEGATION.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"

const char *const controllers[] = { "memory", "pids", "cpu", "cpuset",
				    "devices" };
static const char *const options[] = {
	"--memory", "--pids-limit", "--cpus", "--cpuset-cpus",
	"device policy",
};
/* the same limits as config.json names them (create, run --bundle): its
 * writer never typed a flag */
static const char *const fields[] = {
	"linux.resources.memory.limit", "linux.resources.pids.limit",
	"linux.resources.cpu.quota", "linux.resources.cpu.cpus",
	"linux.resources.devices",
};

struct cgroups cg;

/* Write value to dir/name, narrated as the two calls it is.  -1 with
 * errno on failure. */
int write_file(const char *dir, const char *name, const char *value)
{
	char path[PATH_MAX + 32];
	size_t len = strlen(value);
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = (int)traced(open(path, O_WRONLY | O_CLOEXEC),
			 "open(\"%s\", O_WRONLY|O_CLOEXEC)", path);
	if (fd < 0)
		return -1;
	n = traced(write(fd, value, len), "write(%d, \"%s\", %zu)", fd,
		   value, len);
	err = errno;
	close(fd);
	errno = err;
	return n < 0 ? -1 : 0;
}

/* word is one of the items of list, items separated by any of seps. */
int has_word(const char *list, const char *word, const char *seps)
{
	size_t len = strlen(word);

	for (const char *p = list; *p; p += strcspn(p, seps), p += !!*p)
		if (strncmp(p, word, len) == 0 && (p[len] == '\0' ||
						    strchr(seps, p[len])))
			return 1;
	return 0;
}

/* The limit the host cannot give: say which, exit 125, never run. */
_Noreturn
void cannot(int c, int err, const char *fmt, ...)
{
	char what[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	error_line(err, "%s: %s", cg.o && cg.o->oci ? fields[c] : options[c],
		   what);
	exit(EXIT_SETUP);
}

/* Parent, before clone: find, check, sweep, create, limit.  Exits 125 if
 * the host cannot apply a limit, before anything is made if it can tell. */
void cgroup_setup(const struct run_opts *o)
{
	unsigned need = (o->memory ? 1u << MEMORY : 0) |
			(o->pids_limit ? 1u << PIDS : 0) |
			(o->cpu_quota ? 1u << CPU : 0) |
			(o->cpuset_cpus ? 1u << CPUSET : 0) |
			/* a user's container is in a user namespace, where
			 * mknod(2) of a device is refused whatever the
			 * policy; v1 and bpf(2) are root's alone */
			(o->ndevices && geteuid() == 0 ? 1u << DEVICES : 0);

	/* a cgroupsPath alone: the cgroup where asked, in the hierarchies
	 * of memory and pids, without limits (what callers look at) */
	unsigned want = o->cgroups_path ? (1u << MEMORY | 1u << PIDS) & ~need :
			0;

	if (!need && !want)
		return;
	cg.owner = getpid();
	cg.o = o;
	find_hierarchies(need, want);
	cgroup_name(cg.name, sizeof cg.name);
	for (int i = 0; i < cg.n; i++)
		locate_own(&cg.h[i]);
	if (geteuid() != 0)
		check_rootless();
	check_host(o);
	atexit(cleanup);
	sweep_all();
	for (int i = 0; i < cg.n; i++) {
		make_cgroup(&cg.h[i]);
		write_limits(&cg.h[i], o);
	}
	cgroup_rearm();
}

/* Parent, before each clone: the pipe the child waits on (cgroup_place()
 * closes it; --restart clones again into the same cgroup). */
void cgroup_rearm(void)
{
	if (cg.n && pipe2(cg.sync, O_CLOEXEC) < 0)
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

/* Are the container's limits on cgroup v2?  (--cgroupns's default) */
int cgroup_on_v2(void)
{
	for (int i = 0; i < cg.n; i++)
		if (cg.h[i].m.v2)
			return 1;
	return 0;
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

/* exec: the calling process into each of dirs (a line each, the state's
 * list), as its init is.  "0" is the writer itself (cgroup(7)): its pid
 * in no namespace to translate.  Before any setns(2): the paths are the
 * host's, and a cgroup namespace would forbid the move.  0 or -1. */
int cgroup_join(const char *dirs)
{
	char dir[PATH_MAX];

	for (const char *p = dirs, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		snprintf(dir, sizeof dir, "%.*s", (int)(nl - p), p);
		if (write_file(dir, "cgroup.procs", "0") < 0)
			return -1;
	}
	return 0;
}
