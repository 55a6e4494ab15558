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
 *     own /etc/subuid range, written directly (root may write any map).
 * Each map can be written once, by one writer (a second write is EPERM).
 * Then the child takes the ids it now has: setresgid, setresuid to 0.
 *
 * Man pages: user_namespaces(7), newuidmap(1), subuid(5), clone(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"

#define AUTO_IDS 65536          /* --userns=auto: podman's default size */

static struct {
	int on;                 /* the container has a user namespace */
	int single;             /* one ID: setgroups is denied */
	int auto_;              /* --userns=auto: root writes the maps */
	unsigned long uid, gid;         /* outside: root inside (not auto) */
	unsigned long sub_uid, n_uid;   /* the rest: 1..n (auto: 0..n-1) */
	unsigned long sub_gid, n_gid;
	char uidmap[PATH_MAX], gidmap[PATH_MAX];        /* the helpers */
	int sync[2];            /* the child waits on sync[0] */
} us;

/* Where a user's state goes (as runc and crun): $XDG_RUNTIME_DIR/minictr;
 * root's: /run/minictr.  NULL for a user without XDG_RUNTIME_DIR. */
const char *runtime_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (geteuid() == 0)
		return "/run/minictr";
	if (!xdg || *xdg != '/' ||
	    snprintf(buf, len, "%s/minictr", xdg) >= (int)len)
		return NULL;
	return buf;
}

/* The state directories: root (--root's), but for a user who gave no
 * --root, runtime_dir(): every command, OCI's, run's and docker's, looks
 * in the same place.  NULL: a user without XDG_RUNTIME_DIR. */
const char *state_root(const char *root, char *buf, size_t len)
{
	if (geteuid() == 0 || strcmp(root, "/run/minictr") != 0)
		return root;
	return runtime_dir(buf, len);
}

