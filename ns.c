/*
 * ns.c - namespaces: the one raw clone(2) that creates them all, the table
 * that names the flags, and the one piece of set-up a new network
 * namespace needs (its loopback interface starts DOWN).
 *
 * Syscalls: clone(2), setns(2), socket(2), ioctl(2) with SIOCGIFFLAGS/SIOCSIFFLAGS,
 * open(2) and fchdir(2) (joining a config.json's namespaces by path).
 * Man pages: clone(2), namespaces(7), pid_namespaces(7),
 * network_namespaces(7), netdevice(7).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

/* The namespaces minictr creates, by clone flag, for --trace to name. */
static const struct {
	unsigned long flag;
	const char *name;
} clone_flags[] = {
	{ CLONE_NEWUSER, "CLONE_NEWUSER" }, /* ids: made first, owns the rest */
	{ CLONE_NEWUTS, "CLONE_NEWUTS" },   /* hostname */
	{ CLONE_NEWPID, "CLONE_NEWPID" },   /* process ids: the child is 1 */
	{ CLONE_NEWNS,  "CLONE_NEWNS" },    /* mount table */
	{ CLONE_NEWIPC, "CLONE_NEWIPC" },   /* System V IPC, POSIX queues */
	{ CLONE_NEWNET, "CLONE_NEWNET" },   /* interfaces, routes, ports */
	{ CLONE_NEWCGROUP, "CLONE_NEWCGROUP" }, /* its cgroup is its root */
};

/*
 * fork(2) with namespace flags.  The raw system call is used, not libc's
 * clone(): with a NULL stack the child runs on a copy-on-write copy of
 * ours and returns here with 0, just like fork.
 *
 * What the child may do until execve, the one rule minictr keeps (init.c,
 * pid1.c, msg.c and the child's steps refer here).  No libc sees this
 * clone, so nothing in libc is fixed up for the child, as its fork() would:
 *   - safe: malloc, stdio, snprintf, uname, getpid, execve.  minictr is
 *     single-threaded, so at the clone no other thread can hold a lock
 *     (malloc's, stdio's) that the child would wait for forever;
 *   - NOT safe: anything that uses the thread's cached tid, which is still
 *     the parent's (musl 1.2.3; its own clone() wrapper leaves the same
 *     stale state, fixed in 1.2.5): raise(3) and abort(3) would signal the
 *     parent's tid, pthread_* and locks taken by tid would go wrong;
 *   - the child leaves with _exit(2), never exit(3): the atexit handlers
 *     (cgroup.c's clean-up, pty.c's terminal restore) and the stdio
 *     buffers are the parent's.  fail() and, on the container side, die()
 *     (msg.c) both use _exit.
 *
 * The low byte of flags is the signal the parent gets when the child
 * exits: it must be SIGCHLD, or waitpid() without __WALL never sees it.
 *
 * Trap: the argument order of the raw syscall differs between
 * architectures (s390 swaps flags and stack; others swap tls and
 * child_tid).  With only flags and a NULL stack set, the order that
 * matters, (flags, stack, ...), is the same on x86_64, arm, aarch64 and
 * riscv64.
 */
pid_t ns_clone(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, 0);
}

/* "CLONE_NEWUTS|...|SIGCHLD", for --trace. */
const char *ns_flag_names(unsigned long flags, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof clone_flags / sizeof clone_flags[0]; i++)
		if ((flags & clone_flags[i].flag) && n < len)
			n += snprintf(buf + n, len - n, "%s|", clone_flags[i].name);
	if (n < len)
		snprintf(buf + n, len - n, "%s",
			 (flags & 0xff) == SIGCHLD ? "SIGCHLD" : "0");
	return buf;
}

/*
 * Joining (config.json's linux.namespaces[].path: a pod's network, its
 * ipc): minictr itself steps into each namespace, clones, and steps back
 * (ns_return), so that the one clone above makes the container inside
 * them, with the new namespaces it makes on top.  The kernel's rules set
 * the order of setns(2):
 *   - every path is opened first, while they mean what the caller meant
 *     (after the mount namespace is joined, / is another tree);
 *   - pid: setns moves only pid_for_children, so it must come before
 *     the clone, and the container's init is not PID 1 there;
 *   - mount last: it changes our root and cwd (restored by fchdir);
 *   - user namespaces are not joined (they are refused in config.json:
 *     once in, there is no stepping back out for us).
 */
static const struct { unsigned long flag; const char *own; } join_order[] = {
	{ CLONE_NEWPID, "pid_for_children" }, { CLONE_NEWNET, "net" },
	{ CLONE_NEWIPC, "ipc" }, { CLONE_NEWUTS, "uts" },
	{ CLONE_NEWCGROUP, "cgroup" }, { CLONE_NEWNS, "mnt" },
};

