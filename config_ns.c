/*
 * config_ns.c - config.json's linux.namespaces, the user namespace's
 * uidMappings and gidMappings, and linux.sysctl (a sysctl belongs to a
 * namespace): read into struct run_opts (config.c says the rules).
 *
 * Each namespace is made new by the one clone(2) (ns.c), or joined by
 * path (setns(2)); a user namespace comes with both maps, which userns.c
 * writes; a sysctl is written only when it is in a namespace of the
 * container's own, or it would change the host's.
 * See the runtime spec's config-linux.md, namespaces(7),
 * user_namespaces(7), sysctl(8).
 */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "minictr.h"

/* The namespaces config.json may ask for, by type. */
static const struct { const char *type; unsigned long flag; } ns_types[] = {
	{ "pid", CLONE_NEWPID }, { "network", CLONE_NEWNET },
	{ "mount", CLONE_NEWNS }, { "ipc", CLONE_NEWIPC },
	{ "uts", CLONE_NEWUTS }, { "cgroup", CLONE_NEWCGROUP },
	{ "user", CLONE_NEWUSER },      /* with its maps: cfg_user_ns() */
};

/* The i-th namespace type config.json may ask for; NULL past the end. */
const char *cfg_namespace_type(int i)
{
	return i < (int)(sizeof ns_types / sizeof *ns_types) ?
	       ns_types[i].type : NULL;
}

/* linux.namespaces[i].path: the namespace to join instead of making
 * one (ns.c joins it); 1 when there is one, 0 when not, or -1. */
static int ns_path(struct cfg *c, int e, int i, unsigned long flag,
		   struct ns_path *joins, int *n)
{
	int t = json_get(c->j, e, "path");
	char *path;

	if (t < 0)
		return 0;
	path = json_string(c->j, t);
	if (!path || path[0] != '/')
		return cfg_bad(c, "not an absolute path",
			       "linux.namespaces[%d].path", i);
	if (flag == CLONE_NEWUSER)      /* ns.c joins after the clone */
		return cfg_bad(c, "joining a user namespace: not supported yet",
			       "linux.namespaces[%d].path", i);
	for (int k = 0; k < *n; k++)
		if (joins[k].flag == flag)
			return cfg_bad(c, "this type twice",
				       "linux.namespaces[%d]", i);
	joins[(*n)++] = (struct ns_path){ flag, path };
	return 1;
}

/* linux.namespaces: each a new one, or (path) one to join. */
int cfg_namespaces(struct cfg *c, int arr)
{
	unsigned long flags = 0, joined = 0;
	int e = arr + 1, n = json_size(c->j, arr), njoins = 0, r;
	struct ns_path *joins = calloc((size_t)n + 1, sizeof *joins);

	if (json_type(c->j, arr) != JSON_ARRAY || !joins)
		return cfg_bad(c, "missing, or not an array", "linux.namespaces");
	for (int i = 0; i < n; i++, e = json_next(c->j, e)) {
		char *type = json_string(c->j, json_get(c->j, e, "type"));
		size_t k = 0;

		while (type && k < sizeof ns_types / sizeof *ns_types &&
		       strcmp(type, ns_types[k].type))
			k++;
		if (!type || k == sizeof ns_types / sizeof *ns_types)
			return cfg_bad(c, "not one of pid, network, mount, ipc, "
				       "uts, cgroup, user (time: not yet)",
				       "linux.namespaces[%d].type", i);
		if ((r = ns_path(c, e, i, ns_types[k].flag, joins, &njoins)) < 0)
			return -1;
		if (r)
			joined |= ns_types[k].flag;
		else
			flags |= ns_types[k].flag;
	}
	/* no pid entry: the host's pid namespace, as docker and podman ask
	 * for --pid=host (the init is not a PID 1; delete and kill --all
	 * reach the rest through the cgroups) */
	if (!((flags | joined) & CLONE_NEWNS))
		return cfg_bad(c, "minictr always has a mount namespace of the "
			       "container's own, new or joined: list it",
			       "linux.namespaces");
	if (c->o->hostname && !((flags | joined) & CLONE_NEWUTS))
		return cfg_bad(c, "a hostname needs a uts namespace", "hostname");
	/* a joined network is someone else's: its lo is theirs to bring up */
	c->o->net = flags & CLONE_NEWNET ? NET_NONE : NET_HOST;
	/* not in clone(2): unshared once the child is in its cgroups, or
	 * minictr's own cgroup would be its root (cgroupns.c) */
	if (flags & CLONE_NEWCGROUP)
		c->o->cgroupns = CGROUPNS_PRIVATE;
	c->o->namespaces = (flags & ~(CLONE_NEWNET | CLONE_NEWCGROUP)) | SIGCHLD;
	c->o->ns_paths = joins;
	c->o->nns_paths = njoins;
	return 0;
}

/* linux.<field>[i], at e: its containerID, hostID and size into v; 0,
 * or -1 when refused. */
static int id_map_line(struct cfg *c, int e, int i, const char *field,
		       long long v[3])
{
	static const char *const keys[] = { "containerID", "hostID", "size" };

	for (int k = 0; k < 3; k++) {
		int t = json_get(c->j, e, keys[k]);
		if (t < 0 || json_int(c->j, t, k == 2, 0xffffffffLL, &v[k]) < 0)
			return cfg_bad(c, "missing, or not a 32-bit id (a size "
				       "of 1 or more)", "linux.%s[%d].%s", field,
				       i, keys[k]);
	}
	return 0;
}

