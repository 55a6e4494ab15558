/*
 * rootfs.c - --rootfs DIR: the container's / is DIR, with a /dev, /proc
 * and /sys of its own, and nothing of the host's files but the volumes.
 *
 * In the child, after / is made private and before /proc is mounted:
 *   1. bind DIR onto itself         pivot_root needs a mount point
 *   2. /dev: a tmpfs with null, zero, full, random, urandom, tty, a devpts
 *      of its own (so -t works), /dev/shm, /dev/mqueue and the fd links
 *   3. /sys: sysfs, read-only (a user namespace without a network
 *      namespace of its own: the host's, bound read-only); with a private
 *      cgroup namespace, /sys/fs/cgroup of its own (cgroupns.c)
 *   4. the container's own mounts, parents first: -v, --tmpfs and the
 *      generated /etc files (mounts.c); then config.json's device nodes
 *      (devnodes.c), as runc makes them after the mounts
 *   5. --read-only: the bind of DIR becomes read-only, its flags kept
 *      OCI: the createContainer hooks (hooks.c)
 *   6. pivot_root(".", "."), then detach the old root: no path leads to
 *      the host's files any more.  On an initramfs, / is "rootfs", which
 *      pivot_root refuses (EINVAL): move DIR over / and chroot instead,
 *      after detaching the host's /proc and /sys.
 * init.c then mounts the fresh /proc, inside (in a user namespace it is
 * mounted here, before pivot_root, while the host's /proc is still in
 * view: rootfs_enter()).  Just before exec,
 * rootfs_finish() hides what /proc and /sys must not show a container
 * (docker's lists, and config.json's maskedPaths and readonlyPaths on
 * top), except with --privileged (docker's meaning: nothing hidden, /sys
 * read-write); init.c then drops privileges (caps.c).
 *
 * Every mount target inside DIR is looked up by inroot.c, which never
 * leaves DIR; the skeleton's (dev, sys, proc) must not be symlinks, since
 * /dev is then filled by plain paths under it.  The mount goes through
 * /proc/self/fd/N, the very directory checked.
 *
 * Man pages: pivot_root(2), mount(2), mount_namespaces(7), openat2(2),
 * tmpfs(5), pts(4), proc(5), sysfs(5).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "minictr.h"

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
	struct inroot in;       /* DIR's bind, for lookups inside it */
	int report_fd;
	char dir[PATH_MAX];     /* DIR, as the kernel names it */
};

/* Mount onto path inside the root, through the fd the walk returned. */
static void mount_in(const struct ctx *c, const char *src, const char *path,
		     const char *fstype, unsigned long flags, const char *data)
{
	char at[40];
	int fd = inroot_walk(&c->in, path, (int)strlen(path), S_IFDIR,
			     NO_FOLLOW);

	trace("mounting %s on /%s: /proc/self/fd/%d", fstype, path, fd);
	if (traced_mount(src, fd_path(fd, at, sizeof at), fstype, flags,
			 data) < 0)
		fail(c->report_fd, EXIT_SETUP, errno, "mount %s in %s", path,
		     c->o->rootfs);
	close(fd);
}

/*
 * POSIX message queues (mq_overview(7)), as docker gives them: an mqueue
 * mount shows the queues of the IPC namespace of whoever mounts it, so
 * this one shows the container's own (CLONE_NEWIPC).  A kernel built
 * without CONFIG_POSIX_MQUEUE (some boards) has no such filesystem
 * (ENODEV): the directory stays empty, as before, rather than no
 * container at all.  So it stays in a user namespace that does not own
 * the IPC namespace (a config.json without "ipc"): mounting mqueue needs
 * CAP_SYS_ADMIN over the IPC namespace's owner (EPERM).
 */
