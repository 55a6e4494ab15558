/*
 * userns_rootless.c - minictr run by an ordinary user: where its state
 * goes ($XDG_RUNTIME_DIR/minictr, as runc's and crun's), and the ids its
 * user namespace maps: its own uid and gid alone (setgroups denied; said
 * once), or with /etc/subuid and /etc/subgid lines and the setuid
 * helpers newuidmap(1) and newgidmap(1) the subordinate range too, as
 * podman does; and config.json's maps, which a user writes alone only
 * when they map just the user's own ids.
 * Man pages: user_namespaces(7), newuidmap(1), subuid(5).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "userns.h"

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
int user_range(const char *file, unsigned long id, unsigned long *start,
	       unsigned long *count)
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
void plan_rootless(void)
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
void plan_config(const struct run_opts *o)
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