/* linux.uidMappings (field) or gidMappings: the map's lines into *out;
 * their number, or -1. */
static int id_maps(struct cfg *c, int arr, const char *field,
		   const struct id_map **out)
{
	int n = json_size(c->j, arr), e = arr + 1, zero = 0;
	struct id_map *m = calloc(n > 0 ? (size_t)n : 1, sizeof *m);

	if (json_type(c->j, arr) != JSON_ARRAY || n < 1 || n > ID_MAPS_MAX ||
	    !m)
		return cfg_bad(c, "not an array of 1 to 32 mappings",
			       "linux.%s", field);
	for (int i = 0; i < n; i++, e = json_next(c->j, e)) {
		long long v[3];
		if (id_map_line(c, e, i, field, v) < 0)
			return -1;
		if (v[0] + v[2] > 0xffffffffLL || v[1] + v[2] > 0xffffffffLL)
			return cfg_bad(c, "runs past the last id, 4294967294",
				       "linux.%s[%d]", field, i);
		m[i] = (struct id_map){ (unsigned long)v[0],
					(unsigned long)v[1], (unsigned long)v[2] };
		zero |= v[0] == 0;
	}
	if (!zero)      /* the init sets itself up as root inside: userns.c */
		return cfg_bad(c, "does not map 0 (minictr's init is root "
			       "inside until it runs process.user)",
			       "linux.%s", field);
	*out = m;
	return n;
}

/* A "user" namespace comes with both maps (runc's rule): userns.c makes
 * it, maps it and adds CLONE_NEWUSER itself, so it leaves the flags. */
int cfg_user_ns(struct cfg *c, int l)
{
	int u = json_get(c->j, l, "uidMappings");
	int g = json_get(c->j, l, "gidMappings");
	int want = !!(c->o->namespaces & CLONE_NEWUSER);

	if (!want && (u >= 0 || g >= 0))
		return cfg_bad(c, "mappings without a \"user\" namespace in "
			       "linux.namespaces", "linux.%s",
			       u >= 0 ? "uidMappings" : "gidMappings");
	if (!want)
		return 0;
	if (u < 0 || g < 0)
		return cfg_bad(c, "a user namespace needs both mappings",
			       "linux.%s", u < 0 ? "uidMappings" : "gidMappings");
	c->o->namespaces &= ~(unsigned long)CLONE_NEWUSER;
	c->o->nuid_maps = id_maps(c, u, "uidMappings", &c->o->uid_maps);
	c->o->ngid_maps = id_maps(c, g, "gidMappings", &c->o->gid_maps);
	return c->o->nuid_maps < 0 || c->o->ngid_maps < 0 ? -1 : 0;
}

/*
 * The namespace a sysctl belongs to (the kernel's list, as runc checks
 * it: net.*, the System V IPC and mqueue keys, the UTS names), so that
 * writing it changes the container's copy only; 0: the host's, refused.
 */
static unsigned long sysctl_namespace(const char *key)
{
	static const struct { const char *prefix; unsigned long ns; } ok[] = {
		{ "net.", CLONE_NEWNET }, { "fs.mqueue.", CLONE_NEWIPC },
		{ "kernel.msg", CLONE_NEWIPC }, { "kernel.sem", CLONE_NEWIPC },
		{ "kernel.shm", CLONE_NEWIPC }, { "kernel.hostname", CLONE_NEWUTS },
		{ "kernel.domainname", CLONE_NEWUTS },
	};

	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (!strncmp(key, ok[i].prefix, strlen(ok[i].prefix)))
			return ok[i].ns;
	return 0;
}

/* Letters, digits, _ - and single dots between them: one file below
 * /proc/sys once the dots are slashes, never "..", never "/". */
static int sysctl_key(const char *k)
{
	if (k[0] == '.' || strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_-."
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(k))
		return 0;
	for (; *k; k++)
		if (k[0] == '.' && (k[1] == '.' || k[1] == '\0'))
			return 0;
	return 1;
}

/* linux.sysctl: {"net.ipv4.ping_group_range": "0 0"} (podman sends it to
 * every container), pairs in o->sysctl; process.c writes them.  A key
 * outside the container's own namespaces would change the host: refused. */
int cfg_sysctls(struct cfg *c, int obj)
{
	int n = json_size(c->j, obj), t = obj + 1;
	unsigned long own = c->o->namespaces | (c->o->net == NET_NONE ?
						CLONE_NEWNET : 0), ns;
	const char **kv;

	if (obj < 0)
		return 0;
	if (json_type(c->j, obj) != JSON_OBJECT)
		return cfg_bad(c, "not an object", "linux.sysctl");
	if (!(kv = calloc(2 * (size_t)n + 1, sizeof *kv)))
		return cfg_bad(c, "out of memory", "linux.sysctl");
	for (int i = 0; i < n; i++, t = json_next(c->j, t + 1)) {
		kv[2 * i] = json_string(c->j, t);
		kv[2 * i + 1] = json_string(c->j, t + 1);
		if (!kv[2 * i] || !kv[2 * i + 1] || !sysctl_key(kv[2 * i]))
			return cfg_bad(c, "a key such as net.ipv4.ip_forward and "
				       "a string value", "linux.sysctl[%d]", i);
		ns = sysctl_namespace(kv[2 * i]);
		if (!ns || !(own & ns))
			return cfg_bad(c, "not in a namespace of the container's "
				       "own: it would change the host's",
				       "linux.sysctl: %.64s", kv[2 * i]);
	}
	c->o->sysctl = kv;
	c->o->nsysctl = n;
	return 0;
}
