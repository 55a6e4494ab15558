/*
 * rootfs.c - --rootfs DIR: the container's / is DIR, with a /dev, /proc
 * and /sys of its own, and nothing of the host's files but the volumes.
 *
 * In the child, after / is made private and before /proc is mounted:
 *   1. bind DIR onto itself         pivot_root needs a mount point
 *   2. /dev: a tmpfs with null, zero, full, random, urandom, tty, a devpts
 *      of its own (so -t works), /dev/shm and the fd links
 *   3. /sys: sysfs, read-only
 *   4. each -v: a bind mount, then read-only for :ro
 *   5. --read-only: the bind of DIR becomes read-only
 *   6. pivot_root(".", "."), then detach the old root: no path leads to
 *      the host's files any more.  On an initramfs, / is "rootfs", which
 *      pivot_root refuses (EINVAL): move DIR over / and chroot instead,
 *      after detaching the host's /proc and /sys.
 * init.c then mounts the fresh /proc, inside.  Just before exec,
 * rootfs_finish() hides what /proc and /sys must not show a container and
 * drops privileges (caps.c; sealed.c for --init).
 *
 * Every mount target inside DIR is looked up without following a symlink
 * out of DIR: DIR is the container's, and a "proc -> /proc" or a volume
 * target "etc -> /etc" in it would make minictr mount over the host's own
 * files.  openat2(RESOLVE_IN_ROOT) (Linux 5.6) resolves each path as if
 * DIR were /; before 5.6, a walk with O_NOFOLLOW refuses any symlink on
 * the way.  A target that is itself a symlink is refused either way.  The
 * mount then goes through /proc/self/fd/N, the very directory checked.
 *
 * Man pages: pivot_root(2), mount(2), mount_namespaces(7), openat2(2),
 * tmpfs(5), pts(4), proc(5), sysfs(5).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "minictr.h"

/* linux/openat2.h, which musl's headers do not carry */
struct open_how {
	unsigned long long flags, mode, resolve;
};
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT 0x10

static const struct { const char *name; unsigned major, minor; } devices[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const struct { const char *name, *target; } dev_links[] = {
	{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};

/* What a container must not read (docker's list): files get /dev/null
 * bound over them, directories an empty read-only tmpfs. */
static const char *const masked[] = {
	"/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
	"/proc/timer_stats", "/proc/sched_debug", "/proc/acpi", "/proc/asound",
	"/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
};

/* What it may read but not change: the kernel's knobs. */
static const char *const read_only[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

struct ctx {
	const struct run_opts *o;
	int root;               /* O_PATH fd of the bind of DIR */
	int report_fd;
	char dir[PATH_MAX];     /* DIR, as the kernel names it */
};

/* "/proc/self/fd/N": a path that is exactly the file behind fd. */
static const char *fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	return buf;
}

/* One step of a walk: prefix (the path so far) inside root, or name in
 * parent on kernels without openat2.  Never follows a final symlink. */
static int step(int root, int parent, const char *prefix, const char *name,
		int last)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | (last ? O_NOFOLLOW : 0),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, root, prefix, &how, sizeof how);

	if (fd < 0 && errno == ENOSYS)  /* before 5.6: refuse every symlink */
		fd = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	return fd;
}

/* Create name in parent: a directory, or an empty file for a file volume. */
static int create(int parent, const char *name, mode_t type)
{
	int fd;

	if (type == S_IFDIR)
		return mkdirat(parent, name, 0755);
	fd = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC |
		    O_NOFOLLOW, 0644);
	return fd < 0 ? -1 : close(fd);
}

/*
 * An O_PATH fd of path (len bytes) inside the root, creating what is
 * missing: directories on the way, then type for the last component.
 */
static int walk(const struct ctx *c, const char *path, int len, mode_t type)
{
	char prefix[PATH_MAX], name[NAME_MAX + 1];
	int parent = fcntl(c->root, F_DUPFD_CLOEXEC, 3), i = 0, fd;
	struct stat st;

	while (i < len && path[i] == '/')
		i++;
	while (i < len && parent >= 0) {
		int start, end, last;

		for (start = i; i < len && path[i] != '/'; i++)
			;
		for (end = i; end < len && path[end] == '/'; end++)
			;
		last = (end == len);
		snprintf(name, sizeof name, "%.*s", i - start, path + start);
		snprintf(prefix, sizeof prefix, "%.*s", i, path);
		fd = step(c->root, parent, prefix, name, last);
		if (fd < 0 && errno == ENOENT &&
		    traced(create(parent, name, last ? type : S_IFDIR),
			   "create %s in the rootfs", prefix) == 0)
			fd = step(c->root, parent, prefix, name, last);
		if (fd < 0 || fstat(fd, &st) < 0)
			fail(c->report_fd, EXIT_SETUP, errno, "%s in %s", prefix,
			     c->o->rootfs);
		if (S_ISLNK(st.st_mode))
			fail(c->report_fd, EXIT_SETUP, 0, "%s in %s is a symbolic "
			     "link: refused", prefix, c->o->rootfs);
		close(parent);
		parent = fd;
		i = end;
	}
	return parent;
}

