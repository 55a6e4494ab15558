/*
 * args.c - parsing the options of `minictr run`, as a pure function.
 *
 * argv goes in, a filled struct run_opts (or a struct parse_error) comes
 * out: no printing, no exit, no allocation, no globals.  That is what lets
 * test/unit_args.c check every case as a table, with glibc's criterion,
 * while the product is built against musl.
 *
 * The conventions are POSIX's utility syntax plus docker's long names:
 * short flags cluster (-ti), a value may be attached or separate (-hNAME,
 * -h NAME, -ih NAME), long options take --opt VALUE or --opt=VALUE, the
 * last of a repeated option wins, and parsing stops at the first word that
 * is not an option and at "--".  getopt(3) is not used because glibc's
 * permutes argv (it would eat the -l of `minictr run ls -l`) and musl's
 * does not: a short hand-written loop behaves the same under both.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "minictr.h"

enum option_id {
	OPT_INTERACTIVE, OPT_TTY, OPT_HOSTNAME, OPT_ENV, OPT_WORKDIR,
	OPT_NET, OPT_INIT, OPT_STOP_TIMEOUT, OPT_MEMORY, OPT_PIDS_LIMIT,
	OPT_CPUS, OPT_CPUSET_CPUS, OPT_ROOTFS, OPT_VOLUME, OPT_TMPFS,
	OPT_READ_ONLY, OPT_TRACE, OPT_HELP, OPT_ENV_FILE,
	OPT_DETACH, OPT_NAME, OPT_RM,
	OPT_USERNS, OPT_CGROUPNS,
	OPT_USER, OPT_GROUP_ADD, OPT_CAP_ADD, OPT_CAP_DROP, OPT_PRIVILEGED,
	OPT_SECURITY_OPT,
	OPT_RESTART,
	OPT_MEMORY_SWAP, OPT_SHM_SIZE,
};

/* One row per option: the help text in main.c lists them in this order. */
static const struct option_spec {
	char short_name;        /* 0: long form only */
	const char *long_name;
	int takes_value;
	enum option_id id;
} options[] = {
	{ 'i', "interactive",  0, OPT_INTERACTIVE },
	{ 't', "tty",          0, OPT_TTY },
	{ 'h', "hostname",     1, OPT_HOSTNAME },
	{ 'e', "env",          1, OPT_ENV },
	{ 0,   "env-file",     1, OPT_ENV_FILE },
	{ 'w', "workdir",      1, OPT_WORKDIR },
	{ 0,   "net",          1, OPT_NET },
	{ 0,   "network",      1, OPT_NET },      /* docker's name for it */
	{ 0,   "init",         0, OPT_INIT },
	{ 0,   "stop-timeout", 1, OPT_STOP_TIMEOUT },
	{ 0,   "restart",      1, OPT_RESTART },
	{ 'm', "memory",       1, OPT_MEMORY },
	{ 0,   "memory-swap",  1, OPT_MEMORY_SWAP },
	{ 0,   "pids-limit",   1, OPT_PIDS_LIMIT },
	{ 0,   "cpus",         1, OPT_CPUS },
	{ 0,   "cpuset-cpus",  1, OPT_CPUSET_CPUS },
	{ 0,   "rootfs",       1, OPT_ROOTFS },
	{ 'v', "volume",       1, OPT_VOLUME },
	{ 0,   "tmpfs",        1, OPT_TMPFS },
	{ 0,   "shm-size",     1, OPT_SHM_SIZE },
	{ 0,   "read-only",    0, OPT_READ_ONLY },
	{ 'u', "user",         1, OPT_USER },
	{ 0,   "group-add",    1, OPT_GROUP_ADD },
	{ 0,   "cap-add",      1, OPT_CAP_ADD },
	{ 0,   "cap-drop",     1, OPT_CAP_DROP },
	{ 0,   "privileged",   0, OPT_PRIVILEGED },
	{ 0,   "security-opt", 1, OPT_SECURITY_OPT },
	{ 0,   "trace",        0, OPT_TRACE },
	{ 0,   "help",         0, OPT_HELP },
	{ 'd', "detach",       0, OPT_DETACH },
	{ 0,   "name",         1, OPT_NAME },
	{ 0,   "rm",           0, OPT_RM },
	{ 0,   "userns",       1, OPT_USERNS },
	{ 0,   "cgroupns",     1, OPT_CGROUPNS },
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const struct option_spec *find_short(char c)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (options[i].short_name && options[i].short_name == c)
			return &options[i];
	return NULL;
}

