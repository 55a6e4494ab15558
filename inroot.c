/*
 * inroot.c - paths inside DIR that never lead out of it.
 *
 * DIR is the container's, and so is every symlink in it: a "proc -> /proc"
 * or a volume target "etc -> /etc" followed as the host follows it would
 * make minictr mount over the host's own files.  openat2(2) with
 * RESOLVE_IN_ROOT (Linux 5.6) resolves a path as if DIR were /: an
 * absolute link starts at DIR, and ".." stops at DIR, so a lookup can
 * never resolve outside it, whatever the links say (this is what runc and
 * docker do for a volume target, with the same result).
 *
 *   FOLLOW     a volume, --tmpfs or /etc file target: a symlink is followed
 *              inside DIR, so `-v /etc/localtime:/etc/localtime` on a
 *              Debian root lands on DIR/usr/share/zoneinfo/Etc/UTC, and
 *              what is missing is created where the link points
 *   NO_FOLLOW  the skeleton (dev, sys, proc): a symlink is refused, since
 *              /dev is then filled by plain paths under it
 *
 * Before 5.6 there is no safe way to follow a link inside DIR, so a walk
 * with O_NOFOLLOW refuses every symlink on the way, and says why.  The
 * caller mounts through /proc/self/fd/N of the fd returned: the very
 * directory checked, not a path looked up again.
 *
 * Man pages: openat2(2), path_resolution(7), symlink(7), readlinkat(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

/* linux/openat2.h, which musl's headers do not carry */
struct open_how {
	unsigned long long flags, mode, resolve;
};
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT 0x10
#define MAX_HOPS 40             /* the kernel's MAXSYMLINKS */

static int no_openat2;          /* ENOSYS once: Linux before 5.6 */

/* "/proc/self/fd/N": a path that is exactly the file behind fd. */
const char *fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	return buf;
}

/* One step of a walk: prefix (the path so far) inside root, or name in
 * parent on kernels without openat2. */
static int step(const struct inroot *r, int parent, const char *prefix,
		const char *name, int nofollow)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = -1;

	if (!no_openat2)
		fd = (int)syscall(SYS_openat2, r->root, prefix, &how,
				  sizeof how);
	if (no_openat2 || (fd < 0 && errno == ENOSYS)) {
		no_openat2 = 1;         /* before 5.6: refuse every symlink */
		fd = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	return fd;
}

/* Create name in parent: a directory, or an empty file for a file volume. */
static int create(int parent, const char *prefix, const char *name,
		  mode_t type)
{
	int fd;

	trace("creating %s in the rootfs%s", prefix,
	      type == S_IFDIR ? "" : " (an empty file)");
	if (type == S_IFDIR)
		return mkdirat(parent, name, 0755);
	fd = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC |
		    O_NOFOLLOW, 0644);
	return fd < 0 ? -1 : close(fd);
}

/*
 * A dangling symlink at name in parent (ENOENT from the lookup): the path
 * to walk instead, its target in place of prefix, rest appended.  A
 * relative target is relative to the link's directory (before, the first
 * dir_len bytes of the path).  RESOLVE_IN_ROOT keeps ".." and "/" in it
 * inside DIR.  0, or -1 when name is no symlink.
 */
static int relink(int parent, const char *name, const char *path,
		  int dir_len, const char *rest, int rest_len, char *out)
{
	char link[PATH_MAX];
	ssize_t n = readlinkat(parent, name, link, sizeof link - 1);

	if (n < 0)
		return -1;
	link[n] = '\0';
	if (link[0] == '/')
		dir_len = 0;
	n = snprintf(out, PATH_MAX, "%.*s/%.*s/%.*s", dir_len, path,
		     (int)n, link, rest_len, rest);
	if (n >= PATH_MAX)
		errno = ENAMETOOLONG;
	return n < PATH_MAX ? 0 : -1;
}

/* Where and why a walk stopped. */
struct walk_stop {
	char where[PATH_MAX];   /* the path up to the component that failed */
	int err;                /* its errno; 0 when it is a refused symlink */
};

static int stopped(struct walk_stop *s, const char *where, int err, int fd1,
		   int fd2)
{
	snprintf(s->where, sizeof s->where, "%s", where);
	s->err = err;
	if (fd1 >= 0)
		close(fd1);
	if (fd2 >= 0)
		close(fd2);
	return -1;
}

/*
 * An O_PATH fd of path (len bytes) inside the root, creating what is
 * missing: directories on the way, then type for the last component.
 */
static int walk(const struct inroot *r, const char *path, int len,
		mode_t type, int follow, struct walk_stop *s)
{
	char prefix[PATH_MAX], name[NAME_MAX + 1], want[PATH_MAX];
	int parent = fcntl(r->root, F_DUPFD_CLOEXEC, 3), i = 0, fd, hops = 0;
	struct stat st;

	snprintf(want, sizeof want, "%.*s", len, path);
	path = want;
	len = (int)strlen(want);
	while (i < len && parent >= 0) {
		int start, end, last;

		while (i < len && path[i] == '/')
			i++;
		for (start = i; i < len && path[i] != '/'; i++)
			;
		for (end = i; end < len && path[end] == '/'; end++)
			;
		if (i == start)
			break;          /* a trailing slash */
		last = (end == len);
		snprintf(name, sizeof name, "%.*s", i - start, path + start);
		snprintf(prefix, sizeof prefix, "%.*s", i, path);
		fd = step(r, parent, prefix, name, last && !follow);
		if (fd < 0 && errno == ENOENT && follow && !no_openat2 &&
		    relink(parent, name, path, start, path + end, len - end,
			   prefix) == 0) {
			/* dangling: walk the path the link names, from / */
			if (++hops > MAX_HOPS)
				return stopped(s, path, ELOOP, parent, -1);
			trace("following the symbolic link %.*s inside the "
			      "rootfs: %s", i, path, prefix);
			snprintf(want, sizeof want, "%s", prefix);
			len = (int)strlen(want);
			close(parent);
			parent = fcntl(r->root, F_DUPFD_CLOEXEC, 3);
			i = 0;
			continue;
		}
		if (fd < 0 && errno == ENOENT &&
		    create(parent, prefix, name, last ? type : S_IFDIR) == 0)
			fd = step(r, parent, prefix, name, last && !follow);
		if (fd < 0 || fstat(fd, &st) < 0)
			return stopped(s, prefix, errno, parent, fd);
		if (S_ISLNK(st.st_mode))
			return stopped(s, prefix, 0, parent, fd);
		close(parent);
		parent = fd;
		i = end;
	}
	return parent;
}

/* The walk, or one line and 125 if it cannot be done. */
int inroot_walk(const struct inroot *r, const char *path, int len,
		mode_t type, int follow)
{
	struct walk_stop s;
	int fd = walk(r, path, len, type, follow, &s);

	if (fd >= 0)
		return fd;
	if (s.err)
		fail(r->report_fd, EXIT_SETUP, s.err, "%s in %s", s.where,
		     r->name);
	fail(r->report_fd, EXIT_SETUP, 0, "%s in %s is a symbolic link: "
	     "refused%s", s.where, r->name, no_openat2 ? " (following it "
	     "inside the root needs openat2, Linux 5.6)" : "");
}

/* The walk, or -1 with errno (ELOOP for a refused symlink). */
int inroot_try_walk(const struct inroot *r, const char *path, int len,
		    mode_t type, int follow)
{
	struct walk_stop s;
	int fd = walk(r, path, len, type, follow, &s);

	if (fd < 0)
		errno = s.err ? s.err : ELOOP;
	return fd;
}
