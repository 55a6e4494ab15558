/*
 * config.c - an OCI bundle's config.json, read into the one description
 * of a container minictr has: struct run_opts, the very struct `minictr
 * run`'s options fill.  The same code then runs both (run.c, init.c).
 *
 * This file: the document, process (args, env, cwd, terminal, user,
 * capabilities, rlimits...), root, hostname, annotations, hooks.
 * config_mounts.c: mounts; config_linux.c: linux (with config_ns.c,
 * config_resources.c, config_devices.c: namespaces, resources, devices).
 *
 * The rule for every field: what minictr does, it does as asked; what it
 * does not do yet is refused, by name, when ignoring it could weaken the
 * container (a capability beyond docker's set);
 * what cannot weaken it (rootfsPropagation, noNewPrivileges false: minictr
 * sets it anyway) is accepted, with a note --debug prints.  Unknown keys
 * are ignored, as the runtime spec asks (config.md, "Extensibility").
 *
 * Pure: the text and the bundle's path in, run_opts or the failing
 * field out; no printing, no globals.  Everything it allocates lives as
 * long as the process (it execs or exits soon after).
 * See the runtime spec's config.md and config-linux.md, and
 * ../shared/reference/oci-callers.md §2 for what callers really send.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "minictr.h"

/* The field that failed, and why: 0 from the caller's view, -1 returned. */
int cfg_bad(struct cfg *c, const char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err->field, sizeof c->err->field, fmt, ap);
	va_end(ap);
	c->err->reason = reason;
	return -1;
}

/* Accepted, but not done as asked: for --debug. */
void cfg_note(struct cfg *c, const char *note)
{
	if (c->err->nnotes < CONFIG_NOTES)
		c->err->notes[c->err->nnotes++] = note;
}

/* An array of strings (absent: none), NULL-terminated, from the heap;
 * the count, or -1 naming the field. */
int cfg_strings(struct cfg *c, int t, const char *field, const char ***out)
{
	int n = json_size(c->j, t), e = t + 1;

	*out = NULL;
	if (t < 0)
		return 0;
	if (json_type(c->j, t) != JSON_ARRAY)
		return cfg_bad(c, "not an array of strings", "%s", field);
	*out = calloc((size_t)n + 1, sizeof **out);
	if (!*out)
		return cfg_bad(c, "out of memory", "%s", field);
	for (int i = 0; i < n; i++, e = json_next(c->j, e))
		if (!((*out)[i] = json_string(c->j, e)))
			return cfg_bad(c, "not a string (or a bad escape, or a "
				       "NUL)", "%s[%d]", field, i);
	return n;
}

/* A string field (absent: *out stays); 0 or -1. */
static int string_field(struct cfg *c, int obj, const char *key,
			const char *field, const char **out)
{
	int t = json_get(c->j, obj, key);

	if (t < 0 || json_type(c->j, t) == JSON_NONE)
		return 0;
	if (!(*out = json_string(c->j, t)))
		return cfg_bad(c, "not a string (or a bad escape, or a NUL)",
			       "%s", field);
	return 0;
}

/* A boolean field: 0 or 1 (absent: dflt), or -1. */
static int bool_field(struct cfg *c, int obj, const char *key,
		      const char *field, int dflt)
{
	int t = json_get(c->j, obj, key), v;

	if (t < 0)
		return dflt;
	if ((v = json_bool(c->j, t)) < 0)
		return cfg_bad(c, "not true or false", "%s", field);
	return v;
}

/* An integer field in [min, max] (absent: *out stays); 0 or -1. */
static int int_field(struct cfg *c, int obj, const char *key,
		     const char *field, long long min, long long max,
		     long long *out)
{
	int t = json_get(c->j, obj, key);

	if (t >= 0 && json_int(c->j, t, min, max, out) < 0)
		return cfg_bad(c, "not a whole number in range", "%s", field);
	return 0;
}


/* The name of capability i if config.json may grant it, "" if not (it is
 * refused or left out); NULL past the end (features.c lists them). */
