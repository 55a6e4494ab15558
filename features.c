/*
 * features.c - `minictr features`: what this runtime implements, as the
 * JSON `runc features` prints (runtime-spec features.md), so that an
 * engine (containerd >= 1.7 asks) or a person can tell before trying.
 *
 * Truthful by construction: the lists are read from the very tables
 * config.c and config_linux.c accept, so a mount option, a namespace
 * type or a capability appears here exactly when a config.json that
 * names it is taken, and the hook kinds are config.c's.  What minictr
 * does not do says so: AppArmor and SELinux off, no systemd cgroup
 * driver; seccomp's actions and operators are seccomp_profile.c's.
 * One write(2) of a buffer built with snprintf; no FILE.
 * Man pages: capabilities(7), namespaces(7), mount(8).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "minictr.h"

#define FEATURES_MAX 8192

struct out {
	char buf[FEATURES_MAX];
	size_t len;
	int full;               /* something did not fit: a bug, said */
};

static void put(struct out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->len + n > sizeof o->buf) {
		o->full = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* "key": ["a", "b"] from a name table that ends with NULL; prefix goes
 * before each name (capabilities: "CAP_").  The names are the tables'
 * own C identifiers: nothing to escape. */
static void list(struct out *o, const char *indent, const char *key,
		 const char *(*name)(int), const char *prefix)
{
	const char *n;
	int first = 1;

	put(o, indent), put(o, "\""), put(o, key), put(o, "\": [");
	for (int i = 0; (n = name(i)) != NULL; i++) {
		if (!n[0])
			continue;       /* a hole: a name not accepted */
		put(o, first ? "\n" : ",\n");
		put(o, indent), put(o, "\t\""), put(o, prefix), put(o, n);
		put(o, "\"");
		first = 0;
	}
	if (!first)
		put(o, "\n"), put(o, indent);
	put(o, "]");
}

/* The hook kinds config.c reads and hooks.c runs. */
static const char *hook_name(int i)
{
	return i < HOOK_KINDS ? hook_names[i] : NULL;
}

/* The document, on stdout, in one write. */
int features_write(void)
{
	static struct out o;

	put(&o, "{\n\t\"ociVersionMin\": \"1.0.0\",\n"
		"\t\"ociVersionMax\": \"1.0.2\",\n");
	list(&o, "\t", "hooks", hook_name, "");
	put(&o, ",\n");
	list(&o, "\t", "mountOptions", cfg_mount_word, "");
	put(&o, ",\n\t\"linux\": {\n");
	list(&o, "\t\t", "namespaces", cfg_namespace_type, "");
	put(&o, ",\n");
	list(&o, "\t\t", "capabilities", cfg_cap_name, "CAP_");
	put(&o, ",\n"
		"\t\t\"cgroup\": {\"v1\": true, \"v2\": true, "
		"\"systemd\": false, \"systemdUser\": false},\n"
		"\t\t\"seccomp\": {\"enabled\": true, \"actions\": "
		"[\"SCMP_ACT_ALLOW\", \"SCMP_ACT_ERRNO\", \"SCMP_ACT_KILL\", "
		"\"SCMP_ACT_KILL_PROCESS\", \"SCMP_ACT_KILL_THREAD\", "
		"\"SCMP_ACT_LOG\", \"SCMP_ACT_TRACE\", \"SCMP_ACT_TRAP\"], "
		"\"operators\": [\"SCMP_CMP_EQ\", \"SCMP_CMP_GE\", "
		"\"SCMP_CMP_GT\", \"SCMP_CMP_LE\", \"SCMP_CMP_LT\", "
		"\"SCMP_CMP_MASKED_EQ\", \"SCMP_CMP_NE\"]},\n"
		"\t\t\"apparmor\": {\"enabled\": false},\n"
		"\t\t\"selinux\": {\"enabled\": false}\n"
		"\t},\n\t\"annotations\": {\n"
		"\t\t\"org.minictr.version\": \"" MINICTR_VERSION "\"\n"
		"\t}\n}\n");
	if (o.full || write(STDOUT_FILENO, o.buf, o.len) != (ssize_t)o.len)
		die("features: write");
	return 0;
}