/* name found in PATH, executable, into out. */
static int find_helper(const char *name, char *out, size_t len)
{
	const char *dirs = getenv("PATH");

	if (!dirs || !*dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (const char *d = dirs; *d; d += strcspn(d, ":"), d += !!*d) {
		int n = (int)strcspn(d, ":");
		if (snprintf(out, len, "%.*s/%s", n, d, name) < (int)len &&
		    access(out, X_OK) == 0)
			return 0;
	}
	return -1;
}

/* The user's range in file (subid.c reads it as newuidmap does). */
static int user_range(const char *file, unsigned long id,
		      unsigned long *start, unsigned long *count)
{
	char name[256];
	size_t len;
	const char *pw = read_whole("/etc/passwd", &len);
	const char *text = read_whole(file, &len);

	if (!pw || passwd_name(pw, id, name, sizeof name) < 0)
		name[0] = '\0';
	return text ? subid_range(text, name[0] ? name : NULL, id, start,
				  count) : -1;
}

/* Is some process's user namespace mapping [start, start+n) already?
 * (The host's own "0 0 4294967295" is not a container's.) */
static int range_in_use(unsigned long start, unsigned long n)
{
	char map[4096], dir[64];
	struct subdirs d;
	const char *pid;
	int used = 0;

	if (subdirs_open(&d, "/proc") < 0)
		return 0;
	while (!used && (pid = subdirs_next(&d))) {
		snprintf(dir, sizeof dir, "/proc/%s", pid);
		if (read_text(dir, "uid_map", map, sizeof map) < 0)
			continue;
		for (char *l = map; *l && !used; l += strcspn(l, "\n"), l += !!*l) {
			char *p;
			unsigned long out, cnt;
			strtoul(l, &p, 10);             /* inside */
			out = strtoul(p, &p, 10);
			cnt = strtoul(p, &p, 10);
			if (cnt && cnt != 4294967295UL && out < start + n &&
			    start < out + cnt)
				used = 1;
		}
	}
	subdirs_close(&d);
	return used;
}

/*
 * --userns=auto: the first slice of AUTO_IDS ids of root's /etc/subuid
 * range that no running process's namespace maps; gids likewise from
 * /etc/subgid.  None is created on the host: without a line for root,
 * exit 125.  (Two minictr starting at the same instant may pick the same
 * slice: podman keeps a lock file for that; minictr does not.)
 */
static void plan_auto(void)
{
	unsigned long s, n, gs, gn;

	if (user_range("/etc/subuid", 0, &s, &n) < 0 ||
	    user_range("/etc/subgid", 0, &gs, &gn) < 0) {
		error_line(0, "--userns=auto: root has no range in /etc/subuid "
			   "and /etc/subgid (add a line root:START:COUNT to "
			   "each, as useradd does for users)");
		exit(EXIT_SETUP);
	}
	for (unsigned long off = 0; off < n && off < gn; off += AUTO_IDS) {
		us.n_uid = us.n_gid = n - off < AUTO_IDS ? n - off : AUTO_IDS;
		if (us.n_gid > gn - off)
			us.n_uid = us.n_gid = gn - off;
		if (!range_in_use(s + off, us.n_uid)) {
			us.sub_uid = s + off;
			us.sub_gid = gs + off;
			return;
		}
	}
	error_line(0, "--userns=auto: every slice of %lu ids of root's range "
		   "%lu:%lu in /etc/subuid is in use", (unsigned long)AUTO_IDS,
		   s, n);
	exit(EXIT_SETUP);
}

/* One ID only: said once per user, not on every run (a marker file). */
static void note_single_id(void)
{
	char dir[PATH_MAX - 32], path[PATH_MAX];
	const char *rt = runtime_dir(dir, sizeof dir);
	int fd;

	if (rt) {
		mkdir(rt, 0700);
		snprintf(path, sizeof path, "%s/single-id-noted", rt);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return;         /* said before (EEXIST), or cannot say */
		close(fd);
	}
	error_line(0, "note: one ID mapped: uid %lu is root inside and no "
		   "other user exists there (chown, setuid and groups fail); "
		   "for 65536, add lines to /etc/subuid and /etc/subgid and "
		   "install newuidmap and newgidmap (Debian: uidmap).  Said "
		   "once", us.uid);
}

/* A user: the full range when the helpers and both lines exist. */
static void plan_rootless(void)
{
	us.uid = geteuid();
	us.gid = getegid();
	if (find_helper("newuidmap", us.uidmap, sizeof us.uidmap) == 0 &&
	    find_helper("newgidmap", us.gidmap, sizeof us.gidmap) == 0 &&
	    user_range("/etc/subuid", us.uid, &us.sub_uid, &us.n_uid) == 0 &&
	    user_range("/etc/subgid", us.uid, &us.sub_gid, &us.n_gid) == 0)
		return;
	us.single = 1;
	us.n_uid = us.n_gid = 0;
	note_single_id();
}

/* Parent, before clone: CLONE_NEWUSER when the container gets a user
 * namespace (a user; root with --userns=auto), else 0. */
unsigned long userns_plan(const struct run_opts *o)
{
	if (geteuid() == 0 && !o->userns_auto)
		return 0;               /* docker's default: the host's */
	us.on = 1;
	if (geteuid() == 0) {
		us.auto_ = 1;
		plan_auto();
	} else {
		plan_rootless();
	}
	if (pipe2(us.sync, O_CLOEXEC) < 0)
		die("pipe");
	return CLONE_NEWUSER;
}

int userns_on(void)
{
	return us.on;
}

/* --userns=auto: 1, and the host's ids of root inside (either pointer
 * may be NULL); 0 otherwise (a user is root inside already). */
int userns_root(unsigned long *uid, unsigned long *gid)
{
	if (uid)
		*uid = us.sub_uid;
	if (gid)
		*gid = us.sub_gid;
	return us.auto_;
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
	return !us.on || gid < (us.auto_ ? us.n_gid : 1 + us.n_gid);
}

/* What forbids user namespaces here, if a switch says so: its line. */
static int refused_by_switch(int err, const char *what)
{
	static const struct { const char *dir, *name; int off; } sw[] = {
		/* Debian's and Ubuntu's own patch */
		{ "kernel", "unprivileged_userns_clone", 0 },
		/* a limit per user namespace: 0 forbids them */
		{ "user", "max_user_namespaces", 0 },
		/* Ubuntu 24.04's AppArmor: the maps are refused */
		{ "kernel", "apparmor_restrict_unprivileged_userns", 1 },
	};
	char v[32], dir[32];

	for (size_t i = 0; i < sizeof sw / sizeof sw[0]; i++) {
		snprintf(dir, sizeof dir, "/proc/sys/%s", sw[i].dir);
		if (read_text(dir, sw[i].name, v, sizeof v) < 0 ||
		    atoi(v) != sw[i].off)
			continue;
		error_line(err, "%s: this host forbids user namespaces to "
			   "users: sysctl %s.%s is %d (check: sysctl %s.%s)",
			   what, sw[i].dir, sw[i].name, sw[i].off, sw[i].dir,
			   sw[i].name);
		return 1;
	}
	return 0;
}

/* Parent: clone(CLONE_NEWUSER|...) failed.  One line, exit 125. */
_Noreturn void userns_refused(int err)
{
	if (!refused_by_switch(err, "clone"))
		error_line(err, "clone: the kernel refused a user namespace "
			   "(a seccomp profile, a chroot, an LSM policy or a "
			   "namespace limit may forbid it)");
	exit(EXIT_SETUP);
}

/* Kill the child that waits, say why, exit 125. */
static _Noreturn void map_failed(pid_t pid, const char *what)
{
	int err = errno;

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (!refused_by_switch(err, what))
		error_line(err, "%s", what);
	exit(EXIT_SETUP);
}

/* /proc/PID/name = text, in one write(2): the kernel takes a map whole,
 * once.  -1 with errno. */
static int write_proc(pid_t pid, const char *name, const char *text)
{
	char path[64];
	size_t len = strlen(text);
	int fd, err;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
	fd = (int)traced(open(path, O_WRONLY | O_CLOEXEC),
			 "open(\"%s\", O_WRONLY|O_CLOEXEC)", path);
	if (fd < 0)
		return -1;
	n = traced(write(fd, text, len), "write(%d, \"%.*s\\n\", %zu)", fd,
		   (int)len - 1, text, len);
	err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)len ? 0 : -1;
}