/* Mount onto path inside the root, through the fd the walk returned. */
static void mount_in(const struct ctx *c, const char *src, const char *path,
		     const char *fstype, unsigned long flags, const char *data)
{
	char at[40];
	int fd = walk(c, path, (int)strlen(path), S_IFDIR);

	if (traced(mount(src, fd_path(fd, at, sizeof at), fstype, flags, data),
		   "mount(\"%s\", \"%s\" (%s), \"%s\", %#lx, \"%s\")", src, at,
		   path, fstype ? fstype : "", flags, data ? data : "") < 0)
		fail(c->report_fd, EXIT_SETUP, errno, "mount %s in %s", path,
		     c->o->rootfs);
	close(fd);
}

/* Step 2: /dev, on a tmpfs of its own.  The names below are relative to
 * the root, inside that fresh tmpfs: nothing there can be a symlink. */
static void make_dev(const struct ctx *c)
{
	mount_in(c, "tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME,
		 "mode=755,size=65536k");
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
		char path[32];
		snprintf(path, sizeof path, "dev/%s", devices[i].name);
		if (traced(mknod(path, S_IFCHR | 0666, makedev(devices[i].major,
			   devices[i].minor)), "mknod(\"%s\")", path) < 0)
			fail(c->report_fd, EXIT_SETUP, errno, "mknod /%s", path);
	}
	/* newinstance: the container's own set of pty numbers, invisible to
	 * the host's; ptmxmode=0666 so /dev/ptmx -> pts/ptmx opens.
	 * With -t the container opens its terminal from this /dev/ptmx
	 * (pty.c), so `tty` inside names a /dev/pts/N that exists here. */
	mount_in(c, "devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		 "newinstance,ptmxmode=0666,mode=0620,gid=5");
	/* -t: an empty file, the mount point on which pty.c binds the
	 * container's terminal as /dev/console (the OCI spec's console) */
	if (c->o->tty) {
		trace("creating dev/console in the rootfs, for the terminal");
		if (create(AT_FDCWD, "dev/console", S_IFREG) < 0)
			fail(c->report_fd, EXIT_SETUP, errno, "create /dev/console");
	}
	mount_in(c, "shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		 "mode=1777,size=65536k");
	for (size_t i = 0; i < sizeof dev_links / sizeof dev_links[0]; i++) {
		char path[32];
		snprintf(path, sizeof path, "dev/%s", dev_links[i].name);
		if (traced(symlink(dev_links[i].target, path), "symlink(\"%s\", "
			   "\"%s\")", dev_links[i].target, path) < 0)
			fail(c->report_fd, EXIT_SETUP, errno, "symlink /%s", path);
	}
}

/* Step 4: one -v HOST:CONTAINER[:ro]. */
static void mount_volume(const struct ctx *c, const char *spec)
{
	char host[PATH_MAX], from[40], to[40];
	struct volume v;
	struct stat st;
	int src, dst;

	volume_split(spec, &v);         /* checked by the parser */
	snprintf(host, sizeof host, "%.*s", v.host_len, v.host);
	src = open(host, O_PATH | O_CLOEXEC);
	if (src < 0 || fstat(src, &st) < 0)
		fail(c->report_fd, EXIT_SETUP, errno, "volume %s", host);
	dst = walk(c, v.target, v.target_len, S_ISDIR(st.st_mode) ? S_IFDIR :
		   S_IFREG);
	if (traced(mount(fd_path(src, from, sizeof from), fd_path(dst, to,
		   sizeof to), NULL, MS_BIND | MS_REC, NULL),
		   "mount(\"%s\", \"%.*s\", NULL, MS_BIND|MS_REC, NULL)", host,
		   v.target_len, v.target) < 0)
		fail(c->report_fd, EXIT_SETUP, errno, "volume %s", spec);
	close(dst);
	close(src);
	if (!v.ro)
		return;
	/* A bind mount ignores MS_RDONLY: remount it.  The old fd names the
	 * directory under the new mount, so look the target up again. */
	dst = walk(c, v.target, v.target_len, S_IFDIR);
	if (traced(mount(NULL, fd_path(dst, to, sizeof to), NULL, MS_REMOUNT |
			 MS_BIND | MS_RDONLY, NULL), "mount(NULL, \"%.*s\", NULL, "
		   "MS_REMOUNT|MS_BIND|MS_RDONLY, NULL)", v.target_len,
		   v.target) < 0)
		fail(c->report_fd, EXIT_SETUP, errno, "volume %s", spec);
	close(dst);
}

/* The fallback's duty: no host /proc or /sys left in our namespace. */
static void detach_host_mount(const struct mount_entry *m, void *arg)
{
	const struct ctx *c = arg;
	size_t len = strlen(c->dir);

	if (strcmp(m->fstype, "proc") != 0 && strcmp(m->fstype, "sysfs") != 0)
		return;
	if (strncmp(m->point, c->dir, len) == 0 &&
	    (m->point[len] == '/' || m->point[len] == '\0'))
		return;         /* ours, inside DIR */
	traced(umount2(m->point, MNT_DETACH), "umount2(\"%s\", MNT_DETACH)",
	       m->point);
}

/* Step 6: DIR becomes /, and the host's / is out of reach. */
static void switch_root(struct ctx *c)
{
	if (traced(syscall(SYS_pivot_root, ".", "."), "pivot_root(\".\", \".\")")
	    == 0) {
		/* the old root is stacked on "."; detach it, and every mount
		 * under it, from our namespace */
		if (traced(umount2(".", MNT_DETACH), "umount2(\".\", MNT_DETACH)") < 0)
			fail(c->report_fd, EXIT_SETUP, errno, "detach the old root");
	} else if (errno == EINVAL) {
		/* / is the initramfs: it cannot be unmounted, so it cannot be
		 * pivoted.  Cover it with DIR and chroot into DIR. */
		ssize_t n = readlink("/proc/self/cwd", c->dir, sizeof c->dir - 1);

		c->dir[n > 0 ? n : 0] = '\0';
		if (mountinfo_each(detach_host_mount, c) < 0 ||
		    traced(mount(".", "/", NULL, MS_MOVE, NULL),
			   "mount(\".\", \"/\", NULL, MS_MOVE, NULL)") < 0 ||
		    traced(chroot("."), "chroot(\".\")") < 0)
			fail(c->report_fd, EXIT_SETUP, errno, "move %s to /",
			     c->o->rootfs);
	} else {
		fail(c->report_fd, EXIT_SETUP, errno, "pivot_root to %s",
		     c->o->rootfs);
	}
	if (chdir("/") < 0)
		fail(c->report_fd, EXIT_SETUP, errno, "chdir /");
}

/* Child, after the private remount: steps 1-6. */
void rootfs_enter(const struct run_opts *o, int report_fd)
{
	struct ctx c = { .o = o, .report_fd = report_fd };
	mode_t umask_was = umask(0);    /* the modes below, exactly */

	if (traced(mount(o->rootfs, o->rootfs, NULL, MS_BIND | MS_REC, NULL),
		   "mount(\"%s\", \"%s\", NULL, MS_BIND|MS_REC, NULL)",
		   o->rootfs, o->rootfs) < 0 ||
	    traced(chdir(o->rootfs), "chdir(\"%s\")", o->rootfs) < 0)
		fail(report_fd, EXIT_SETUP, errno, "rootfs %s", o->rootfs);
	c.root = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	make_dev(&c);
	mount_in(&c, "sysfs", "sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV |
		 MS_NOEXEC, NULL);
	for (int i = 0; i < o->nvolumes; i++)
		mount_volume(&c, o->volumes[i]);
	close(walk(&c, "proc", 4, S_IFDIR));    /* init.c mounts it */
	if (o->read_only &&
	    traced(mount(NULL, ".", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL),
		   "mount(NULL, \".\", NULL, MS_REMOUNT|MS_BIND|MS_RDONLY, NULL)") < 0)
		fail(report_fd, EXIT_SETUP, errno, "make %s read-only", o->rootfs);
	close(c.root);
	switch_root(&c);
	umask(umask_was);
}

/* /dev/null over a file, an empty read-only tmpfs over a directory. */
static int mask(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode))
		return (int)traced(mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL),
				   "mount(\"tmpfs\", \"%s\", \"tmpfs\", MS_RDONLY, NULL)",
				   path);
	return (int)traced(mount("/dev/null", path, NULL, MS_BIND, NULL),
			   "mount(\"/dev/null\", \"%s\", NULL, MS_BIND, NULL)", path);
}

/* Bind path onto itself, then make that bind read-only. */
static int make_read_only(const char *path)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : -1;
	return (int)traced(mount(NULL, path, NULL, MS_REMOUNT | MS_BIND |
				 MS_RDONLY, NULL), "mount(\"%s\", read-only)", path);
}

/* Child, after /proc, hostname and lo, before exec: hide, then drop. */
void rootfs_finish(const struct run_opts *o, const char **envp, int report_fd)
{
	for (size_t i = 0; i < sizeof masked / sizeof masked[0]; i++)
		if (mask(masked[i]) < 0)
			fail(report_fd, EXIT_SETUP, errno, "mask %s", masked[i]);
	for (size_t i = 0; i < sizeof read_only / sizeof read_only[0]; i++)
		if (make_read_only(read_only[i]) < 0)
			fail(report_fd, EXIT_SETUP, errno, "make %s read-only",
			     read_only[i]);
	drop_privileges(report_fd);
	if (o->init)
		sealed_reexec(o, envp, report_fd);
}
