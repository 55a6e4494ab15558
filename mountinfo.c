/*
 * mountinfo.c - reading the mount table, /proc/self/mountinfo, one mount
 * at a time.  cgroup_find.c finds the cgroup hierarchies in it; rootfs.c finds
 * the host's /proc and /sys mounts to detach when pivot_root cannot work;
 * readonly.c, the submounts of a read-only volume before Linux 5.12.
 *
 * A line (proc(5)):
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   id parent dev root POINT options [optional...] - FSTYPE source SUPER-OPTIONS
 * The optional fields vary in number, so the fields after them are found
 * from the lone "-".  Spaces, tabs, newlines and backslashes in a path are
 * written as octal escapes (\040) and decoded here.
 *
 * Plain read(2) into a buffer on the stack: nothing to allocate or free,
 * in the parent or in the child of the raw clone (rootfs.c).
 *
 * read_text() reads any such small kernel file the same way (the status
 * of a process, a cgroup's files), and subdirs_next() lists the
 * subdirectories of one (the pids in /proc, the cgroups in a cgroup) with
 * getdents64(2) into a buffer of the caller's: opendir(3) would allocate,
 * and closedir(3)'s free() alone brings 5 KB of musl's malloc.
 *
 * Its companion table, /proc/self/cgroup, says where in each cgroup
 * hierarchy this process is; cgroup_path() reads one line of it, as a
 * pure function (test/unit_mountinfo.c): which cgroup, below which mount.
 * cgroup_systemd_path() turns systemd's name for a container's cgroup
 * (--systemd-cgroup's "slice:prefix:name") into the path systemd gives
 * it in every hierarchy (systemd.slice(5)), another pure function.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

/* "\040" -> ' ', in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
					(s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* Split one line into its fields and call fn; malformed lines are skipped. */
static void parse_line(char *line, mount_fn fn, void *arg)
{
	char *field[32];
	int n = 0, dash = -1;

	for (char *p = line; *p && n < 32; n++) {
		if (dash < 0 && n > 5 && p[0] == '-' && p[1] == ' ')
			dash = n;
		field[n] = p;
		p += strcspn(p, " ");
		if (*p)
			*p++ = '\0';
	}
	if (dash < 0 || dash + 3 >= n)
		return;
	struct mount_entry m = {
		.root = field[3], .point = field[4], .fstype = field[dash + 1],
		.options = field[dash + 3],
	};
	unescape(m.root);
	unescape(m.point);
	fn(&m, arg);
}

/* Call fn(entry, arg) for each mount of our mount namespace, in order. */
int mountinfo_each(mount_fn fn, void *arg)
{
	char buf[4096];
	size_t have = 0;
	ssize_t n;
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + have, sizeof buf - 1 - have)) > 0) {
		char *line = buf, *nl;

		have += (size_t)n;
		buf[have] = '\0';
		for (; (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = '\0';
			parse_line(line, fn, arg);
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof buf - 1)
			have = 0;       /* a line longer than 4 KiB: skipped */
	}
	close(fd);
	return n < 0 ? -1 : 0;
}

/* item is one of the comma-separated words of list ("memory" in
 * "rw,memory"); item ends at len. */
static int has_item(const char *list, const char *item, size_t len)
{
	for (const char *p = list; *p; p += strcspn(p, ","), p += !!*p)
		if (strncmp(p, item, len) == 0 && (p[len] == ',' || !p[len]))
			return 1;
	return 0;
}

/*
 * /proc/self/cgroup (cgroups(7)) has a line "ID:CONTROLLERS:PATH" per
 * hierarchy: v1 ones named by their controllers or name= ("4:memory:/a",
 * "1:name=systemd:/"), v2 as "0::/a".  For the hierarchy mounted with
 * options (mountinfo's super options, "rw,memory"; v2: any) and root
 * (mountinfo's 4th field: the part of the hierarchy mounted there), put
 * in out the path of this process's cgroup below the mount point: "" for
 * the mount's top, "/a/b" below it.  0, or -1 when no line names the
 * hierarchy, the path is outside root, or out is too small.
 */