/* newuidmap PID 0 ID 1 1 SUB N (newgidmap likewise): 0 if it worked. */
static int run_helper(const char *path, pid_t pid, unsigned long id,
		      unsigned long sub, unsigned long n)
{
	char args[5][24];
	char *argv[9] = { (char *)path, args[0], "0", args[1], "1", "1",
			  args[2], args[3], NULL };
	int status;
	pid_t h;

	snprintf(args[0], sizeof args[0], "%d", (int)pid);
	snprintf(args[1], sizeof args[1], "%lu", id);
	snprintf(args[2], sizeof args[2], "%lu", sub);
	snprintf(args[3], sizeof args[3], "%lu", n);
	trace("%s %s 0 %s 1 1 %s %s", path, args[0], args[1], args[2],
	      args[3]);
	h = ns_clone(SIGCHLD);  /* fork(2), without libc's fork machinery */
	if (h == 0) {
		execv(path, argv);
		_exit(127);
	}
	if (h < 0 || waitpid(h, &status, 0) < 0)
		return -1;
	errno = 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Parent, after clone: write the child's maps, then release it. */
void userns_map(pid_t pid)
{
	char map[64];

	if (!us.on)
		return;
	close(us.sync[0]);
	if (us.auto_) {
		snprintf(map, sizeof map, "0 %lu %lu\n", us.sub_uid, us.n_uid);
		if (write_proc(pid, "uid_map", map) < 0)
			map_failed(pid, "write uid_map");
		snprintf(map, sizeof map, "0 %lu %lu\n", us.sub_gid, us.n_gid);
		if (write_proc(pid, "gid_map", map) < 0)
			map_failed(pid, "write gid_map");
	} else if (!us.single) {
		/* the helper says why on stderr, before our line */
		if (run_helper(us.uidmap, pid, us.uid, us.sub_uid, us.n_uid) < 0)
			map_failed(pid, "newuidmap failed: the uid map of "
				   "/etc/subuid");
		if (run_helper(us.gidmap, pid, us.gid, us.sub_gid, us.n_gid) < 0)
			map_failed(pid, "newgidmap failed: the gid map of "
				   "/etc/subgid");
	} else {
		snprintf(map, sizeof map, "0 %lu 1\n", us.uid);
		if (write_proc(pid, "uid_map", map) < 0)
			map_failed(pid, "write uid_map");
		/* deny first, or the kernel refuses the gid_map (EPERM) */
		if (write_proc(pid, "setgroups", "deny\n") < 0)
			map_failed(pid, "write setgroups");
		snprintf(map, sizeof map, "0 %lu 1\n", us.gid);
		if (write_proc(pid, "gid_map", map) < 0)
			map_failed(pid, "write gid_map");
	}
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
