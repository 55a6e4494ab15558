/*
 * config_devices.c - config.json's devices: linux.devices, the nodes
 * devnodes.c makes inside the root, and linux.resources.devices, the
 * policy (devices.c) over which devices the container may use, which
 * cgroup_devices.c applies.  Every config.json container gets a policy,
 * as runc's do: its rules, an allow for each node it asks for, then
 * runc's default list.
 * See the runtime spec's config-linux.md "Devices" and "Device
 * allowlist", mknod(2), the kernel's cgroup-v1/devices.rst.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "minictr.h"

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
int cfg_device_policy(struct cfg *c, int r)
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
int cfg_device_nodes(struct cfg *c, int arr)
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
