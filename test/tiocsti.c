/*
 * test/tiocsti.c - an attacker inside the container: try to type a
 * command into every terminal it can reach.
 *
 *   tiocsti FILE
 *
 * For fds 0, 1, 2 and /dev/tty, push "touch FILE\n" byte by byte with
 * ioctl(TIOCSTI); then try the request with high bits set (the kernel
 * ignores them, a careless filter does not) and TIOCLINUX.  One line per
 * attempt.  Exits 0 when every attempt failed with EPERM, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int attempts, refused;

/* Push every byte of text; report the first error, or ACCEPTED. */
static void try(int fd, const char *name, unsigned long request,
		const char *what, const char *text)
{
	int err = 0;

	for (const char *p = text; *p; p++) {
		char c = *p;

		attempts++;
		if (syscall(SYS_ioctl, fd, request, &c) == 0)
			continue;
		if (!err)
			err = errno;
		if (errno == EPERM)
			refused++;
	}
	printf("%s: %s: %s\n", name, what, err ? strerror(err) : "ACCEPTED");
}

int main(int argc, char *argv[])
{
	char text[256];
	char sub = 12;          /* TIOCL_PASTESEL-style subcode, any will do */
	int tty = open("/dev/tty", O_RDWR);
	int tty_errno = errno;

	if (argc != 2)
		return 2;
	snprintf(text, sizeof text, "touch %s\n", argv[1]);
	for (int fd = 0; fd <= 2; fd++) {
		char name[8];
		snprintf(name, sizeof name, "fd %d", fd);
		try(fd, name, TIOCSTI, "TIOCSTI", text);
#if ULONG_MAX > 0xffffffffUL     /* a 64-bit long can carry high bits */
		try(fd, name, TIOCSTI | (1UL << 32), "TIOCSTI|1<<32", text);
#endif
		try(fd, name, TIOCLINUX, "TIOCLINUX", &sub);
	}
	if (tty >= 0)
		try(tty, "/dev/tty", TIOCSTI, "TIOCSTI", text);
	else
		printf("/dev/tty: open: %s\n", strerror(tty_errno));
	return refused == attempts ? 0 : 1;
}
