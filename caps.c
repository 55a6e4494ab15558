/*
 * caps.c - (child) who the command runs as and what it may do: the user
 * and its groups (-u, config.json's process.user), no_new_privs, and the
 * capability sets (docker's default less CAP_MKNOD with --rootfs,
 * --cap-add, --cap-drop, --privileged, config.json's).  One code path for
 * `run` and for config.json.
 *
 * Root's power is split into capabilities (capabilities(7)).  A process
 * keeps three sets that matter here: the bounding set caps what any later
 * execve can ever grant; permitted is what it may use; effective is what
 * it uses now.  For root, execve recomputes permitted from the bounding
 * set, so both must shrink.  The order is the kernel's, not a choice:
 *   1. prctl(PR_SET_NO_NEW_PRIVS): no execve (setuid, file capabilities)
 *      can add anything again (--security-opt no-new-privileges=false
 *      leaves it off; without --rootfs it is off unless asked)
 *   2. prctl(PR_CAPBSET_DROP) for every capability not kept, up to the
 *      last one this kernel knows (it says EINVAL past it): it needs
 *      CAP_SETPCAP, so before the user changes
 *   3. prctl(PR_SET_KEEPCAPS, 1): else setuid(2) away from 0 empties
 *      permitted, and config.json's sets for a user could not be kept
 *   4. setgroups(2), setgid(2), then setuid(2): each needs CAP_SETGID or
 *      CAP_SETUID, which the user is about to lose, so setuid comes last
 *   5. capset(2): permitted = effective = the kept set; inheritable empty
 *      (docker since 20.10), which also empties the ambient set.  For a
 *      user who is not root, `run` keeps none (docker's rule: execve
 *      would give a non-root user none either); the bounding set still
 *      caps what a setuid-root program could regain with step 1 off.
 * A credential change also clears the parent-death signal: init.c sets
 * it again after this.
 *
 * The kept set is docker's default (capabilities.go in moby) without
 * CAP_MKNOD: docker keeps it because its device cgroup stops a container
 * from opening a device node it made.  minictr's device policy
 * (devices.c) costs a cgroup, so `run` applies it only where CAP_MKNOD is
 * asked for (--cap-add) and config.json always: without it, a container
 * with CAP_MKNOD could make /dev/sda and read the host's disk.
 * No libcap: raw system calls.  Runs last, after every mount and
 * sethostname, which need CAP_SYS_ADMIN.
 *
 * -u's names are looked up here, in the container's own /etc/passwd and
 * /etc/group (passwd.c parses them): with --rootfs, after pivot_root, so
 * the files are the image's and never the host's; without it the host's
 * / IS the container's root, and so are its files.
 *
 * Man pages: capabilities(7), capset(2), prctl(2) (PR_CAPBSET_DROP,
 * PR_SET_NO_NEW_PRIVS, PR_SET_KEEPCAPS), setgroups(2), setuid(2),
 * credentials(7), passwd(5), group(5).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

/* linux/capability.h, which musl's headers do not carry */
struct cap_header {
	unsigned version;
	int pid;
};
struct cap_data {
	unsigned effective, permitted, inheritable;
};
#define CAP_VERSION_3 0x20080522

/* The 32-bit IDs' calls: on i386 and arm, SYS_setuid is the old 16-bit
 * one (an ID above 65535 would be cut), and musl's own wrappers signal
 * every thread, machinery a raw clone's child must not use (ns.c). */
#ifdef SYS_setuid32
#define SETUID SYS_setuid32
#define SETGID SYS_setgid32
#define SETGROUPS SYS_setgroups32
#else
#define SETUID SYS_setuid
#define SETGID SYS_setgid
#define SETGROUPS SYS_setgroups
#endif

/*
 * The bytes of /etc/passwd or /etc/group as the container sees them, or
 * NULL with *len 0 when it has none.  The image is hostile: the path may
 * be a FIFO (open would wait for a writer), a device node of the host's
 * (opening a watchdog starts it), a link to /dev/zero, or huge.  So it is
 * opened O_PATH first, which opens nothing, and read through
 * /proc/self/fd (our own /proc by now) by read_whole(), the one reader,
 * only if it is a regular file of at most READ_MAX (a passwd of 100,000
 * users fits).
 */
