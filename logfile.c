/*
 * logfile.c - (the monitor of `run -d`) what the container writes to its
 * stdout and stderr, kept in ROOT/ID/container.log, bounded.
 *
 * The container's 1 and 2 are the write end of one pipe (init.c); the
 * monitor's poll loop (run.c) reads the other end and appends here.  A
 * chatty service must not fill /run (a tmpfs: RAM): when container.log
 * reaches LOG_MAX/2 bytes it is renamed container.log.1 (replacing the
 * previous one) and a new one begins.  So at most LOG_MAX (1 MiB) is kept,
 * and always at least the last LOG_MAX/2 bytes: `logs` reads the two in
 * order.  stdout and stderr are merged, in the order they came (docker
 * keeps them apart; one pipe keeps their order instead).
 *
 * The monitor's own lines go there too, once the container runs: until
 * then its stderr is the pipe `run -d` reads, which prints what failed;
 * log_ready() hands `run -d` the ID and moves stderr to the log.
 * Man pages: pipe(7), rename(2), dup2(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

static struct {
	char path[PATH_MAX_OCI], old[PATH_MAX_OCI + 4], id[72];
	int fd;                 /* container.log, O_APPEND */
	int ready;              /* our stderr is the log now */
} lg;                           /* zero: in .bss, not 8 KiB of the file */

static void log_open(void)
{
	lg.fd = open(lg.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (lg.fd < 0)
		die("open %s", lg.path);
	if (lg.ready)
		dup2(lg.fd, STDERR_FILENO);
}

/* Before clone: ROOT/ID/container.log, opened. */
void log_begin(const char *dir, const char *id)
{
	snprintf(lg.path, sizeof lg.path, "%s/container.log", dir);
	snprintf(lg.old, sizeof lg.old, "%s.1", lg.path);
	snprintf(lg.id, sizeof lg.id, "%s", id);
	log_open();
}

/* The container runs (execve worked): `run -d` gets a NUL and the ID,
 * then EOF, as our stderr becomes the log. */
void log_ready(void)
{
	char msg[80];
	int n = snprintf(msg, sizeof msg, "%c%s\n", '\0', lg.id);

	if (lg.ready || !lg.path[0])
		return;
	(void)!write(STDERR_FILENO, msg, (size_t)n);
	lg.ready = 1;
	dup2(lg.fd, STDERR_FILENO);
}

/* What the pipe holds, at most up to the rotation point, into the log.
 * Bytes copied; 0 at EOF; -1 when nothing is there (O_NONBLOCK). */
int log_copy(int from)
{
	char buf[8192];         /* small: the monitor's memory is the cost
				 * of every detached container */
	struct stat st;
	size_t room;
	ssize_t n;

	if (fstat(lg.fd, &st) < 0)
		st.st_size = 0;
	if (st.st_size >= LOG_MAX / 2) {
		rename(lg.path, lg.old);        /* the last half stays */
		close(lg.fd);
		log_open();
		st.st_size = 0;
	}
	room = (size_t)(LOG_MAX / 2 - st.st_size);
	do
		n = read(from, buf, room < sizeof buf ? room : sizeof buf);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		(void)!write(lg.fd, buf, (size_t)n);
	return (int)n;
}
