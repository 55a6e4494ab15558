/*
 * cgroup_devices.c - the device policy (devices.c makes it, a pure
 * function) applied to the container's cgroup before anything runs in
 * it: on v1, the devices controller's devices.deny and devices.allow
 * lines; on v2, which has no devices controller, a
 * BPF_PROG_TYPE_CGROUP_DEVICE program loaded and attached with bpf(2).
 * Man pages: bpf(2), the kernel's cgroup-v1/devices.rst and
 * cgroup-v2.rst ("Device controller").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"

/* bpf(2)'s union bpf_attr, the members BPF_PROG_LOAD and
 * BPF_PROG_ATTACH read (linux/bpf.h); the kernel wants the rest zero. */
union bpf_attr {
	struct {
		unsigned prog_type, insn_cnt;
		unsigned long long insns, license;
	} load;
	struct {
		unsigned target_fd, attach_bpf_fd, attach_type, attach_flags;
	} attach;
	char size[128];
};
#define BPF_PROG_LOAD 5
#define BPF_PROG_ATTACH 8
#define BPF_PROG_TYPE_CGROUP_DEVICE 15
#define BPF_CGROUP_DEVICE 6
#define BPF_F_ALLOW_MULTI 2

/* (What is malloc()ed here is never freed: once, and free() would link
 * musl's whole allocator, 7 KB, into a program that has no other use
 * for it.) */

/* v2: the policy as a program (devices.c), loaded, then attached to the
 * container's cgroup before anything runs in it.  BPF_F_ALLOW_MULTI: a
 * program above (systemd's, for its unit) keeps running too, and a
 * device must pass them all.  The license is the kernel's question for
 * GPL-only helpers, which this program calls none of.  Once attached,
 * the cgroup holds the program: the fd is closed, and rmdir of the
 * cgroup frees it. */
static void attach_program(struct hierarchy *h, const struct run_opts *o)
{
	struct bpf_insn *p = malloc(DEV_BPF_MAX(o->ndevices) * sizeof *p);
	union bpf_attr a = { 0 };
	int n, prog, dir;

	if (!p)
		die("malloc");
	n = devices_bpf(o->devices, o->ndevices, p);
	a.load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.load.insn_cnt = (unsigned)n;
	a.load.insns = (unsigned long)p;
	a.load.license = (unsigned long)"GPL";
	prog = (int)traced(syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a),
			   "bpf(BPF_PROG_LOAD, {BPF_PROG_TYPE_CGROUP_DEVICE, "
			   "%d instructions, \"GPL\"}, %zu)", n, sizeof a);
	if (prog < 0)
		cannot(DEVICES, errno, "load a BPF_PROG_TYPE_CGROUP_DEVICE "
		       "program");
	dir = (int)traced(open(h->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
			  "open(\"%s\", O_RDONLY|O_DIRECTORY|O_CLOEXEC)", h->dir);
	memset(&a, 0, sizeof a);
	a.attach.target_fd = (unsigned)dir;
	a.attach.attach_bpf_fd = (unsigned)prog;
	a.attach.attach_type = BPF_CGROUP_DEVICE;
	a.attach.attach_flags = BPF_F_ALLOW_MULTI;
	if (dir < 0 || traced(syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof a),
			      "bpf(BPF_PROG_ATTACH, {%d, %d, BPF_CGROUP_DEVICE, "
			      "BPF_F_ALLOW_MULTI}, %zu)", dir, prog,
			      sizeof a) < 0)
		cannot(DEVICES, errno, "attach the program to %s", h->dir);
	close(dir);
	close(prog);
}

/* The device policy (devices.c): v1's devices.deny and devices.allow
 * lines, "a" first (a new cgroup starts with its parent's exceptions);
 * on v2 a program. */
void apply_devices(struct hierarchy *h, const struct run_opts *o)
{
	struct dev_rule *l;
	char line[32];
	int n;

	if (h->m.v2) {
		attach_program(h, o);
		return;
	}
	if (!(l = malloc(((size_t)o->ndevices + 1) * sizeof *l)))
		die("malloc");
	n = devices_v1(o->devices, o->ndevices, l);
	for (int i = 0; i < n; i++) {
		const char *file = l[i].allow ? "devices.allow" : "devices.deny";

		/* EPERM: the parent cgroup does not allow as much */
		if (write_file(h->dir, file, devices_line(&l[i], line)) < 0)
			cannot(DEVICES, errno, "write \"%s\" to %s/%s", line,
			       h->dir, file);
	}
}
