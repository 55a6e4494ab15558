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
 * Longer than most files here, because it is one story: where the
 * controllers are, what the host allows, the cgroup's life from mkdir to
 * rmdir, and the two dialects (v1 and v2 name the same limits differently).
 * Man pages: cgroups(7), sched_getaffinity(2), and the kernel's
 * cgroup-v2.rst and cgroup-v1/; systemd.io/CGROUP_DELEGATION.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "minictr.h"

enum { MEMORY, PIDS, CPU, CPUSET, DEVICES, NCONTROLLERS };
static const char *const controllers[] = { "memory", "pids", "cpu", "cpuset",
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
/* v2 has no devices controller to find, delegate or enable: the policy
 * is a BPF program, which any cgroup takes (apply_devices()). */
#define V2_PROGRAM (1u << DEVICES)
#define MEMORY_MIN (6 << 20)    /* docker's floor for -m */
#define DELEGATE "run it alone in a cgroup delegated to it (systemd-run " \
	"--scope -p Delegate=yes minictr run ...), or from the root cgroup"

/* A cgroup filesystem as mounted: /proc/self/mountinfo's line. */
struct cgroup_mount {
	char point[128];        /* where: /sys/fs/cgroup/memory */
	char root[128];         /* the hierarchy's path mounted there: "/" */
	char options[128];      /* v1: its controllers, "rw,memory" */
	int v2;
};

struct hierarchy {
	struct cgroup_mount m;
	char own[PATH_MAX - 128];       /* the cgroup minictr runs in */
	char dir[PATH_MAX - 16];        /* the container's: <own>/<name> */
	char leaf[PATH_MAX];    /* v2: minictr's own, <dir>-minictr, or "" */
	unsigned enabled;       /* v2: controllers it enabled in <own> */
	unsigned mask;          /* the controllers minictr uses in it */
};

static struct {
	int n;                  /* hierarchies in use; 0: no limit asked */
	struct hierarchy h[NCONTROLLERS];
	unsigned found;         /* controllers placed in a hierarchy */
	struct cgroup_mount all[32];    /* every cgroup mount, to sweep */
	int nall;
	char name[96];          /* minictr-<pidns>-<pid>-<start> (stale.c) */
	int sync[2];            /* the child waits on sync[0] */
	pid_t owner;            /* minictr's pid: only it cleans up */
	const struct run_opts *o;
} cg;

/* Write value to dir/name, narrated as the two calls it is.  -1 with
 * errno on failure. */
static int write_file(const char *dir, const char *name, const char *value)
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
	char what[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	error_line(err, "%s: %s", cg.o && cg.o->oci ? fields[c] : options[c],
		   what);
	exit(EXIT_SETUP);
}

static void use_hierarchy(const struct cgroup_mount *m, unsigned mask)
{
	cg.h[cg.n].m = *m;
	cg.h[cg.n++].mask = mask;
	cg.found |= mask;
}

/* One line of the mount table: each cgroup mount is kept (the sweep
 * visits them all); a v1 one holding controllers we need is used. */
static void found_mount(const struct mount_entry *m, void *need)
{
	static struct cgroup_mount spare;       /* when all[] is full */
	int full = cg.nall == (int)(sizeof cg.all / sizeof cg.all[0]);
	struct cgroup_mount *cm = full ? &spare : &cg.all[cg.nall];
	unsigned mask = 0;
	int v2 = strcmp(m->fstype, "cgroup2") == 0;

	if (!v2 && strcmp(m->fstype, "cgroup") != 0)
		return;
	cg.nall += !full;       /* beyond 32 mounts: used, not swept */
	snprintf(cm->point, sizeof cm->point, "%s", m->point);
	snprintf(cm->root, sizeof cm->root, "%s", m->root);
	snprintf(cm->options, sizeof cm->options, "%s", m->options);
	cm->v2 = v2;
	for (int c = 0; !v2 && c < NCONTROLLERS; c++)
		if ((*(unsigned *)need & 1u << c & ~cg.found) &&
		    has_word(m->options, controllers[c], ","))
			mask |= 1u << c;
	if (mask)
		use_hierarchy(cm, mask);
}

/* Place each needed controller: a v1 hierarchy first, else v2; one
 * only wanted (a cgroupsPath without that limit) may be missing. */
static void find_hierarchies(unsigned need, unsigned want)
{
	const struct cgroup_mount *v2 = NULL;
	char list[256] = "";
	unsigned v2_mask = 0;

	need |= want;
	if (mountinfo_each(found_mount, &need) < 0)
		die("read /proc/self/mountinfo");
	for (int i = cg.nall - 1; i >= 0; i--)
		if (cg.all[i].v2)
			v2 = &cg.all[i];        /* the first one */
	if (v2)
		read_text(v2->point, "cgroup.controllers", list, sizeof list);
	for (int c = 0; c < NCONTROLLERS; c++) {
		if (!(need & 1u << c & ~cg.found) ||
		    (want & 1u << c && !has_word(list, controllers[c], " \n")))
			continue;
		if (!(v2 && V2_PROGRAM & 1u << c) &&
		    !has_word(list, controllers[c], " \n"))
			cannot(c, 0, "this host has no cgroup %s controller "
			       "(none in /proc/self/mountinfo, nor in a "
			       "cgroup2 mount's cgroup.controllers)",
			       controllers[c]);
		v2_mask |= 1u << c;
	}
	if (v2_mask)
		use_hierarchy(v2, v2_mask);
}

/* The cgroup minictr runs in, in the hierarchy mounted at m, into own:
 * 0, or -1 (its line of /proc/self/cgroup is missing, outside the
 * mount, or too long). */
static int locate(const struct cgroup_mount *m, char *own, size_t len)
{
	char self[4096], path[PATH_MAX];

	if (read_text("/proc/self", "cgroup", self, sizeof self) < 0 ||
	    cgroup_path(self, m->options, m->v2, m->root, path,
			sizeof path) < 0)
		return -1;
	return snprintf(own, len, "%s%s", m->point, path) < (int)len ? 0 : -1;
}

/* linux.cgroupsPath "/a/b": from each hierarchy's root, not below
 * minictr's own cgroup (containerd's "/default/ID", docker's). */
static int absolute(void)
{
	return cg.o->cgroups_path && cg.o->cgroups_path[0] == '/';
}

/* The cgroup minictr runs in, in h: the container's is made below it,
 * so every limit above (a systemd unit's MemoryMax=, a CI job's) still
 * holds. */
static void locate_own(struct hierarchy *h)
{
	if (locate(&h->m, h->own, sizeof h->own) < 0)
		cannot(__builtin_ctz(h->mask), 0, "find minictr's cgroup in "
		       "%s: /proc/self/cgroup has no line for it below the "
		       "mount's root, %s", h->m.point, h->m.root);
	if (snprintf(h->dir, sizeof h->dir, "%s/%s", absolute() ? h->m.point :
		     h->own, cg.o->cgroups_path ? cg.o->cgroups_path +
		     absolute() : cg.name) >= (int)sizeof h->dir)
		cannot(__builtin_ctz(h->mask), 0, "linux.cgroupsPath: too long");
}

/* Before anything is made: in every hierarchy, the cgroups a minictr
 * that is gone left beside ours (stale.c). */
static void sweep_all(void)
{
	char own[PATH_MAX];

	for (int i = 0; i < cg.nall; i++)
		if (locate(&cg.all[i], own, sizeof own) == 0)
			sweep_stale(own);
}

static struct hierarchy *holding(int c)
{
	for (int i = 0; i < cg.n; i++)
		if (cg.h[i].mask & 1u << c)
			return &cg.h[i];
	return NULL;
}

/* --cpus: at most the CPUs minictr may run on (docker counts the same). */
static void check_cpus(long long quota)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof set, &set) < 0)
		die("sched_getaffinity");
	n = CPU_COUNT(&set);
	if (quota > n * CPU_PERIOD_US)
		cannot(CPU, 0, "range of CPUs is from 0.01 to %ld.00, as there "
		       "are only %ld CPUs available", n, n);
}

