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
 * Man pages: user_namespaces(7), newuidmap(1), subuid(5), clone(2),
 * flock(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"

#define AUTO_IDS 65536          /* --userns=auto: podman's default size */

/* One map as it is written (us.helpers says by whom): its lines. */
struct map {
	struct id_map line[ID_MAPS_MAX];
	int n;
};

static struct {
	int on;                 /* the container has a user namespace */
	int single;             /* one ID: setgroups is denied */
	int helpers;            /* newuidmap and newgidmap write the maps */
	int by_root;            /* root made it: root inside is a subuid */
	struct map uid, gid;
	char uidmap[PATH_MAX], gidmap[PATH_MAX];        /* the helpers */
	int sync[2];            /* the child waits on sync[0] */
} us;
static int auto_lock = -1;      /* --userns=auto's, until mapped (not in
				 * us: an initialised us is 9k of .data) */

/* Add a line to m. */
static void map_add(struct map *m, unsigned long inside,
		    unsigned long outside, unsigned long count)
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

/* A user's docker-side state (run --name, run -d, ps, stop...) needs a
 * directory of their own: without XDG_RUNTIME_DIR (`su user`, no login
 * session) root is still /run/minictr, root's, which they can neither
 * lock nor read.  Say so, as the OCI door does (oci_main); -1 then. */
int user_root_missing(const char *root)
{
	char buf[PATH_MAX_OCI];

	if (state_root(root, buf, sizeof buf))
		return 0;
	error_line(0, "XDG_RUNTIME_DIR is not set: give --root DIR, a "
		   "directory of your own for the state");
	return -1;
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
 * --userns=auto: held from the choice of a slice until the slice is in
 * the child's uid_map, where the next chooser's range_in_use() looks;
 * without it two minictr starting together both see the same slice free
 * (podman keeps a lock file too).  The ranges are the host's, so is the
 * lock: one file in root's runtime directory, whatever --root says.  It
 * is flock(2)'s, on the open file: the child closes its copy first
 * thing (userns_wait), or the lock would last as long as its init.
 */
static void lock_auto(void)
{
	const char *path = "/run/minictr/userns-auto.lock";

	state_make_root("/run/minictr");
	auto_lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (auto_lock < 0 || traced(flock(auto_lock, LOCK_EX),
				  "flock(%d, LOCK_EX)", auto_lock) < 0)
		die("--userns=auto: lock %s", path);
}

/*
 * --userns=auto: the first slice of AUTO_IDS ids of root's /etc/subuid
 * range that no running process's namespace maps; gids likewise from
 * /etc/subgid.  None is created on the host: without a line for root,
 * exit 125.
 */
static void plan_auto(void)
{
	unsigned long s, n, gs, gn, k;

	if (user_range("/etc/subuid", 0, &s, &n) < 0 ||
	    user_range("/etc/subgid", 0, &gs, &gn) < 0) {
		error_line(0, "--userns=auto: root has no range in /etc/subuid "
			   "and /etc/subgid (add a line root:START:COUNT to "
			   "each, as useradd does for users)");
		exit(EXIT_SETUP);
	}
	lock_auto();
	for (unsigned long off = 0; off < n && off < gn; off += AUTO_IDS) {
		k = n - off < AUTO_IDS ? n - off : AUTO_IDS;
		if (k > gn - off)
			k = gn - off;
		if (!range_in_use(s + off, k)) {
			map_add(&us.uid, 0, s + off, k);
			map_add(&us.gid, 0, gs + off, k);
			return;
		}
	}
	error_line(0, "--userns=auto: every slice of %lu ids of root's range "
		   "%lu:%lu in /etc/subuid is in use", (unsigned long)AUTO_IDS,
		   s, n);
	exit(EXIT_SETUP);
}

/* One ID only: said once per user, not on every run (a marker file). */
static void note_single_id(unsigned long uid)
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
	/* without XDG_RUNTIME_DIR there is no marker: said every time */
	error_line(0, "note: one ID mapped: uid %lu is root inside and no "
		   "other user exists there (chown, setuid and groups fail); "
		   "for 65536, add lines to /etc/subuid and /etc/subgid and "
		   "install newuidmap and newgidmap (Debian: uidmap)%s", uid,
		   rt ? ".  Said once" : "");
}

/* newuidmap and newgidmap found in PATH: 0. */
static int find_helpers(void)
{
	return find_helper("newuidmap", us.uidmap, sizeof us.uidmap) |
	       find_helper("newgidmap", us.gidmap, sizeof us.gidmap);
}

/* A user: the full range when the helpers and both lines exist. */
static void plan_rootless(void)
{
	unsigned long uid = geteuid(), gid = getegid(), su, nu, sg, ng;

	map_add(&us.uid, 0, uid, 1);
	map_add(&us.gid, 0, gid, 1);
	if (find_helpers() == 0 &&
	    user_range("/etc/subuid", uid, &su, &nu) == 0 &&
	    user_range("/etc/subgid", uid, &sg, &ng) == 0) {
		map_add(&us.uid, 1, su, nu);
		map_add(&us.gid, 1, sg, ng);
		us.helpers = 1;
		return;
	}
	us.single = 1;
	note_single_id(uid);
}

/*
 * config.json's maps (linux.uidMappings, gidMappings).  Root writes any
 * map itself.  A user may write one line that maps their own id (then
 * setgroups is denied, as for one ID: runc spec --rootless writes just
 * that); anything more goes through the setuid helpers, which check it
 * against /etc/subuid and /etc/subgid, as for `run`.
 */
static void plan_config(const struct run_opts *o)
{
	for (int i = 0; i < o->nuid_maps; i++)
		us.uid.line[us.uid.n++] = o->uid_maps[i];
	for (int i = 0; i < o->ngid_maps; i++)
		us.gid.line[us.gid.n++] = o->gid_maps[i];
	if (geteuid() == 0)
		return;
	if (us.uid.n == 1 && us.gid.n == 1 &&
	    us.uid.line[0].count == 1 && us.uid.line[0].outside == geteuid() &&
	    us.gid.line[0].count == 1 && us.gid.line[0].outside == getegid()) {
		us.single = 1;
		return;
	}
	if (find_helpers() < 0) {
		error_line(0, "linux.uidMappings: more than your own uid and "
			   "gid needs newuidmap and newgidmap (Debian: uidmap)");
		exit(EXIT_SETUP);
	}
	us.helpers = 1;
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
	char path[64], shown[ID_MAPS_MAX * 72], *o = shown;
	size_t len = strlen(text);
	int fd, err;
	ssize_t n;

	for (const char *t = text; *t; t++)     /* as strace shows it */
		o = *t == '\n' ? stpcpy(o, "\\n") : (*o = *t, o + 1);
	*o = '\0';
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
	fd = (int)traced(open(path, O_WRONLY | O_CLOEXEC),
			 "open(\"%s\", O_WRONLY|O_CLOEXEC)", path);
	if (fd < 0)
		return -1;
	n = traced(write(fd, text, len), "write(%d, \"%s\", %zu)", fd, shown,
		   len);
	err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)len ? 0 : -1;
}

