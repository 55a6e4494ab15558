/*
 * etcfiles.c - the container's own /etc/hosts, /etc/hostname and
 * /etc/resolv.conf, generated for --rootfs as docker does.
 *
 * A root filesystem made with debootstrap carries the hostname of the
 * machine that made it, and often no hosts file: `getent hosts localhost`
 * fails, and -h is not what /etc/hostname says.  So the parent writes
 * three small files, before clone, in a private directory OUTSIDE DIR
 * (DIR's own files are never written):
 *   /run/minictr/etc-<owner>-XXXXXX   (mkdtemp(3): mode 0700, root's;
 *                              $TMPDIR/minictr-etc-<owner>-XXXXXX where
 *                              there is no /run, as on an initramfs)
 * where <owner> is this minictr's cgroup name, minictr-<pid namespace>-
 * <pid>-<start time> (stale.c), so that a later minictr can tell whose
 * it is, and whether that one is gone.
 * and the child binds each one over DIR's file, in the sorted list of
 * mounts (mounts.c, mountorder.c), so that `-v X:/etc` still gets them on
 * top, and a user's own `-v myhosts:/etc/hosts`, listed after them, wins.
 * They are bound read-write, as docker's are: the container may edit its
 * hosts file, and the edit lands in the private copy, never in DIR.  A
 * file missing in DIR gets an empty one as its mount point, as a volume
 * does; where none can be made (EROFS: a read-only DIR, a `-v X:/etc:ro`)
 * that file is skipped, so such a root runs as it did before.
 *
 *   hosts        localhost for IPv4 and IPv6, the usual ip6- names, and
 *                the container's hostname on 127.0.1.1 (Debian's way of
 *                naming the machine itself when it has no fixed address:
 *                the whole of 127/8 reaches lo, in any network namespace)
 *   hostname     -h NAME, else the host's name (the UTS namespace's copy)
 *   resolv.conf  --net host: the host's own (systemd-resolved's upstream
 *                list instead when the host's points at its 127.0.0.53
 *                stub, as docker does: harmless with --net host, but the
 *                upstream list is what the stub itself uses); --net none:
 *                no name server at all, see none_resolv below
 *
 * The directory and the files are removed on the way out (atexit, so
 * every exit() of the parent: a failed run, a signal forwarded, die()).
 * A SIGKILL of minictr (of run's, or of run -d's monitor) runs nothing,
 * so the next run with --rootfs, and `rm`, sweep (etcfiles_sweep) the
 * directories whose owner is proved gone, with stale.c's proof: a live
 * minictr's, a container's that runs, stay.
 *
 * Man pages: hosts(5), hostname(5), resolv.conf(5), mkdtemp(3), atexit(3).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "minictr.h"

enum { HOSTS, HOSTNAME, RESOLV, NFILES };

static const char *const targets[NFILES] = {
	"/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
};

static struct {
	pid_t owner;            /* the parent: only it removes them */
	char dir[PATH_MAX - 16];/* "" until made */
	char path[NFILES][PATH_MAX];
	char src[NFILES][32];   /* --userns=auto: /proc/self/fd/N */
} etc;

/*
 * --net none: the container has only lo, so no server the host knows is
 * reachable from it.  A file with no nameserver line makes a resolver
 * ask 127.0.0.1, which answers "connection refused" at once: a name that
 * is not in /etc/hosts fails immediately, instead of after the timeouts
 * and retries of a server that cannot be reached.
 */
static const char none_resolv[] =
	"# minictr --net none: the container has only lo, so no name server\n"
	"# is reachable; names resolve from /etc/hosts only.\n";

static const char hosts_head[] =
	"127.0.0.1\tlocalhost\n"
	"::1\tlocalhost ip6-localhost ip6-loopback\n"
	"fe00::0\tip6-localnet\n"
	"ff00::0\tip6-mcastprefix\n"
	"ff02::1\tip6-allnodes\n"
	"ff02::2\tip6-allrouters\n";

/* Write len bytes of text as the new file path; 0 or -1 with errno. */
static int write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		      O_CLOEXEC, 0644);
	ssize_t n = fd < 0 ? -1 : write(fd, text, len);
	int err = errno;

	if (fd >= 0)
		close(fd);
	errno = err;
	return n == (ssize_t)len ? 0 : -1;
}

/* The host's resolver file; resolved's upstream list behind its stub. */
static size_t host_resolv(char *buf, size_t size)
{
	static const char *const paths[] = {
		"/etc/resolv.conf", "/run/systemd/resolve/resolv.conf",
	};
	ssize_t n = 0;

	for (int i = 0; i < 2; i++) {
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC);

		/* no host file: an empty one; no upstream list: the host's */
		if (fd < 0)
			break;
		n = read(fd, buf, size - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		if (!strstr(buf, "nameserver 127.0.0.53"))
			break;
	}
	return n > 0 ? (size_t)n : 0;
}

/* The files in dir (only those: unlink(2) never follows a link), then
 * dir; -1 with errno when dir stays. */
static int remove_dir(const char *dir)
{
	char path[PATH_MAX];

	for (int i = 0; i < NFILES; i++) {
		snprintf(path, sizeof path, "%s%s", dir, targets[i] + 4);
		unlink(path);
	}
	return rmdir(dir);
}

/* atexit: the files, then the directory. */
static void cleanup(void)
{
	if (getpid() != etc.owner || !etc.dir[0])
		return;         /* a child that exit()ed: not its job */
	if (remove_dir(etc.dir) < 0)
		error_line(errno, "remove %s", etc.dir);
}