/* Match "name" or "name=value" (without the leading "--"). */
static const struct option_spec *find_long(const char *word, size_t len)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (strlen(options[i].long_name) == len &&
		    memcmp(options[i].long_name, word, len) == 0)
			return &options[i];
	return NULL;
}

/* RFC 1123 host name label rules, with dots allowed, at most 64 bytes. */
int valid_hostname(const char *name)
{
	size_t len = strlen(name);

	if (len < 1 || len > 64)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9');
		int edge = (i == 0 || i == len - 1);
		if (!alnum && (edge || (c != '-' && c != '.')))
			return 0;
	}
	return 1;
}

/* Docker's rule for --name: [a-zA-Z0-9][a-zA-Z0-9_.-]+, here at most
 * NAME_MAX_CTR bytes, so a name is one path component, never ".". */
int valid_name(const char *name)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t n = strlen(name);

	if (n < 2 || n > NAME_MAX_CTR || !strchr(alnum, name[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!strchr(alnum, name[i]) && !strchr("_.-", name[i]))
			return 0;
	return 1;
}

static enum parse_code bad_value(struct parse_error *err, const char *value,
				 const char *reason)
{
	err->code = PARSE_BAD_VALUE;
	err->value = value;
	err->reason = reason;
	return PARSE_BAD_VALUE;
}

/* -m, --memory-swap, --shm-size: bytes as docker reads them (units.c);
 * 0 is docker's "not set": no limit, no swap on top of -m (minictr's
 * rule), /dev/shm's 64m. */
static enum parse_code apply_bytes(const struct option_spec *opt,
				   const char *value, struct run_opts *o,
				   struct parse_error *err)
{
	long long *out = opt->id == OPT_MEMORY ? &o->memory :
			 opt->id == OPT_SHM_SIZE ? &o->shm_size : &o->memory_swap;
	int rc;

	if (opt->id == OPT_MEMORY_SWAP && strcmp(value, "-1") == 0) {
		o->memory_swap = -1;    /* docker's: swap without a limit */
		return PARSE_OK;
	}
	rc = ram_in_bytes(value, out);
	if (rc == -2)
		return bad_value(err, value, "at most 9223372036854775295 bytes "
				 "(8 EiB less 513 bytes), docker's largest");
	if (rc < 0)
		return bad_value(err, value, "use bytes as docker does: a "
				 "number and a unit b, k, m, g, t or p, "
				 "alone or with b or ib: 64m, 64MiB, 1.5g");
	return PARSE_OK;
}

/* The limit options: each value parsed by units.c, then its range. */
static enum parse_code apply_limit(const struct option_spec *opt,
				   const char *value, struct run_opts *o,
				   struct parse_error *err)
{
	const long long NANO = 1000000000;      /* --cpus: billionths */
	long long nano;

	switch (opt->id) {
	case OPT_PIDS_LIMIT:    /* -1 or 0: no limit, as docker's */
		if (value[0] == '-' && parse_whole(value + 1, 9223372036854775807LL,
						   &nano) == 0)
			o->pids_limit = 0;      /* docker: any negative */
		else if ((value[0] == '0' && value[1]) ||       /* docker: octal */
			 parse_whole(value, PIDS_MAX, &o->pids_limit) < 0)
			return bad_value(err, value, "use a whole number up to "
					 "4194304, or -1 or 0 for no limit");
		break;
	case OPT_CPUS:          /* 0: no limit, as docker's --cpus 0 */
		/* the kernel's floor is a quota of 1 ms per period */
		if (parse_cpus(value, &nano) < 0 || nano > 100000 * NANO ||
		    (nano > 0 && nano < NANO / 100))
			return bad_value(err, value, "use a number of CPUs from "
					 "0.01 to 100000 (0: no limit), at most 9 "
					 "decimals: 1.5, .5, 1/2");
		o->cpu_quota = nano / (NANO / CPU_PERIOD_US);
		break;
	default:        /* OPT_CPUSET_CPUS */
		if (parse_cpu_list(value) < 0)
			return bad_value(err, value, "use CPU numbers and ranges "
					 "separated by commas: 0-1,3");
		o->cpuset_cpus = value;
		break;
	}
	return PARSE_OK;
}

/* A name, or a number from 0 to 2147483647 (docker's range). */
static int user_word(const char *s, size_t len)
{
	return len > 0 && (strspn(s, "0123456789") < len || user_id(s, len) >= 0);
}

/* strconv.ParseBool's words, as docker takes them: 1 true, 0 false. */
static int bool_word(const char *s)
{
	static const char *const words[] = { "0", "f", "F", "false", "FALSE",
		"False", "1", "t", "T", "true", "TRUE", "True" };

	for (int i = 0; i < 12; i++)
		if (strcmp(s, words[i]) == 0)
			return i >= 6;
	return -1;
}

/*
 * --security-opt KEY[=VALUE] (docker also takes KEY:VALUE, its old
 * spelling): each key is one row here: seccomp=unconfined|PROFILE.json
 * (seccomp_profile.c reads the file), no-new-privileges (caps.c).
 */
static enum parse_code security_opt(const char *value, struct run_opts *o,
				    struct parse_error *err)
{
	size_t klen = strcspn(value, "=:");
	const char *v = value[klen] ? value + klen + 1 : NULL;

	if (klen == 7 && strncmp(value, "seccomp", 7) == 0 && v && *v) {
		o->seccomp_unconfined = strcmp(v, "unconfined") == 0;
		o->seccomp_file = o->seccomp_unconfined ? NULL : v;
		return PARSE_OK;       /* the file: read by main.c */
	}
	if (klen == 17 && strncmp(value, "no-new-privileges", 17) == 0) {
		int on = v ? bool_word(v) : 1;
		if (on < 0)
			return bad_value(err, value, "use no-new-privileges, "
					 "no-new-privileges=true or =false");
		o->no_new_privs = on;
		return PARSE_OK;
	}
	return bad_value(err, value, "use seccomp=unconfined, "
			 "seccomp=PROFILE.json or no-new-privileges[=true|false]");
}

/* -u, --group-add, --cap-add, --cap-drop: checked here, resolved later
 * (names inside the container; the capability sets by parse_run()). */
static enum parse_code apply_user(const struct option_spec *opt,
				  const char *value, struct run_opts *o,
				  struct parse_error *err)
{
	size_t ulen = strcspn(value, ":");
	unsigned long long cap = 0;

	switch (opt->id) {
	case OPT_USER:
		if (!user_word(value, ulen) || (value[ulen] &&
		    !user_word(value + ulen + 1, strlen(value + ulen + 1))))
			return bad_value(err, value, "use USER[:GROUP], names or "
					 "numbers from 0 to 2147483647");
		o->user = value;
		break;
	case OPT_GROUP_ADD:
		if (!user_word(value, strlen(value)))
			return bad_value(err, value, "use a group name or a "
					 "number from 0 to 2147483647");
		o->group_add[o->ngroup_add++] = value;
		break;
	default:        /* OPT_CAP_ADD, OPT_CAP_DROP */
		if (!(cap = cap_mask(value, 0)))
			return bad_value(err, value, "use a capability of "
					 "capabilities(7), with or without "
					 "CAP_, or ALL");
		*(opt->id == OPT_CAP_ADD ? &o->cap_add : &o->cap_drop) |= cap;
		break;
	}
	return PARSE_OK;
}

/* The options without a value: each sets its flag. */
static enum parse_code apply_flag(const struct option_spec *opt,
				  struct run_opts *o)
{
	switch (opt->id) {
	case OPT_INTERACTIVE:  o->interactive = 1; break;
	case OPT_TTY:          o->tty = 1; break;
	case OPT_INIT:         o->init = 1; break;
	case OPT_TRACE:        o->trace = 1; break;
	case OPT_READ_ONLY:    o->read_only = 1; break;
	case OPT_HELP:         return PARSE_HELP;
	case OPT_DETACH:       o->detach = 1; break;
	case OPT_RM:           o->rm = 1; break;
	case OPT_PRIVILEGED:   o->privileged = 1; break;
	default:               break;
	}
	return PARSE_OK;
}

/* --rootfs, -w, --env-file, -v, --tmpfs, -e: kept as given (the lists in
 * the caller's room), checked here; read or mounted later. */
static enum parse_code apply_path(const struct option_spec *opt,
				  const char *value, struct run_opts *o,
				  struct parse_error *err)
{
	struct volume v;
	struct tmpfs_spec t;
	const char *why = NULL;

	switch (opt->id) {
	case OPT_VOLUME:
		if (!(why = volume_split(value, &v)))
			o->volumes[o->nvolumes++] = value;
		break;
	case OPT_TMPFS:
		if (!(why = tmpfs_split(value, &t)))
			o->tmpfs[o->ntmpfs++] = value;
		break;
	case OPT_ENV:
		if (*value == '\0' || *value == '=')
			why = "empty variable name";
		else
			o->env[o->nenv++] = value;
		break;
	default:        /* OPT_ROOTFS, OPT_WORKDIR, OPT_ENV_FILE */
		if (*value == '\0')
			why = "an empty path";
		else if (opt->id == OPT_ENV_FILE)
			o->env_files[o->nenv_files++] = value;
		else
			*(opt->id == OPT_ROOTFS ? &o->rootfs : &o->workdir) = value;
		break;
	}
	return why ? bad_value(err, value, why) : PARSE_OK;
}

/* --name, -h, --net, --userns, --cgroupns: a name, or one of two words. */
static enum parse_code apply_word(const struct option_spec *opt,
				  const char *value, struct run_opts *o,
				  struct parse_error *err)
{
	int host = strcmp(value, "host") == 0;

	switch (opt->id) {
	case OPT_NAME:
		if (!valid_name(value))
			return bad_value(err, value, "use 2-64 letters, digits, "
					 "'_', '.' and '-', starting with a "
					 "letter or digit");
		o->name = value;
		break;
	case OPT_HOSTNAME:
		if (!valid_hostname(value))
			return bad_value(err, value, "use 1-64 letters, digits, "
					 "'-' and '.', starting and ending "
					 "with a letter or digit");
		o->hostname = value;
		break;
	case OPT_NET:
		if (!host && strcmp(value, "none") != 0)
			return bad_value(err, value, "use none or host");
		o->net = host ? NET_HOST : NET_NONE;
		break;
	case OPT_USERNS:        /* podman's auto, docker's host */
		if (!host && strcmp(value, "auto") != 0)
			return bad_value(err, value, "use auto or host");
		o->userns_auto = !host;
		break;
	default:        /* OPT_CGROUPNS */
		if (!host && strcmp(value, "private") != 0)
			return bad_value(err, value, "use host or private");
		o->cgroupns = host ? CGROUPNS_HOST : CGROUPNS_PRIVATE;
		break;
	}
	return PARSE_OK;
}

/* --stop-timeout and --restart: how the container ends, and again. */
static enum parse_code apply_lifecycle(const struct option_spec *opt,
				       const char *value, struct run_opts *o,
				       struct parse_error *err)
{
	long long secs;
	const char *why;

	if (opt->id == OPT_RESTART) {
		why = restart_parse(value, &o->restart);
		return why ? bad_value(err, value, why) : PARSE_OK;
	}
	/* docker's: a negative number waits for ever, no SIGKILL ("-0": 0) */
	if (value[0] == '-' && parse_whole(value + 1, 2147483647, &secs) == 0)
		secs = secs ? -1 : 0;
	else if (parse_whole(value, 2147483647, &secs) < 0)
		return bad_value(err, value, "use a whole number of seconds, or "
				 "-1 to wait for ever (no SIGKILL)");
	o->stop_timeout = (long)secs;
	return PARSE_OK;
}

/* Store one option's effect in o; the value has already been found. */
static enum parse_code apply(const struct option_spec *opt, const char *value,
			     struct run_opts *o, struct parse_error *err)
{
	if (!opt->takes_value)
		return apply_flag(opt, o);
	switch (opt->id) {
	case OPT_SECURITY_OPT:
		return security_opt(value, o, err);
	case OPT_USER: case OPT_GROUP_ADD: case OPT_CAP_ADD: case OPT_CAP_DROP:
		return apply_user(opt, value, o, err);
	case OPT_PIDS_LIMIT: case OPT_CPUS: case OPT_CPUSET_CPUS:
		return apply_limit(opt, value, o, err);
	case OPT_MEMORY: case OPT_MEMORY_SWAP: case OPT_SHM_SIZE:
		return apply_bytes(opt, value, o, err);
	case OPT_ROOTFS: case OPT_WORKDIR: case OPT_ENV_FILE: case OPT_VOLUME:
	case OPT_TMPFS: case OPT_ENV:
		return apply_path(opt, value, o, err);
	case OPT_NAME: case OPT_HOSTNAME: case OPT_NET: case OPT_USERNS:
	case OPT_CGROUPNS:
		return apply_word(opt, value, o, err);
	default:        /* OPT_STOP_TIMEOUT, OPT_RESTART */
		return apply_lifecycle(opt, value, o, err);
	}
}

/* --name, --name=value or --name value; *i moves past what was used. */
static enum parse_code parse_long(int argc, char *const argv[], int *i,
				  struct run_opts *o, struct parse_error *err)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct option_spec *opt = find_long(name, len);
	const char *value = eq ? eq + 1 : NULL;

	err->short_name = 0;
	err->long_name = argv[*i];
	err->long_len = (int)len + 2;
	if (!opt)
		return err->code = PARSE_UNKNOWN_OPTION;
	if (!opt->takes_value && value)
		return err->code = PARSE_TAKES_NO_VALUE;
	if (opt->takes_value && !value) {
		if (*i + 1 >= argc)
			return err->code = PARSE_NEEDS_VALUE;
		value = argv[++*i];
	}
	return apply(opt, value, o, err);
}

