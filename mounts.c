/*
 * mounts.c - the container's own mounts inside the root: each -v, each
 * --tmpfs and the generated /etc files (etcfiles.c), as one list; with a
 * bundle, config.json's binds and tmpfs mounts join it (config_mounts.c).
 *
 * In the child, after the skeleton (/dev, /sys) and before pivot_root:
 *   1. the list: the /etc files first, then the volumes, then the tmpfs
 *      mounts, each kind in the order given
 *   2. sorted by destination, parents first (mountorder.c), so the
 *      command line's order never hides one mount under another
 *   3. each target looked up inside DIR, following symlinks there and
 *      creating what is missing (inroot.c); then the mount, through
 *      /proc/self/fd/N of the fd checked
 *   4. a bind: mount(2) MS_BIND|MS_REC; with :ro, read-only all the way
 *      down with each mount's own flags kept (readonly.c).  A tmpfs:
 *      mount(2) "tmpfs" with --tmpfs's flags, size= and mode=.
 *
 * Man pages: mount(2), mount_namespaces(7), tmpfs(5), docker-run(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

/*
 * The target of m, looked up inside the root (type: what to create if it
 * is missing), or -1 (errno) for a generated file that has no mount point
 * and cannot get one.  A target that resolves to DIR's / itself, through
 * a link such as "up -> ../..", is refused: it would replace the root.
 */
static int target_fd(const struct inroot *r, const struct ctr_mount *m,
		     mode_t type)
{
	int fd = inroot_try_walk(r, m->target, m->target_len, type, FOLLOW);
	struct stat st, root;

	if (fd < 0 && m->optional && errno == EROFS)
		return -1;
	if (fd < 0)             /* again, for its one line and 125 */
		fd = inroot_walk(r, m->target, m->target_len, type, FOLLOW);
	if (fstat(fd, &st) == 0 && fstat(r->root, &root) == 0 &&
	    st.st_dev == root.st_dev && st.st_ino == root.st_ino)
		fail(r->report_fd, EXIT_SETUP, 0, "%s: %.*s is / in %s: "
		     "refused", m->spec, m->target_len, m->target, r->name);
	return fd;
}

/* A bind: HOST (a volume, or a generated file) onto its target. */
static void mount_bind(const struct inroot *r, const struct ctr_mount *m)
{
	char host[PATH_MAX], from[40], to[40], at[PATH_MAX];
	struct stat st;
	mode_t type;
	ssize_t n;
	int src, dst;

	snprintf(host, sizeof host, "%.*s", m->source_len, m->source);
	src = open(host, O_PATH | O_CLOEXEC);
	if (src < 0 || fstat(src, &st) < 0)
		fail(r->report_fd, EXIT_SETUP, errno, "volume %s", host);
	type = S_ISDIR(st.st_mode) ? S_IFDIR : S_IFREG;
	dst = target_fd(r, m, type);
	if (dst < 0) {
		trace("%s: no mount point, and none can be made there "
		      "(read-only): not generated", m->spec);
		close(src);
		return;
	}
	n = readlink(fd_path(dst, to, sizeof to), at, sizeof at - 1);
	at[n > 0 ? n : 0] = '\0';
	trace("%s: /proc/self/fd/%d is %s, /proc/self/fd/%d is %s", m->spec,
	      src, host, dst, at);
	if (traced_mount(fd_path(src, from, sizeof from), to, NULL,
			 MS_BIND | (m->single ? 0 : MS_REC), NULL) < 0)
		fail(r->report_fd, EXIT_SETUP, errno, "volume %s", m->spec);
	close(dst);
	close(src);
	if (!m->ro && !m->flags)
		return;
	/* The old fd names the directory under the new mount: look the
	 * target up again, to name the mount itself. */
	dst = inroot_walk(r, m->target, m->target_len, S_IFDIR, FOLLOW);
	fd_path(dst, to, sizeof to);
	/* config.json's nosuid, nodev, noexec: a bind takes flags only by
	 * a remount (readonly.c), which must repeat the ones it has */
	if (m->flags && traced_mount(NULL, to, NULL, MS_REMOUNT | MS_BIND |
				     m->flags | kept_flags(to), NULL) < 0)
		fail(r->report_fd, EXIT_SETUP, errno, "%s: remount", m->spec);
	if (m->ro && read_only_recursive(to) < 0)
		fail(r->report_fd, EXIT_SETUP, errno, "volume %s: make it "
		     "read-only", m->spec);
	close(dst);
}

/* A --tmpfs: a fresh tmpfs, flags and options as parsed. */
static void mount_tmpfs(const struct inroot *r, const struct ctr_mount *m)
{
	const struct tmpfs_spec *t = &m->tmpfs;
	char data[64] = "", to[40];
	int n = 0, dst;

	if (t->size >= 0)
		n = snprintf(data, sizeof data, "size=%lld", t->size);
	if (t->mode >= 0)
		snprintf(data + n, sizeof data - (size_t)n, "%smode=%04o",
			 n ? "," : "", t->mode);
	dst = target_fd(r, m, S_IFDIR);
	if (traced_mount("tmpfs", fd_path(dst, to, sizeof to), "tmpfs",
			 t->flags, data[0] ? data : NULL) < 0)
		fail(r->report_fd, EXIT_SETUP, errno, "tmpfs %s", m->spec);
	close(dst);
}

/* Child, inside the bind of DIR: steps 1-4. */
void mounts_make(const struct inroot *r, const struct run_opts *o)
{
	struct ctr_mount list[3 + o->nvolumes + o->ntmpfs + o->nmounts];
	int n = etcfiles_mounts(list);          /* 3: /etc */

	for (int i = 0; i < o->nvolumes; i++, n++) {
		struct volume v;

		volume_split(o->volumes[i], &v);        /* checked by args.c */
		list[n] = (struct ctr_mount){
			.kind = MOUNT_BIND, .source = v.host,
			.source_len = v.host_len, .target = v.target,
			.target_len = v.target_len, .ro = v.ro,
			.spec = o->volumes[i],
		};
	}
	for (int i = 0; i < o->ntmpfs; i++, n++) {
		list[n] = (struct ctr_mount){
			.kind = MOUNT_TMPFS, .spec = o->tmpfs[i],
		};
		tmpfs_split(o->tmpfs[i], &list[n].tmpfs);
		list[n].target = list[n].tmpfs.target;
		list[n].target_len = list[n].tmpfs.target_len;
	}
	for (int i = 0; i < o->nmounts; i++)    /* config.json's, parsed */
		list[n++] = o->mounts[i];
	mount_sort(list, n);
	for (int i = 0; i < n; i++) {
		if (list[i].kind == MOUNT_BIND)
			mount_bind(r, &list[i]);
		else
			mount_tmpfs(r, &list[i]);
	}
}
