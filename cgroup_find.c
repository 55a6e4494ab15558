/*
 * cgroup_find.c - where the controllers are, and where minictr runs in
 * each of their hierarchies.
 *
 * Each controller (memory, pids, cpu, cpuset, devices) lives in exactly
 * one hierarchy: a v1 mount of its own (/sys/fs/cgroup/memory, whose
 * mount options name it) or the one v2 mount (whose cgroup.controllers
 * lists it); a "hybrid" host has both.  So /proc/self/mountinfo is asked,
 * controller by controller, and several hierarchies may be used at once.
 * In each, /proc/self/cgroup says where minictr itself runs ("4:memory:/a"
 * on v1, "0::/a" on v2): the container's cgroup goes below it, or where
 * linux.cgroupsPath says.  Every cgroup mount is kept, for the sweep of
 * stale cgroups (stale.c).
 * Man pages: cgroups(7), proc(5) (mountinfo, /proc/PID/cgroup).
 */
#include <stdio.h>
#include <string.h>

#include "cgroup.h"

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
void find_hierarchies(unsigned need, unsigned want)
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
int absolute(void)
{
	return cg.o->cgroups_path && cg.o->cgroups_path[0] == '/';
}

/* The cgroup minictr runs in, in h: the container's is made below it,
 * so every limit above (a systemd unit's MemoryMax=, a CI job's) still
 * holds. */
void locate_own(struct hierarchy *h)
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
void sweep_all(void)
{
	char own[PATH_MAX];

	for (int i = 0; i < cg.nall; i++)
		if (locate(&cg.all[i], own, sizeof own) == 0)
			sweep_stale(own);
}