/* A cluster such as -ti or -ihNAME; a value ends the cluster. */
static enum parse_code parse_short(int argc, char *const argv[], int *i,
				   struct run_opts *o, struct parse_error *err)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		const struct option_spec *opt = find_short(*p);
		const char *value = NULL;

		err->short_name = *p;
		err->long_name = NULL;
		if (!opt)
			return err->code = PARSE_UNKNOWN_OPTION;
		if (opt->takes_value) {
			if (p[1] != '\0')     /* -m64m; -m=64m too (pflag's) */
				value = p + 1 + (p[1] == '=');
			else if (*i + 1 < argc)
				value = argv[++*i];
			else
				return err->code = PARSE_NEEDS_VALUE;
		}
		enum parse_code rc = apply(opt, value, o, err);
		if (rc != PARSE_OK || value)
			return rc;
	}
	return PARSE_OK;
}

/* -v, --tmpfs, --read-only and --shm-size shape the container's root:
 * without --rootfs, that root is the host's own, and minictr does not
 * change the host's files (nor its /dev/shm). */
static enum parse_code needs_rootfs(const struct run_opts *o,
				    struct parse_error *err)
{
	err->short_name = 0;
	err->long_name = o->nvolumes ? "--volume" :
			 o->ntmpfs ? "--tmpfs" :
			 o->read_only ? "--read-only" : "--shm-size";
	err->long_len = (int)strlen(err->long_name);
	return err->code = PARSE_NEEDS_ROOTFS;
}

