/*
 * config_mounts.c - config.json's mounts, read into struct run_opts
 * (config.c reads the rest, and says the rules).
 *
 * What callers send for the kernel's filesystems (proc on /proc, a tmpfs
 * on /dev, devpts, mqueue, sysfs, cgroup) is what minictr's own skeleton
 * already makes at those places (rootfs.c), so those entries are taken
 * as said; the rest become the same list -v and --tmpfs fill (struct
 * ctr_mount, mounts.c): binds and tmpfs mounts, with their option words
 * (mount(8)'s: ro, nosuid, nodev, noexec, size=, mode=...).
 * See the runtime spec's config.md "Mounts", and mount(8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "minictr.h"

/* The kernel filesystems minictr's skeleton mounts itself, where it
 * mounts them; "" matches any type (podman binds its own /dev/shm). */
static const struct { const char *dest, *type; } skeleton[] = {
	{ "/proc", "proc" }, { "/dev", "tmpfs" }, { "/dev/pts", "devpts" },
	{ "/dev/shm", "" }, { "/dev/mqueue", "mqueue" }, { "/sys", "sysfs" },
	{ "/sys/fs/cgroup", "cgroup" }, { "/sys/fs/cgroup", "cgroup2" },
};

/* mount(8)'s flag words, and which way each turns its flag. */
static const struct { const char *word; unsigned long flag; int set; }
words[] = {
	{ "ro", MS_RDONLY, 1 }, { "rw", MS_RDONLY, 0 },
	{ "nosuid", MS_NOSUID, 1 }, { "suid", MS_NOSUID, 0 },
	{ "nodev", MS_NODEV, 1 }, { "dev", MS_NODEV, 0 },
	{ "noexec", MS_NOEXEC, 1 }, { "exec", MS_NOEXEC, 0 },
	{ "noatime", MS_NOATIME, 1 }, { "atime", MS_NOATIME, 0 },
	{ "relatime", MS_RELATIME, 1 }, { "norelatime", MS_RELATIME, 0 },
	{ "strictatime", MS_STRICTATIME, 1 }, { "nodiratime", MS_NODIRATIME, 1 },
	{ "diratime", MS_NODIRATIME, 0 },
	/* propagation: every mount of the container is private anyway */
	{ "private", 0, 1 }, { "rprivate", 0, 1 }, { "slave", 0, 1 },
	{ "rslave", 0, 1 }, { "shared", 0, 1 }, { "rshared", 0, 1 },
	{ "unbindable", 0, 1 }, { "runbindable", 0, 1 },
	{ "bind", 0, 1 }, { "rbind", 0, 1 },
};

/* The i-th option word config.json's mounts may use; NULL past the end
 * (features.c lists them). */
const char *cfg_mount_word(int i)
{
	return i < (int)(sizeof words / sizeof *words) ? words[i].word : NULL;
}

/* One option word into m; -1 for a word minictr does not know. */
static int option(struct ctr_mount *m, const char *w, unsigned long *flags)
{
	struct tmpfs_spec *t = &m->tmpfs;

	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(w, words[i].word) == 0) {
			*flags = words[i].set ? *flags | words[i].flag :
				 *flags & ~words[i].flag;
			m->single = strcmp(w, "bind") == 0 ? 1 :
				    strcmp(w, "rbind") == 0 ? 0 : m->single;
			return 0;
		}
	if (m->kind == MOUNT_TMPFS && strncmp(w, "size=", 5) == 0)
		return parse_size(w + 5, &t->size);
	if (m->kind == MOUNT_TMPFS && strncmp(w, "mode=", 5) == 0) {
		char *end;
		long mode = strtol(w + 5, &end, 8);
		t->mode = (int)mode;
		return *end || end == w + 5 || mode < 0 || mode > 07777 ? -1 : 0;
	}
	return -1;
}

/* The skeleton's entry for this destination and type, if any. */
static int in_skeleton(const char *dest, const char *type)
{
	for (size_t i = 0; i < sizeof skeleton / sizeof *skeleton; i++)
		if (strcmp(dest, skeleton[i].dest) == 0 &&
		    (!skeleton[i].type[0] || strcmp(type, skeleton[i].type) == 0))
			return 1;
	return 0;
}

/* Is "bind" or "rbind" among the options? */
static int has_bind(const char **opts, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(opts[i], "bind") || !strcmp(opts[i], "rbind"))
			return 1;
	return 0;
}

