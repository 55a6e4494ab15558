/*
 * userns_auto.c - root's --userns=auto: the container's root is nobody
 * outside, a slice of AUTO_IDS ids of root's own /etc/subuid and
 * /etc/subgid ranges that no running process's user namespace maps yet
 * (podman's word and size).  Two minictr choosing at once would both see
 * the same slice free: a lock is held from the choice until the slice is
 * in the child's uid_map, where the next chooser looks.
 * Man pages: user_namespaces(7), subuid(5), flock(2), proc(5) (uid_map).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "userns.h"

#define AUTO_IDS 65536          /* --userns=auto: podman's default size */

int auto_lock = -1;             /* --userns=auto's, until mapped (not in
				 * us: an initialised us is 9k of .data) */

/* Does a line of this uid_map map host ids in [start, start+n)?  (The
 * host's own "0 0 4294967295" is not a container's.) */
static int map_overlaps(const char *map, unsigned long start, unsigned long n)
{
	for (const char *l = map; *l; l += strcspn(l, "\n"), l += !!*l) {
		char *p;
		unsigned long out, cnt;
		strtoul(l, &p, 10);             /* inside */
		out = strtoul(p, &p, 10);
		cnt = strtoul(p, &p, 10);
		if (cnt && cnt != 4294967295UL && out < start + n &&
		    start < out + cnt)
			return 1;
	}
	return 0;
}

/* Is some process's user namespace mapping [start, start+n) already? */
static int range_in_use(unsigned long start, unsigned long n)
{
	char map[4096], dir[64];
	struct subdirs d;
	const char *pid;
	int used = 0;

	if (subdirs_open(&d, "/proc") < 0)
		return 0;
	while (!used && (pid = subdirs_next(&d))) {
		snprintf(dir, sizeof dir, "/proc/%s", pid);
		used = read_text(dir, "uid_map", map, sizeof map) == 0 &&
		       map_overlaps(map, start, n);
	}
	subdirs_close(&d);
	return used;
}

/*
 * --userns=auto: held from the choice of a slice until the slice is in
 * the child's uid_map, where the next chooser's range_in_use() looks;
 * without it two minictr starting together both see the same slice free
 * (podman keeps a lock file too).  The ranges are the host's, so is the
 * lock: one file in root's runtime directory, whatever --root says.  It
 * is flock(2)'s, on the open file: the child closes its copy first
 * thing (userns_wait), or the lock would last as long as its init.
 */
static void lock_auto(void)
{
	const char *path = "/run/minictr/userns-auto.lock";

	state_make_root("/run/minictr");
	auto_lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (auto_lock < 0 || traced(flock(auto_lock, LOCK_EX),
				  "flock(%d, LOCK_EX)", auto_lock) < 0)
		die("--userns=auto: lock %s", path);
}

/*
 * --userns=auto: the first slice of AUTO_IDS ids of root's /etc/subuid
 * range that no running process's namespace maps; gids likewise from
 * /etc/subgid.  None is created on the host: without a line for root,
 * exit 125.
 */
void plan_auto(void)
{
	unsigned long s, n, gs, gn, k;

	if (user_range("/etc/subuid", 0, &s, &n) < 0 ||
	    user_range("/etc/subgid", 0, &gs, &gn) < 0) {
		error_line(0, "--userns=auto: root has no range in /etc/subuid "
			   "and /etc/subgid (add a line root:START:COUNT to "
			   "each, as useradd does for users)");
		exit(EXIT_SETUP);
	}
	lock_auto();
	for (unsigned long off = 0; off < n && off < gn; off += AUTO_IDS) {
		k = n - off < AUTO_IDS ? n - off : AUTO_IDS;
		if (k > gn - off)
			k = gn - off;
		if (!range_in_use(s + off, k)) {
			map_add(&us.uid, 0, s + off, k);
			map_add(&us.gid, 0, gs + off, k);
			return;
		}
	}
	error_line(0, "--userns=auto: every slice of %lu ids of root's range "
		   "%lu:%lu in /etc/subuid is in use", (unsigned long)AUTO_IDS,
		   s, n);
	exit(EXIT_SETUP);
}