/* --cpuset-cpus: CPUs that exist and that minictr's own cgroup has. */
static void check_cpuset(const char *want, const struct hierarchy *h)
{
	static const char *const files[] = {
		"cpuset.cpus.effective", "cpuset.effective_cpus", "cpuset.cpus",
	};
	char have[256] = "";
	int i = 0;

	while (i < 3 && read_text(h->own, files[i], have, sizeof have) < 0)
		i++;
	if (i == 3 && read_text("/sys/devices/system/cpu", "online", have,
				  sizeof have) < 0)
		cannot(CPUSET, errno, "read /sys/devices/system/cpu/online");
	have[strcspn(have, "\n")] = '\0';
	if (cpu_list_within(want, have) != 1)
		cannot(CPUSET, 0, "%s: not among the CPUs available here, "
		       "which are %s", want, have[0] ? have : "none");
}

/* v2: may minictr give a child cgroup limits from where it runs?  Only a
 * cgroup without processes may enable controllers for its children (the
 * no-internal-process rule; the root is exempt).  So, as systemd's
 * delegation documentation says, the owner of a delegated cgroup first
 * moves its own processes into a leaf: minictr does, when it is the
 * only process there and the controllers were handed to it. */
static void plan_v2(struct hierarchy *h)
{
	char buf[4096], me[24];
	int c = __builtin_ctz(h->mask);

	if (!(h->mask & ~V2_PROGRAM))
		return;                 /* no controller to enable: no leaf */
	if (read_text(h->own, "cgroup.type", buf, sizeof buf) < 0 &&
	    errno == ENOENT)
		return;                 /* the root: it has no cgroup.type */
	if (read_text(h->own, "cgroup.controllers", buf, sizeof buf) < 0)
		cannot(c, errno, "read %s/cgroup.controllers", h->own);
	for (c = 0; c < NCONTROLLERS; c++)
		if (h->mask & 1u << c & ~V2_PROGRAM &&
		    !has_word(buf, controllers[c], " \n"))
			cannot(c, 0, "the %s controller is not delegated to "
			       "minictr's cgroup %s: " DELEGATE, controllers[c],
			       h->own);
	c = __builtin_ctz(h->mask);
	snprintf(me, sizeof me, "%d\n", (int)getpid());
	if (read_text(h->own, "cgroup.procs", buf, sizeof buf) < 0)
		cannot(c, errno, "read %s/cgroup.procs", h->own);
	if (strcmp(buf, me) != 0)
		cannot(c, 0, "minictr's cgroup %s holds other processes, and on "
		       "cgroup v2 such a cgroup cannot limit its children: "
		       DELEGATE, h->own);
	snprintf(h->leaf, sizeof h->leaf, "%s/%s-minictr", h->own, cg.name);
}