/*
 * --memory-swap is docker's limit of memory and swap together, so it
 * needs -m and is at least -m (equal: no swap).  docker's words ("You
 * should always set the Memory limit when using Memoryswap limit",
 * "Minimum memoryswap limit should be larger than memory limit"), as
 * minictr says a thing.  -1 (unlimited swap) goes with anything.
 */
static enum parse_code swap_conflict(const struct run_opts *o,
				     struct parse_error *err)
{
	err->short_name = 0;
	err->long_name = "--memory-swap";
	err->long_len = 13;
	err->reason = !o->memory ? "needs -m: it limits memory and swap "
		      "together (-1: unlimited swap)" : "is less than -m: it "
		      "limits memory and swap together, so it is at least -m "
		      "(equal: no swap; -1: unlimited swap)";
	return err->code = PARSE_CONFLICT;
}

/*
 * What the options mean together: no_new_privs is on by default with
 * --rootfs only (without it the container is the host's root anyway;
 * docker's default is off), and the capability sets follow docker's rule
 * (capnames.c) from the base set: docker's less CAP_MKNOD with --rootfs,
 * all of them without; CAP_MKNOD added back brings the device policy.
 * Untouched, caps.c keeps its defaults.
 */
static void settle_privileges(struct run_opts *o)
{
	if (o->no_new_privs < 0)
		o->no_new_privs = o->rootfs != NULL;
	if (!o->cap_add && !o->cap_drop && !o->privileged)
		return;
	o->caps_given = 1;
	o->cap_bounding = cap_tweak(o->rootfs ? CAPS_DEFAULT : CAPS_ALL,
				    o->cap_add, o->cap_drop, o->privileged);
	o->cap_effective = o->cap_permitted = o->cap_bounding;
	/* --cap-add MKNOD: the node it makes may not be opened (runc's
	 * default policy, devices.c).  A cgroup for it, so only then; and
	 * not with --privileged (docker's: every device) */
	if (o->rootfs && !o->privileged && o->cap_bounding & CAP_MKNOD_MASK) {
		o->devices = dev_defaults;
		o->ndevices = dev_ndefaults;
	}
}

