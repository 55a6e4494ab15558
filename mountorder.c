/*
 * mountorder.c - the order of the mounts minictr makes inside the root:
 * a parent before anything beneath it, whatever order the options came in.
 *
 * `-v B:/data/sub -v A:/data`, mounted as given, puts A over /data after
 * B was mounted on /data/sub: B is then hidden under A, and /data/sub is
 * A's own (maybe missing) directory.  Docker sorts its mounts by the
 * number of components of the cleaned destination ("/data" has 1,
 * "/data/sub" 2), so a parent always comes first; that is what this does,
 * for every mount of the container's own content: volumes, --tmpfs and the
 * generated /etc files.  The sort is stable: mounts with the same depth
 * keep the order of the list, so for the same destination the last one
 * given ends on top, and a user's -v ...:/etc/hosts, listed after the
 * generated file, wins over it.  (/dev, /sys and /proc are the fixed
 * skeleton, made before this list.)
 *
 * A pure function, checked as a table by test/unit_units.c.
 * Man pages: mount_namespaces(7) (mounts stack), docker-run(1) (-v).
 */
#include "minictr.h"

/* The components of path (len bytes) that name something: "//a/./b/" is
 * 2 ("a", "b").  ".." is refused by the parsers before it gets here. */
int mount_depth(const char *path, int len)
{
	int depth = 0;

	for (int i = 0; i < len;) {
		int start = i;

		while (i < len && path[i] != '/')
			i++;
		if (i - start > 0 && !(i - start == 1 && path[start] == '.'))
			depth++;
		while (i < len && path[i] == '/')
			i++;
	}
	return depth;
}

/* Stable insertion sort by depth: a handful of mounts, no allocation. */
void mount_sort(struct ctr_mount *m, int n)
{
	for (int i = 1; i < n; i++) {
		struct ctr_mount key = m[i];
		int depth = mount_depth(key.target, key.target_len), j = i;

		for (; j > 0 && mount_depth(m[j - 1].target,
					    m[j - 1].target_len) > depth; j--)
			m[j] = m[j - 1];
		m[j] = key;
	}
}