static char *id_file(const char *path, size_t *len, int report_fd)
{
	int at = open(path, O_PATH | O_CLOEXEC);
	struct stat st;
	char *buf = NULL, fdpath[40];

	*len = 0;
	if (at < 0 && errno == ENOENT)
		return NULL;
	if (at < 0 || fstat(at, &st) < 0)
		fail(report_fd, EXIT_SETUP, errno, "read %s", path);
	if (!S_ISREG(st.st_mode))       /* no device is ever opened */
		errno = EFBIG;
	else
		buf = read_whole(fd_path(at, fdpath, sizeof fdpath), len);
	if (!buf)
		fail(report_fd, EXIT_SETUP, 0, "read %s: %s", path,
		     read_error(errno));
	close(at);
	return buf;             /* freed by execve */
}

/*
 * Who the command runs as: -u looked up in the container's files (its
 * root is in place by now), config.json's numbers as they are, or root.
 */
void user_lookup(const struct run_opts *o, struct user_creds *c, int report_fd)
{
	struct user_files f;
	struct user_error err;
	const char *who = o->user ? o->user : "root";

	*c = (struct user_creds){ .home = "/root", .home_len = 5,
				  .groups = (unsigned *)o->groups,
				  .ngroups = o->ngroups };
	if (o->has_ids) {
		c->uid = o->uid;
		c->gid = o->gid;
	}
	if (!o->user && !o->ngroup_add)
		return;
	f = (struct user_files){ NULL, NULL, 0, 0 };
	if (o->user)
		f.passwd = id_file("/etc/passwd", &f.passwd_len, report_fd);
	f.group = id_file("/etc/group", &f.group_len, report_fd);
	c->groups = malloc(USER_GROUPS_MAX * sizeof *c->groups);
	if (!c->groups)
		fail(report_fd, EXIT_SETUP, errno, "--group-add");
	c->ngroups = 0;
	/* without -u, root, in group 0 and the --group-add groups (docker's:
	 * the primary group is a supplementary one too, as passwd.c says) */
	if (!o->user)
		c->groups[c->ngroups++] = c->gid;
	if ((o->user ? user_resolve(o->user, o->group_add, o->ngroup_add, &f,
				    c, &err) :
	     groups_resolve(o->group_add, o->ngroup_add, &f, c, &err)) < 0)
		fail(report_fd, EXIT_SETUP, 0, "%s %.*s: %s", err.what,
		     err.word_len ? err.word_len : (int)strlen(who),
		     err.word_len ? err.word : who, err.reason);
	trace("user %s: uid %u, gid %u, %d supplementary groups, HOME %.*s",
	      who, c->uid, c->gid, c->ngroups, c->home_len, c->home);
}

/* Step 2: the bounding set, one PR_CAPBSET_DROP per capability left. */
static void drop_bounding(unsigned long long keep)
{
	trace("the bounding set: prctl(2) PR_CAPBSET_DROP for each capability "
	      "not in %#llx, up to the kernel's last", keep);
	for (int cap = 0; cap < 64; cap++) {
		if (keep & 1ULL << cap)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno == EINVAL)
			break;          /* past the kernel's last capability */
	}
}

/* setgroups(2) as strace shows it: the count, then the list. */
static long traced_setgroups(const struct user_creds *c)
{
	char list[96];
	size_t n = 0;

	list[0] = '\0';
	for (int i = 0; i < c->ngroups && n < sizeof list - 8; i++)
		n += snprintf(list + n, sizeof list - n, "%s%u", i ? ", " : "",
			      c->groups[i]);
	return traced(syscall(SETGROUPS, c->ngroups, c->groups),
		      "setgroups(%d, [%s%s])", c->ngroups, list,
		      n >= sizeof list - 8 ? ", ..." : "");
}