/* The map's lines as the kernel reads them, "IN OUT COUNT\n" each. */
static int write_map(pid_t pid, const char *name, const struct map *m)
{
	char text[ID_MAPS_MAX * 36];
	size_t k = 0;

	for (int i = 0; i < m->n; i++)
		k += (size_t)snprintf(text + k, sizeof text - k, "%lu %lu %lu\n",
				      m->line[i].inside, m->line[i].outside,
				      m->line[i].count);
	return write_proc(pid, name, text);
}

/* newuidmap PID IN OUT COUNT... (newgidmap likewise): 0 if it worked. */
static int run_helper(const char *path, pid_t pid, const struct map *m)
{
	char args[1 + 3 * ID_MAPS_MAX][24], shown[sizeof args];
	char *argv[3 + 3 * ID_MAPS_MAX] = { (char *)path, args[0] };
	size_t k = 0;
	int status;
	pid_t h;

	snprintf(args[0], sizeof args[0], "%d", (int)pid);
	for (int i = 0; i < 3 * m->n; i++) {
		const struct id_map *l = &m->line[i / 3];
		snprintf(args[1 + i], sizeof args[1 + i], "%lu", i % 3 == 0 ?
			 l->inside : i % 3 == 1 ? l->outside : l->count);
		argv[2 + i] = args[1 + i];
		k += (size_t)snprintf(shown + k, sizeof shown - k, " %s",
				      args[1 + i]);
	}
	trace("%s %s%s", path, args[0], shown);
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
