/*
 * pty.c - a real terminal for the container (-t): a new pseudo-terminal
 * pair, the user's terminal in raw mode, and window sizes.
 *
 * The container gets the slave side as its controlling terminal and as
 * its stdin, stdout and stderr; minictr keeps the master side and copies
 * bytes (relay.c).  No fd of the user's own terminal reaches the
 * container, so nothing inside can read from it, change its modes or
 * push keystrokes into it.
 *
 * The pair is opened by the container, from its own /dev/ptmx, once its
 * mounts are made: with --rootfs that is the devpts instance of the
 * container, so `tty` inside names a /dev/pts/N that exists there.  The
 * master then travels to minictr over a socketpair, as ancillary data
 * (SCM_RIGHTS): the kernel installs a copy of the fd in the receiver.
 * This is runc's "console socket".  The window size is set by the
 * container before it sends the master, so the command starts with it.
 * The slave is also bound onto the container's /dev/console, as the OCI
 * runtime spec and runc do: what writes to the console (an init, a
 * daemon's last words, `echo hi >/dev/console`) reaches the user.
 *
 * The user's terminal goes into raw mode for the session: every key,
 * Ctrl-C, Ctrl-Z and Ctrl-\ included, becomes a byte for the container's
 * terminal, whose line discipline turns it into SIGINT or SIGTSTP for the
 * container's foreground job, exactly as under docker.  The saved modes
 * are put back before minictr prints anything of its own and, as a net,
 * by an atexit(3) handler: minictr leaves through exit() on every path
 * (SIGTERM/SIGHUP/SIGINT arrive on the signalfd, not in a handler).
 *
 * Calls: open(2) of /dev/ptmx (posix_openpt(3)), grantpt(3), unlockpt(3),
 * ptsname(3), sendmsg(2)/recvmsg(2), tcgetattr(3)/tcsetattr(3), ioctl(2)
 * TIOCGWINSZ, TIOCSWINSZ, TIOCSCTTY, mount(2) MS_BIND.  Man pages: pty(7),
 * unix(7) SCM_RIGHTS, termios(3), ioctl_tty(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "minictr.h"

/* The user's terminal modes, to put back at exit; the fd they belong to. */
static struct termios saved_modes;
static int saved_fd = -1;

/* Put the user's terminal back as it was; once is enough. */
void pty_restore(void)
{
	if (saved_fd >= 0)
		tcsetattr(saved_fd, TCSADRAIN, &saved_modes);
	saved_fd = -1;
}

/* In raw mode the terminal no longer turns "\n" into "\r\n" (OPOST is
 * off): a line of our own printed mid-session goes between two carriage
 * returns, so that it starts, and the container's next line starts, at
 * the left margin. */
void pty_line_start(void)
{
	if (saved_fd >= 0)
		(void)!write(STDERR_FILENO, "\r", 1);
}

/* The user's window size, from stdin, else stdout; 0x0 under a script. */
void pty_user_size(struct winsize *ws)
{
	memset(ws, 0, sizeof *ws);
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, ws) < 0)
		ioctl(STDOUT_FILENO, TIOCGWINSZ, ws);
}

/* SIGWINCH: copy the user's new size to the container's terminal.  The
 * kernel then sends SIGWINCH to the container's foreground group. */
void pty_copy_size(int master)
{
	struct winsize ws;

	pty_user_size(&ws);
	traced(ioctl(master, TIOCSWINSZ, &ws), "ioctl(%d, TIOCSWINSZ, "
	       "{ws_row=%u, ws_col=%u})", master, ws.ws_row, ws.ws_col);
}

/* Send fd over the socket, as SCM_RIGHTS ancillary data, with one byte
 * (a stream socket carries no ancillary data without a byte). */
static int send_fd(int sock, int fd)
{
	char byte = 0, buf[CMSG_SPACE(sizeof fd)];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = buf, .msg_controllen = sizeof buf,
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	memset(buf, 0, sizeof buf);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof fd);
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	return (int)traced(sendmsg(sock, &msg, 0), "sendmsg(%d, {msg_iov="
			   "[\"\\0\"], msg_control=[SCM_RIGHTS [%d]]}, 0)",
			   sock, fd);
}