const char *cfg_cap_name(int i)
{
	const char *name = cap_name(i);

	if (!name)
		return NULL;
	return (CAPS_DEFAULT | CAP_MKNOD_MASK) >> i & 1 ? name : "";
}

/* One set of process.capabilities as a mask; unknown names are left
 * out (runc warns and goes on): leaving one out cannot add power. */
static int cap_set(struct cfg *c, int caps, const char *key,
		   unsigned long long *mask)
{
	const char **names;
	int n = cfg_strings(c, json_get(c->j, caps, key), key, &names);

	*mask = 0;
	for (int i = 0; i < n; i++) {
		unsigned long long bit = cap_mask(names[i], 1);
		*mask |= bit;
		if (!bit)
			cfg_note(c, "process.capabilities: an unknown name, "
				 "left out");
	}
	return n < 0 ? -1 : 0;
}

/*
 * process.capabilities: exactly the sets asked, within docker's default
 * set (caps.c), CAP_MKNOD included: docker, ctr and podman all ask for
 * it, and every config.json container has a device policy (devices.c)
 * that stops it opening a node it made.  More is refused.
 * Inheritable and ambient stay empty: for root they add nothing the
 * bounding set does not give at execve.  Absent: no capability at all.
 */
static int capabilities(struct cfg *c, int caps)
{
	unsigned long long allowed = CAPS_DEFAULT | CAP_MKNOD_MASK, *sets[3];
	unsigned long long extra;
	static const char *const keys[3] = { "bounding", "effective",
					     "permitted" };
	struct run_opts *o = c->o;

	sets[0] = &o->cap_bounding;
	sets[1] = &o->cap_effective;
	sets[2] = &o->cap_permitted;
	o->caps_given = 1;
	for (int i = 0; i < 3; i++) {
		if (cap_set(c, caps, keys[i], sets[i]) < 0)
			return -1;
		if ((extra = *sets[i] & ~allowed))
			return cfg_bad(c, "more than docker's default set is "
				       "not supported yet",
				       "process.capabilities.%s: CAP_%s",
				       keys[i], cap_name(__builtin_ctzll(extra)));
	}
	if (json_size(c->j, json_get(c->j, caps, "inheritable")) ||
	    json_size(c->j, json_get(c->j, caps, "ambient")))
		cfg_note(c, "process.capabilities: inheritable and ambient "
			 "kept empty");
	return 0;
}

/* setrlimit(2)'s resources, by the names config.json uses. */
static const struct { const char *name; int resource; } rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static int rlimits(struct cfg *c, int arr)
{
	int n = json_size(c->j, arr), e = arr + 1;
	struct ctr_rlimit *r = calloc((size_t)n + 1, sizeof *r);

	if (json_type(c->j, arr) != JSON_ARRAY || !r)
		return cfg_bad(c, "not an array", "process.rlimits");
	for (int i = 0; i < n; i++, e = json_next(c->j, e)) {
		const char *type = NULL;
		long long soft = -1, hard = -1;
		size_t k = 0;

		if (string_field(c, e, "type", "process.rlimits[].type",
				 &type) < 0 ||
		    int_field(c, e, "soft", "process.rlimits[].soft", 0,
			      0x7fffffffffffffffLL, &soft) < 0 ||
		    int_field(c, e, "hard", "process.rlimits[].hard", 0,
			      0x7fffffffffffffffLL, &hard) < 0)
			return -1;
		while (k < sizeof rlimit_names / sizeof *rlimit_names &&
		       (!type || strcmp(type, rlimit_names[k].name)))
			k++;
		if (k == sizeof rlimit_names / sizeof *rlimit_names ||
		    soft < 0 || hard < 0 || soft > hard)
			return cfg_bad(c, "a known type, and soft <= hard",
				       "process.rlimits[%d]", i);
		r[i] = (struct ctr_rlimit){ rlimit_names[k].resource,
					    (unsigned long long)soft,
					    (unsigned long long)hard };
	}
	c->o->rlimits = r;
	c->o->nrlimits = n;
	return 0;
}

