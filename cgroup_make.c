/*
 * cgroup_make.c - the container's cgroup made, and its limits written in
 * the dialect of each hierarchy (v1 and v2 name the same limits
 * differently: memory.limit_in_bytes and memory.max, cpu.cfs_quota_us and
 * cpu.max).  Two traps:
 *   - v2: a cgroup hands controllers to its children only when listed in
 *     its cgroup.subtree_control, at every level down to the container's;
 *   - v1's cpuset starts with empty cpuset.cpus and cpuset.mems, and
 *     joining such a cgroup fails with ENOSPC: copy them from the parent.
 * Missing parents (a cgroupsPath's) are made and left, as runc does.
 * Man pages: cgroups(7), mkdir(2), the kernel's cgroup-v2.rst and
 * cgroup-v1/.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"

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
void make_cgroup(struct hierarchy *h)
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
void write_limits(struct hierarchy *h, const struct run_opts *o)
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
