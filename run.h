/*
 * run.h - what the run*.c files share, and no other file includes: the
 * supervisor's state.  The rest of the program sees minictr.h's
 * run_container(), create_container(), block_signals(), watch_child().
 *
 *   run.c          clone, the status pipe, --restart: the story
 *   run_watch.c    step 5: the one poll loop, until PID 1 is reaped
 *   run_signals.c  the signals blocked, read, forwarded and reaped on;
 *                  the back-off between restarts
 */
#ifndef RUN_H
#define RUN_H

#include <signal.h>
#include <sys/types.h>

#include "minictr.h"

struct watch {
	pid_t pid;                  /* the container's PID 1, as we see it */
	int report_fd;              /* status pipe; -1 once read */
	int signal_fd;
	struct child_report report;
	int reported;               /* report holds a failure */
	int machine;                /* o->machine: PID 1 of the machine */
	struct stop stop;
	struct relay relay;         /* -t; its master is -1 without */
	int log_fd;                 /* -d: the container's output; else -1 */
	int detach;                 /* -d: `run -d` waits for the report */
};

/* run_watch.c */
int watch(struct watch *w, const struct run_opts *o, int sock,
	  const sigset_t *set);

/* run_signals.c */
int handle_signals(struct watch *w, int *wait_status);
int back_off(struct watch *w, long ms);

#endif