/* process.user: the numbers as they are (the runtime looks no name up:
 * the engine did), switched to by caps.c as `run -u`'s. */
static int user(struct cfg *c, int u)
{
	long long uid = 0, gid = 0, mask = -1, g;
	int groups = json_get(c->j, u, "additionalGids"), e = groups + 1;
	unsigned *list;

	if (int_field(c, u, "uid", "process.user.uid", 0, 0xfffffffeLL, &uid) ||
	    int_field(c, u, "gid", "process.user.gid", 0, 0xfffffffeLL, &gid) ||
	    int_field(c, u, "umask", "process.user.umask", 0, 0777, &mask))
		return -1;
	c->o->has_ids = 1;
	c->o->uid = (unsigned)uid;
	c->o->gid = (unsigned)gid;
	c->o->umask = (int)mask;
	if (json_get(c->j, u, "username") >= 0)
		cfg_note(c, "process.user.username: not looked up");
	if (groups < 0)
		return 0;
	list = calloc((size_t)json_size(c->j, groups) + 1, sizeof *list);
	if (json_type(c->j, groups) != JSON_ARRAY || !list)
		return cfg_bad(c, "not an array", "process.user.additionalGids");
	for (int i = 0; i < json_size(c->j, groups); i++, e = json_next(c->j, e)) {
		if (json_int(c->j, e, 0, 0xfffffffeLL, &g) < 0)
			return cfg_bad(c, "not a gid", "process.user."
				       "additionalGids[%d]", i);
		list[i] = (unsigned)g;
	}
	c->o->groups = list;
	c->o->ngroups = json_size(c->j, groups);
	return 0;
}

/* process.env: every entry KEY=VALUE (a bare KEY would copy minictr's
 * own variable in, as `run -e KEY` does: not from a file). */
static int environment(struct cfg *c, int t)
{
	int n = cfg_strings(c, t, "process.env", &c->o->env);

	for (int i = 0; i < n; i++)
		if (!strchr(c->o->env[i], '=') || c->o->env[i][0] == '=')
			return cfg_bad(c, "not KEY=VALUE", "process.env[%d]", i);
	c->o->nenv = n < 0 ? 0 : n;
	return n < 0 ? -1 : 0;
}

/* consoleSize {height, width}: the terminal's rows and columns. */
static int console_size(struct cfg *c, int p)
{
	int t = json_get(c->j, p, "consoleSize");
	long long rows = 0, cols = 0;

	if (t < 0)
		return 0;
	if (int_field(c, t, "height", "process.consoleSize.height", 0, 65535,
		      &rows) || int_field(c, t, "width",
		      "process.consoleSize.width", 0, 65535, &cols))
		return -1;
	c->o->console_rows = (unsigned short)rows;
	c->o->console_cols = (unsigned short)cols;
	return 0;
}

/* process: the command, its environment, and its powers. */
static int process(struct cfg *c, int p)
{
	struct run_opts *o = c->o;
	const char **args;
	long long oom = 0;
	int t, nnp;

	if (json_type(c->j, p) != JSON_OBJECT)
		return cfg_bad(c, "missing, or not an object", "process");
	t = cfg_strings(c, json_get(c->j, p, "args"), "process.args", &args);
	if (t < 0)
		return -1;
	if (t == 0)
		return cfg_bad(c, "missing or empty", "process.args");
	o->argv = (char *const *)args;
	if (environment(c, json_get(c->j, p, "env")) < 0 ||
	    string_field(c, p, "cwd", "process.cwd", &o->workdir) < 0 ||
	    (o->tty = bool_field(c, p, "terminal", "process.terminal", 0)) < 0 ||
	    console_size(c, p) < 0)
		return -1;
	if (o->workdir && o->workdir[0] != '/')
		return cfg_bad(c, "not an absolute path", "process.cwd");
	if ((t = json_get(c->j, p, "user")) >= 0 && user(c, t) < 0)
		return -1;
	if ((t = json_get(c->j, p, "capabilities")) >= 0 ?
	    capabilities(c, t) < 0 : (o->caps_given = 1, 0))
		return -1;
	if ((t = json_get(c->j, p, "rlimits")) >= 0 && rlimits(c, t) < 0)
		return -1;
	if ((nnp = bool_field(c, p, "noNewPrivileges",
			      "process.noNewPrivileges", 1)) < 0)
		return -1;
	if (!nnp)
		cfg_note(c, "process.noNewPrivileges false: set all the same");
	o->no_new_privs = 1;
	if ((t = json_get(c->j, p, "oomScoreAdj")) >= 0) {
		if (int_field(c, p, "oomScoreAdj", "process.oomScoreAdj", -1000,
			      1000, &oom) < 0)
			return -1;
		o->oom_score_adj = (int)oom;
		o->has_oom = 1;
	}
	if (json_get(c->j, p, "selinuxLabel") >= 0)
		cfg_note(c, "process.selinuxLabel: no SELinux support");
	return string_field(c, p, "apparmorProfile", "process.apparmorProfile",
			    &o->apparmor);
}

