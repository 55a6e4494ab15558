/*
 * relay.c - copying bytes between the user and the container's terminal.
 *
 * Two directions, driven by run.c's one poll(2) loop:
 *   user -> container   our stdin to the pty master, only with -i
 *   container -> user   the pty master to our stdout
 * The master is non-blocking: when the container does not read, its
 * terminal's input queue fills, write(2) comes back short or with EAGAIN,
 * and we keep the rest and wait for POLLOUT instead of spinning.  Our
 * stdin and stdout are shared with the caller, so their flags are left
 * alone; a write to stdout that meets EAGAIN (someone made it
 * non-blocking) waits in poll() for room.
 *
 * When our stdin ends (input piped into -ti) the container is sent the
 * terminal's end-of-file character, so a shell reading it sees EOF, as
 * script(1) does.  When the container's side is closed, read(2) on the
 * master fails with EIO, after the kernel has handed over everything the
 * container wrote: reading until EIO delivers all of the output.
 *
 * When our stdout is gone (a `| head` that has read enough: EPIPE, since
 * run.c blocks SIGPIPE; or a terminal that hung up: EIO), nobody will
 * read what the container writes.  We then behave as a terminal that went
 * away: we close the master, our only copy, and the kernel hangs up the
 * slave (as vhangup(2) would): the container's session gets SIGHUP, and
 * its next write to the terminal fails with EIO.  run.c starts the stop
 * clock as for a SIGHUP.
 * Man pages: pty(7), poll(2), termios(3), vhangup(2).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "minictr.h"

/* Our stdout is gone (err says how): hang up the container's terminal,
 * stop copying both ways. */
static void hang_up(struct relay *r, int err)
{
	trace("our stdout is gone (%s): hanging up the container's terminal",
	      strerror(err));
	traced(close(r->master), "close(%d)", r->master);
	r->master = -1;
	r->master_open = 0;
	r->in_fd = -1;
	r->in_len = r->in_off = 0;
	r->eof_pending = 0;
	r->out_broken = 1;
}

/* Write all of buf to our stdout, or hang up once stdout is gone. */
static void write_out(struct relay *r, const char *buf, size_t len)
{
	while (len > 0 && !r->out_broken) {
		ssize_t n = write(STDOUT_FILENO, buf, len);
		struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

		if (n > 0) {
			buf += n;
			len -= n;
		} else if (n < 0 && errno == EAGAIN) {
			poll(&p, 1, -1);
		} else if (n < 0 && errno != EINTR) {
			hang_up(r, errno);      /* EPIPE, EIO: nobody reads */
		}
	}
}

/* Container -> user; returns the bytes read, 0 when nothing is ready. */
static ssize_t copy_out(struct relay *r)
{
	char buf[8192];
	ssize_t n = read(r->master, buf, sizeof buf);

	if (n > 0)
		write_out(r, buf, n);
	else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		r->master_open = 0;     /* EIO: every slave fd is closed */
	return n > 0 && r->master_open ? n : 0;
}

/* User -> container: fill the buffer from our stdin. */
static void read_in(struct relay *r)
{
	ssize_t n = read(r->in_fd, r->in, sizeof r->in);

	if (n > 0) {
		r->in_len = n;
		r->in_off = 0;
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		r->in_fd = -1;          /* EOF: tell the container, once */
		r->eof_pending = 1;
	}
}

/* The end-of-file character (Ctrl-D); twice if a line was left open,
 * since the first one only ends that line. */
static void send_eof(struct relay *r)
{
	struct termios t;
	char eof[2];

	if (tcgetattr(r->master, &t) < 0)
		return;
	eof[0] = eof[1] = (char)t.c_cc[VEOF];
	(void)!write(r->master, eof, r->last_in == '\n' ? 1 : 2);
	r->eof_pending = 0;
}

/* Push buffered input into the master; what does not fit waits. */
static void write_in(struct relay *r)
{
	if (r->in_len > r->in_off) {
		ssize_t n = write(r->master, r->in + r->in_off,
				  r->in_len - r->in_off);
		if (n > 0) {
			r->in_off += n;
			r->last_in = r->in[r->in_off - 1];
		}
		if (r->in_off < r->in_len)
			return;         /* the rest waits for POLLOUT */
		r->in_len = r->in_off = 0;
	}
	if (r->eof_pending)
		send_eof(r);
}

/* Fill the two pollfds the relay owns: [0] our stdin, [1] the master.
 * An fd of -1 is skipped by poll(). */
void relay_events(const struct relay *r, struct pollfd fds[2])
{
	int in_waiting = r->in_len > 0 || r->eof_pending;

	fds[0].fd = (r->in_fd >= 0 && !in_waiting) ? r->in_fd : -1;
	fds[0].events = POLLIN;
	fds[1].fd = r->master_open ? r->master : -1;
	fds[1].events = POLLIN | (in_waiting ? POLLOUT : 0);
}

/*
 * Act on what poll() reported for the two fds of relay_events(); return 1
 * when this hung up the container's terminal (our stdout is gone).  Output
 * is read until the master has no more, but at most 16 times in a row:
 * one poll() per 64 KiB instead of per 4 KiB (the terminal hands over at
 * most 4 KiB per read), yet a container that writes without end cannot
 * keep us from our stdin and our signals.
 */
int relay_io(struct relay *r, const struct pollfd fds[2])
{
	int was_broken = r->out_broken;

	if (fds[0].fd >= 0 && fds[0].revents)
		read_in(r);
	if (fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
		for (int i = 0; i < 16 && copy_out(r) > 0; i++)
			;
	if (r->master_open && (fds[1].revents & POLLOUT))
		write_in(r);
	return r->out_broken && !was_broken;
}

/* The container is gone: hand over whatever it wrote before it went.
 * Stops at EIO (all of it) or EAGAIN (a slave fd lives on elsewhere). */
void relay_drain(struct relay *r)
{
	while (r->master_open && copy_out(r) > 0)
		;
}
