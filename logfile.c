/*
 * logfile.c - (the monitor of `run -d`) what the container writes to its
 * stdout and stderr, kept in ROOT/ID/container.log, bounded.
 *
 * The container's 1 and 2 are the write end of one pipe (init.c); the
 * monitor's poll loop (run_watch.c) splices the other end into it here.  A
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
 * When ROOT is full (/run is small), the log gives way to the exit
 * status, which `wait` and `ps -a` must find: log_give_way().
 * Man pages: pipe(7), splice(2), rename(2), openat(2), dup2(2),
 * ftruncate(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

static struct {
	const char *root;       /* ROOT, for messages */
	char id[72];
	int dir;                /* ROOT/ID, O_PATH: names relative to it */
	int fd;                 /* container.log */
	int ready;              /* our stderr is the log now */
} lg;                           /* small, and in .bss: no paths kept, the
				 * monitor's memory is the cost of every
				 * detached container */

/* Not O_APPEND, which splice(2) refuses: the monitor is the log's one
 * writer, its stderr a dup of this fd, so one offset serves them all. */
static void log_open(void)
{
	lg.fd = openat(lg.dir, "container.log", O_WRONLY | O_CREAT | O_CLOEXEC,
		       0600);
	if (lg.fd < 0)
		die("open %s/%s/container.log", lg.root, lg.id);
	if (lg.ready)
		dup2(lg.fd, STDERR_FILENO);
}

/* Before clone: ROOT/ID/container.log, opened. */
void log_begin(const char *root, const char *id)
{
	char dir[PATH_MAX_OCI];

	snprintf(dir, sizeof dir, "%s/%s", root, id);
	lg.root = root;
	snprintf(lg.id, sizeof lg.id, "%s", id);
	lg.dir = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (lg.dir < 0)
		die("open %s", dir);
	log_open();
}

/* The container runs (execve worked): `run -d` gets a NUL and the ID,
 * then EOF, as our stderr becomes the log. */
void log_ready(void)
{
	char msg[80];
	int n = snprintf(msg, sizeof msg, "%c%s\n", '\0', lg.id);

	if (lg.ready || !lg.id[0])
		return;
	(void)!write(STDERR_FILENO, msg, (size_t)n);
	lg.ready = 1;
	dup2(lg.fd, STDERR_FILENO);
}

/* Where splice(2) cannot write (a filesystem without it, a full one):
 * through a buffer, as small as a pipe's atomic write; what cannot be
 * written is dropped, not left to wake the loop again. */
static ssize_t copy_through(int from, size_t room)
{
	char buf[PIPE_BUF];
	ssize_t n = read(from, buf, room < sizeof buf ? room : sizeof buf);

	if (n > 0)
		(void)!write(lg.fd, buf, (size_t)n);
	return n;
}

/* What the pipe holds, at most up to the rotation point, into the log.
 * Bytes copied; 0 at EOF; -1 when nothing is there (O_NONBLOCK). */
int log_copy(int from)
{
	struct stat st;
	size_t room;
	ssize_t n;

	if (fstat(lg.fd, &st) < 0)
		st.st_size = 0;
	if (st.st_size >= LOG_MAX / 2) {
		/* the last half stays */
		renameat(lg.dir, "container.log", lg.dir, "container.log.1");
		close(lg.fd);
		log_open();
		st.st_size = 0;
	}
	room = (size_t)(LOG_MAX / 2 - st.st_size);
	/* from the pipe to the file inside the kernel: no buffer of ours
	 * (the monitor's memory is the cost of every detached container) */
	do
		n = splice(from, NULL, lg.fd, NULL, room, SPLICE_F_NONBLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno != EAGAIN)
		n = copy_through(from, room);
	return (int)n;
}

/* ROOT full (ENOSPC) when the exit status must be written: the output is
 * worth less than the status, so its room is given back, the older half
 * first.  0 if there was a log to free (run -d's), else -1. */
int log_give_way(int step)
{
	if (!lg.id[0])
		return -1;              /* a foreground run keeps no log */
	if (step == 0)
		return unlinkat(lg.dir, "container.log.1", 0);
	if (ftruncate(lg.fd, 0) < 0)
		return -1;
	lseek(lg.fd, 0, SEEK_SET);      /* also our stderr's offset */
	return 0;
}
