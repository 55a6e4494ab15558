/*
 * cgroupns.c - (child) the cgroup namespace, and the container's own
 * /sys/fs/cgroup, so that what reads its cgroup (the JVM, Go, node size
 * themselves from it) sees the container's limits, not the host's.
 *
 * A cgroup namespace makes the cgroups its creator is in the roots of
 * what it sees: /proc/self/cgroup reads "0::/" (and "4:memory:/" for each
 * v1 hierarchy), and a cgroup filesystem mounted inside it shows only the
 * subtree below those roots.  So the order matters (crun and runc keep
 * it): the child unshares only once the parent has placed it in its
 * cgroups (cgroup_wait, cgroup.c), never in clone(2), which would make
 * minictr's own cgroup the root.
 *
 * --cgroupns=host|private, docker's: private by default with --rootfs on
 * cgroup v2 (docker's default on v2 hosts, where a container always has
 * its own root and so its own /sys/fs/cgroup), host otherwise: on v1 and
 * hybrid hosts as docker, and without --rootfs, where /sys/fs/cgroup is
 * the host's mount, whose paths a private namespace would no longer match
 * (/proc/self/cgroup says "/", the mount's root is "/..": a nested minictr,
 * or a JVM sizing itself, would look in the wrong place).
 *
 * With --rootfs and a private namespace, /sys/fs/cgroup inside is mounted
 * fresh and read-only, in the layout the host has (docker's choice):
 *   - /sys/fs/cgroup is a cgroup2 mount (a v2 host): one cgroup2 there,
 *     memory.max and its siblings at the top;
 *   - a v1 or hybrid host: a tmpfs, and in it each cgroup mount of the
 *     host under the same name, the same type and controllers
 *     (/sys/fs/cgroup/memory/memory.limit_in_bytes, .../unified).
 * A user namespace may mount cgroup2 but not every v1 hierarchy (only
 * named ones, user_namespaces(7)): a v1 mount refused there (EPERM) is
 * left out, its directory empty, rather than no container at all.
 *
 * Man pages: cgroup_namespaces(7), unshare(2), cgroups(7).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "minictr.h"

#define CGROUP_DIR "sys/fs/cgroup"      /* relative: the rootfs's bind */
#define RO_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* Private: asked for, or by default with --rootfs on cgroup v2. */
int cgroupns_private(const struct run_opts *o)
{
	if (o->cgroupns != CGROUPNS_DEFAULT)
		return o->cgroupns == CGROUPNS_PRIVATE;
	return o->rootfs && cgroup_on_v2();
}

/* Child, once placed in its cgroups (cgroup_wait): its own namespace. */
void cgroupns_enter(const struct run_opts *o, int report_fd)
{
	if (cgroupns_private(o) &&
	    traced(unshare(CLONE_NEWCGROUP), "unshare(CLONE_NEWCGROUP)") < 0)
		fail(report_fd, EXIT_SETUP, errno, "unshare the cgroup namespace");
}

struct layout {
	int v2_top;             /* /sys/fs/cgroup itself is cgroup2 */
	int report_fd;
};

/* Is this the host's /sys/fs/cgroup, or a hierarchy right below it? */
static const char *below(const char *point)
{
	size_t len = strlen("/" CGROUP_DIR);

	if (strncmp(point, "/" CGROUP_DIR, len) != 0)
		return NULL;
	if (point[len] == '\0')
		return "";
	if (point[len] != '/' || strchr(point + len + 1, '/'))
		return NULL;
	return point + len + 1;
}

static void find_v2_top(const struct mount_entry *m, void *arg)
{
	struct layout *l = arg;
	const char *name = below(m->point);

	if (name && !*name && strcmp(m->fstype, "cgroup2") == 0)
		l->v2_top = 1;
}

/* A v1 or hybrid host: one hierarchy, fresh, under the host's name. */
static void mount_hierarchy(const struct mount_entry *m, void *arg)
{
	struct layout *l = arg;
	const char *name = below(m->point), *data = m->options;
	int v2 = strcmp(m->fstype, "cgroup2") == 0;
	char path[256];

	if (!name || !*name || (!v2 && strcmp(m->fstype, "cgroup") != 0))
		return;
	/* the controllers, without the "rw," the superblock reports */
	if (strncmp(data, "rw,", 3) == 0 || strncmp(data, "ro,", 3) == 0)
		data += 3;
	snprintf(path, sizeof path, CGROUP_DIR "/%s", name);
	if (traced(mkdir(path, 0755), "mkdir(\"%s\", 0755)", path) < 0)
		fail(l->report_fd, EXIT_SETUP, errno, "mkdir /%s", path);
	if (traced_mount("cgroup", path, m->fstype, RO_FLAGS,
			 v2 ? NULL : data) < 0 &&
	    !(errno == EPERM && userns_on()))
		fail(l->report_fd, EXIT_SETUP, errno, "mount /%s", path);
}

/* Child, --rootfs, in DIR's bind after /sys: the container's own
 * /sys/fs/cgroup, read-only. */
void cgroupns_mount(const struct run_opts *o, int report_fd)
{
	struct layout l = { .report_fd = report_fd };

	if (!cgroupns_private(o))
		return;
	if (mountinfo_each(find_v2_top, &l) < 0)
		fail(report_fd, EXIT_SETUP, errno, "read /proc/self/mountinfo");
	if (l.v2_top) {
		if (traced_mount("cgroup2", CGROUP_DIR, "cgroup2", RO_FLAGS,
				 NULL) < 0)
			fail(report_fd, EXIT_SETUP, errno, "mount /" CGROUP_DIR);
		return;
	}
	if (traced_mount("tmpfs", CGROUP_DIR, "tmpfs", MS_NOSUID | MS_NODEV |
			 MS_NOEXEC, "mode=755") < 0 ||
	    mountinfo_each(mount_hierarchy, &l) < 0 ||
	    traced_mount(NULL, CGROUP_DIR, NULL, MS_REMOUNT | MS_BIND |
			 RO_FLAGS, NULL) < 0)
		fail(report_fd, EXIT_SETUP, errno, "mount /" CGROUP_DIR);
}