int cgroup_path(const char *self, const char *options, int v2,
		const char *root, char *out, size_t len)
{
	size_t skip = strcmp(root, "/") ? strlen(root) : 0;

	for (const char *p = self; *p; p += strcspn(p, "\n"), p += !!*p) {
		const char *list = p + strcspn(p, ":\n"), *path;
		size_t n;

		if (*list != ':')
			continue;
		list++;
		path = list + strcspn(list, ":\n");
		if (*path++ != ':')
			continue;
		if (v2 ? strncmp(p, "0::", 3) != 0 :
			 (list == path - 1 ||
			  !has_item(options, list, strcspn(list, ",:"))))
			continue;
		n = strcspn(path, "\n");
		if (n < skip || strncmp(path, root, skip) != 0 ||
		    (n > skip && path[skip] != '/'))
			return -1;
		path += skip;
		n -= skip;
		if (n == 1 && path[0] == '/')
			n = 0;          /* the mount's top */
		if (n >= len)
			return -1;
		memcpy(out, path, n);
		out[n] = '\0';
		return 0;
	}
	return -1;
}

/* Append "/a.slice/a-b.slice" for the slice "a-b.slice", n bytes
 * (systemd.slice(5): each dash is a level; "-.slice" is the root).
 * NULL, or why not. */
static const char *expand_slice(const char *slice, size_t n, char *out,
				size_t len, size_t *at)
{
	size_t base = n - 6;    /* without ".slice" */

	if (n < 7 || strncmp(slice + base, ".slice", 6) != 0)
		return "the slice is not a name ending in .slice";
	if (n == 7 && slice[0] == '-')
		return NULL;    /* the root */
	for (size_t i = 0; i <= base; i++) {
		if (i < base && slice[i] != '-')
			continue;
		if (i == 0 || slice[i - 1] == '-' || i == base - 1)
			return "a dash at an end of the slice, or two together";
		if (*at + i + 8 > len)
			return "too long";
		*at += (size_t)snprintf(out + *at, len - *at, "/%.*s.slice",
					(int)i, slice);
	}
	return NULL;
}

/* systemd's "slice:prefix:name" (docker's "system.slice:docker:ID") into
 * the cgroup's path from the hierarchy's root: "/system.slice/docker-
 * ID.scope", as systemd names the scope runc asks it for.  An empty slice
 * is system.slice, as runc says.  NULL, or why not. */
const char *cgroup_systemd_path(const char *spec, char *out, size_t len)
{
	const char *prefix = strchr(spec, ':'), *name, *why;
	size_t at = 0;

	name = prefix ? strchr(prefix + 1, ':') : NULL;
	if (!name || strchr(name + 1, ':') || !name[1])
		return "not slice:prefix:name, as --systemd-cgroup wants";
	if (strchr(spec, '/') || strstr(spec, ".."))
		return "a / or .. in a systemd name";
	if (len < 2)
		return "too long";
	why = prefix == spec ? expand_slice("system.slice", 12, out, len, &at) :
	      expand_slice(spec, (size_t)(prefix - spec), out, len, &at);
	if (why)
		return why;
	prefix++;
	if ((size_t)snprintf(out + at, len - at, "/%.*s%s%s.scope",
			     (int)(name - prefix), prefix,
			     name > prefix ? "-" : "", name + 1) >= len - at)
		return "too long";
	return NULL;
}

/* Read the small file dir/name (a /proc or cgroup file) into buf, NUL-
 * terminated, with one read(2): such files are made whole by the kernel at
 * each read.  0, or -1 with errno. */
int read_text(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX + 32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n < 0 ? -1 : 0;
}

/* Start listing the subdirectories of path: 0, or -1 with errno. */
int subdirs_open(struct subdirs *d, const char *path)
{
	d->len = d->off = 0;
	d->files = 0;
	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return d->fd < 0 ? -1 : 0;
}

/* The next subdirectory's name (never "." or ".."), or NULL at the end;
 * the name lives in d until the next call.  d->files set: any entry. */
const char *subdirs_next(struct subdirs *d)
{
	for (;;) {
		struct dirent *e;

		if (d->off >= d->len) {
			/* the raw call: glibc, which the unit tests use, has
			 * no getdents(); struct dirent is its record */
			d->len = syscall(SYS_getdents64, d->fd, d->buf,
					 sizeof d->buf);
			d->off = 0;
			if (d->len <= 0)
				return NULL;
		}
		e = (struct dirent *)(d->buf + d->off);
		d->off += e->d_reclen;
		if ((e->d_type == DT_DIR || d->files) && strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0)
			return e->d_name;
	}
}

void subdirs_close(struct subdirs *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}