/*
 * A user (rootless) may limit only in a cgroup v2 subtree delegated to it
 * (systemd's Delegate=: the directory and its files become the user's).
 * A v1 hierarchy is root's alone (delegating v1 is unsafe, says the
 * kernel's cgroup-v2.rst), so asking for limits there is exit 125, with
 * what is missing; crun drops such limits silently, runc refuses: minictr
 * refuses.  Without limits nothing here runs at all.
 */
static void check_rootless(void)
{
	for (int i = 0; i < cg.n; i++) {
		struct hierarchy *h = &cg.h[i];
		int c = __builtin_ctz(h->mask);

		if (!h->m.v2)
			cannot(c, 0, "as a user, limits need cgroup v2 delegated "
			       "to you: %s is on cgroup v1 here (%s), which only "
			       "root may use", controllers[c], h->m.point);
		if (access(h->own, W_OK) < 0)
			cannot(c, 0, "minictr's cgroup %s is not delegated to "
			       "uid %d: run it in one that is (systemd-run "
			       "--user --scope -p Delegate=yes minictr run ...)",
			       h->own, (int)geteuid());
	}
}

/* Every limit against what this host has, before anything is made. */
static void check_host(const struct run_opts *o)
{
	char size[32];

	if (o->memory && o->memory < MEMORY_MIN)
		cannot(MEMORY, 0, "%s is below the minimum, 6M: the kernel "
		       "would kill the container before its command ran",
		       format_size(o->memory, size, sizeof size));
	if (o->cpu_quota)
		check_cpus(o->cpu_quota);
	if (o->cpuset_cpus)
		check_cpuset(o->cpuset_cpus, holding(CPUSET));
	for (int i = 0; i < cg.n; i++)
		if (cg.h[i].m.v2 && !absolute())
			plan_v2(&cg.h[i]);
}

