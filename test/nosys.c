/*
 * test/nosys.c - run a command as on an older kernel: one system call,
 * by number, fails with ENOSYS for it and everything it runs.
 *
 *   nosys NR COMMAND [ARG...]
 *
 * A seccomp filter (seccomp(2), classic BPF, inherited across execve):
 * on this machine's own architecture, the call numbered NR returns
 * ENOSYS; any other call is allowed.  test/test_chroot.sh uses it to
 * take open_tree(2) away (Linux 5.2) and see minictr's error line.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "nosys.c: add this architecture's AUDIT_ARCH"
#endif

int main(int argc, char *argv[])
{
	if (argc < 3) {
		fputs("usage: nosys NR COMMAND [ARG...]\n", stderr);
		return 2;
	}
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)atoi(argv[1]), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof filter / sizeof filter[0], filter };

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("nosys: seccomp");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror("nosys: exec");
	return 127;
}
