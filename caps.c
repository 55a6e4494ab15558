/*
 * caps.c - with --rootfs, the container's root is not the host's root:
 * no new privileges, and docker's default capability set, less CAP_MKNOD.
 *
 * Root's power is split into capabilities (capabilities(7)).  A process
 * keeps three sets that matter here: the bounding set caps what any later
 * execve can ever grant; permitted is what it may use; effective is what
 * it uses now.  For root, execve recomputes permitted from the bounding
 * set, so both must shrink:
 *   1. prctl(PR_SET_NO_NEW_PRIVS): no execve (setuid, file capabilities)
 *      can add anything again
 *   2. prctl(PR_CAPBSET_DROP) for every capability not kept, up to the
 *      last one this kernel knows (it says EINVAL past it)
 *   3. capset(2): permitted = effective = the kept set; inheritable empty
 *      (docker since 20.10), which also empties the ambient set
 *
 * The kept set is docker's default (capabilities.go in moby) without
 * CAP_MKNOD: docker keeps it because its device cgroup stops a container
 * from opening a device node it made; minictr has no device cgroup, so a
 * container with CAP_MKNOD could make /dev/sda and read the host's disk.
 * With a bundle, config.json's bounding, effective and permitted sets are
 * used instead, each within that default (config.c refuses more).
 * No libcap: two raw system calls.  Must run last, after every mount and
 * sethostname, which need CAP_SYS_ADMIN.
 *
 * Man pages: capabilities(7), capset(2), prctl(2) (PR_CAPBSET_DROP,
 * PR_SET_NO_NEW_PRIVS).
 */
#include <errno.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

/* linux/capability.h, which musl's headers do not carry */
struct cap_header {
	unsigned version;
	int pid;
};
struct cap_data {
	unsigned effective, permitted, inheritable;
};
#define CAP_VERSION_3 0x20080522

/*
 * The sets: docker's default less CAP_MKNOD (CAPS_DEFAULT, minictr.h), or
 * with a bundle exactly what config.json asked within it (config.c).
 */
void drop_privileges(const struct run_opts *o, int report_fd)
{
	unsigned long long bounding = CAPS_DEFAULT, eff = CAPS_DEFAULT,
			   perm = CAPS_DEFAULT;
	struct cap_header h = { CAP_VERSION_3, 0 };
	struct cap_data d[2];
	int cap;

	if (o->caps_given) {
		bounding = o->cap_bounding;
		eff = o->cap_effective;
		perm = o->cap_permitted;
	}
	d[0] = (struct cap_data){ (unsigned)eff, (unsigned)perm, 0 };
	d[1] = (struct cap_data){ (unsigned)(eff >> 32), (unsigned)(perm >> 32), 0 };
	if (traced(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0),
		   "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)") < 0)
		fail(report_fd, EXIT_SETUP, errno, "prctl PR_SET_NO_NEW_PRIVS");
	trace("the bounding set: prctl(2) PR_CAPBSET_DROP for each capability "
	      "not in %#llx, up to the kernel's last", bounding);
	for (cap = 0; cap < 64; cap++) {
		if (bounding & 1ULL << cap)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno == EINVAL)
			break;          /* past the kernel's last capability */
	}
	if (traced(syscall(SYS_capset, &h, d), "capset({_LINUX_CAPABILITY_"
		   "VERSION_3, 0}, {effective=%#llx, permitted=%#llx, "
		   "inheritable=0})", eff, perm) < 0)
		fail(report_fd, EXIT_SETUP, errno, "capset");
}
