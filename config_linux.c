/*
 * config_linux.c - config.json's mounts and its linux object, read into
 * struct run_opts (config.c reads the rest, and says the rules).
 *
 * mounts: what callers send for the kernel's filesystems (proc on /proc,
 * a tmpfs on /dev, devpts, mqueue, sysfs, cgroup) is what minictr's own
 * skeleton already makes at those places (rootfs.c), so those entries
 * are taken as said; the rest become the same list -v and --tmpfs fill
 * (struct ctr_mount, mounts.c): binds and tmpfs mounts, with their
 * option words (mount(8)'s: ro, nosuid, nodev, noexec, size=, mode=...).
 *
 * linux: the namespaces to create or (path) to join, the limits cgroup.c applies
 * (in the cgroup cgroupsPath names), paths to mask or make
 * read-only on top of minictr's own, the user namespace's maps, the
 * device policy (devices.c), the device nodes to make (linux.devices,
 * devnodes.c), and refusals for what would be silently weaker: the
 * host's sysctls.
 * See the runtime spec's config-linux.md and config.md "Mounts".
 */
#include <sched.h>
#include <signal.h>
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

/* mounts[i] into m: 1 when it becomes a mount, 0 when the skeleton
 * has it already, -1 when refused. */
static int one_mount(struct cfg *c, int e, int i, struct ctr_mount *m)
{
	const char *dest = NULL, *type = "", *source = NULL, **opts;
	char *spec;
	int n;

	for (int k = 0; k < 3; k++) {
		static const char *const keys[] = { "destination", "type",
						    "source" };
		const char **out[] = { &dest, &type, &source };
		int t = json_get(c->j, e, keys[k]);
		if (t >= 0 && !(*out[k] = json_string(c->j, t)))
			return cfg_bad(c, "not a string", "mounts[%d].%s", i,
				       keys[k]);
	}
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
	if (!strcmp(type, "bind") || has_bind(opts, n)) {
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

/* The namespaces config.json may ask for, by type. */
static const struct { const char *type; unsigned long flag; } ns_types[] = {
	{ "pid", CLONE_NEWPID }, { "network", CLONE_NEWNET },
	{ "mount", CLONE_NEWNS }, { "ipc", CLONE_NEWIPC },
	{ "uts", CLONE_NEWUTS }, { "cgroup", CLONE_NEWCGROUP },
	{ "user", CLONE_NEWUSER },      /* with its maps: user_ns() */
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
static int namespaces(struct cfg *c, int arr)
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

/* null, 0, false, "", [], or an object of such values (docker sends
 * "blockIO": {"weight": 0} to every container: no weight).  Depth is
 * bounded by the document, which jsmn has already parsed whole. */
static int zero_value(const struct json *j, int t)
{
	int len, k = t + 1;
	const char *raw = json_raw(j, t, &len);

	switch (json_type(j, t)) {
	case JSON_PRIMITIVE:
		return (len == 1 && raw[0] == '0') || raw[0] == 'n' ||
		       json_bool(j, t) == 0;
	case JSON_STRING:
		return len == 0;
	case JSON_OBJECT:
		for (int i = 0; i < json_size(j, t); i++, k = json_next(j, k + 1))
			if (!zero_value(j, k + 1))
				return 0;
		return 1;
	default:
		return json_size(j, t) == 0;
	}
}

/* A member that must be absent or a zero value: refused else. */
static int must_be_unset(struct cfg *c, int obj, const char *key,
			 const char *where, const char *why)
{
	int t = json_get(c->j, obj, key);

	if (t < 0 || zero_value(c->j, t))
		return 0;
	return cfg_bad(c, why, "%s.%s", where, key);
}

/* Each of the n keys must be unset (must_be_unset): 0, or -1. */
static int all_unset(struct cfg *c, int obj, const char *const *keys, int n,
		     const char *where, const char *why)
{
	for (int i = 0; i < n; i++)
		if (must_be_unset(c, obj, keys[i], where, why) < 0)
			return -1;
	return 0;
}

/* linux.resources.memory and .pids: minictr's -m and --pids-limit. */
static int memory_pids(struct cfg *c, int r)
{
	int mem = json_get(c->j, r, "memory"), pids = json_get(c->j, r, "pids");
	long long v = 0;
	static const char *const no[] = { "kernel", "kernelTCP",
					  "disableOOMKiller" };

	if (all_unset(c, mem, no, 3, "linux.resources.memory",
		      "not supported yet") < 0)
		return -1;
	if (json_get(c->j, mem, "swap") >= 0 ||
	    json_get(c->j, mem, "reservation") >= 0 ||
	    json_get(c->j, mem, "swappiness") >= 0)
		cfg_note(c, "linux.resources.memory: swap (none on top of the "
			 "limit), reservation and swappiness are minictr's");
	if (json_get(c->j, mem, "limit") >= 0 &&
	    json_int(c->j, json_get(c->j, mem, "limit"), -1, 1LL << 62, &v) < 0)
		return cfg_bad(c, "not a number of bytes, or -1",
			       "linux.resources.memory.limit");
	c->o->memory = v > 0 ? v : 0;
	v = 0;
	if (json_get(c->j, pids, "limit") >= 0 &&
	    json_int(c->j, json_get(c->j, pids, "limit"), -1, 1LL << 62, &v) < 0)
		return cfg_bad(c, "not a number, or -1", "linux.resources.pids.limit");
	c->o->pids_limit = v > 0 ? (v > PIDS_MAX ? PIDS_MAX : v) : 0;
	return 0;
}

/* linux.resources.cpu: quota and period, cpus; the rest refused. */
static int cpu(struct cfg *c, int r)
{
	int t = json_get(c->j, r, "cpu");
	long long quota = 0, period = CPU_PERIOD_US;
	const char *cpus = NULL;
	static const char *const no[] = { "realtimeRuntime", "realtimePeriod",
					  "mems", "idle" };

	if (all_unset(c, t, no, 4, "linux.resources.cpu",
		      "not supported yet") < 0)
		return -1;
	if (json_get(c->j, t, "shares") >= 0)
		cfg_note(c, "linux.resources.cpu.shares: a weight, not applied");
	if ((json_get(c->j, t, "quota") >= 0 &&
	     json_int(c->j, json_get(c->j, t, "quota"), -1, 1LL << 40,
		      &quota) < 0) ||
	    (json_get(c->j, t, "period") >= 0 &&
	     json_int(c->j, json_get(c->j, t, "period"), 1000, 1000000,
		      &period) < 0))
		return cfg_bad(c, "quota: -1 or microseconds >= 1000; period: "
			       "1000 to 1000000", "linux.resources.cpu");
	if (quota > 0 && quota < 1000)
		return cfg_bad(c, "at least 1000 microseconds",
			       "linux.resources.cpu.quota");
	c->o->cpu_quota = quota > 0 ? quota : 0;
	c->o->cpu_period = quota > 0 ? period : 0;
	t = json_get(c->j, t, "cpus");
	if (t >= 0 && (!(cpus = json_string(c->j, t)) ||
		       (cpus[0] && parse_cpu_list(cpus) < 0)))
		return cfg_bad(c, "not a CPU list such as 0-1,3",
			       "linux.resources.cpu.cpus");
	c->o->cpuset_cpus = cpus && cpus[0] ? cpus : NULL;
	return 0;
}

/* linux.resources: what cgroup.c applies; limits it lacks are refused. */
static int resources(struct cfg *c, int r)
{
	static const char *const no[] = { "blockIO", "hugepageLimits",
					  "network", "rdma", "unified" };

	if (r < 0)
		return 0;
	if (all_unset(c, r, no, 5, "linux.resources",
		      "this limit is not supported yet") < 0)
		return -1;
	return memory_pids(c, r) < 0 ? -1 : cpu(c, r);
}

/* A member that is absent or null: 1. */
static int absent(const struct json *j, int t)
{
	return t < 0 || (json_type(j, t) == JSON_PRIMITIVE &&
			 json_raw(j, t, &(int){ 0 })[0] == 'n');
}

/* major or minor: -1 when absent or null; else a number, range checked
 * by devices_rule(); -2 for what is not a number. */
static long long device_number(const struct json *j, int obj,
			       const char *key)
{
	int t = json_get(j, obj, key);
	long long v = -1;

	if (!absent(j, t) && json_int(j, t, -2, 1LL << 32, &v) < 0)
		return -2;
	return v;
}

/* linux.resources.devices[i], at t, into r (devices_rule()): its count,
 * or -1 once refused. */
static int device_rule(struct cfg *c, int t, int i, struct dev_rule *r)
{
	const struct json *j = c->j;
	int ty = json_get(j, t, "type"), ac = json_get(j, t, "access"), n;
	const char *type = absent(j, ty) ? NULL : json_string(j, ty);
	const char *access = absent(j, ac) ? NULL : json_string(j, ac);
	const char *why = "not an object";

	if (json_type(j, t) != JSON_OBJECT || (!absent(j, ty) && !type) ||
	    (n = devices_rule(json_bool(j, json_get(j, t, "allow")),
			      type ? type : NULL, access,
			      device_number(j, t, "major"),
			      device_number(j, t, "minor"), r, &why)) < 0)
		return cfg_bad(c, !absent(j, ty) && !type ? "type: a string" :
			       why, "linux.resources.devices[%d]", i);
	return n;
}

/* linux.resources.devices, then an allow for each node linux.devices
 * makes, then runc's allow list (devices.c says why): every config.json
 * container gets a device policy, with or without rules, as runc's do;
 * cgroup.c applies it. */
static int device_policy(struct cfg *c, int r)
{
	int arr = json_get(c->j, r, "devices"), k = 0, t = arr + 1, got;
	struct dev_rule *rules = calloc(2 * (size_t)json_size(c->j, arr) +
					(size_t)c->o->ndev_nodes +
					(size_t)dev_ndefaults, sizeof *rules);

	if (!rules)
		return cfg_bad(c, "out of memory", "linux.resources.devices");
	if (!absent(c->j, arr) && json_type(c->j, arr) != JSON_ARRAY)
		return cfg_bad(c, "not an array", "linux.resources.devices");
	if (json_size(c->j, arr) > DEV_RULES_MAX)
		return cfg_bad(c, "at most 1024 rules", "linux.resources.devices");
	for (int i = 0; !absent(c->j, arr) && i < json_size(c->j, arr);
	     i++, t = json_next(c->j, t)) {
		if ((got = device_rule(c, t, i, rules + k)) < 0)
			return -1;
		k += got;
	}
	/* linux.devices: a node asked for is a node to use.  runc leaves
	 * this to the caller (docker, containerd and podman send an allow
	 * rule beside each device); a bare config.json gets it here, after
	 * its own rules, so that its "deny all" does not undo it */
	for (int i = 0; i < c->o->ndev_nodes; i++) {
		const struct ctr_device *d = &c->o->dev_nodes[i];
		if (d->type != 'p')     /* a FIFO is no device */
			rules[k++] = (struct dev_rule){ d->type == 'b' ? 'b' : 'c',
				(int)d->major, (int)d->minor, DEV_RWM, 1 };
	}
	/* runc's list, less its "deny all" first: that is where any list
	 * starts, and here it would undo the config's own rules */
	memcpy(rules + k, dev_defaults + 1,
	       (size_t)(dev_ndefaults - 1) * sizeof *rules);
	c->o->devices = rules;
	c->o->ndevices = k + dev_ndefaults - 1;
	return 0;
}

/* An absolute path naming a file: components of 1 to 255 bytes, none
 * "." or "..", so that it names one place inside the root. */
static int node_path(const char *p)
{
	if (p[0] != '/' || strlen(p) >= PATH_MAX_OCI)
		return 0;
	for (p++; ; p++) {
		size_t n = strcspn(p, "/");
		if (n == 0 || n > 255 || (p[0] == '.' && (n == 1 ||
						     (n == 2 && p[1] == '.'))))
			return 0;
		p += n;
		if (!*p)
			return 1;
	}
}

/* linux.devices[i], at e, into d (devnodes.c makes it): 0, or -1. */
static int device_node(struct cfg *c, int e, int i, struct ctr_device *d)
{
	static const char *const keys[] = { "major", "minor", "fileMode",
					     "uid", "gid" };
	static const long long max[] = { 4095, 1048575, 0177777, 0xfffffffe,
					 0xfffffffe };
	static const char *const why[] = { "0 to 4095", "0 to 1048575",
		"permission bits: 0 to 4095 (0666 is 438), with or without "
		"the type's",
		"0 to 4294967294", "0 to 4294967294" };
	const struct json *j = c->j;
	const char *path, *type;
	long long v[5] = { 0, 0, 0666, 0, 0 };

	if (json_type(j, e) != JSON_OBJECT)
		return cfg_bad(c, "not an object", "linux.devices[%d]", i);
	path = json_string(j, json_get(j, e, "path"));
	type = json_string(j, json_get(j, e, "type"));
	if (!path || !node_path(path))
		return cfg_bad(c, "not an absolute path naming a file, without "
			       "\".\" or \"..\"", "linux.devices[%d].path", i);
	if (!type || !type[0] || type[1] || !strchr("cbup", type[0]))
		return cfg_bad(c, "not one of c, b, u (a character, block, "
			       "unbuffered device) or p (a FIFO)",
			       "linux.devices[%d].type", i);
	for (int k = 0; k < 5; k++) {
		int t = json_get(j, e, keys[k]);
		if (absent(j, t) && k < 2 && type[0] != 'p')
			return cfg_bad(c, "missing: a device has its numbers",
				       "linux.devices[%d].%s", i, keys[k]);
		if (!absent(j, t) && json_int(j, t, 0, max[k], &v[k]) < 0)
			return cfg_bad(c, why[k], "linux.devices[%d].%s", i,
				       keys[k]);
	}
	if (type[0] == 'p')
		v[0] = v[1] = 0;
	/* fileMode may carry the type's S_IFMT bits (what stat(2) says, as
	 * containerd reads a host device): dropped, as runc drops them */
	*d = (struct ctr_device){ path, type[0], (unsigned)v[0], (unsigned)v[1],
				  (unsigned)v[2] & 07777, (unsigned)v[3],
				  (unsigned)v[4] };
	return 0;
}

/* linux.devices: the nodes devnodes.c makes once /dev is there. */
static int device_nodes(struct cfg *c, int arr)
{
	int n = json_size(c->j, arr), e = arr + 1;
	struct ctr_device *list;

	if (absent(c->j, arr))
		return 0;
	if (json_type(c->j, arr) != JSON_ARRAY)
		return cfg_bad(c, "not an array", "linux.devices");
	if (n > DEV_RULES_MAX)
		return cfg_bad(c, "at most 1024 devices", "linux.devices");
	if (!(list = calloc((size_t)n + 1, sizeof *list)))
		return cfg_bad(c, "out of memory", "linux.devices");
	for (int i = 0; i < n; i++, e = json_next(c->j, e))
		if (device_node(c, e, i, &list[i]) < 0)
			return -1;
	c->o->dev_nodes = list;
	c->o->ndev_nodes = n;
	return 0;
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
static int sysctls(struct cfg *c, int obj)
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

/* linux.seccomp: the profile (seccomp_profile.c); absent or null, no
 * profile (the runtime spec's meaning), TIOCSTI refused all the same. */
static int seccomp(struct cfg *c, int t)
{
	struct sc_profile *p;
	const char *why;
	char where[80];

	if (t < 0 || json_type(c->j, t) == JSON_PRIMITIVE) {
		c->o->seccomp_unconfined = 1;
		return json_type(c->j, t) == JSON_PRIMITIVE &&
		       json_raw(c->j, t, &(int){ 0 })[0] != 'n' ?
		       cfg_bad(c, "not an object", "linux.seccomp") : 0;
	}
	if (!(p = malloc(sizeof *p)))
		return cfg_bad(c, "out of memory", "linux.seccomp");
	if ((why = seccomp_parse(c->j, t, p, where, sizeof where)))
		return cfg_bad(c, why, "linux.seccomp%s%s", where[0] ? "." : "",
			       where);
	c->o->seccomp = p;
	return 0;
}

/* linux.cgroupsPath: "/default/ID" (containerd's), "a/b", or with
 * --systemd-cgroup "system.slice:docker:ID" (oci.c maps it).  Never a
 * ".." that would climb out of the hierarchy or minictr's own cgroup. */
static int cgroups_path(struct cfg *c, int t)
{
	const char *p = t < 0 ? NULL : json_string(c->j, t);

	if (t < 0 || (json_type(c->j, t) == JSON_PRIMITIVE &&
		      json_raw(c->j, t, &(int){ 0 })[0] == 'n'))
		return 0;       /* absent or null */
	if (!p)
		return cfg_bad(c, "not a string", "linux.cgroupsPath");
	for (const char *q = p; *q; q += strcspn(q, "/"), q += !!*q)
		if (q[0] == '.' && q[1] == '.' && (q[2] == '/' || !q[2]))
			return cfg_bad(c, "a .. would leave the hierarchy",
				       "linux.cgroupsPath");
	if (p[0] && strcmp(p, "/"))
		c->o->cgroups_path = p;
	return 0;
}

/* linux.uidMappings (field) or gidMappings: the map's lines into *out;
 * their number, or -1. */
static int id_maps(struct cfg *c, int arr, const char *field,
		   const struct id_map **out)
{
	static const char *const keys[] = { "containerID", "hostID", "size" };
	int n = json_size(c->j, arr), e = arr + 1, zero = 0;
	struct id_map *m = calloc(n > 0 ? (size_t)n : 1, sizeof *m);

	if (json_type(c->j, arr) != JSON_ARRAY || n < 1 || n > ID_MAPS_MAX ||
	    !m)
		return cfg_bad(c, "not an array of 1 to 32 mappings",
			       "linux.%s", field);
	for (int i = 0; i < n; i++, e = json_next(c->j, e)) {
		long long v[3];
		for (int k = 0; k < 3; k++) {
			int t = json_get(c->j, e, keys[k]);
			if (t < 0 || json_int(c->j, t, k == 2, 0xffffffffLL,
					      &v[k]) < 0)
				return cfg_bad(c, "missing, or not a 32-bit id "
					       "(a size of 1 or more)",
					       "linux.%s[%d].%s", field, i,
					       keys[k]);
		}
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
static int user_ns(struct cfg *c, int l)
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

/* linux: namespaces, resources, paths, and the refusals. */
int cfg_linux(struct cfg *c, int l)
{
	static const char *const refused[] = {
		"intelRdt", "personality", "timeOffsets" };

	if (l < 0 || json_type(c->j, l) != JSON_OBJECT)
		return cfg_bad(c, "missing, or not an object", "linux");
	if (seccomp(c, json_get(c->j, l, "seccomp")) < 0)
		return -1;
	if (all_unset(c, l, refused, 3, "linux", "not supported yet") < 0)
		return -1;
	if (cgroups_path(c, json_get(c->j, l, "cgroupsPath")) < 0)
		return -1;
	if (json_get(c->j, l, "rootfsPropagation") >= 0 ||
	    json_get(c->j, l, "mountLabel") >= 0)
		cfg_note(c, "linux.rootfsPropagation, mountLabel: every mount "
			 "is private, no SELinux label");
	if (namespaces(c, json_get(c->j, l, "namespaces")) < 0 ||
	    user_ns(c, l) < 0 ||
	    sysctls(c, json_get(c->j, l, "sysctl")) < 0 ||
	    resources(c, json_get(c->j, l, "resources")) < 0 ||
	    device_nodes(c, json_get(c->j, l, "devices")) < 0 ||
	    device_policy(c, json_get(c->j, l, "resources")) < 0)
		return -1;
	c->o->nmasked = cfg_strings(c, json_get(c->j, l, "maskedPaths"),
				    "linux.maskedPaths", &c->o->masked);
	c->o->nro_paths = cfg_strings(c, json_get(c->j, l, "readonlyPaths"),
				      "linux.readonlyPaths", &c->o->ro_paths);
	if (c->o->nmasked < 0 || c->o->nro_paths < 0)
		return -1;
	for (int i = 0; i < c->o->nmasked; i++)
		if (c->o->masked[i][0] != '/')
			return cfg_bad(c, "not an absolute path",
				       "linux.maskedPaths[%d]", i);
	for (int i = 0; i < c->o->nro_paths; i++)
		if (c->o->ro_paths[i][0] != '/')
			return cfg_bad(c, "not an absolute path",
				       "linux.readonlyPaths[%d]", i);
	return 0;
}
