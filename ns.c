/*
 * ns.c - namespaces: the one raw clone(2) that creates them all, the table
 * that names the flags, and the one piece of set-up a new network
 * namespace needs (its loopback interface starts DOWN).
 *
 * Syscalls: clone(2), socket(2), ioctl(2) with SIOCGIFFLAGS/SIOCSIFFLAGS.
 * Man pages: clone(2), namespaces(7), pid_namespaces(7),
 * network_namespaces(7), netdevice(7).
 */
#include <errno.h>
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
 * clone, so nothing in libc is fixed up for the child, as fork(3) would:
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
