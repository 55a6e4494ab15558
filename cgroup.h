/*
 * cgroup.h - what the cgroup*.c files share, and no other file includes:
 * the controllers, the hierarchies minictr uses with the container's
 * cgroup in each (cg), and the steps cgroup_setup() calls in order.  The
 * rest of the program sees only minictr.h's cgroup_*().
 *
 *   cgroup.c         the story and its order: setup, the child's wait,
 *                    placing it, exec's join; the shared helpers
 *   cgroup_find.c    where each controller is, where minictr runs in it
 *   cgroup_check.c   what the host allows: CPUs, v2's delegation, users
 *   cgroup_make.c    the cgroup made, its limits in v1's or v2's words
 *   cgroup_devices.c the device policy applied: v1's lines, v2's program
 *   cgroup_end.c     the owner's clean-up: kill, rmdir, the leaf left
 *   cgroup_oom.c     an OOM kill told apart: the container's limit or not
 */
#ifndef CGROUP_H
#define CGROUP_H

#include <limits.h>
#include <stddef.h>

#include "minictr.h"

enum { MEMORY, PIDS, CPU, CPUSET, DEVICES, NCONTROLLERS };
extern const char *const controllers[];         /* cgroup.c */
/* v2 has no devices controller to find, delegate or enable: the policy
 * is a BPF program, which any cgroup takes (apply_devices()). */
#define V2_PROGRAM (1u << DEVICES)

/* A cgroup filesystem as mounted: /proc/self/mountinfo's line. */
struct cgroup_mount {
	char point[128];        /* where: /sys/fs/cgroup/memory */
	char root[128];         /* the hierarchy's path mounted there: "/" */
	char options[128];      /* v1: its controllers, "rw,memory" */
	int v2;
};

struct hierarchy {
	struct cgroup_mount m;
	char own[PATH_MAX - 128];       /* the cgroup minictr runs in */
	char dir[PATH_MAX - 16];        /* the container's: <own>/<name> */
	char leaf[PATH_MAX];    /* v2: minictr's own, <dir>-minictr, or "" */
	unsigned enabled;       /* v2: controllers it enabled in <own> */
	unsigned mask;          /* the controllers minictr uses in it */
};

struct cgroups {
	int n;                  /* hierarchies in use; 0: no limit asked */
	struct hierarchy h[NCONTROLLERS];
	unsigned found;         /* controllers placed in a hierarchy */
	struct cgroup_mount all[32];    /* every cgroup mount, to sweep */
	int nall;
	char name[96];          /* minictr-<pidns>-<pid>-<start> (stale.c) */
	int sync[2];            /* the child waits on sync[0] */
	pid_t owner;            /* minictr's pid: only it cleans up */
	const struct run_opts *o;
};
extern struct cgroups cg;                       /* cgroup.c */

/* cgroup.c */
int write_file(const char *dir, const char *name, const char *value);
int has_word(const char *list, const char *word, const char *seps);
_Noreturn __attribute__((format(printf, 3, 4)))
void cannot(int c, int err, const char *fmt, ...);
/* cgroup_find.c */
void find_hierarchies(unsigned need, unsigned want);
int absolute(void);
void locate_own(struct hierarchy *h);
void sweep_all(void);
/* cgroup_check.c */
void check_rootless(void);
void check_host(const struct run_opts *o);
/* cgroup_make.c */
void make_cgroup(struct hierarchy *h);
void write_limits(struct hierarchy *h, const struct run_opts *o);
/* cgroup_devices.c */
void apply_devices(struct hierarchy *h, const struct run_opts *o);
/* cgroup_end.c */
void cleanup(void);

#endif
