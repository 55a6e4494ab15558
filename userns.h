/*
 * userns.h - what the userns*.c files share, and no other file includes:
 * the plan for the container's user namespace (us: its two maps and who
 * writes them) and the steps userns.c calls.  The rest of the program
 * sees only minictr.h's userns_*().
 *
 *   userns.c          the story: the plan chosen, the maps written, the
 *                     child released and made root inside
 *   userns_auto.c     --userns=auto: a free slice of root's subuids
 *   userns_rootless.c a user's: state directory, one ID or the helpers'
 *                     range, config.json's maps
 *   userns_write.c    a map written: by the kernel's rules, or newuidmap
 */
#ifndef USERNS_H
#define USERNS_H

#include <limits.h>

#include "minictr.h"

/* One map as it is written (us.helpers says by whom): its lines. */
struct map {
	struct id_map line[ID_MAPS_MAX];
	int n;
};

struct userns {
	int on;                 /* the container has a user namespace */
	int single;             /* one ID: setgroups is denied */
	int helpers;            /* newuidmap and newgidmap write the maps */
	int by_root;            /* root made it: root inside is a subuid */
	struct map uid, gid;
	char uidmap[PATH_MAX], gidmap[PATH_MAX];        /* the helpers */
	int sync[2];            /* the child waits on sync[0] */
};
extern struct userns us;                        /* userns.c */
extern int auto_lock;                           /* userns_auto.c */

/* userns.c */
void map_add(struct map *m, unsigned long inside, unsigned long outside,
	     unsigned long count);
/* userns_auto.c */
void plan_auto(void);
/* userns_rootless.c */
int user_range(const char *file, unsigned long id, unsigned long *start,
	       unsigned long *count);
void plan_rootless(void);
void plan_config(const struct run_opts *o);
/* userns_write.c */
_Noreturn void map_failed(pid_t pid, const char *what);
int write_proc(pid_t pid, const char *name, const char *text);
int write_map(pid_t pid, const char *name, const struct map *m);
int run_helper(const char *path, pid_t pid, const struct map *m);

#endif
