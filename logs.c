/*
 * logs.c - `logs [-f] [--tail N] NAME`: what a detached container wrote
 * to its stdout and stderr, from ROOT/ID/container.log.1 and
 * container.log (logfile.c keeps them), oldest first.
 *
 * --tail N: the last N lines of the two (log_tail(), dockerargs.c).
 * -f: then, as the monitor appends, the new bytes, until the container
 * has stopped and its monitor has said so.  The file is read through one
 * fd, so no byte is lost or repeated between the first read and the
 * following; when the monitor rotates (rename(2)), that fd still reads
 * the old file to its end, and a new inode at the path says to reopen.
 * Man pages: rename(2), stat(2) (st_ino).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

#define FOLLOW_US 50000         /* how often -f looks for more */

/* All of fd from where it is, appended to buf at *len (room: max). */
static void read_all(int fd, char *buf, size_t *len, size_t max)
{
	ssize_t n;

	while (*len < max && (n = read(fd, buf + *len, max - *len)) != 0) {
		if (n < 0 && errno != EINTR)
			break;
		*len += n > 0 ? (size_t)n : 0;
	}
}

static void out(const char *buf, size_t len)
{
	for (ssize_t n; len > 0; buf += n, len -= (size_t)n)
		if ((n = write(STDOUT_FILENO, buf, len)) <= 0)
			exit(errno == EPIPE ? 0 : 1);
}

/* Has it stopped, with nothing more to come?  (Its monitor's record,
 * or no monitor left, or ROOT/ID gone with --rm.) */
static int finished(const struct oci_state *s)
{
	char dir[PATH_MAX_OCI];

	return state_exit(s, NULL) >= 0 ||
	       access(state_path(s, NULL, dir, sizeof dir), F_OK) < 0 ||
	       (!state_alive(s) && !container_monitor_alive(s));
}

/* -f: the log as it grows, through rotations, until it is finished. */
static void follow(const struct oci_state *s, int fd, const char *path)
{
	static char buf[65536];
	struct stat at, on;
	ssize_t n;

	for (int last = 0;;) {
		while ((n = read(fd, buf, sizeof buf)) > 0)
			out(buf, (size_t)n);
		if (stat(path, &at) == 0 && fstat(fd, &on) == 0 &&
		    at.st_ino != on.st_ino) {
			close(fd);      /* rotated: the old one is read out */
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
				return;
			continue;
		}
		if (last)
			return;
		last = finished(s);     /* then one more read: the end */
		if (!last)
			usleep(FOLLOW_US);
	}
}

int logs_main(const struct docker_args *d, const struct oci_state *s)
{
	char path[PATH_MAX_OCI], old[PATH_MAX_OCI + 4];
	size_t len = 0, from, max = LOG_MAX + 65536;
	char *buf = malloc(max);
	int fd, ofd;

	state_path(s, "container.log", path, sizeof path);
	snprintf(old, sizeof old, "%s.1", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		error_line(0, "logs: %s: it was not started with -d: its output "
			   "went where run's did", d->names[0]);
		return 1;
	}
	if (fd < 0 || !buf)
		die("logs: %s", path);
	if ((ofd = open(old, O_RDONLY | O_CLOEXEC)) >= 0) {
		read_all(ofd, buf, &len, max / 2);
		close(ofd);
	}
	read_all(fd, buf, &len, max);
	from = log_tail(buf, len, d->tail);
	out(buf + from, len - from);
	if (d->follow)
		follow(s, fd, path);
	return 0;
}