/* root.path, relative to the bundle unless absolute; root.readonly. */
static int root(struct cfg *c, int r, const char *bundle)
{
	const char *path = NULL;
	char *abs;

	if (json_type(c->j, r) != JSON_OBJECT ||
	    string_field(c, r, "path", "root.path", &path) < 0 || !path ||
	    !path[0])
		return c->err->reason ? -1 : cfg_bad(c, "missing", "root.path");
	if (path[0] != '/') {
		abs = malloc(strlen(bundle) + strlen(path) + 2);
		if (!abs)
			return cfg_bad(c, "out of memory", "root.path");
		sprintf(abs, "%s/%s", bundle, path);
		path = abs;
	}
	c->o->rootfs = path;
	c->o->read_only = bool_field(c, r, "readonly", "root.readonly", 0);
	return c->o->read_only < 0 ? -1 : 0;
}

/* hooks' keys, by enum hook_kind (minictr.h), the order they run in */
const char *const hook_names[HOOK_KINDS] = {
	"prestart", "createRuntime", "createContainer", "startContainer",
	"poststart", "poststop",
};

/* hooks.KIND[i]: path (absolute), args, env, timeout (> 0 seconds). */
static int one_hook(struct cfg *c, int e, const char *kind, int i,
		    struct ctr_hook *h)
{
	long long timeout = 0;
	char field[64], args[72], env[72];

	snprintf(field, sizeof field, "hooks.%s[%d]", kind, i);
	if (json_type(c->j, e) != JSON_OBJECT)
		return cfg_bad(c, "not an object", "%s", field);
	if (string_field(c, e, "path", field, &h->path) < 0)
		return -1;
	if (!h->path || h->path[0] != '/')
		return cfg_bad(c, "missing, or not an absolute path",
			       "%s.path", field);
	snprintf(args, sizeof args, "%s.args", field);
	snprintf(env, sizeof env, "%s.env", field);
	if (cfg_strings(c, json_get(c->j, e, "args"), args, &h->args) < 0 ||
	    cfg_strings(c, json_get(c->j, e, "env"), env, &h->env) < 0)
		return -1;
	if (int_field(c, e, "timeout", field, 1, 86400, &timeout) < 0)
		return cfg_bad(c, "not a number of seconds, 1 to 86400",
			       "%s.timeout", field);
	if (h->args && !h->args[0])
		h->args = NULL;         /* [] : as if absent, argv is { path } */
	h->timeout = (int)timeout;
	return 0;
}

