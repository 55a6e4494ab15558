/*
 * seccomp.c - no container may push keystrokes into a terminal.
 *
 * ioctl(fd, TIOCSTI, &c) inserts c into a terminal's input queue as if it
 * had been typed; TIOCLINUX can do the same on a virtual console by
 * pasting a selection.  The kernel refuses TIOCSTI on a terminal that is
 * not the caller's controlling terminal, except for a process holding
 * CAP_SYS_ADMIN, which a root container has.  Without -t, the container's
 * stdout and stderr ARE the user's terminal: a command could type
 * "rm -rf ~\n" into the user's shell, to run after minictr exits
 * (CVE-2017-5226 was this hole in bubblewrap).  With -t it would hit its
 * own pty only, but the rule is the same in every container.
 *
 * So before execve a seccomp filter makes ioctl(TIOCSTI) and
 * ioctl(TIOCLINUX) fail with EPERM.  It is classic BPF, run by the kernel
 * on every system call: load the architecture and the call number from
 * struct seccomp_data; if it is ioctl, load the request and compare.
 * Two traps, both handled below:
 *   - the request is an unsigned int to the kernel, which ignores the
 *     high 32 bits of the register: compare the low 32 bits only, or
 *     0x100005412 slips past a 64-bit compare and still acts as TIOCSTI;
 *   - a 64-bit kernel runs 32-bit programs (int 0x80 on x86_64, arm32 on
 *     aarch64) and a 32-bit minictr may run on a 64-bit kernel (armhf on
 *     a Raspberry Pi's arm64 kernel: the container can exec a 64-bit
 *     program); x86_64 also has the x32 ABI.  Each ABI has its own number
 *     for ioctl, and the filter, inherited by everything, must match all.
 * Man pages: seccomp(2), prctl(2) PR_SET_SECCOMP, ioctl_tty(2).
 */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/utsname.h>

#include "minictr.h"

/* From linux/filter.h, linux/seccomp.h and linux/audit.h (musl-gcc does
 * not see the kernel's headers, and these values never change);
 * struct sock_filter is in minictr.h. */
struct sock_fprog {
	unsigned short len;
	const struct sock_filter *filter;
};
#define LD_ABS      0x20        /* BPF_LD | BPF_W | BPF_ABS: A = data[k] */
#define JEQ         0x15        /* BPF_JMP | BPF_JEQ | BPF_K */
#define RET         0x06        /* BPF_RET | BPF_K */
#define RET_ALLOW   0x7fff0000u /* SECCOMP_RET_ALLOW */
#define RET_ERRNO   0x00050000u /* SECCOMP_RET_ERRNO | errno */
#define MODE_FILTER 2           /* SECCOMP_MODE_FILTER */
#define ARCH_64     0x80000000u /* __AUDIT_ARCH_64BIT */
#define ARCH_LE     0x40000000u /* __AUDIT_ARCH_LE */
#define X32_BIT     0x40000000u /* __X32_SYSCALL_BIT */

/* struct seccomp_data { int nr; u32 arch; u64 ip; u64 args[6]; } */
#define OFF_NR      0
#define OFF_ARCH    4
#define OFF_ARG1_LO (24 + (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 4 : 0))

/* The (architecture, ioctl number) pairs a process of this build can use.
 * Three per build; a repeated pair where there are fewer. */
#if defined(__x86_64__)
#define ARCH_A (EM_X86_64 | ARCH_64 | ARCH_LE)
#define IOCTL_A 16
#define ARCH_B (EM_X86_64 | ARCH_64 | ARCH_LE)
#define IOCTL_B (X32_BIT | 514)         /* x32's ioctl */
#define ARCH_C (EM_386 | ARCH_LE)
#define IOCTL_C 54                      /* i386's, through int 0x80 */
#elif defined(__aarch64__)
#define ARCH_A (EM_AARCH64 | ARCH_64 | ARCH_LE)
#define IOCTL_A 29
#define ARCH_B (EM_ARM | ARCH_LE)
#define IOCTL_B 54                      /* an arm32 program */
#define ARCH_C ARCH_B
#define IOCTL_C IOCTL_B
#elif defined(__arm__)
#define ARCH_A (EM_ARM | ARCH_LE)
#define IOCTL_A 54
#define ARCH_B (EM_AARCH64 | ARCH_64 | ARCH_LE)
#define IOCTL_B 29                      /* a 64-bit program, arm64 kernel */
#define ARCH_C ARCH_A
#define IOCTL_C IOCTL_A
#elif defined(__riscv) && __riscv_xlen == 64
#define ARCH_A (EM_RISCV | ARCH_64 | ARCH_LE)
#define IOCTL_A 29
#define ARCH_B (EM_RISCV | ARCH_LE)     /* rv32 compat, on newer kernels */
#define IOCTL_B 29
#define ARCH_C ARCH_B
#define IOCTL_C IOCTL_B
#else
#error "seccomp.c: add this architecture's AUDIT_ARCH and ioctl numbers"
#endif

/*
 * Read it as a table: each pair is four instructions, "is it this arch?
 * (else skip to the next pair); is it this call? (then go to the check)".
 * A jump offset counts the instructions to skip.  The check is at 13.
 */
