/*
 * devnodes.c - the device nodes config.json asks for (linux.devices):
 * what `docker run --device /dev/fuse` and Kubernetes' device plugins
 * send, {path, type c|b|u|p, major, minor, fileMode, uid, gid}, made
 * inside the root as runc makes them.
 *
 * In the child, once /dev and the container's own mounts are there
 * (rootfs.c), before pivot_root, for each entry in order:
 *   1. its directory, looked up inside DIR (inroot.c: a symlink on the
 *      way is followed inside DIR, never out of it), made 0755 where
 *      missing
 *   2. mknodat(2) of the node in that directory, fileMode | the type's
 *      bits (the umask is 0 there: the mode is exact), then fchownat(2)
 *      to uid and gid.  A name that is already there is left as it is,
 *      as runc leaves it (minictr's own /dev/null, a link such as
 *      /dev/ptmx: a privileged Kubernetes container lists them all)
 *   3. in a user namespace, the kernel refuses mknod(2) of a device
 *      whatever the capabilities: vfs_mknod() asks capable(CAP_MKNOD),
 *      of the initial namespace, since a node made there would reach the
 *      host's devices (and a tmpfs mounted there is nodev anyway:
 *      SB_I_NODEV); so the host's node at the same path is bound
 *      onto an empty file instead, as runc does, and not chowned (that
 *      would change the host's node).  A FIFO is made in any namespace.
 * Opening the node is then the device policy's to decide: config_devices.c
 * adds an allow rule for each node to it (cgroup_devices.c applies it).
 *
 * Man pages: mknod(2), chown(2), mount(2), user_namespaces(7).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "minictr.h"

static mode_t node_type(const struct ctr_device *d)
{
	return d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
}

/* The host's node at d->path, checked to be the device asked for, bound
 * onto an empty file name in dir. */
static void bind_node(const struct inroot *r, const struct ctr_device *d,
		      int dir, const char *name)
{
	char from[40], to[40];
	struct stat st;
	int src = open(d->path, O_PATH | O_CLOEXEC), fd;

	if (src < 0 || fstat(src, &st) < 0)
		fail(r->report_fd, EXIT_SETUP, errno, "linux.devices: the "
		     "host's %s, to bind in a user namespace", d->path);
	if ((st.st_mode & S_IFMT) != node_type(d) ||
	    st.st_rdev != makedev(d->major, d->minor))
		fail(r->report_fd, EXIT_SETUP, 0, "linux.devices: the host's "
		     "%s is not %c %u:%u (a user namespace binds it: no mknod)",
		     d->path, d->type, d->major, d->minor);
	fd = (int)traced(openat(dir, name, O_CREAT | O_EXCL | O_WRONLY |
				O_NOFOLLOW | O_CLOEXEC, 0666),
			 "openat(%d, \"%s\", O_CREAT|O_EXCL|O_WRONLY|"
			 "O_NOFOLLOW|O_CLOEXEC, 0666)", dir, name);
	if (fd < 0 && errno == EEXIST)
		return (void)close(src);
	if (fd < 0 || traced_mount(fd_path(src, from, sizeof from),
				   fd_path(fd, to, sizeof to), NULL, MS_BIND,
				   NULL) < 0)
		fail(r->report_fd, EXIT_SETUP, errno, "linux.devices: bind %s",
		     d->path);
	close(fd);
	close(src);
}

/* One node: made, owned, or (user namespace) bound; see the top. */
static void make_node(const struct inroot *r, const struct ctr_device *d)
{
	const char *name = strrchr(d->path, '/') + 1;
	int dir = inroot_walk(r, d->path, (int)(name - d->path), S_IFDIR,
			      FOLLOW);
	mode_t mode = node_type(d) | d->mode;

	if (d->type != 'p' && userns_on()) {
		bind_node(r, d, dir, name);
		return (void)close(dir);
	}
	if (traced(mknodat(dir, name, mode, makedev(d->major, d->minor)),
		   "mknodat(%d, \"%s\", %s|0%o, makedev(%u, %u))", dir, name,
		   d->type == 'b' ? "S_IFBLK" : d->type == 'p' ? "S_IFIFO" :
		   "S_IFCHR", d->mode, d->major, d->minor) < 0) {
		if (errno != EEXIST)
			fail(r->report_fd, EXIT_SETUP, errno, "linux.devices: "
			     "mknod %s", d->path);
		trace("%s is there already: left as it is", d->path);
	} else if (traced(fchownat(dir, name, d->uid, d->gid,
				   AT_SYMLINK_NOFOLLOW),
			  "fchownat(%d, \"%s\", %u, %u, AT_SYMLINK_NOFOLLOW)",
			  dir, name, d->uid, d->gid) < 0) {
		fail(r->report_fd, EXIT_SETUP, errno, "linux.devices: chown %s",
		     d->path);
	}
	close(dir);
}

/* Child, in DIR, after the container's mounts: each linux.devices node. */
void devnodes_make(const struct inroot *r, const struct run_opts *o)
{
	for (int i = 0; i < o->ndev_nodes; i++)
		make_node(r, &o->dev_nodes[i]);
}
