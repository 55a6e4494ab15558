/*
 * test/tiocsti.c - an attacker inside the container: try to type a
 * command into every terminal it can reach.
 *
 *   tiocsti FILE [i386]
 *
 * For fds 0, 1, 2 and /dev/tty, push "touch FILE\n" byte by byte with
 * ioctl(TIOCSTI); then try the request with high bits set (the kernel
 * ignores them, a careless filter does not) and TIOCLINUX.  On x86_64,
 * the same through the other two ABIs a 64-bit program can reach: i386's
 * ioctl (54) by int $0x80, whose pointers are 32 bits (so the byte is a
 * static, below 4 GiB in this static non-PIE program: build it with
 * -static -no-pie), and x32's (514 | __X32_SYSCALL_BIT).  One line per
 * attempt.  Exits 0 when every attempt failed with EPERM, 1 otherwise.
 * x32 must be EPERM even on a kernel without x32 (most: it takes
 * syscall.x32=y): seccomp sees the call before the kernel says ENOSYS.
 * On a kernel that runs no i386 code (ia32_emulation=0, some VMs), int
 * $0x80 faults before any system call: that is said, and not counted.
 * "tiocsti FILE i386" tries only the i386 ABI, on fd 0: the control that
 * shows an i386 call types without a filter (exit 0 when it did, 1 when
 * it did not, 3 when this kernel has no i386 ABI).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int attempts, refused, accepted;
static char c;                  /* static: below 4 GiB, for int $0x80 */

enum abi { NATIVE, I386, X32 };

/* A kernel without i386 emulation (ia32_emulation=0, or a VM that does
 * not route the vector) answers int $0x80 with a fault, not ENOSYS. */
static sigjmp_buf no_int80;

static void faulted(int sig)
{
	(void)sig;
	siglongjmp(no_int80, 1);
}

/* ioctl(fd, request, &c) through one ABI; 0 or -1 and errno. */
static long ioctl_abi(enum abi abi, int fd, unsigned long request)
{
#if defined(__x86_64__)
	long ret;

	if (abi == I386) {      /* the i386 entry: eax, ebx, ecx, edx */
		signal(SIGSEGV, faulted);
		if (sigsetjmp(no_int80, 1)) {
			errno = ENOSYS;
			return -1;
		}
		__asm__ volatile ("int $0x80" : "=a" (ret)
				  : "a" (54L), "b" ((long)fd), "c" (request),
				    "d" ((long)(unsigned long)&c)
				  : "memory", "r8", "r9", "r10", "r11");
		if (ret < 0 && ret > -4096) {
			errno = (int)-ret;
			return -1;
		}
		return ret;
	}
	if (abi == X32)
		return syscall(0x40000000L | 514, fd, request, &c);
#endif
	(void)abi;
	return syscall(SYS_ioctl, fd, request, &c);
}

/* Push every byte of text; report the first error, or ACCEPTED. */
static void try_abi(enum abi abi, int fd, const char *name,
		    unsigned long request, const char *what, const char *text)
{
	int err = 0, absent = 0;

	for (const char *p = text; *p && !absent; p++) {
		c = *p;
		attempts++;
		if (ioctl_abi(abi, fd, request) == 0) {
			accepted++;
			continue;
		}
		if (!err)
			err = errno;
		if (errno == EPERM)
			refused++;
		if (errno == ENOSYS && abi == I386) {
			attempts--;     /* int $0x80 faulted: no such ABI */
			absent = 1;
		}
	}
	/* x32's ENOSYS counts: a seccomp filter sees the call before the
	 * kernel finds it has no x32, so under one it must be EPERM. */
	printf("%s: %s: %s%s\n", name, what, err ? strerror(err) : "ACCEPTED",
	       absent ? " (int $0x80 faults: this kernel runs no i386 "
	       "code, not counted)" : "");
}

static void try(int fd, const char *name, unsigned long request,
		const char *what, const char *text)
{
	try_abi(NATIVE, fd, name, request, what, text);
}

int main(int argc, char *argv[])
{
	char text[256];
	char sub[] = { 12, 0 }; /* TIOCL_PASTESEL-style subcode, any will do */
	int tty = open("/dev/tty", O_RDWR);
	int tty_errno = errno;

	if (argc < 2 || argc > 3)
		return 2;
	snprintf(text, sizeof text, "touch %s\n", argv[1]);
	if (argc == 3) {        /* the control: i386 only, no filter */
#if !defined(__x86_64__)
		puts("i386: not an ABI of this architecture");
		return 3;
#endif
		try_abi(I386, 0, "fd 0", TIOCSTI, "i386 TIOCSTI", text);
		if (attempts == 0)
			return 3;
		return accepted == attempts ? 0 : 1;
	}
	for (int fd = 0; fd <= 2; fd++) {
		char name[8];
		snprintf(name, sizeof name, "fd %d", fd);
		try(fd, name, TIOCSTI, "TIOCSTI", text);
#if ULONG_MAX > 0xffffffffUL     /* a 64-bit long can carry high bits */
		try(fd, name, TIOCSTI | (1UL << 32), "TIOCSTI|1<<32", text);
#endif
		try(fd, name, TIOCLINUX, "TIOCLINUX", sub);
#if defined(__x86_64__)
		try_abi(I386, fd, name, TIOCSTI, "i386 TIOCSTI", text);
		try_abi(I386, fd, name, TIOCLINUX, "i386 TIOCLINUX", sub);
		try_abi(X32, fd, name, TIOCSTI, "x32 TIOCSTI", text);
#endif
	}
	if (tty >= 0)
		try(tty, "/dev/tty", TIOCSTI, "TIOCSTI", text);
	else
		printf("/dev/tty: open: %s\n", strerror(tty_errno));
	return refused == attempts ? 0 : 1;
}