/* In parent, the directories PREFIX<owner>-XXXXXX whose owner is proved
 * gone (stale.c): a SIGKILLed minictr's. */
static void sweep(const char *parent, const char *prefix)
{
	size_t n = strlen(prefix);
	char dir[PATH_MAX];
	struct subdirs d;
	const char *name;

	if (subdirs_open(&d, parent) < 0)
		return;
	while ((name = subdirs_next(&d)))
		if (strncmp(name, prefix, n) == 0 && stale_name(name + n)) {
			snprintf(dir, sizeof dir, "%s/%s", parent, name);
			trace("%s is stale: its minictr is gone", dir);
			remove_dir(dir);
		}
	subdirs_close(&d);
}

/* /run/minictr's (a user's: $XDG_RUNTIME_DIR/minictr, see userns_rootless.c):
 * the next run with --rootfs, and rm, call it. */
void etcfiles_sweep(void)
{
	char buf[PATH_MAX - 32];
	const char *rt = runtime_dir(buf, sizeof buf);

	if (rt)
		sweep(rt, "etc-");
}

/* mkdtemp under /run/minictr, else $TMPDIR or /tmp (swept only then:
 * a /tmp may be long to list), named after its owner. */
static int make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char buf[PATH_MAX - 32], me[96];
	const char *rt = runtime_dir(buf, sizeof buf);

	cgroup_name(me, sizeof me);
	if (rt && (mkdir(rt, 0700) == 0 || errno == EEXIST)) {
		sweep(rt, "etc-");
		snprintf(etc.dir, sizeof etc.dir, "%s/etc-%s-XXXXXX", rt, me);
		if (mkdtemp(etc.dir))
			return 0;
	}
	tmp = tmp && *tmp ? tmp : "/tmp";
	sweep(tmp, "minictr-etc-");
	snprintf(etc.dir, sizeof etc.dir, "%s/minictr-etc-%s-XXXXXX", tmp, me);
	if (mkdtemp(etc.dir))
		return 0;
	etc.dir[0] = '\0';
	return -1;
}

/* --userns=auto: the files become the container root's, so that it may
 * edit them as docker's may be edited. */
static void give_to_userns_root(void)
{
	unsigned long uid, gid;

	if (!userns_root(&uid, &gid))
		return;
	for (int i = 0; i < NFILES; i++)
		if (chown(etc.path[i], (uid_t)uid, (gid_t)gid) < 0)
			die("chown %s", etc.path[i]);
}

/*
 * Child, --userns=auto, before its ids are mapped: hold the files by fd.
 * It binds them later as the subordinate root, for which no path leads
 * through root's /run/minictr (0700); now it is still the host's uid 0,
 * the owner of those directories.  Opened here, in the child's own mount
 * namespace: an fd of the parent's would name a mount of the host's
 * namespace, and a bind from there is EINVAL.  /proc/self/fd/N then
 * takes mounts.c to the file without a lookup through the directories.
 */
void etcfiles_hold(void)
{
	for (int i = 0; etc.dir[0] && userns_root(NULL, NULL) && i < NFILES;
	     i++) {
		int fd = open(etc.path[i], O_PATH | O_CLOEXEC);
		if (fd >= 0)
			snprintf(etc.src[i], sizeof etc.src[i],
				 "/proc/self/fd/%d", fd);
	}
}

/* Parent, before clone, with --rootfs: write the three files.  Exits 125
 * (removing what it made) if it cannot. */
void etcfiles_make(const struct run_opts *o)
{
	char text[65536];
	struct utsname u;
	const char *name = o->hostname;
	size_t len;

	etc.owner = getpid();
	atexit(cleanup);
	if (make_dir() < 0)
		die("make a private directory for /etc/hosts");
	trace("generating /etc/hosts, /etc/hostname and /etc/resolv.conf in %s",
	      etc.dir);
	if (!name)
		name = uname(&u) == 0 ? u.nodename : "localhost";
	for (int i = 0; i < NFILES; i++)
		snprintf(etc.path[i], sizeof etc.path[i], "%s/%s", etc.dir,
			 targets[i] + 5);
	len = (size_t)snprintf(text, sizeof text, "%s127.0.1.1\t%s\n",
			       hosts_head, name);
	if (write_file(etc.path[HOSTS], text, len) < 0)
		die("write %s", etc.path[HOSTS]);
	len = (size_t)snprintf(text, sizeof text, "%s\n", name);
	if (write_file(etc.path[HOSTNAME], text, len) < 0)
		die("write %s", etc.path[HOSTNAME]);
	if (o->net == NET_HOST)
		len = host_resolv(text, sizeof text);
	else
		len = (size_t)snprintf(text, sizeof text, "%s", none_resolv);
	if (write_file(etc.path[RESOLV], text, len) < 0)
		die("write %s", etc.path[RESOLV]);
	give_to_userns_root();
}

/* Child: the three binds, for the list of mounts; 0 without --rootfs. */
int etcfiles_mounts(struct ctr_mount *out)
{
	if (!etc.dir[0])
		return 0;
	for (int i = 0; i < NFILES; i++)
		out[i] = (struct ctr_mount){
			.kind = MOUNT_BIND,
			.source = etc.src[i][0] ? etc.src[i] : etc.path[i],
			.source_len = (int)strlen(etc.src[i][0] ? etc.src[i] :
						  etc.path[i]),
			.target = targets[i],
			.target_len = (int)strlen(targets[i]),
			.spec = targets[i],
			.optional = 1,
		};
	return NFILES;
}