/* mounts[i]'s destination, type and source: each a string if given;
 * 0, or -1 when refused. */
static int mount_fields(struct cfg *c, int e, int i, const char **dest,
			const char **type, const char **source)
{
	static const char *const keys[] = { "destination", "type", "source" };
	const char **out[] = { dest, type, source };

	for (int k = 0; k < 3; k++) {
		int t = json_get(c->j, e, keys[k]);
		if (t >= 0 && !(*out[k] = json_string(c->j, t)))
			return cfg_bad(c, "not a string", "mounts[%d].%s", i,
				       keys[k]);
	}
	return 0;
}

/* m's kind by type and the options: a bind (with its source) or a
 * tmpfs; 0, or -1 for any other type at this place. */
static int mount_kind(struct cfg *c, int i, const char *type,
		      const char *source, int bind, struct ctr_mount *m)
{
	const char *dest = m->target;

	if (!strcmp(type, "bind") || bind) {
		m->kind = MOUNT_BIND;
		if (!source || !source[0])
			return cfg_bad(c, "a bind needs a source",
				       "mounts[%d].source", i);
		m->source = source;
		m->source_len = (int)strlen(source);
	} else if (!strcmp(type, "tmpfs")) {
		m->kind = MOUNT_TMPFS;
		m->tmpfs.target = dest;
		m->tmpfs.target_len = m->target_len;
	} else {
		return cfg_bad(c, "this type at this place is not supported yet",
			       "mounts[%d] (%s on %s)", i, type, dest);
	}
	return 0;
}

/* m's n option words, into its flags (a tmpfs's, or a bind's, of which
 * ro and the three per-mount flags are kept); 0, or -1 when refused. */
static int mount_options(struct cfg *c, int i, const char **opts, int n,
			 struct ctr_mount *m)
{
	for (int k = 0; k < n; k++) {
		unsigned long *flags = m->kind == MOUNT_TMPFS ? &m->tmpfs.flags :
				       &m->flags;
		if (option(m, opts[k], flags) < 0)
			return cfg_bad(c, "an option minictr does not know, or a "
				       "bad size= or mode=",
				       "mounts[%d].options: %s", i, opts[k]);
	}
	if (m->kind == MOUNT_BIND) {
		m->ro = !!(m->flags & MS_RDONLY);
		m->flags &= MS_NOSUID | MS_NODEV | MS_NOEXEC;
	}
	return 0;
}

/* mounts[i] into m: 1 when it becomes a mount, 0 when the skeleton
 * has it already, -1 when refused. */
static int one_mount(struct cfg *c, int e, int i, struct ctr_mount *m)
{
	const char *dest = NULL, *type = "", *source = NULL, **opts;
	char *spec;
	int n;

	if (mount_fields(c, e, i, &dest, &type, &source) < 0)
		return -1;
	if (!dest || dest[0] != '/')
		return cfg_bad(c, "missing, or not an absolute path",
			       "mounts[%d].destination", i);
	if ((n = cfg_strings(c, json_get(c->j, e, "options"), "mounts[].options",
			     &opts)) < 0)
		return -1;
	if (in_skeleton(dest, type))
		return 0;
	spec = malloc(strlen(dest) + 16);
	sprintf(spec, "mounts[%d] %s", i, dest);
	*m = (struct ctr_mount){ .target = dest, .target_len = (int)strlen(dest),
				 .spec = spec, .tmpfs = { .size = -1, .mode = -1 } };
	if (mount_kind(c, i, type, source, has_bind(opts, n), m) < 0 ||
	    mount_options(c, i, opts, n, m) < 0)
		return -1;
	return 1;
}

/* mounts: the list mounts.c makes, after the skeleton. */
int cfg_mounts(struct cfg *c, int arr)
{
	int n = json_size(c->j, arr), e = arr + 1, k = 0;
	struct ctr_mount *list = calloc((size_t)n + 1, sizeof *list);

	if (json_type(c->j, arr) != JSON_ARRAY || !list)
		return cfg_bad(c, "not an array", "mounts");
	for (int i = 0; i < n; i++, e = json_next(c->j, e)) {
		int r = one_mount(c, e, i, &list[k]);
		if (r < 0)
			return -1;
		k += r;
	}
	c->o->mounts = list;
	c->o->nmounts = k;
	return 0;
}