/* hooks: each kind an array, run by hooks.c at its moment. */
static int hooks(struct cfg *c, int h)
{
	if (json_type(c->j, h) != JSON_OBJECT)
		return cfg_bad(c, "not an object", "hooks");
	for (int k = 0; k < HOOK_KINDS; k++) {
		int arr = json_get(c->j, h, hook_names[k]), e = arr + 1;
		int n = json_size(c->j, arr);
		struct ctr_hook *list;

		int len;

		if (arr < 0 || (json_type(c->j, arr) == JSON_PRIMITIVE &&
				json_raw(c->j, arr, &len)[0] == 'n'))
			continue;       /* absent, or null */
		if (json_type(c->j, arr) != JSON_ARRAY ||
		    !(list = calloc((size_t)n + 1, sizeof *list)))
			return cfg_bad(c, "not an array", "hooks.%s",
				       hook_names[k]);
		for (int i = 0; i < n; i++, e = json_next(c->j, e))
			if (one_hook(c, e, hook_names[k], i, &list[i]) < 0)
				return -1;
		c->o->hooks[k] = list;
		c->o->nhooks[k] = n;
	}
	return 0;
}

/* The whole document: its parts in the order a reader checks them. */
static int document(struct cfg *c, const char *bundle)
{
	const struct json *j = c->j;
	const char *version = NULL, *anno;
	int t, len;

	if (string_field(c, 0, "ociVersion", "ociVersion", &version) < 0)
		return -1;
	if (!version || strncmp(version, "1.", 2) != 0)
		return cfg_bad(c, "missing, or not 1.x", "ociVersion");
	if (process(c, json_get(j, 0, "process")) < 0 ||
	    root(c, json_get(j, 0, "root"), bundle) < 0 ||
	    string_field(c, 0, "hostname", "hostname", &c->o->hostname) < 0 ||
	    string_field(c, 0, "domainname", "domainname",
			 &c->o->domainname) < 0)
		return -1;
	if (c->o->hostname && c->o->hostname[0] &&
	    !valid_hostname(c->o->hostname))
		return cfg_bad(c, "not a valid host name", "hostname");
	if (c->o->hostname && !c->o->hostname[0])
		c->o->hostname = NULL;
	if ((t = json_get(j, 0, "hooks")) >= 0 && hooks(c, t) < 0)
		return -1;
	if ((t = json_get(j, 0, "annotations")) >= 0 &&
	    json_type(j, t) == JSON_OBJECT) {
		anno = json_raw(j, t, &len);
		c->o->annotations = strndup(anno, (size_t)len);
	}
	if ((t = json_get(j, 0, "mounts")) >= 0 && cfg_mounts(c, t) < 0)
		return -1;
	return cfg_linux(c, json_get(j, 0, "linux"));
}

/*
 * config.json's text (len bytes) into o, which the caller zeroed; bundle
 * is the bundle's absolute path, for a relative root.path.  0, or -1 with
 * err->field and err->reason set.  bundle NULL: the text is one process
 * object (`exec --process FILE`, exec.c), read as config.json's is.
 */
int config_parse(const char *text, size_t len, const char *bundle,
		 struct run_opts *o, struct config_error *err)
{
	struct json j;
	struct cfg c = { .j = &j, .o = o, .err = err };
	const char *why = json_parse(text, len, &j);
	int rc;

	memset(err, 0, sizeof *err);
	o->umask = -1;
	o->ngroups = -1;
	o->stop_timeout = 10;
	if (why) {
		json_free(&j);
		return cfg_bad(&c, why, "%s", bundle ? "config.json" : "process");
	}
	rc = bundle ? document(&c, bundle) : process(&c, 0);
	json_free(&j);
	return rc;
}

/*
 * Only config.json's hooks into o (zeroed by the caller): for start's
 * poststart and delete's poststop, from create's copy, which create
 * checked whole.  Reading all of it again would parse and check its
 * seccomp profile, hundreds of names, twice more per `run --bundle`, to
 * throw it away.  0, or -1 with err set.
 */
int config_hooks(const char *text, size_t len, struct run_opts *o,
		 struct config_error *err)
{
	struct json j;
	struct cfg c = { .j = &j, .o = o, .err = err };
	const char *why = json_parse(text, len, &j);
	int t = why ? -1 : json_get(&j, 0, "hooks"), rc = 0;

	memset(err, 0, sizeof *err);
	if (why)
		rc = cfg_bad(&c, why, "config.json");
	else if (t >= 0)
		rc = hooks(&c, t);
	json_free(&j);
	return rc;
}
