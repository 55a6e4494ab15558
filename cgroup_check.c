/*
 * cgroup_check.c - what the host allows, checked before anything is made,
 * so that a limit it cannot honour is one line and exit 125, never a
 * half-applied limit: the CPUs there are (--cpus, --cpuset-cpus), a
 * memory size the kernel can run a command in, v2's "no internal
 * processes" rule (delegation: minictr moves itself into a leaf of its
 * own when it is alone in a delegated cgroup), and a user's limits, which
 * need cgroup v2 delegated to them.
 * Man pages: cgroups(7), sched_getaffinity(2), the kernel's
 * cgroup-v2.rst; systemd.io/CGROUP_DELEGATION.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"

#define MEMORY_MIN (6 << 20)    /* docker's floor for -m */
#define DELEGATE "run it alone in a cgroup delegated to it (systemd-run " \
	"--scope -p Delegate=yes minictr run ...), or from the root cgroup"

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
void check_rootless(void)
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
void check_host(const struct run_opts *o)
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