/*
 * /dev/console becomes the container's terminal: a bind mount of the
 * slave onto it.  With --rootfs, onto the empty file rootfs.c made in the
 * container's own /dev.  Without, over the host's /dev/console: the mount
 * stays in our namespace, whose mounts init.c made private (MS_PRIVATE,
 * recursively) before anything else, so the host's console is untouched.
 * A host without a /dev/console gets none: we create nothing in its /dev.
 */
static int bind_console(const char *slave)
{
	if (traced_mount(slave, "/dev/console", NULL, MS_BIND, NULL) == 0)
		return 0;
	return errno == ENOENT ? 0 : -1;
}

/*
 * In the child, after setsid() and the mounts: open the pair from our own
 * /dev/ptmx, give it the user's size, send the master to minictr, and make
 * the slave our controlling terminal (TIOCSCTTY: we are a session leader
 * without one) and our 0, 1 and 2.  Its foreground group is now ours.
 * O_NOCTTY and O_CLOEXEC: nothing is implicit, nothing leaks.  console:
 * bind the slave onto /dev/console too (the init's; never an exec's: its
 * mount would be the running container's).
 */
int pty_inside(int sock, const struct winsize *ws, int console)
{
	int master, slave;
	const char *name;

	/* posix_openpt(3) is this open; called as itself, so that --trace
	 * names the system call, not libc's name for it */
	master = traced(open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC),
			"open(\"/dev/ptmx\", O_RDWR|O_NOCTTY|O_CLOEXEC)");
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    (name = ptsname(master)) == NULL)
		return -1;
	slave = traced(open(name, O_RDWR | O_NOCTTY | O_CLOEXEC),
		       "open(\"%s\", O_RDWR|O_NOCTTY|O_CLOEXEC)", name);
	if (slave < 0 || (console && bind_console(name) < 0))
		return -1;
	traced(ioctl(slave, TIOCSWINSZ, ws), "ioctl(%d, TIOCSWINSZ, "
	       "{ws_row=%u, ws_col=%u})", slave, ws->ws_row, ws->ws_col);
	if (send_fd(sock, master) != 1)
		return -1;
	close(master);
	close(sock);
	if (traced(ioctl(slave, TIOCSCTTY, 0), "ioctl(%d, TIOCSCTTY, 0)",
		   slave) < 0)
		return -1;
	for (int fd = 0; fd <= 2; fd++)
		if (dup2(slave, fd) < 0)
			return -1;
	if (slave > 2)
		close(slave);
	return 0;
}

/* In minictr: the master the container sent, or -1 if it died before
 * (its status report then says why).  Made non-blocking for the relay. */
int pty_receive(int sock)
{
	char byte, buf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = buf, .msg_controllen = sizeof buf,
	};
	struct cmsghdr *c;
	ssize_t n;
	int master = -1;

	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	c = CMSG_FIRSTHDR(&msg);
	if (n == 1 && c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&master, CMSG_DATA(c), sizeof master);
	traced(n, "recvmsg(%d, {msg_iov=[1 byte], msg_control=[SCM_RIGHTS "
	       "[%d]]}, MSG_CMSG_CLOEXEC)", sock, master);
	close(sock);
	if (master >= 0)
		fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	return master;
}

/* Put the user's terminal, if stdin is one, in raw mode. */
void pty_raw_mode(void)
{
	struct termios raw;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_modes) < 0)
		return;
	saved_fd = STDIN_FILENO;
	atexit(pty_restore);
	raw = saved_modes;
	cfmakeraw(&raw);
	traced(tcsetattr(STDIN_FILENO, TCSADRAIN, &raw),   /* that ioctl */
	       "ioctl(0, TCSETSW, {cfmakeraw(3) of the saved modes})");
}
