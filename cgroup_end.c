/*
 * cgroup_end.c - the end of the container's cgroups.  On the way out
 * (atexit, so every exit() of the parent, die() included) the owner
 * kills the cgroup's processes (cgroup.kill, else SIGKILL to each pid in
 * cgroup.procs, in any cgroup a nested minictr made below) and removes
 * it, retrying while the kernel still counts a dying process (EBUSY);
 * on v2 it leaves its leaf the way it came.  That kill is the owner's,
 * for its own container only: a minictr killed by SIGKILL cannot clean
 * up, and the next run sweeps what it left without killing (stale.c).
 * OCI `create` hands its cgroups over to `delete` instead.
 * Man pages: cgroups(7), rmdir(2), kill(2), the kernel's cgroup-v2.rst.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"

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
void cleanup(void)
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
