/*
 * sealed.c - with --rootfs --init, PID 1 runs from a sealed copy of
 * minictr in memory, so the container cannot write to the host's binary.
 *
 * The attack (CVE-2019-5736, runc): every process in the container can
 * open /proc/1/exe, and for an --init container that is minictr, the
 * host's own file, reached through a magic link that ignores the new
 * root.  Root in the container, holding it open, could write into it once
 * nothing executes it any more (ETXTBSY until then), and the next
 * `minictr run` on the host would run the container's code as the host's
 * root.
 *
 * The defence, as runc and crun do it: PID 1 copies minictr into a memfd
 * (a file that lives only in memory), seals it against any change
 * (F_SEAL_WRITE, _GROW, _SHRINK, and _SEAL so the seals stay), and
 * re-executes itself from it.  /proc/1/exe is then that sealed memfd:
 * opening it for writing fails, and the host's file is out of reach.
 * Cost: a copy of the binary (sendfile, in the kernel) and an execve, on
 * --rootfs --init only.
 *
 * The re-executed minictr gets "minictr sealed-init FD WORDS..." (the
 * status pipe's fd, then the words given to `run`, parsed again) and the
 * container's environment, and goes on as pid1_main().
 * Man pages: memfd_create(2), fcntl(2) (File Sealing), execveat(2).
 * The raw execveat (Linux 3.19): musl's fexecve adds a /proc/self/fd
 * fallback for kernels older than any minictr runs on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U        /* Linux 6.3: say the memfd will be run */
#endif

extern char **environ;

/* A sealed copy of /proc/self/exe; its fd. */
static int sealed_copy(int report_fd)
{
	int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int fd = traced(memfd_create("minictr", MFD_CLOEXEC | MFD_ALLOW_SEALING |
				     MFD_EXEC), "memfd_create(\"minictr\", "
			"MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_EXEC)");
	struct stat st;

	if (fd < 0 && errno == EINVAL)  /* before 6.3, MFD_EXEC is unknown */
		fd = traced(memfd_create("minictr", MFD_CLOEXEC |
					 MFD_ALLOW_SEALING), "memfd_create("
			    "\"minictr\", MFD_CLOEXEC|MFD_ALLOW_SEALING)");
	if (exe < 0 || fd < 0 || fstat(exe, &st) < 0)
		fail(report_fd, EXIT_SETUP, errno, "copy minictr to a memfd");
	for (off_t done = 0; done < st.st_size;) {
		ssize_t n = sendfile(fd, exe, NULL, (size_t)(st.st_size - done));
		if (n <= 0)
			fail(report_fd, EXIT_SETUP, n < 0 ? errno : EIO,
			     "copy minictr to a memfd");
		done += n;
	}
	close(exe);
	if (traced(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK |
			 F_SEAL_GROW | F_SEAL_WRITE),
		   "fcntl(%d, F_ADD_SEALS, F_SEAL_SEAL|F_SEAL_SHRINK|"
		   "F_SEAL_GROW|F_SEAL_WRITE)", fd) < 0)
		fail(report_fd, EXIT_SETUP, errno, "seal the memfd");
	return fd;
}

/* Child, --rootfs --init, last step: become the sealed copy. */
_Noreturn void sealed_reexec(const struct run_opts *o, const char **envp,
			     int report_fd)
{
	int nwords = 0, fd = sealed_copy(report_fd);
	char fdnum[16];

	while (o->words[nwords])
		nwords++;
	char *argv[nwords + 4];

	snprintf(fdnum, sizeof fdnum, "%d", report_fd);
	argv[0] = "minictr";
	argv[1] = "sealed-init";
	argv[2] = fdnum;
	memcpy(argv + 3, o->words, (size_t)(nwords + 1) * sizeof *argv);
	/* The status pipe must outlive this execve: the command's own
	 * execve, later, is what tells minictr that it ran. */
	fcntl(report_fd, F_SETFD, 0);
	/* A close-on-exec memfd is fine for an ELF binary: the kernel has
	 * it open before the fd is closed (a #! script would not be). */
	traced(syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH),
	       "execveat(%d, \"\", [\"minictr\", \"sealed-init\", \"%s\", ...], "
	       "envp, AT_EMPTY_PATH)", fd, fdnum);
	fail(report_fd, EXIT_SETUP, errno, "execute the sealed copy of minictr");
}

/* main(), for "minictr sealed-init FD WORDS...": only ever PID 1 of a
 * container, re-executed; anything else returns, and main() refuses it. */
void sealed_init_main(int argc, char *argv[])
{
	const char *env[argc + 1], *env_files[argc + 1], *volumes[argc + 1];
	const char *tmpfs[argc + 1], *group_add[argc + 1];
	struct run_opts o = { .env = env, .env_files = env_files,
			      .volumes = volumes, .tmpfs = tmpfs,
			      .group_add = group_add };
	struct parse_error err;

	if (getpid() != 1 || argc < 2 ||
	    parse_run(argc - 1, argv + 1, &o, &err) != PARSE_OK)
		return;
	trace_enabled = o.trace;
	msg_in_container();
	prctl(PR_SET_NAME, "minictr");  /* not "3", the memfd's fd */
	pid1_main(&o, (const char **)environ, atoi(argv[0]));
}
