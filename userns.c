/*
 * userns.c - the user namespace: minictr run by an ordinary user
 * (rootless), and root's --userns=auto, where root inside is nobody
 * outside.
 *
 * CLONE_NEWUSER joins the one clone(2) that makes the other namespaces
 * (run.c).  The kernel creates the user namespace first, and every other
 * namespace of that call is owned by it: the child holds every capability
 * over them, which is what lets it mount proc, sysfs and tmpfs, set the
 * hostname and bring lo up without being root (user_namespaces(7)).
 * Until its uid_map and gid_map are written the child is uid 65534 and
 * must touch nothing, so it blocks on a pipe (userns_wait) while the
 * parent writes them (userns_map):
 *   - a user, one ID: uid_map "0 UID 1"; setgroups "deny"; gid_map
 *     "0 GID 1".  Without CAP_SETUID over the parent namespace the kernel
 *     allows exactly one line, mapping the writer's own id, and a gid_map
 *     only once setgroups(2) is denied for good (else a user could drop a
 *     group that denies it access: CVE-2014-8989);
 *   - a user with /etc/subuid and /etc/subgid lines, and the setuid
 *     helpers newuidmap(1) and newgidmap(1): 0 is the user, 1..N the
 *     subordinate range, as podman does.  The helpers must run in the
 *     parent's namespace (a setuid bit means nothing inside the child's);
 *   - root with --userns=auto: 0..N-1 inside are a free slice of root's
 *     own /etc/subuid range, written directly (root may write any map);
 *   - config.json's "user" namespace: its uidMappings and gidMappings,
 *     written directly by root, or by a user when they map just the
 *     user's own ids (setgroups denied: runc spec --rootless), else by
 *     the helpers.
 * Each map can be written once, by one writer (a second write is EPERM).
 * Then the child takes the ids it now has: setresgid, setresuid to 0.
 *
 * Its parts live in the userns*.c files userns.h lists.
 *
 * Man pages: user_namespaces(7), newuidmap(1), subuid(5), clone(2),
 * flock(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "userns.h"

struct userns us;

/* Add a line to m. */
void map_add(struct map *m, unsigned long inside, unsigned long outside,
	     unsigned long count)
{
	m->line[m->n++] = (struct id_map){ inside, outside, count };
}

/* The host's id of id inside, as the kernel maps it with these n lines
 * (-1UL: unmapped); with no lines (no user namespace), id itself. */
unsigned long id_host(const struct id_map *line, int n, unsigned long id)
{
	if (!line)
		return id;
	for (int i = 0; i < n; i++)
		if (id >= line[i].inside && id - line[i].inside < line[i].count)
			return line[i].outside + id - line[i].inside;
	return -1UL;
}

/* Parent, before clone: CLONE_NEWUSER when the container gets a user
 * namespace (a user; root with --userns=auto or config.json's maps),
 * else 0.  Planned again for each start (--restart). */
unsigned long userns_plan(const struct run_opts *o)
{
	us.uid.n = us.gid.n = us.single = us.helpers = 0;
	us.by_root = geteuid() == 0;    /* the child's is 65534, unmapped */
	if (us.by_root && !o->userns_auto && !o->uid_maps)
		return 0;               /* docker's default: the host's */
	us.on = 1;
	if (o->uid_maps)
		plan_config(o);
	else if (us.by_root)
		plan_auto();
	else
		plan_rootless();
	if (pipe2(us.sync, O_CLOEXEC) < 0)
		die("pipe");
	return CLONE_NEWUSER;
}

int userns_on(void)
{
	return us.on;
}

/* Root made a user namespace (--userns=auto, config.json's maps): 1,
 * and the host's ids of root inside (either pointer may be NULL); 0
 * otherwise (a user is root inside already). */
int userns_root(unsigned long *uid, unsigned long *gid)
{
	if (uid)
		*uid = id_host(us.uid.line, us.uid.n, 0);
	if (gid)
		*gid = id_host(us.gid.line, us.gid.n, 0);
	return us.on && us.by_root;
}

/* One ID: setgroups(2) is denied in the container: as we set it up, or,
 * for exec, as the namespace it joined says (/proc/self/setgroups). */
int userns_single(void)
{
	char buf[8];

	if (us.single)
		return 1;
	return read_text("/proc/self", "setgroups", buf, sizeof buf) == 0 &&
	       strncmp(buf, "deny", 4) == 0;
}

/* Is gid mapped inside?  (devpts refuses a gid= that is not: EINVAL) */
int userns_gid_mapped(unsigned long gid)
{
	return !us.on || id_host(us.gid.line, us.gid.n, gid) != -1UL;
}

/* Parent, after clone: write the child's maps, then release it. */
void userns_map(pid_t pid)
{
	if (!us.on)
		return;
	close(us.sync[0]);
	if (us.helpers) {
		/* the helper says why on stderr, before our line */
		if (run_helper(us.uidmap, pid, &us.uid) < 0)
			map_failed(pid, "newuidmap failed: the uid map (a "
				   "range of /etc/subuid)");
		if (run_helper(us.gidmap, pid, &us.gid) < 0)
			map_failed(pid, "newgidmap failed: the gid map (a "
				   "range of /etc/subgid)");
	} else {
		if (write_map(pid, "uid_map", &us.uid) < 0)
			map_failed(pid, "write uid_map");
		/* one ID: deny first, or the kernel refuses the gid_map */
		if (us.single && write_proc(pid, "setgroups", "deny\n") < 0)
			map_failed(pid, "write setgroups");
		if (write_map(pid, "gid_map", &us.gid) < 0)
			map_failed(pid, "write gid_map");
	}
	if (auto_lock >= 0)       /* the next --userns=auto sees this map now */
		close(auto_lock);
	auto_lock = -1;
	if (write(us.sync[1], "", 1) != 1)
		die("release the container");
	close(us.sync[1]);
}

/*
 * Child, first thing: wait for the maps, then become root inside.  For a
 * user that changes nothing (the caller's uid IS 0 inside now).  For
 * root with --userns=auto it matters: the child is still the host's uid
 * 0, which the new namespace does not map, and the owner of the host's
 * root files; setresuid(0) makes it the subordinate uid outside.  Any
 * change of uid makes the process non-dumpable (its /proc/self files
 * then belong to the host's root): PR_SET_DUMPABLE puts it back.
 */
void userns_wait(int report_fd)
{
	char c;
	ssize_t n;

	if (!us.on)
		return;
	if (auto_lock >= 0)       /* the parent's, not the container's */
		close(auto_lock);
	close(us.sync[1]);
	do
		n = read(us.sync[0], &c, 1);
	while (n < 0 && errno == EINTR);
	close(us.sync[0]);
	if (n != 1)
		_exit(EXIT_SETUP);      /* the parent failed, and says why */
	/* Raw system calls: libc's wrappers would broadcast the change to
	 * every thread (musl's __synccall), machinery a raw clone's child
	 * must not use (ns.c).  The caller's supplementary groups: dropped,
	 * except where setgroups is denied (one ID: the kernel keeps them). */
	if (!us.single && traced(syscall(SYS_setgroups, 0, NULL),
				 "setgroups(0, NULL)") < 0)
		fail(report_fd, EXIT_SETUP, errno, "setgroups");
	if (traced(syscall(SYS_setresgid, 0, 0, 0), "setresgid(0, 0, 0)") < 0 ||
	    traced(syscall(SYS_setresuid, 0, 0, 0), "setresuid(0, 0, 0)") < 0)
		fail(report_fd, EXIT_SETUP, errno, "become root in the user "
		     "namespace");
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}