/* Steps 3-4: groups, then gid, then uid (each needs what the next drops). */
static void switch_user(const struct run_opts *o, const struct user_creds *c,
			int report_fd)
{
	int to_user = o->user || o->has_ids;

	if (to_user && traced(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0),
			      "prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)") < 0)
		fail(report_fd, EXIT_SETUP, errno, "prctl PR_SET_KEEPCAPS");
	/* one ID mapped: setgroups(2) is denied for good (userns.c), and
	 * the kernel keeps the caller's groups anyway; only asked-for
	 * groups are an error then, as in runc (the primary one alone, which
	 * passwd.c adds, is not asked for) */
	if (c->ngroups >= 0 && (!userns_single() || c->ngroups > 1 ||
	    (c->ngroups == 1 && c->groups[0] != c->gid)) &&
	    traced_setgroups(c) < 0)
		fail(report_fd, EXIT_SETUP, errno, "setgroups");
	if (!to_user)
		return;
	/* -t: the terminal is the container's own (pty.c), made by root;
	 * the user must be able to open it again (`echo >$(tty)`, less),
	 * so it becomes theirs, as runc does.  Without -t, 0, 1 and 2 are
	 * the caller's, and minictr never changes the host's files. */
	if (o->tty && traced(fchown(STDIN_FILENO, c->uid, (gid_t)-1),
			     "fchown(0, %u, -1)", c->uid) < 0)
		fail(report_fd, EXIT_SETUP, errno, "chown the terminal");
	if (traced(syscall(SETGID, c->gid), "setgid(%u)", c->gid) < 0)
		fail(report_fd, EXIT_SETUP, errno, "setgid %u", c->gid);
	if (traced(syscall(SETUID, c->uid), "setuid(%u)", c->uid) < 0)
		fail(report_fd, EXIT_SETUP, errno, "setuid %u", c->uid);
}

/*
 * Steps 1-5.  The sets: docker's default less CAP_MKNOD with --rootfs,
 * all without it (nothing is dropped), or what parse_run() or config.c
 * made of the options; `run -u` for a user who is not root: none
 * effective or permitted.
 */
void drop_privileges(const struct run_opts *o, const struct user_creds *c,
		     int report_fd)
{
	unsigned long long bounding = o->rootfs ? CAPS_DEFAULT : CAPS_ALL;
	unsigned long long eff = bounding, perm = bounding;
	struct cap_header h = { CAP_VERSION_3, 0 };
	struct cap_data d[2];

	if (o->caps_given) {
		bounding = o->cap_bounding;
		eff = o->cap_effective;
		perm = o->cap_permitted;
	}
	if (o->user && c->uid != 0)
		eff = perm = 0;
	/* what minictr holds itself: --privileged in a host (or a container)
	 * that keeps some back gets the rest, where capset would say EPERM */
	if (syscall(SYS_capget, &h, d) == 0) {
		eff &= d[0].permitted | (unsigned long long)d[1].permitted << 32;
		perm &= d[0].permitted | (unsigned long long)d[1].permitted << 32;
	}
	if (o->no_new_privs && traced(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0),
				      "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)") < 0)
		fail(report_fd, EXIT_SETUP, errno, "prctl PR_SET_NO_NEW_PRIVS");
	if (bounding != CAPS_ALL)
		drop_bounding(bounding);
	switch_user(o, c, report_fd);
	if (!o->rootfs && !o->caps_given && c->uid == 0)
		return;         /* the host's root, as it was */
	d[0] = (struct cap_data){ (unsigned)eff, (unsigned)perm, 0 };
	d[1] = (struct cap_data){ (unsigned)(eff >> 32), (unsigned)(perm >> 32), 0 };
	if (traced(syscall(SYS_capset, &h, d), "capset({_LINUX_CAPABILITY_"
		   "VERSION_3, 0}, {effective=%#llx, permitted=%#llx, "
		   "inheritable=0})", eff, perm) < 0)
		fail(report_fd, EXIT_SETUP, errno, "capset");
}
