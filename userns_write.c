/*
 * userns_write.c - a map written: /proc/PID/uid_map and gid_map (and
 * setgroups) in one write(2) each, as the kernel takes them, whole and
 * once; or newuidmap(1) and newgidmap(1), setuid helpers run in the
 * parent's namespace, which check the map against /etc/subuid and
 * /etc/subgid.  When the kernel refuses, a host switch may say why
 * (Debian's unprivileged_userns_clone, max_user_namespaces, Ubuntu's
 * AppArmor restriction): that switch is named.
 * Man pages: user_namespaces(7), newuidmap(1), execve(2), waitpid(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "userns.h"

/* What forbids user namespaces here, if a switch says so: its line. */
static int refused_by_switch(int err, const char *what)
{
	static const struct { const char *dir, *name; int off; } sw[] = {
		/* Debian's and Ubuntu's own patch */
		{ "kernel", "unprivileged_userns_clone", 0 },
		/* a limit per user namespace: 0 forbids them */
		{ "user", "max_user_namespaces", 0 },
		/* Ubuntu 24.04's AppArmor: the maps are refused */
		{ "kernel", "apparmor_restrict_unprivileged_userns", 1 },
	};
	char v[32], dir[32];

	for (size_t i = 0; i < sizeof sw / sizeof sw[0]; i++) {
		snprintf(dir, sizeof dir, "/proc/sys/%s", sw[i].dir);
		if (read_text(dir, sw[i].name, v, sizeof v) < 0 ||
		    atoi(v) != sw[i].off)
			continue;
		error_line(err, "%s: this host forbids user namespaces to "
			   "users: sysctl %s.%s is %d (check: sysctl %s.%s)",
			   what, sw[i].dir, sw[i].name, sw[i].off, sw[i].dir,
			   sw[i].name);
		return 1;
	}
	return 0;
}

/* Parent: clone(CLONE_NEWUSER|...) failed.  One line, exit 125. */
_Noreturn void userns_refused(int err)
{
	if (!refused_by_switch(err, "clone"))
		error_line(err, "clone: the kernel refused a user namespace "
			   "(a seccomp profile, a chroot, an LSM policy or a "
			   "namespace limit may forbid it)");
	exit(EXIT_SETUP);
}

/* Kill the child that waits, say why, exit 125. */
_Noreturn void map_failed(pid_t pid, const char *what)
{
	int err = errno;

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (!refused_by_switch(err, what))
		error_line(err, "%s", what);
	exit(EXIT_SETUP);
}

/* /proc/PID/name = text, in one write(2): the kernel takes a map whole,
 * once.  -1 with errno. */
int write_proc(pid_t pid, const char *name, const char *text)
{
	char path[64], shown[ID_MAPS_MAX * 72], *o = shown;
	size_t len = strlen(text);
	int fd, err;
	ssize_t n;

	for (const char *t = text; *t; t++)     /* as strace shows it */
		o = *t == '\n' ? stpcpy(o, "\\n") : (*o = *t, o + 1);
	*o = '\0';
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
	fd = (int)traced(open(path, O_WRONLY | O_CLOEXEC),
			 "open(\"%s\", O_WRONLY|O_CLOEXEC)", path);
	if (fd < 0)
		return -1;
	n = traced(write(fd, text, len), "write(%d, \"%s\", %zu)", fd, shown,
		   len);
	err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)len ? 0 : -1;
}

/* The map's lines as the kernel reads them, "IN OUT COUNT\n" each. */
int write_map(pid_t pid, const char *name, const struct map *m)
{
	char text[ID_MAPS_MAX * 36];
	size_t k = 0;

	for (int i = 0; i < m->n; i++)
		k += (size_t)snprintf(text + k, sizeof text - k, "%lu %lu %lu\n",
				      m->line[i].inside, m->line[i].outside,
				      m->line[i].count);
	return write_proc(pid, name, text);
}

/* newuidmap PID IN OUT COUNT... (newgidmap likewise): 0 if it worked. */
int run_helper(const char *path, pid_t pid, const struct map *m)
{
	char args[1 + 3 * ID_MAPS_MAX][24], shown[sizeof args];
	char *argv[3 + 3 * ID_MAPS_MAX] = { (char *)path, args[0] };
	size_t k = 0;
	int status;
	pid_t h;

	snprintf(args[0], sizeof args[0], "%d", (int)pid);
	for (int i = 0; i < 3 * m->n; i++) {
		const struct id_map *l = &m->line[i / 3];
		snprintf(args[1 + i], sizeof args[1 + i], "%lu", i % 3 == 0 ?
			 l->inside : i % 3 == 1 ? l->outside : l->count);
		argv[2 + i] = args[1 + i];
		k += (size_t)snprintf(shown + k, sizeof shown - k, " %s",
				      args[1 + i]);
	}
	trace("%s %s%s", path, args[0], shown);
	h = ns_clone(SIGCHLD);  /* fork(2), without libc's fork machinery */
	if (h == 0) {
		execv(path, argv);
		_exit(127);
	}
	if (h < 0 || waitpid(h, &status, 0) < 0)
		return -1;
	errno = 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
