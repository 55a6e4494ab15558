/*
 * restart.c - --restart: docker's restart policy, as pure functions.
 *
 *   no                 (default) run once
 *   on-failure[:N]     start again after a non-zero exit; at most N times
 *                      (no N: no limit)
 *   always             start again after any exit (unless-stopped: the
 *                      same, as minictr has no daemon to restart)
 * Whatever the policy, a container is never started again when:
 *   - it was stopped: a SIGTERM, SIGINT or SIGHUP came to minictr (docker
 *     does not restart a container `docker stop` stopped), or `minictr
 *     kill` sent it a signal (docker's kill: any signal, as no stop
 *     signal is set), while it ran or during the back-off;
 *   - it never ran: set-up or execve failed (the 125/126/127 of a report),
 *     so the next start would fail the same way.
 * The delay is docker's back-off: 100 ms before the first restart,
 * doubling each time, at most a minute; a container that ran 10 s or
 * more is counted as healthy again, and the delay starts over at 100 ms.
 * run.c's loop asks restart_next() after each exit and waits what it says.
 *
 * No syscalls here: the parser and the decision are unit-tested
 * (test/unit_boot.c).  Docker's reference: docs.docker.com "Start
 * containers automatically", and its restartmanager.
 */
#include <string.h>

#include "minictr.h"

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 60000
#define HEALTHY_MS 10000

/* "no", "always", "unless-stopped", "on-failure" or "on-failure:N" (N a
 * whole number from 1); NULL, or the reason it is refused. */
const char *restart_parse(const char *s, struct restart_policy *p)
{
	long long n;

	p->max = 0;
	if (strcmp(s, "no") == 0)
		p->when = RESTART_NO;
	else if (strcmp(s, "always") == 0 || strcmp(s, "unless-stopped") == 0)
		p->when = RESTART_ALWAYS;
	else if (strcmp(s, "on-failure") == 0)
		p->when = RESTART_ON_FAILURE;
	else if (strncmp(s, "on-failure:", 11) == 0 &&
		 parse_whole(s + 11, 2147483647, &n) == 0 && n > 0) {
		p->when = RESTART_ON_FAILURE;
		p->max = (int)n;
	} else
		return "use no, on-failure, on-failure:N (N from 1), always or "
		       "unless-stopped";
	return NULL;
}

/*
 * After an exit: the milliseconds to wait before the next start, or -1
 * for none.  status: the exit status (128+N for signal N); never_ran: a
 * report ended it; stopped: a stop signal came; ran_ms: how long it ran.
 * r counts the restarts made and keeps the delay.
 */
long restart_next(const struct restart_policy *p, struct restart_state *r,
		  int status, int never_ran, int stopped, long long ran_ms)
{
	if (p->when == RESTART_NO || never_ran || stopped)
		return -1;
	if (p->when == RESTART_ON_FAILURE && status == 0)
		return -1;
	if (p->max && r->count >= p->max)
		return -1;
	if (ran_ms >= HEALTHY_MS || r->delay_ms == 0)
		r->delay_ms = BACKOFF_FIRST_MS;
	else if (r->delay_ms * 2 <= BACKOFF_MAX_MS)
		r->delay_ms *= 2;
	else
		r->delay_ms = BACKOFF_MAX_MS;
	r->count++;
	return r->delay_ms;
}
