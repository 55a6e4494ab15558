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
 * The user's terminal goes into raw mode for the session: every key,
 * Ctrl-C, Ctrl-Z and Ctrl-\ included, becomes a byte for the container's
 * terminal, whose line discipline turns it into SIGINT or SIGTSTP for the
 * container's foreground job, exactly as under docker.  The saved modes
 * are put back by an atexit(3) handler, because minictr leaves through
 * exit() on every path: the end of the session, a set-up or exec error,
 * and SIGTERM/SIGHUP/SIGINT (which arrive on the signalfd, not in a
 * handler, and end in the same return from supervise()).
 *
 * Syscalls and calls: posix_openpt(3), grantpt(3), unlockpt(3),
 * ptsname(3), tcgetattr(3)/tcsetattr(3), ioctl(2) TIOCGWINSZ, TIOCSWINSZ,
 * TIOCSCTTY.  Man pages: pty(7), termios(3), tty_ioctl(4), credentials(7).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
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

/* Which of our fds is the user's terminal, for its size: stdin, else
 * stdout; -1 under a script or CI. */
static int user_terminal(void)
{
	if (isatty(STDIN_FILENO))
		return STDIN_FILENO;
	if (isatty(STDOUT_FILENO))
		return STDOUT_FILENO;
	return -1;
}

/* Copy the user's window size to the container's terminal.  The kernel
 * then sends SIGWINCH to the container's foreground process group. */
void pty_copy_size(const struct pty *p)
{
	struct winsize ws;
	int from = user_terminal();

	if (from < 0 || ioctl(from, TIOCGWINSZ, &ws) < 0)
		return;
	traced(ioctl(p->master, TIOCSWINSZ, &ws), "ioctl(%d, TIOCSWINSZ, "
	       "%ux%u)", p->master, ws.ws_row, ws.ws_col);
}

/*
 * Before clone: open the pair, both ends O_CLOEXEC (the container gets
 * the slave by fork inheritance, then dup2 makes 0-2 without the flag).
 * O_NOCTTY: opening a terminal must not make it OUR controlling terminal.
 */
void pty_open(struct pty *p)
{
	const char *name;

	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->master < 0 || grantpt(p->master) < 0 ||
	    unlockpt(p->master) < 0 || (name = ptsname(p->master)) == NULL)
		die("open a pseudo-terminal");
	p->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->slave < 0)
		die("open %s", name);
	trace("posix_openpt() = %d, slave %s = %d", p->master, name, p->slave);
	/* the relay never blocks on the container's side */
	fcntl(p->master, F_SETFL, fcntl(p->master, F_GETFL) | O_NONBLOCK);
	pty_copy_size(p);
}

/* After clone: put the user's terminal, if stdin is one, in raw mode. */
void pty_raw_mode(void)
{
	struct termios raw;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_modes) < 0)
		return;
	saved_fd = STDIN_FILENO;
	atexit(pty_restore);
	raw = saved_modes;
	cfmakeraw(&raw);
	traced(tcsetattr(STDIN_FILENO, TCSADRAIN, &raw),
	       "tcsetattr(0, raw mode)");
}

/*
 * In the child, after setsid(): the slave becomes our controlling
 * terminal (TIOCSCTTY: we are a session leader without one) and our
 * 0, 1 and 2.  Its foreground process group is now ours.
 */
int pty_attach(int slave)
{
	if (traced(ioctl(slave, TIOCSCTTY, 0), "ioctl(%d, TIOCSCTTY)",
		   slave) < 0)
		return -1;
	for (int fd = 0; fd <= 2; fd++)
		if (dup2(slave, fd) < 0)
			return -1;
	if (slave > 2)
		close(slave);
	return 0;
}