/* Kill every process of the cgroup at dir and below. */
static void kill_tree(const char *dir)
{
	char buf[4096], sub[PATH_MAX];
	struct subdirs d;
	const char *name;

	if (write_file(dir, "cgroup.kill", "1") == 0)   /* v2, Linux 5.14 */
		return;
	if (read_text(dir, "cgroup.procs", buf, sizeof buf) < 0)
		return;
	for (char *p = buf; *p; p += strcspn(p, "\n"), p += !!*p)
		traced(kill(atoi(p), SIGKILL), "kill(%d, SIGKILL)", atoi(p));
	if (subdirs_open(&d, dir) < 0)
		return;
	while ((name = subdirs_next(&d))) {
		snprintf(sub, sizeof sub, "%s/%s", dir, name);
		kill_tree(sub);
	}
	subdirs_close(&d);
}

/* The owner's clean-up of its own cgroup, and any a nested minictr made
 * in it: kill, then rmdir; 0, or -1 with errno. */
static int remove_cgroup(const char *dir)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	/* A killed process leaves its cgroup only once it has exited:
	 * rmdir says EBUSY until then.  Up to 5 s, then give up. */
	for (int i = 0; i < 500; i++) {
		if (rmdir_tree(dir) == 0)
			return 0;
		if (errno != EBUSY)
			return -1;
		kill_tree(dir);
		nanosleep(&tick, NULL);
	}
	return -1;
}

/* v2: hand the controllers down from dir (h's own cgroup, or one on
 * the way to a cgroupsPath) to its children. */
static void enable_controllers(struct hierarchy *h, const char *dir)
{
	char plus[16], now[256] = "";

	read_text(dir, "cgroup.subtree_control", now, sizeof now);
	for (int c = 0; c < NCONTROLLERS; c++) {
		if (!(h->mask & 1u << c & ~V2_PROGRAM) ||
		    has_word(now, controllers[c], " \n"))
			continue;
		snprintf(plus, sizeof plus, "+%s", controllers[c]);
		if (write_file(dir, "cgroup.subtree_control", plus) < 0)
			cannot(c, errno, "enable the %s controller in "
			       "%s/cgroup.subtree_control", controllers[c],
			       dir);
		if (dir == h->own)
			h->enabled |= 1u << c;  /* undone on the way out */
	}
}

/* v1 cpuset: an empty cpuset.cpus or .mems is copied from the parent. */
static void copy_cpuset(const char *from, const char *to)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char value[256];

	for (int i = 0; i < 2; i++) {
		if (read_text(to, files[i], value, sizeof value) < 0)
			return;         /* no cpuset in this hierarchy */
		if (value[0] != '\n' && value[0] != '\0')
			continue;
		if (read_text(from, files[i], value, sizeof value) == 0)
			value[strcspn(value, "\n")] = '\0';
		if (!value[0] || write_file(to, files[i], value) < 0)
			cannot(CPUSET, errno, "copy %s from the parent", files[i]);
	}
}

/* The cgroups between base and h->dir (a cgroupsPath's "a/b/c": a and
 * a/b), made if missing, as runc does and leaves them; each hands the
 * controllers (v2) or the CPU set (v1) down on the way. */
static void make_parents(struct hierarchy *h, const char *base,
			 char *up, size_t len)
{
	char prev[PATH_MAX];
	int c = __builtin_ctz(h->mask);

	snprintf(up, len, "%s", base);
	for (char *p = h->dir + strlen(base) + 1; (p = strchr(p, '/')); p++) {
		snprintf(prev, sizeof prev, "%s", up);
		snprintf(up, len, "%.*s", (int)(p - h->dir), h->dir);
		if (traced(mkdir(up, 0755), "mkdir(\"%s\", 0755)", up) < 0 &&
		    errno != EEXIST)
			cannot(c, errno, "mkdir %s", up);
		if (h->m.v2)
			enable_controllers(h, up);
		else
			copy_cpuset(prev, up);
	}
}