static const struct sock_filter filter[] = {
	/*  0 */ { LD_ABS, 0, 0, OFF_ARCH },
	/*  1 */ { JEQ, 0, 2, ARCH_A },
	/*  2 */ { LD_ABS, 0, 0, OFF_NR },
	/*  3 */ { JEQ, 9, 0, IOCTL_A },        /* -> 13 */
	/*  4 */ { LD_ABS, 0, 0, OFF_ARCH },
	/*  5 */ { JEQ, 0, 2, ARCH_B },
	/*  6 */ { LD_ABS, 0, 0, OFF_NR },
	/*  7 */ { JEQ, 5, 0, IOCTL_B },        /* -> 13 */
	/*  8 */ { LD_ABS, 0, 0, OFF_ARCH },
	/*  9 */ { JEQ, 0, 2, ARCH_C },
	/* 10 */ { LD_ABS, 0, 0, OFF_NR },
	/* 11 */ { JEQ, 1, 0, IOCTL_C },        /* -> 13 */
	/* 12 */ { RET, 0, 0, RET_ALLOW },      /* not an ioctl */
	/* 13 */ { LD_ABS, 0, 0, OFF_ARG1_LO }, /* the request, low 32 bits */
	/* 14 */ { JEQ, 2, 0, TIOCSTI },        /* -> 17 */
	/* 15 */ { JEQ, 1, 0, TIOCLINUX },      /* -> 17 */
	/* 16 */ { RET, 0, 0, RET_ALLOW },
	/* 17 */ { RET, 0, 0, RET_ERRNO | EPERM },
};

/* Install a filter for this process and everything it will exec or
 * fork.  Root needs no PR_SET_NO_NEW_PRIVS first: it holds CAP_SYS_ADMIN;
 * without it (--rootfs), caps.c has set no_new_privs already. */
int seccomp_install(const struct sock_filter *f, int len)
{
	struct sock_fprog prog = { .len = (unsigned short)len, .filter = f };

	return traced(prctl(PR_SET_SECCOMP, MODE_FILTER, &prog),
		      "prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=%u})",
		      prog.len);
}

/* The TIOCSTI filter alone: for exec without the container's filter file.
 * (A container's own filter has the same rules: seccomp_bpf.c.) */
int seccomp_deny_tiocsti(void)
{
	trace("a seccomp filter: ioctl TIOCSTI and TIOCLINUX will fail with "
	      "EPERM");
	return seccomp_install(filter, sizeof filter / sizeof filter[0]);
}

/* The running kernel, major << 16 | minor: minKernel's rules. */
static int kernel_version(void)
{
	struct utsname u;
	char *dot;
	long major, minor;

	if (uname(&u) < 0)
		return 0;
	major = strtol(u.release, &dot, 10);
	minor = *dot == '.' ? strtol(dot + 1, NULL, 10) : 0;
	return (int)(major << 16 | minor);
}

/*
 * The container's filter, compiled once by the front door, before clone
 * (a bad profile: why, and nothing is made yet): docker's
 * default profile unless seccomp=unconfined or a profile was given, for
 * the container's capabilities: config.json's, or docker's set with
 * --rootfs, or all of root's without (then the profile refuses only what
 * even CAP_SYS_ADMIN does not allow: see README, "Seccomp").
 */
const char *seccomp_prepare(struct run_opts *o)
{
	static struct sock_filter out[SC_FILTER_MAX];
	static struct sc_profile unconfined = { SC_RET_ALLOW, ~0u, NULL, 0 };
	unsigned long long caps = o->caps_given ? o->cap_bounding :
				  o->rootfs ? CAPS_DEFAULT : ~0ULL;
	const struct sc_profile *p = o->seccomp ? o->seccomp : &sc_docker_default;
	const char *why;

	if (o->seccomp_unconfined || o->privileged)     /* docker's meaning */
		p = &unconfined;
	o->filter_len = seccomp_compile(p, caps, kernel_version(), out, &why);
	if (o->filter_len < 0)
		return why;
	o->filter = out;
	return NULL;
}

/* In the child, last before execve (or before --init's PID 1, which then
 * runs under it too): the container's filter. */
void seccomp_enter(const struct run_opts *o, int report_fd)
{
	if (!o->filter) {
		if (seccomp_deny_tiocsti() < 0)
			fail(report_fd, EXIT_SETUP, errno, "seccomp filter");
		return;
	}
	trace("a seccomp filter, %s: %d instructions; ioctl TIOCSTI and "
	      "TIOCLINUX fail with EPERM", o->seccomp_unconfined ? "unconfined" :
	      o->seccomp ? "the profile given" : "docker's default profile",
	      o->filter_len);
	if (seccomp_install(o->filter, o->filter_len) < 0)
		fail(report_fd, EXIT_SETUP, errno, "seccomp filter");
}

/* ROOT/ID/seccomp.bpf: the filter, raw struct sock_filter, for `exec`
 * (exec.c installs it), written by every maker of a container's state:
 * `create` (oci.c) and `run --name`/`run -d` (names.c).  0, or -1 with
 * errno. */
int seccomp_keep(const struct run_opts *o, const struct oci_state *s)
{
	char path[PATH_MAX_OCI];

	if (!o->filter)
		return 0;
	return write_atomic(state_path(s, "seccomp.bpf", path, sizeof path),
			    (const char *)o->filter,
			    (size_t)o->filter_len * sizeof *o->filter, 0600);
}
