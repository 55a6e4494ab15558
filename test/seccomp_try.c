/*
 * test/seccomp_try.c - make one system call, by name, through one ABI,
 * and say what came back: what a container under a seccomp filter sees.
 *
 *   seccomp_try native|i386|x32 NAME [ARG...]
 *
 * The number of NAME for that ABI comes from minictr's own generated
 * tables (.gen/seccomp_*.c, from the kernel's headers); ARGs are numbers
 * (0x.. too), and without them the call gets the arguments its line
 * below gives (unshare: CLONE_NEWUSER, ...).  i386 goes through int $0x80
 * (up to 5 arguments, pointers below 4 GiB: build with -static -no-pie),
 * x32 with __X32_SYSCALL_BIT.  Prints "NAME: ok", "NAME: <strerror>",
 * "NAME: trapped" (SIGSYS caught: SCMP_ACT_TRAP) or "NAME: no i386 ABI
 * here"; a KILL action kills it by SIGSYS (status 159).  A call that
 * made a child (clone, fork) makes the child exit at once.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../minictr.h"

static const struct { const char *name; long args[5]; } defaults[] = {
	{ "unshare", { 0x10000000 } },                  /* CLONE_NEWUSER */
	{ "clone", { 0x10000000 | SIGCHLD } },          /* a child, NEWUSER */
	{ "keyctl", { 0, -3 } },        /* KEYCTL_GET_KEYRING_ID, session */
	{ "add_key", { (long)"user", (long)"k", (long)"v", 1, -3 } },
	{ "mount", { (long)"none", (long)"/tmp", (long)"tmpfs" } },
	{ "personality", { 0xffff } },  /* a persona docker's profile refuses */
	{ "ioctl", { 0, 0x5412, (long)"x" } },          /* TIOCSTI */
};

static sigjmp_buf fault;
static void on_signal(int sig)
{
	siglongjmp(fault, sig);
}

static long call(const char *abi, long nr, const long *a)
{
	long ret;

	if (strcmp(abi, "i386") == 0) {
#if defined(__x86_64__)
		__asm__ volatile ("int $0x80" : "=a" (ret)
				  : "a" (nr), "b" (a[0]), "c" (a[1]), "d" (a[2]),
				    "S" (a[3]), "D" (a[4])
				  : "memory", "r8", "r9", "r10", "r11");
		if (ret < 0 && ret > -4096) {
			errno = (int)-ret;
			return -1;
		}
		return ret;
#endif
	}
	return syscall(nr, a[0], a[1], a[2], a[3], a[4], 0L);
}

int main(int argc, char *argv[])
{
	long args[6] = { 0 }, nr;
	unsigned bit = SC_X86_64;
	int idx, sig, row;

	if (argc < 3)
		return 2;
	if (!strcmp(argv[1], "i386"))
		bit = SC_X86;
	else if (!strcmp(argv[1], "x32"))
		bit = SC_X32;
	else
		bit = sc_arches[0].bit;
	for (row = 0; row < sc_narches && sc_arches[row].bit != bit; row++)
		;
	idx = sc_name_index(argv[2]);
	if (row == sc_narches || idx < 0 || sc_arches[row].nr[idx] == 0xffff) {
		printf("%s: not a call of %s\n", argv[2], argv[1]);
		return 2;
	}
	nr = sc_arches[row].first + sc_arches[row].nr[idx];
	for (size_t i = 0; argc == 3 && i < sizeof defaults / sizeof defaults[0]; i++)
		if (!strcmp(defaults[i].name, argv[2]))
			memcpy(args, defaults[i].args, sizeof defaults[i].args);
	for (int i = 3; i < argc && i < 8; i++)
		args[i - 3] = (long)strtoull(argv[i], NULL, 0);
	signal(SIGSYS, on_signal);
	signal(SIGSEGV, on_signal);     /* int $0x80 with no i386 ABI */
	if ((sig = sigsetjmp(fault, 1))) {
		printf("%s: %s\n", argv[2], sig == SIGSYS ? "trapped" :
		       "no i386 ABI here");
		return 0;
	}
	errno = 0;
	long ret = call(argv[1], nr, args);
	if (ret == 0 && (!strcmp(argv[2], "clone") || !strcmp(argv[2], "fork")))
		_exit(0);               /* the child */
	if (ret > 0 && !strcmp(argv[2], "clone"))
		waitpid((pid_t)ret, NULL, __WALL);
	printf("%s: %s\n", argv[2], ret < 0 ? strerror(errno) : "ok");
	return 0;
}