static void mount_mqueue(const struct ctx *c)
{
	char at[40];
	int fd = inroot_walk(&c->in, "dev/mqueue", 10, S_IFDIR, NO_FOLLOW);

	if (traced_mount("mqueue", fd_path(fd, at, sizeof at), "mqueue",
			 MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
	    errno != ENODEV && !(errno == EPERM && userns_on()))
		fail(c->report_fd, EXIT_SETUP, errno, "mount dev/mqueue in %s",
		     c->o->rootfs);
	close(fd);
}

/* /dev/shm: docker's tmpfs, of 64m or --shm-size's bytes (tmpfs(5)
 * rounds size= up to whole pages; 0 would be no limit at all). */
static void mount_shm(const struct ctx *c)
{
	char data[48] = "mode=1777,size=65536k";

	if (c->o->shm_size)
		snprintf(data, sizeof data, "mode=1777,size=%lld",
			 c->o->shm_size);
	mount_in(c, "shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		 data);
}

/*
 * In a user namespace mknod(2) of a device is EPERM, whatever the
 * capabilities: a device node made there would reach the host's devices
 * (user_namespaces(7), and mknod(2) needs CAP_MKNOD in the initial
 * namespace).  So the host's node is bound onto an empty file instead,
 * as podman and bwrap do; /dev/null inside is then the host's (nobody's,
 * owned by an unmapped root: 65534, still rw for all).
 */
static void bind_device(const struct ctx *c, const char *path)
{
	char host[40];
	int fd = (int)traced(open(path, O_CREAT | O_EXCL | O_WRONLY |
				  O_NOFOLLOW | O_CLOEXEC, 0666),
			     "open(\"%s\", O_CREAT|O_EXCL|O_WRONLY|O_NOFOLLOW|"
			     "O_CLOEXEC, 0666)", path);

	snprintf(host, sizeof host, "/%s", path);       /* still the host's */
	if (fd < 0 || traced_mount(host, path, NULL, MS_BIND, NULL) < 0)
		fail(c->report_fd, EXIT_SETUP, errno, "bind %s", host);
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
		if (userns_on()) {
			bind_device(c, path);
			continue;
		}
		if (traced(mknod(path, S_IFCHR | 0666, makedev(devices[i].major,
			   devices[i].minor)), "mknod(\"%s\", S_IFCHR|0666, "
			   "makedev(%u, %u))", path, devices[i].major,
			   devices[i].minor) < 0)
			fail(c->report_fd, EXIT_SETUP, errno, "mknod /%s", path);
	}
	/* newinstance: the container's own set of pty numbers, invisible to
	 * the host's; ptmxmode=0666 so /dev/ptmx -> pts/ptmx opens.
	 * With -t the container opens its terminal from this /dev/ptmx
	 * (pty.c), so `tty` inside names a /dev/pts/N that exists here. */
	/* gid=5 (tty) only where it is mapped: a user namespace with one ID
	 * has no gid 5, and devpts refuses a gid it cannot map (EINVAL) */
	mount_in(c, "devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		 userns_gid_mapped(5) ? "newinstance,ptmxmode=0666,mode=0620,"
		 "gid=5" : "newinstance,ptmxmode=0666,mode=0620");
	/* -t: an empty file, the mount point on which pty.c binds the
	 * container's terminal as /dev/console (the OCI spec's console) */
	if (c->o->tty) {
		int fd = (int)traced(open("dev/console", O_CREAT | O_EXCL |
					  O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600),
				     "open(\"dev/console\", O_CREAT|O_EXCL|"
				     "O_WRONLY|O_NOFOLLOW|O_CLOEXEC, 0600)");
		if (fd < 0)
			fail(c->report_fd, EXIT_SETUP, errno, "create /dev/console");
		close(fd);
	}
	mount_shm(c);
	mount_mqueue(c);
	for (size_t i = 0; i < sizeof dev_links / sizeof dev_links[0]; i++) {
		char path[32];
		snprintf(path, sizeof path, "dev/%s", dev_links[i].name);
		if (traced(symlink(dev_links[i].target, path), "symlink(\"%s\", "
			   "\"%s\")", dev_links[i].target, path) < 0)
			fail(c->report_fd, EXIT_SETUP, errno, "symlink /%s", path);
	}
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
		if (traced(umount2(".", MNT_DETACH),
			   "umount2(\".\", MNT_DETACH)") < 0)
			fail(c->report_fd, EXIT_SETUP, errno, "detach the old root");
	} else if (errno == EINVAL) {
		/* / is the initramfs: it cannot be unmounted, so it cannot be
		 * pivoted.  Cover it with DIR and chroot into DIR. */
		ssize_t n = readlink("/proc/self/cwd", c->dir, sizeof c->dir - 1);

		c->dir[n > 0 ? n : 0] = '\0';
		if (mountinfo_each(detach_host_mount, c) < 0 ||
		    traced_mount(".", "/", NULL, MS_MOVE, NULL) < 0 ||
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

/*
 * Step 3: /sys.  A fresh sysfs shows the network devices of the network
 * namespace of whoever mounts it, and the kernel lets a user namespace
 * mount one only over a network namespace that namespace owns
 * (sysfs_get_tree(): EPERM otherwise; runc#3672).  So with a user
 * namespace and the host's network, the host's /sys is bound instead,
 * recursively (a non-recursive bind would reveal what a locked submount
 * hides: EINVAL) and read-only, keeping its locked flags (readonly.c).
 */
static void make_sys(const struct ctx *c)
{
	const struct run_opts *o = c->o;
	char at[40];
	int fd;

	if (!userns_on() || o->net == NET_NONE ||
	    (o->namespaces & CLONE_NEWNET)) {
		/* fresh, so these flags are the whole story: nothing to keep */
		mount_in(c, "sysfs", "sys", "sysfs", (o->privileged ? 0 :
			 MS_RDONLY) | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		return;
	}
	mount_in(c, "/sys", "sys", NULL, MS_BIND | MS_REC, NULL);
	fd = inroot_walk(&c->in, "sys", 3, S_IFDIR, NO_FOLLOW);
	if (read_only_recursive(fd_path(fd, at, sizeof at)) < 0)
		fail(c->report_fd, EXIT_SETUP, errno, "make /sys read-only in %s",
		     o->rootfs);
	close(fd);
}

/* Child, after the private remount: steps 1-6. */
void rootfs_enter(const struct run_opts *o, int report_fd)
{
	struct ctx c = { .o = o, .report_fd = report_fd };
	char what[300];
	mode_t umask_was = umask(0);    /* the modes below, exactly */

	if (traced_mount(o->rootfs, o->rootfs, NULL, MS_BIND | MS_REC,
			 NULL) < 0 ||
	    traced(chdir(o->rootfs), "chdir(\"%s\")", o->rootfs) < 0)
		fail(report_fd, EXIT_SETUP, errno, "rootfs %s", o->rootfs);
	c.in = (struct inroot){
		.root = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC),
		.name = o->rootfs, .report_fd = report_fd,
	};
	make_dev(&c);
	make_sys(&c);
	cgroupns_mount(o, report_fd);   /* private: its own /sys/fs/cgroup */
	mounts_make(&c.in, o);
	devnodes_make(&c.in, o);        /* linux.devices, after the mounts */
	/* A user namespace may mount proc only while its mount table holds a
	 * proc it sees whole (mnt_already_visible(), fs/namespace.c): the
	 * host's /proc, which switch_root detaches.  So here, before it. */
	if (userns_on())
		mount_in(&c, "proc", "proc", "proc", MS_NOSUID | MS_NODEV |
			 MS_NOEXEC, NULL);
	else
		close(inroot_walk(&c.in, "proc", 4, S_IFDIR, NO_FOLLOW));

	/* only DIR's own mount: volumes, /dev and /sys keep their flags */
	if (o->read_only && remount_read_only(".") < 0)
		fail(report_fd, EXIT_SETUP, errno, "make %s read-only",
		     o->rootfs);
	close(c.in.root);
	/* OCI: in the container's namespaces, before pivot_root (hooks.c) */
	if (hooks_child(o, HOOK_CREATE_CONTAINER, what, sizeof what) < 0)
		fail(report_fd, EXIT_SETUP, errno, "%s", what);
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
		return traced_mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL);
	return traced_mount("/dev/null", path, NULL, MS_BIND, NULL);
}

/* Bind path onto itself, then make that bind read-only, all the way
 * down, with /proc's nosuid, nodev and noexec kept (readonly.c). */
static int make_read_only(const char *path)
{
	if (traced_mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : -1;
	return read_only_recursive(path);
}

/* mask() found path, so ENOENT is the other side: the container's
 * /dev/null, gone under a volume or a --tmpfs on /dev. */
static _Noreturn void mask_failed(const char *path, int report_fd)
{
	if (errno == ENOENT)
		fail(report_fd, EXIT_SETUP, 0, "mask %s: the container's "
		     "/dev/null is missing (a volume or --tmpfs on /dev?)", path);
	fail(report_fd, EXIT_SETUP, errno, "mask %s", path);
}

/* Child, after /proc, hostname and lo, before exec: hide.  --privileged
 * hides nothing but config.json's own lists (docker's meaning). */
void rootfs_finish(const struct run_opts *o, int report_fd)
{
	for (size_t i = 0; !o->privileged &&
	     i < sizeof masked / sizeof masked[0]; i++)
		if (mask(masked[i]) < 0)
			mask_failed(masked[i], report_fd);
	for (int i = 0; i < o->nmasked; i++)    /* config.json's, on top */
		if (mask(o->masked[i]) < 0)
			mask_failed(o->masked[i], report_fd);
	for (size_t i = 0; !o->privileged &&
	     i < sizeof read_only / sizeof read_only[0]; i++)
		if (make_read_only(read_only[i]) < 0)
			fail(report_fd, EXIT_SETUP, errno, "make %s read-only",
			     read_only[i]);
	for (int i = 0; i < o->nro_paths; i++)
		if (make_read_only(o->ro_paths[i]) < 0)
			fail(report_fd, EXIT_SETUP, errno, "make %s read-only",
			     o->ro_paths[i]);
}
