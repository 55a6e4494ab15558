/*
 * config_linux.c - config.json's linux object, read into struct run_opts
 * (config.c reads the rest, and says the rules): its parts in order, each
 * by the file that reads it (config_ns.c: namespaces, the user
 * namespace's maps, sysctls; config_resources.c: the limits;
 * config_devices.c: device nodes and policy), and here the seccomp
 * profile, linux.cgroupsPath, the paths to mask or make read-only on top
 * of minictr's own, and refusals for what would be silently weaker.
 * (config.json's mounts: config_mounts.c.)
 * See the runtime spec's config-linux.md.
 */
#include <stdlib.h>
#include <string.h>

#include "minictr.h"

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
 * --systemd-cgroup "system.slice:docker:ID" (oci_create.c maps it).  Never a
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

/* linux: namespaces, resources, paths, and the refusals. */
int cfg_linux(struct cfg *c, int l)
{
	static const char *const refused[] = {
		"intelRdt", "personality", "timeOffsets" };

	if (l < 0 || json_type(c->j, l) != JSON_OBJECT)
		return cfg_bad(c, "missing, or not an object", "linux");
	if (seccomp(c, json_get(c->j, l, "seccomp")) < 0)
		return -1;
	if (cfg_all_unset(c, l, refused, 3, "linux", "not supported yet") < 0)
		return -1;
	if (cgroups_path(c, json_get(c->j, l, "cgroupsPath")) < 0)
		return -1;
	if (json_get(c->j, l, "rootfsPropagation") >= 0 ||
	    json_get(c->j, l, "mountLabel") >= 0)
		cfg_note(c, "linux.rootfsPropagation, mountLabel: every mount "
			 "is private, no SELinux label");
	if (cfg_namespaces(c, json_get(c->j, l, "namespaces")) < 0 ||
	    cfg_user_ns(c, l) < 0 ||
	    cfg_sysctls(c, json_get(c->j, l, "sysctl")) < 0 ||
	    cfg_resources(c, json_get(c->j, l, "resources")) < 0 ||
	    cfg_device_nodes(c, json_get(c->j, l, "devices")) < 0 ||
	    cfg_device_policy(c, json_get(c->j, l, "resources")) < 0)
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