/* "CLONE_NEWNET", for --trace. */
static const char *ns_name(unsigned long flag)
{
	for (size_t i = 0; i < sizeof clone_flags / sizeof clone_flags[0]; i++)
		if (clone_flags[i].flag == flag)
			return clone_flags[i].name;
	return "0";
}

/* The path config.json gives for flag, or NULL. */
static const char *join_path(const struct run_opts *o, unsigned long flag)
{
	for (int i = 0; i < o->nns_paths; i++)
		if (o->ns_paths[i].flag == flag)
			return o->ns_paths[i].path;
	return NULL;
}

/* Open each path and our own namespace of its type into s; 0 or -1. */
static int join_open(const struct run_opts *o, struct ns_saved *s,
		     int *fds, char *what, size_t len)
{
	char own[48];

	for (size_t k = 0; k < NS_JOIN_MAX; k++) {
		const char *path = join_path(o, join_order[k].flag);

		if (!path)
			continue;
		snprintf(own, sizeof own, "/proc/self/ns/%s", join_order[k].own);
		s->flag[s->n] = join_order[k].flag;
		fds[s->n] = traced(open(path, O_RDONLY | O_CLOEXEC),
				   "open(\"%s\", O_RDONLY|O_CLOEXEC)", path);
		s->own[s->n] = open(own, O_RDONLY | O_CLOEXEC);
		if (fds[s->n++] < 0 || s->own[s->n - 1] < 0) {
			snprintf(what, len, "linux.namespaces: open %s",
				 fds[s->n - 1] < 0 ? path : own);
			return -1;
		}
	}
	return 0;
}

/* Step into the namespaces o joins; s keeps ours.  0, or -1 with what
 * failed (and every step undone). */
int ns_join(const struct run_opts *o, struct ns_saved *s, char *what,
	    size_t len)
{
	int fds[NS_JOIN_MAX], joined = 0, rc;

	s->n = 0;
	s->cwd = -1;
	if (!o->nns_paths)
		return 0;
	s->cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	rc = join_open(o, s, fds, what, len);
	for (; rc == 0 && joined < s->n; joined++)
		if (traced(setns(fds[joined], (int)s->flag[joined]),
			   "setns(%d, %s)", fds[joined], ns_name(
			   s->flag[joined])) < 0) {
			snprintf(what, len, "linux.namespaces: join %s",
				 join_path(o, s->flag[joined]));
			rc = -1;
			break;
		}
	for (int i = 0; i < s->n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (rc < 0) {
		int err = errno;
		for (int i = joined; i < s->n; i++)
			if (s->own[i] >= 0)
				close(s->own[i]);
		s->n = joined;  /* undo what was done, no more */
		ns_return(s);
		errno = err;
	}
	return rc;
}

/* Parent, after the clone: back in minictr's own namespaces. */
void ns_return(struct ns_saved *s)
{
	for (int i = s->n - 1; i >= 0; i--) {
		/* our own, or an ancestor for pid: the kernel always lets us */
		traced(setns(s->own[i], (int)s->flag[i]), "setns(%d, %s)",
		       s->own[i], ns_name(s->flag[i]));
		close(s->own[i]);
	}
	if (s->cwd >= 0 && fchdir(s->cwd) == 0)
		close(s->cwd);
	s->n = 0;
	s->cwd = -1;
}

/* An interface's flags, as --trace names them: "IFF_UP|IFF_LOOPBACK". */
static const struct flag_name if_flags[] = {
	{ IFF_UP, "IFF_UP" }, { IFF_LOOPBACK, "IFF_LOOPBACK" },
	{ IFF_RUNNING, "IFF_RUNNING" },
};
#define NIF_FLAGS (sizeof if_flags / sizeof if_flags[0])

/*
 * A new network namespace has one interface, lo, and it is DOWN: bring it
 * up so 127.0.0.1 works inside, as it does under docker --net none.
 * The flags are read first so that only IFF_UP changes.
 */
int ns_loopback_up(void)
{
	struct ifreq ifr;
	char names[80];
	int fd, rc, err;

	fd = traced(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0),
		    "socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, 0)");
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (rc == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = traced(ioctl(fd, SIOCSIFFLAGS, &ifr), "ioctl(%d, SIOCSIFFLAGS"
			    ", {ifr_name=\"lo\", ifr_flags=%s})", fd,
			    flag_names(if_flags, NIF_FLAGS,
				       (unsigned short)ifr.ifr_flags, names,
				       sizeof names));
	}
	err = errno;
	close(fd);
	errno = err;
	return rc;
}
