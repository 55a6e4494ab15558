/*
 * oci.h - what the oci*.c files share, and no other file includes: the
 * OCI commands' steps.  The rest of the program sees only oci_main().
 *
 *   oci.c         the dispatch, the state root, ROOT/ID loaded; state,
 *                 kill, delete, exec, run --bundle
 *   oci_create.c  create: config.json, ROOT/ID, the fifo, the clone,
 *                 state.json and the pid file
 *   oci_start.c   start: the fifo opened, the execve's report; the hooks
 *                 after create (poststart, poststop)
 */
#ifndef OCI_H
#define OCI_H

#include <sys/types.h>

#include "minictr.h"

/* One error line (and its log line), exit 125: every OCI failure. */
_Noreturn __attribute__((format(printf, 1, 2)))
void oci_fail(const char *fmt, ...);

/* oci_create.c */
int console_socket(const char *path);
pid_t cmd_create(const struct oci_args *a, struct oci_state *s,
		 struct run_opts *o, int *relay);

/* oci_start.c */
void after_hooks(const struct oci_state *s, enum hook_kind k,
		 const char *status);
void cmd_start(struct oci_state *s, const struct oci_args *a);

/* oci.c */
void cmd_delete(struct oci_state *s, const struct oci_args *a);

#endif