/*
 * Parse the words after "run".  o->env, o->env_files, o->volumes,
 * o->tmpfs and o->group_add must each point to room for argc pointers
 * (at most one option per word).  --env-file's files are not read here: main.c does, after
 * parsing.  On PARSE_OK, o->argv is the command.
 */
enum parse_code parse_run(int argc, char *const argv[], struct run_opts *o,
			  struct parse_error *err)
{
	const char **env = o->env, **volumes = o->volumes, **tmpfs = o->tmpfs;
	const char **env_files = o->env_files, **group_add = o->group_add;
	int i;

	memset(o, 0, sizeof *o);
	memset(err, 0, sizeof *err);
	o->env = env;
	o->env_files = env_files;
	o->volumes = volumes;
	o->tmpfs = tmpfs;
	o->group_add = group_add;
	o->no_new_privs = -1;   /* settle_privileges() decides */
	o->umask = -1;          /* the caller's (0 would make every file a
				 * -u user creates writable by all) */
	o->words = argv;
	o->net = NET_NONE;
	o->stop_timeout = 10;   /* docker stop's default */

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		enum parse_code rc;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;          /* the command ("-" alone is a word) */
		if (a[1] == '-')
			rc = parse_long(argc, argv, &i, o, err);
		else
			rc = parse_short(argc, argv, &i, o, err);
		if (rc != PARSE_OK)
			return err->code = rc;
	}
	if (i >= argc)
		return err->code = PARSE_NO_COMMAND;
	if (!o->rootfs && (o->nvolumes || o->ntmpfs || o->read_only ||
			   o->shm_size))
		return needs_rootfs(o, err);
	if (o->memory_swap > 0 && (!o->memory || o->memory_swap < o->memory))
		return swap_conflict(o, err);
	settle_privileges(o);
	o->argv = argv + i;
	return PARSE_OK;
}

