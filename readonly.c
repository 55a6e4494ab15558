/*
 * readonly.c - read-only, all the way down, keeping the flags a mount had.
 *
 * A bind mount ignores MS_RDONLY: it becomes read-only by a second call,
 * mount(2) with MS_REMOUNT|MS_BIND|MS_RDONLY.  That call sets the mount's
 * flags to exactly the ones it is given, so a remount that names only
 * MS_RDONLY drops the nosuid, nodev and noexec the source had: a volume
 * from a nodev filesystem would let a device node in it work inside
 * (there is no device cgroup).  So every read-only remount repeats the
 * flags statvfs(3) reports for the mount (f_flag).  The kernel demands
 * this too once a user namespace is involved: flags a more privileged
 * namespace set are locked there, and a remount that would clear one
 * fails with EPERM (mount_namespaces(7), "restrictions on mount
 * namespaces").
 *
 * And one remount changes one mount, not the submounts a recursive bind
 * brought along: `touch /vol/sub/x` would still work through a `:ro`
 * volume whose source has a mount at sub.  mount_setattr(2) (Linux 5.12)
 * with AT_RECURSIVE sets MOUNT_ATTR_RDONLY on the whole tree at once and
 * leaves every other flag of each mount as it was (docker 25 does this).
 * Before 5.12 (ENOSYS), the tree is walked in /proc/self/mountinfo and
 * each mount remounted read-only with its own flags: the same result, one
 * mount at a time.
 *
 * Man pages: mount_setattr(2), mount(2), statvfs(3), mount_namespaces(7).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

/* linux/mount.h, which musl's headers do not carry */
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442   /* the same number on every architecture */
#endif
struct mount_attr {
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};
#define MOUNT_ATTR_RDONLY 0x00000001
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* statvfs's ST_* flag and the MS_* flag a remount must repeat for it */
static const struct { unsigned long st, ms; } kept[] = {
	{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
	{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
	{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
};

/* The MS_* flags the mount at path has, that a remount must keep. */
unsigned long kept_flags(const char *path)
{
	struct statvfs sv;
	unsigned long flags = 0;

	if (statvfs(path, &sv) < 0)
		return 0;
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (sv.f_flag & kept[i].st)
			flags |= kept[i].ms;
	return flags;
}

/* The one mount at path (a bind) becomes read-only, its flags kept. */
int remount_read_only(const char *path)
{
	return traced_mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY |
			    kept_flags(path), NULL);
}

/* The fallback's walk: each mount at or below the root of the tree. */
struct tree {
	char root[PATH_MAX];
	int failed;
};

static void remount_one(const struct mount_entry *m, void *arg)
{
	struct tree *t = arg;
	size_t len = strlen(t->root);

	if (strncmp(m->point, t->root, len) != 0 ||
	    (m->point[len] != '/' && m->point[len] != '\0'))
		return;
	if (remount_read_only(m->point) < 0 && !t->failed)
		t->failed = errno;
}

/* The mount at path and every mount beneath it become read-only. */
int read_only_recursive(const char *path)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	struct tree t = { .failed = 0 };
	long ret = syscall(SYS_mount_setattr, AT_FDCWD, path, AT_RECURSIVE,
			   &attr, sizeof attr);
	ssize_t n;

	if (traced(ret, "mount_setattr(AT_FDCWD, \"%s\", AT_RECURSIVE, "
		   "{.attr_set = MOUNT_ATTR_RDONLY}, %zu)", path, sizeof attr) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	/* before 5.12: the mounts of the tree, by the name the mount table
	 * gives them (path may be a /proc/self/fd/N link) */
	n = readlink(path, t.root, sizeof t.root - 1);
	if (n < 0 && errno == EINVAL)   /* not a link: path is the name */
		n = (ssize_t)strlen(strncpy(t.root, path, sizeof t.root - 1));
	if (n < 0)
		return -1;
	t.root[n] = '\0';
	trace("mount_setattr(2) is missing (Linux < 5.12): remounting each "
	      "mount under %s read-only", t.root);
	if (mountinfo_each(remount_one, &t) < 0)
		return -1;
	errno = t.failed;
	return t.failed ? -1 : 0;
}
