/*
 * process.c - (child) what config.json sets on the process that `run`
 * has no option for: umask, resource limits, the OOM score, the NIS
 * domain name, and the sysctls of the container's own namespaces (a write
 * to /proc/sys, before /proc/sys is made read-only).  Each is one system
 * call, made after the mounts (/proc is the container's) and before the
 * capabilities are dropped (caps.c): raising a limit or lowering the OOM
 * score needs CAP_SYS_RESOURCE.  `run` leaves them all unset, and nothing
 * happens.  The supplementary groups are caps.c's, with the user they
 * belong to.
 *
 * Man pages: umask(2), setrlimit(2), proc(5)
 * (/proc/pid/oom_score_adj), setdomainname(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

/* path's contents become value: open and write, traced as those calls. */
static int write_proc(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd = (int)traced(open(path, O_WRONLY | O_CLOEXEC),
			     "open(\"%s\", O_WRONLY|O_CLOEXEC)", path), n;

	if (fd < 0)
		return -1;
	n = traced(write(fd, value, len), "write(%d, \"%s\", %zu)", fd, value,
		   len) == (long)len ? 0 : -1;
	close(fd);
	return n;
}

/* The OOM killer's bias for this process and its children: -1000 (never)
 * to 1000 (first).  Written, not set by a call: proc(5). */
static int oom_score(int adj)
{
	char v[16];

	snprintf(v, sizeof v, "%d", adj);
	return write_proc("/proc/self/oom_score_adj", v);
}

/* One sysctl, in the container's namespace: net.ipv4.ping_group_range
 * is the file /proc/sys/net/ipv4/ping_group_range (config_ns.c checked
 * the key: no "..", no "/", a namespaced one). */
static int sysctl_write(const char *key, const char *value)
{
	char path[256];
	int n = snprintf(path, sizeof path, "/proc/sys/%s", key);

	for (char *p = path + 10; *p; p++)
		*p = *p == '.' ? '/' : *p;
	if (n >= (int)sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return write_proc(path, value);
}

void process_attributes(const struct run_opts *o, int report_fd)
{
	for (int i = 0; i < o->nsysctl; i++)
		if (sysctl_write(o->sysctl[2 * i], o->sysctl[2 * i + 1]) < 0)
			fail(report_fd, EXIT_SETUP, errno, "sysctl %s",
			     o->sysctl[2 * i]);
	if (o->umask >= 0)
		umask((mode_t)o->umask);        /* cannot fail */
	for (int i = 0; i < o->nrlimits; i++) {
		struct rlimit r = { o->rlimits[i].soft, o->rlimits[i].hard };
		if (traced(setrlimit(o->rlimits[i].resource, &r),
			   "setrlimit(%d, {%llu, %llu})", o->rlimits[i].resource,
			   o->rlimits[i].soft, o->rlimits[i].hard) < 0)
			fail(report_fd, EXIT_SETUP, errno, "setrlimit %d",
			     o->rlimits[i].resource);
	}
	if (o->has_oom && oom_score(o->oom_score_adj) < 0)
		fail(report_fd, EXIT_SETUP, errno, "oom_score_adj %d",
		     o->oom_score_adj);
	if (o->domainname && traced(setdomainname(o->domainname,
						  strlen(o->domainname)),
				    "setdomainname(\"%s\", %zu)", o->domainname,
				    strlen(o->domainname)) < 0)
		fail(report_fd, EXIT_SETUP, errno, "setdomainname %s",
		     o->domainname);
}