/* mkdir the container's cgroup below minictr's own (and on
 * v2 below the root-exempt or a leaf minictr moved itself into), or
 * where linux.cgroupsPath says. */
static void make_cgroup(struct hierarchy *h)
{
	char me[24], up[PATH_MAX];
	int c = __builtin_ctz(h->mask);
	const char *base = absolute() ? h->m.point : h->own;

	snprintf(me, sizeof me, "%d", (int)getpid());
	if (h->leaf[0] &&
	    (traced(mkdir(h->leaf, 0755), "mkdir(\"%s\", 0755)", h->leaf) < 0 ||
	     write_file(h->leaf, "cgroup.procs", me) < 0))
		cannot(c, errno, "move minictr into a leaf of its own, %s",
		       h->leaf);
	if (h->m.v2)
		enable_controllers(h, base);
	make_parents(h, base, up, sizeof up);
	if (traced(mkdir(h->dir, 0755), "mkdir(\"%s\", 0755)", h->dir) < 0)
		cannot(c, errno, "mkdir %s", h->dir);
	if (!h->m.v2)
		copy_cpuset(up, h->dir);
}

static void set_limit(struct hierarchy *h, int c, const char *file,
		      const char *value)
{
	if (write_file(h->dir, file, value) < 0)
		cannot(c, errno, "write %s", file);
}

/* bpf(2)'s union bpf_attr, the members BPF_PROG_LOAD and
 * BPF_PROG_ATTACH read (linux/bpf.h); the kernel wants the rest zero. */
union bpf_attr {
	struct {
		unsigned prog_type, insn_cnt;
		unsigned long long insns, license;
	} load;
	struct {
		unsigned target_fd, attach_bpf_fd, attach_type, attach_flags;
	} attach;
	char size[128];
};
#define BPF_PROG_LOAD 5
#define BPF_PROG_ATTACH 8
#define BPF_PROG_TYPE_CGROUP_DEVICE 15
#define BPF_CGROUP_DEVICE 6
#define BPF_F_ALLOW_MULTI 2

/* (What is malloc()ed here is never freed: once, and free() would link
 * musl's whole allocator, 7 KB, into a program that has no other use
 * for it.) */

/* v2: the policy as a program (devices.c), loaded, then attached to the
 * container's cgroup before anything runs in it.  BPF_F_ALLOW_MULTI: a
 * program above (systemd's, for its unit) keeps running too, and a
 * device must pass them all.  The license is the kernel's question for
 * GPL-only helpers, which this program calls none of.  Once attached,
 * the cgroup holds the program: the fd is closed, and rmdir of the
 * cgroup frees it. */
static void attach_program(struct hierarchy *h, const struct run_opts *o)
{
	struct bpf_insn *p = malloc(DEV_BPF_MAX(o->ndevices) * sizeof *p);
	union bpf_attr a = { 0 };
	int n, prog, dir;

	if (!p)
		die("malloc");
	n = devices_bpf(o->devices, o->ndevices, p);
	a.load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.load.insn_cnt = (unsigned)n;
	a.load.insns = (unsigned long)p;
	a.load.license = (unsigned long)"GPL";
	prog = (int)traced(syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a),
			   "bpf(BPF_PROG_LOAD, {BPF_PROG_TYPE_CGROUP_DEVICE, "
			   "%d instructions, \"GPL\"}, %zu)", n, sizeof a);
	if (prog < 0)
		cannot(DEVICES, errno, "load a BPF_PROG_TYPE_CGROUP_DEVICE "
		       "program");
	dir = (int)traced(open(h->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
			  "open(\"%s\", O_RDONLY|O_DIRECTORY|O_CLOEXEC)", h->dir);
	memset(&a, 0, sizeof a);
	a.attach.target_fd = (unsigned)dir;
	a.attach.attach_bpf_fd = (unsigned)prog;
	a.attach.attach_type = BPF_CGROUP_DEVICE;
	a.attach.attach_flags = BPF_F_ALLOW_MULTI;
	if (dir < 0 || traced(syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof a),
			      "bpf(BPF_PROG_ATTACH, {%d, %d, BPF_CGROUP_DEVICE, "
			      "BPF_F_ALLOW_MULTI}, %zu)", dir, prog,
			      sizeof a) < 0)
		cannot(DEVICES, errno, "attach the program to %s", h->dir);
	close(dir);
	close(prog);
}

