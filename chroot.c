/*
 * chroot.c - minictr run in a chroot, where / is not a mount point.
 *
 * On a board or a rescue system, `unshare -m chroot DIR minictr run ...`
 * leaves minictr with a / that is only a directory of some mount X.  The
 * kernel changes propagation, and pivot_root(2)s, only at the root of a
 * mount, so init.c's first step, making / private, says EINVAL.
 *
 * The obvious repair, binding DIR onto itself, is the dangerous one: if X
 * is shared (systemd makes every mount shared; `unshare -m` does not
 * always undo it), that new mount propagates to X's peers, the host's
 * mount table among them.  And X's propagation cannot be seen or changed
 * from inside the chroot: X's mount point is outside it, so it is not in
 * /proc/self/mountinfo, and a mount is changed by naming its root.
 *
 * So, in the child, which has its own mount namespace (a copy):
 *   1. open_tree(2) a copy of DIR, detached; chroot(2) into it: DIR, the
 *      directory, is now outside our root ...
 *   2. ... so chdir("..") from DIR climbs up to our namespace's real root,
 *      where chroot(".") puts us, and mount(MS_REC|MS_PRIVATE) on / makes
 *      every mount of our namespace private: from here nothing we mount
 *      can reach another namespace (a propagation change never
 *      propagates; it only cuts the links of our copy);
 *   3. open_tree(2) a second copy of DIR, private since X now is, and
 *      move_mount(2) it onto DIR: DIR is a mount point, in our namespace
 *      only; chroot(2) into it, and go back to the working directory.
 * The container then sees DIR as before, and init.c goes on as usual.
 * Needs open_tree(2) and move_mount(2) (Linux 5.2); on older kernels the
 * error line says what to do instead.
 * Man pages: mount_namespaces(7), chroot(2), open_tree(2), move_mount(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

/* linux/mount.h, which musl's headers do not carry */
#define OPEN_TREE_CLONE          1
#define MOVE_MOUNT_F_EMPTY_PATH  0x00000004
#define MOVE_MOUNT_T_EMPTY_PATH  0x00000040
#ifndef AT_RECURSIVE
#define AT_RECURSIVE             0x8000
#endif

/* A detached copy of dir's mount subtree (a bind mount not yet placed). */
static int copy_tree(int dir)
{
	return (int)traced(syscall(SYS_open_tree, dir, "", OPEN_TREE_CLONE |
				   AT_RECURSIVE | AT_EMPTY_PATH | O_CLOEXEC),
			   "open_tree(%d, \"\", OPEN_TREE_CLONE|AT_RECURSIVE|"
			   "AT_EMPTY_PATH|O_CLOEXEC)", dir);
}

/* Make the directory fd our root (and working directory). */
static int enter(int fd)
{
	if (traced(fchdir(fd), "fchdir(%d)", fd) < 0)
		return -1;
	return (int)traced(chroot("."), "chroot(\".\")");
}

/* From a working directory outside our root: up to the namespace's own
 * root, the one directory that is its own "..". */
static int climb_to_namespace_root(void)
{
	struct stat here, up;

	trace("up with chdir(\"..\") until \".\" is \"..\": the namespace's "
	      "own root");
	for (int i = 0; i < PATH_MAX; i++) {
		if (stat(".", &here) < 0 || stat("..", &up) < 0)
			return -1;
		if (here.st_dev == up.st_dev && here.st_ino == up.st_ino)
			return (int)traced(chroot("."), "chroot(\".\")");
		if (chdir("..") < 0)
			return -1;
	}
	errno = ELOOP;
	return -1;
}

/* Steps 1-3 above; -1 with errno when one fails. */
static int make_root_mount(int dir, const char *cwd)
{
	int tmp = copy_tree(dir), copy;

	if (tmp < 0 || enter(tmp) < 0 || fchdir(dir) < 0)
		return -1;
	close(tmp);
	if (climb_to_namespace_root() < 0 ||
	    traced_mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	copy = copy_tree(dir);
	if (copy < 0 ||
	    traced(syscall(SYS_move_mount, copy, "", dir, "",
			   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH),
		   "move_mount(%d, \"\", %d, \"\", MOVE_MOUNT_F_EMPTY_PATH|"
		   "MOVE_MOUNT_T_EMPTY_PATH)", copy, dir) < 0 ||
	    enter(copy) < 0)
		return -1;
	close(copy);
	if (chdir(cwd) < 0 && chdir("/") < 0)
		return -1;
	return 0;
}

/*
 * Child, when making / private said EINVAL: make / a mount point of our
 * namespace, safely, or fail with a line that says why in the user's words.
 */
void root_mount_point(int report_fd)
{
	char cwd[PATH_MAX] = "/";
	int dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	trace("/ is not a mount point (a chroot?): making it one");
	if (!getcwd(cwd, sizeof cwd))
		strcpy(cwd, "/");
	if (dir < 0 || make_root_mount(dir, cwd) < 0)
		fail(report_fd, EXIT_SETUP, errno, "/ is not a mount point "
		     "(minictr runs in a chroot?) and cannot be made one%s",
		     errno == ENOSYS ? " before Linux 5.2 (open_tree): run "
		     "minictr outside the chroot with --rootfs DIR, or "
		     "'mount --bind DIR DIR' before chroot" : "");
	close(dir);
}
