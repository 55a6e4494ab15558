/*
 * cgroup_oom.c - once PID 1 is gone by SIGKILL: was it the OOM killer,
 * and was it the container's own -m limit or one above it (a systemd
 * unit's, the host's)?  v2 counts both in memory.events ("max" and
 * "oom_kill"); v1 has memory.oom_control's oom_kill, and its peak usage
 * tells whose limit it was.
 * Man pages: cgroups(7), the kernel's cgroup-v2.rst (memory.events) and
 * cgroup-v1/memory.rst.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"

/* The number after "key " on a line of text ("oom_kill 1"), or 0. */
static int counter(const char *text, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = text; *p; p += strcspn(p, "\n"), p += !!*p)
		if (strncmp(p, key, len) == 0 && p[len] == ' ')
			return atoi(p + len + 1);
	return 0;
}

/* OOM kills in h's container cgroup itself (v2's memory.events counts
 * those below it too, and a nested minictr reports its own); *ours: the
 * container's own limit was reached (v2's "max" event), not one above. */
static int oom_kills(const struct hierarchy *h, int *ours)
{
	char events[512], peak[32] = "";

	if (!h->m.v2) {
		/* v1 keeps no count of its limit being hit that all kernels
		 * update (memory.failcnt stays 0 on some): the peak usage
		 * tells, as a kill by a limit above comes far below ours */
		read_text(h->dir, "memory.max_usage_in_bytes", peak,
			    sizeof peak);
		*ours = !peak[0] || atoll(peak) >= cg.o->memory / 2;
		return read_text(h->dir, "memory.oom_control", events,
				   sizeof events) == 0 ?
		       counter(events, "oom_kill") : 0;
	}
	if (read_text(h->dir, "memory.events.local", events,
			sizeof events) < 0 &&
	    read_text(h->dir, "memory.events", events, sizeof events) < 0)
		return 0;
	*ours = counter(events, "max") > 0;
	return counter(events, "oom_kill");
}

/* Parent, once PID 1 is gone: an OOM kill gets its own line. */
int cgroup_report(int status)
{
	char limit[32];

	if (!cg.o || !cg.o->memory || status != 128 + SIGKILL)
		return status;
	for (int i = 0; i < cg.n; i++) {
		int ours = 0;

		if (!(cg.h[i].mask & 1u << MEMORY) ||
		    oom_kills(&cg.h[i], &ours) == 0)
			continue;
		if (ours)
			error_line(0, "container was killed: out of memory "
				   "(limit %s)", format_size(cg.o->memory,
							     limit, sizeof limit));
		else
			error_line(0, "container was killed: out of memory "
				   "(not its -m limit: one above minictr's "
				   "cgroup, or the host's)");
	}
	return status;
}