/* The device policy (devices.c): v1's devices.deny and devices.allow
 * lines, "a" first (a new cgroup starts with its parent's exceptions);
 * on v2 a program. */
static void apply_devices(struct hierarchy *h, const struct run_opts *o)
{
	struct dev_rule *l;
	char line[32];
	int n;

	if (h->m.v2) {
		attach_program(h, o);
		return;
	}
	if (!(l = malloc(((size_t)o->ndevices + 1) * sizeof *l)))
		die("malloc");
	n = devices_v1(o->devices, o->ndevices, l);
	for (int i = 0; i < n; i++) {
		const char *file = l[i].allow ? "devices.allow" : "devices.deny";

		/* EPERM: the parent cgroup does not allow as much */
		if (write_file(h->dir, file, devices_line(&l[i], line)) < 0)
			cannot(DEVICES, errno, "write \"%s\" to %s/%s", line,
			       h->dir, file);
	}
}

/*
 * Swap, after the memory limit: docker's --memory-swap is memory and swap
 * together.  v1 limits the two together (memory.memsw.limit_in_bytes,
 * which the kernel keeps at least memory.limit_in_bytes: EINVAL below
 * it), v2 the swap alone (memory.swap.max, the difference); -1 lifts it.
 * Without the option, the limit is the limit: no swap on top of it
 * (docker allows as much again).  The file is absent where swap is not
 * accounted (v1 without swapaccount=1, a kernel without
 * CONFIG_MEMCG_SWAP): then only --memory-swap's own limit is refused.
 */
static void write_swap(struct hierarchy *h, const struct run_opts *o)
{
	const char *file = h->m.v2 ? "memory.swap.max" :
				     "memory.memsw.limit_in_bytes";
	long long total = o->memory_swap ? o->memory_swap : o->memory;
	char v[32];

	if (total < 0)
		snprintf(v, sizeof v, h->m.v2 ? "max" : "-1");
	else
		snprintf(v, sizeof v, "%lld", h->m.v2 ? total - o->memory : total);
	if (write_file(h->dir, file, v) == 0 ||
	    (errno == ENOENT && o->memory_swap <= 0))
		return;
	if (errno != ENOENT)
		cannot(MEMORY, errno, "limit swap in %s", h->dir);
	error_line(0, "--memory-swap: swap is not accounted on this host (no "
		   "%s in %s): boot it with swapaccount=1, or leave "
		   "--memory-swap out", file, h->dir);
	exit(EXIT_SETUP);
}

/* Write each limit in the dialect of its hierarchy. */
static void write_limits(struct hierarchy *h, const struct run_opts *o)
{
	/* --cpus's period is docker's; config.json may name its own */
	long long period = o->cpu_period ? o->cpu_period : CPU_PERIOD_US;
	char v[64];

	if (h->mask & 1u << MEMORY && o->memory) {
		snprintf(v, sizeof v, "%lld", o->memory);
		set_limit(h, MEMORY, h->m.v2 ? "memory.max" : "memory.limit_in_bytes", v);
		write_swap(h, o);
	}
	if (h->mask & 1u << PIDS && o->pids_limit) {
		snprintf(v, sizeof v, "%lld", o->pids_limit);
		set_limit(h, PIDS, "pids.max", v);
	}
	if (!o->cpu_quota)
		;       /* a cgroupsPath without a CPU limit */
	else if (h->mask & 1u << CPU && h->m.v2) {
		snprintf(v, sizeof v, "%lld %lld", o->cpu_quota, period);
		set_limit(h, CPU, "cpu.max", v);
	} else if (h->mask & 1u << CPU) {
		snprintf(v, sizeof v, "%lld", period);
		set_limit(h, CPU, "cpu.cfs_period_us", v);
		snprintf(v, sizeof v, "%lld", o->cpu_quota);
		set_limit(h, CPU, "cpu.cfs_quota_us", v);
	}
	if (h->mask & 1u << CPUSET && o->cpuset_cpus)
		set_limit(h, CPUSET, "cpuset.cpus", o->cpuset_cpus);
	if (h->mask & 1u << DEVICES)
		apply_devices(h, o);
}