/* The words for a parse error, without the "minictr: run: " prefix. */
int format_parse_error(const struct parse_error *err, char *buf, size_t len)
{
	/* the option as the user typed it: "-h" or "--hostname" */
	char short_form[3] = { '-', err->short_name, '\0' };
	const char *opt = err->short_name ? short_form : err->long_name;
	int n = err->short_name ? 2 : err->long_len;

	switch (err->code) {
	case PARSE_NO_COMMAND:
		return snprintf(buf, len, "missing command");
	case PARSE_UNKNOWN_OPTION:
		return snprintf(buf, len, "unknown option '%.*s'", n, opt);
	case PARSE_NEEDS_VALUE:
		return snprintf(buf, len, "option '%.*s' needs a value", n, opt);
	case PARSE_TAKES_NO_VALUE:
		return snprintf(buf, len, "option '%.*s' takes no value", n, opt);
	case PARSE_BAD_VALUE:
		return snprintf(buf, len, "invalid value '%s' for '%.*s': %s",
				err->value, n, opt, err->reason);
	case PARSE_NEEDS_ROOTFS:
		return snprintf(buf, len, "option '%s' needs --rootfs", opt);
	case PARSE_CONFLICT:
		return snprintf(buf, len, "option '%.*s' %s", n, opt, err->reason);
	default:
		return snprintf(buf, len, "no error");
	}
}