/* v2: undo the leaf: the controllers minictr enabled, then minictr back
 * into its own cgroup, then the leaf.  (The root's stay enabled: other
 * containers may use them.) */
static void leave_leaf(struct hierarchy *h)
{
	char minus[16], me[24];

	for (int c = 0; c < NCONTROLLERS; c++)
		if (h->enabled & 1u << c) {
			snprintf(minus, sizeof minus, "-%s", controllers[c]);
			write_file(h->own, "cgroup.subtree_control", minus);
		}
	snprintf(me, sizeof me, "%d", (int)getpid());
	if (write_file(h->own, "cgroup.procs", me) < 0 ||
	    (rmdir_tree(h->leaf) < 0 && errno != ENOENT))
		error_line(errno, "leave cgroup %s", h->leaf);
}

/* atexit: kill what is left in the cgroups and remove them. */
static void cleanup(void)
{
	if (getpid() != cg.owner)
		return;         /* a child that exit()ed: not its job */
	for (int i = 0; i < cg.n; i++) {
		if (remove_cgroup(cg.h[i].dir) < 0)
			error_line(errno, "remove cgroup %s", cg.h[i].dir);
		if (cg.h[i].leaf[0])
			leave_leaf(&cg.h[i]);
	}
}

/* OCI `create`: the container outlives minictr, and so do its cgroups,
 * until `delete` (cgroup_remove).  Their directories, one a line. */
void cgroup_keep(char *buf, size_t len)
{
	cg.owner = 0;           /* cleanup() is not ours to run any more */
	cgroup_dirs(buf, len);
}

/* The container's cgroups, one a line, for state.json: `rm` removes them
 * if the supervisor that owns them was killed before it could. */
void cgroup_dirs(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < cg.n && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s\n", cg.h[i].dir);
}

/* OCI `delete`: kill what is left in dir and remove it. */
int cgroup_remove(const char *dir)
{
	return remove_cgroup(dir);
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

/* OOM kills in h's container cgroup itself (v2's memory.events counts
 * those below it too, and a nested minictr reports its own); *ours: the
 * container's own limit was reached (v2's "max" event), not one above. */
static int oom_kills(const struct hierarchy *h, int *ours)
{
	char events[512], peak[32] = "";

	if (!h->m.v2) {
		/* v1 keeps no count of its limit being hit that all kernels
		 * update (memory.failcnt stays 0 on some): the peak usage
		 * tells, as a kill by a limit above comes far below ours */
		read_text(h->dir, "memory.max_usage_in_bytes", peak,
			    sizeof peak);
		*ours = !peak[0] || atoll(peak) >= cg.o->memory / 2;
		return read_text(h->dir, "memory.oom_control", events,
				   sizeof events) == 0 ?
		       counter(events, "oom_kill") : 0;
	}
	if (read_text(h->dir, "memory.events.local", events,
			sizeof events) < 0 &&
	    read_text(h->dir, "memory.events", events, sizeof events) < 0)
		return 0;
	*ours = counter(events, "max") > 0;
	return counter(events, "oom_kill");
}

/* Parent, once PID 1 is gone: an OOM kill gets its own line. */
int cgroup_report(int status)
{
	char limit[32];

	if (!cg.o || !cg.o->memory || status != 128 + SIGKILL)
		return status;
	for (int i = 0; i < cg.n; i++) {
		int ours = 0;

		if (!(cg.h[i].mask & 1u << MEMORY) ||
		    oom_kills(&cg.h[i], &ours) == 0)
			continue;
		if (ours)
			error_line(0, "container was killed: out of memory "
				   "(limit %s)", format_size(cg.o->memory,
							     limit, sizeof limit));
		else
			error_line(0, "container was killed: out of memory "
				   "(not its -m limit: one above minictr's "
				   "cgroup, or the host's)");
	}
	return status;
}
