/*
 * docker.c - docker's commands on the state directories (state.c):
 * stop, kill, rm, wait, inspect, logs; ps is ps.c.  No daemon: each one
 * reads ROOT/ID, signals the container's init, and watches the world.
 *
 *   stop   SIGTERM to the init; after -t (else its --stop-timeout, else
 *          10) seconds, SIGKILL; returns once its monitor has recorded
 *          the exit status (143, or 137 after SIGKILL, as docker's);
 *          through its monitor, which then starts nothing again
 *   kill   a signal (default SIGKILL, docker's) to the init; through
 *          its monitor, which sends it and then starts nothing again
 *          (--restart, even in its back-off: docker's rule); with
 *          SIGKILL, returns once the monitor has recorded the status
 *   rm     a stopped one's cgroups and ROOT/ID gone (-f: SIGKILL first);
 *          one whose monitor still runs (--restart's back-off) is not
 *   wait   until it has stopped (--restart: until its next exit, as
 *          docker's); that exit status (a --rm one's too:
 *          its removal waits for the waiters)
 *   inspect  {"Id","Name","State" (as `state` prints it),"ExitCode",
 *          "Config" (run.json: what it was started with)}
 *   logs   ROOT/ID/container.log.1 then container.log; -f follows
 *          (logs.c)
 * Each prints the NAME it was given when done, as docker's do; a failure
 * is one line and exit status 1 (docker's), the others still done.
 * Man pages: kill(2), sigqueue(3), pidfd_open(2), pidfd_send_signal(2),
 * flock(2), pid_namespaces(7) (why SIGTERM may not stop a PID 1),
 * rename(2) (how logs -f sees a rotation).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

#define TICK_US 10000           /* how often the world is looked at */

/* ref to its state; 0, or -1 after the line saying why. */
int container_lookup(const char *root, const char *ref, struct oci_state *s,
		     char *id, size_t len)
{
	if (container_find(root, ref, id, len) < 0) {
		if (errno == ENOTUNIQ)
			error_line(0, "%s: more than one container's ID starts "
				   "with it: give more of it", ref);
		else
			error_line(0, "No such container: %s", ref);
		return -1;
	}
	*s = (struct oci_state){ .root = root, .id = id };
	if (state_load(s) < 0) {
		error_line(errno, "%s: read its state", ref);
		return -1;
	}
	return 0;
}

/* Until its exit is known: the status, -1 unknown (no monitor left to
 * say), -2 gone (--rm).  ticks: how long to wait at most, -1 forever. */
static int await_exit(const struct oci_state *s, long ticks)
{
	char dir[PATH_MAX_OCI];
	int st;

	for (;; ticks -= ticks > 0) {
		if ((st = state_exit(s, NULL)) >= 0)
			return st;
		if (access(state_path(s, NULL, dir, sizeof dir), F_OK) < 0)
			return -2;
		if (!ticks || (!state_alive(s) && !container_monitor_alive(s)))
			/* the monitor may have written it and gone since the
			 * first look: look again before calling it lost */
			return (st = state_exit(s, NULL)) >= 0 ? st : -1;
		usleep(TICK_US);
	}
}

/* Until the init is gone, at most secs seconds (-1: forever); 1 if so. */
static int await_stopped(const struct oci_state *s, long secs)
{
	for (long i = 0; secs < 0 || i < secs * (1000000 / TICK_US); i++) {
		if (!state_alive(s))
			return 1;
		usleep(TICK_US);
	}
	return !state_alive(s);
}

/*
 * SIGTERM to s's monitor, value beside it, as sigqueue(3) sends it
 * (SI_QUEUE: run_signals.c tells it from a plain kill(2) so).  By a pidfd opened
 * BEFORE the monitor is checked (its pid and start time, runjson.c): if it
 * died and its pid was taken since, the check fails; if after, the
 * signal goes to the dead process the fd names, never to the newcomer.
 * pidfd_send_signal(2) takes the siginfo sigqueue(3) would make: the
 * kernel lets a process send SI_QUEUE so.  Without pidfds (before 5.3),
 * sigqueue right after the check.  1 asked, 0 no monitor, -1 errno.
 */
static int monitor_ask(const struct oci_state *s, int value)
{
	pid_t pid = container_monitor_alive(s);
	int fd = pid ? (int)syscall(SYS_pidfd_open, pid, 0) : -1, r;
	siginfo_t si = { .si_signo = SIGTERM, .si_code = SI_QUEUE };

	if (!pid || container_monitor_alive(s) != pid) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (fd < 0)
		return sigqueue(pid, SIGTERM, (union sigval){ .sival_int =
				value }) < 0 ? -1 : 1;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = value;
	r = (int)syscall(SYS_pidfd_send_signal, fd, SIGTERM, &si, 0);
	close(fd);
	return r < 0 ? -1 : 1;
}

/*
 * With a monitor (run -d, run --name), the monitor is asked: SIGTERM with
 * -t queued beside it (sigqueue(3); -1: its --stop-timeout;
 * MONITOR_FOREVER: no SIGKILL, docker's -t -1).  It sends the
 * init SIGTERM, then SIGKILL on time, starts nothing again (--restart,
 * even in its back-off, when no init is there to signal) and records the
 * status.  Signalling the init ourselves would leave the monitor to
 * restart it.  Without one (`create`'s), the init, and we keep the clock.
 */
static int stop_one(const struct oci_state *s, long secs)
{
	if (monitor_ask(s, (int)secs) > 0) {
		/* until the monitor is gone: the status recorded, and with
		 * --rm, the container removed */
		while (container_monitor_alive(s))
			usleep(TICK_US);
		return 0;
	}
	if (secs == -1)
		secs = container_described(s, "stopTimeout", 10);
	if (secs < 0)           /* -t -1, or its --stop-timeout -1 */
		secs = -1;
	if (state_alive(s) && kill(s->pid, SIGTERM) == 0 &&
	    !await_stopped(s, secs)) {
		kill(s->pid, SIGKILL);
		await_stopped(s, -1);
	}
	await_exit(s, 10 * 1000000 / TICK_US);  /* the monitor's record */
	return 0;
}

/*
 * kill (docker's and runc's) of a container with a monitor: through it,
 * as stop (SIGTERM by sigqueue(3), MONITOR_KILL(sig) beside it), so that
 * it sends sig and starts nothing again (--restart), docker's rule: a
 * kill(2) of the init from here would look like a crash to it, and be
 * restarted.  Also in --restart's back-off, when there is no init to
 * signal (docker: the kill is then only "do not restart").  1 if it was
 * asked, 0 when there is no monitor, -1 with errno.
 */
int monitor_kill(const struct oci_state *s, int sig)
{
	return monitor_ask(s, MONITOR_KILL(sig));
}

/* docker's kill: with SIGKILL, returns once the monitor has recorded the
 * exit status (137, or the last one in the back-off) and gone, as
 * docker's waits for the container to stop; other signals, at once. */
static int kill_one(const struct oci_state *s, const char *ref,
		    const char *sig)
{
	int n = sig ? parse_signal(sig) : SIGKILL, asked = monitor_kill(s, n);

	if (asked > 0) {
		while (n == SIGKILL && container_monitor_alive(s))
			usleep(TICK_US);
		return 0;
	}
	if (asked == 0 && !state_alive(s)) {
		error_line(0, "cannot kill container %s: it is not running", ref);
		return -1;
	}
	if (asked < 0 || kill(s->pid, n) < 0) {
		error_line(errno, "kill %s", ref);
		return -1;
	}
	return 0;
}

static int rm_one(struct oci_state *s, const char *ref, int force)
{
	char *line = s->cgroups;
	int alive = state_alive(s);

	/* a monitor without its init: --restart's back-off, about to start
	 * it again (docker: "restarting") */
	if ((alive || container_monitor_alive(s)) && !force) {
		error_line(0, "cannot remove container %s: it is %s: stop it "
			   "first, or rm -f", ref, alive ? "running" :
			   "restarting");
		return -1;
	}
	if (container_monitor_alive(s))
		stop_one(s, 0);         /* at once, and nothing restarts */
	else if (alive)
		kill(s->pid, SIGKILL);
	await_stopped(s, -1);
	/* its monitor removes the cgroup and records the status: let it */
	for (int i = 0; i < 10 * 1000000 / TICK_US && container_monitor_alive(s); i++)
		usleep(TICK_US);
	for (char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (cgroup_remove(line) < 0 && errno != ENOENT)
			error_line(errno, "remove cgroup %s", line);
	}
	state_remove(s);
	etcfiles_sweep();       /* its /etc files, if its monitor was killed */
	return 0;
}

/* rm of a half-made container (no state.json): maker.c's rule.  1 done
 * (removed, and said), -1 refused (its maker is alive), 0 not one. */
static int rm_half_made(const char *root, const char *ref)
{
	char id[ID_MAX + 1];
	int r;

	if (container_find(root, ref, id, sizeof id) < 0)
		return 0;
	r = maker_clear(&(struct oci_state){ .root = root, .id = id });
	if (r < 0)
		error_line(0, "cannot remove container %s: it is being created",
			   ref);
	else if (r > 0) {
		etcfiles_sweep();       /* its killed maker's /etc files */
		puts(ref);
	}
	return r;
}

/* Until its next exit: await_exit's, or, with --restart, the status of
 * an exit it is restarted after (docker's wait returns there too: its
 * SetRestarting wakes the waiters).  The monitor's "restarting" file is
 * there through the back-off (100 ms at least, looked at every 10): one
 * that is there already when we start is the exit before ours. */
static int await_next_exit(const struct oci_state *s)
{
	int st, armed = state_recorded(s, "restarting", NULL) < 0;

	for (;;) {
		if ((st = state_exit(s, NULL)) >= 0)
			return st;
		if ((st = state_recorded(s, "restarting", NULL)) < 0)
			armed = 1;
		else if (armed)
			return st;
		if (!container_monitor_alive(s))
			return await_exit(s, -1);  /* no monitor (create's): the init */
		usleep(TICK_US);
	}
}

/* With --rm, its monitor records the status, then removes ROOT/ID, but
 * not while a shared flock(2) on it is held (container.c): taken before
 * waiting, let go once the status is read. */
static int wait_one(const struct oci_state *s, const char *ref)
{
	char dir[PATH_MAX_OCI];
	int lock = open(state_path(s, NULL, dir, sizeof dir),
			O_RDONLY | O_DIRECTORY | O_CLOEXEC), st;

	if (lock >= 0)
		flock(lock, LOCK_SH);
	st = await_next_exit(s);
	if (lock >= 0)
		close(lock);

	if (st >= 0)
		return printf("%d\n", st) < 0 ? -1 : 1;
	error_line(0, "%s: %s", ref, st == -2 ? "removed before its status "
		   "could be read" : "its exit status is unknown (its monitor "
		   "was killed)");
	return -1;
}

/* One element of inspect's array: the state, the status, run.json. */
static void inspect_one(const struct oci_state *s, int first)
{
	char path[PATH_MAX_OCI], name[NAME_MAX_CTR + 2], q[256], *cfg;
	const char *st = state_status(s);
	int pid = strcmp(st, "stopped") ? s->pid : 0;   /* runc: 0 */
	size_t len, need = state_json(s, st, pid, 0, NULL, 0) + 1;
	char *json = malloc(need);
	int code = state_exit(s, NULL);

	if (!json)
		die("inspect");
	state_json(s, st, pid, 0, json, need);
	state_path(s, NULL, path, sizeof path);
	if (read_text(path, "name", name, sizeof name) < 0)
		snprintf(name, sizeof name, "%s", s->id);
	json_quote(name, q, sizeof q);
	cfg = read_whole(state_path(s, "run.json", path, sizeof path), &len);
	if (cfg && len && cfg[len - 1] == '\n')
		cfg[len - 1] = '\0';
	printf("%s{\"Id\":\"%s\",\"Name\":%s,\"State\":%s,\"ExitCode\":", first ?
	       "[" : ",", s->id, q, json);
	printf(code >= 0 ? "%d" : "null", code);
	printf(",\"Config\":%s}", cfg ? cfg : "null");
}

/* Each NAME in turn: 1 when any failed, as docker's. */
int docker_main(const struct docker_args *d, const char *root)
{
	int rc = 0, shown = 0;

	if (user_root_missing(root))
		return 1;
	if (d->cmd == DOCKER_PS || d->cmd == DOCKER_LIST)
		return ps_main(d, root);
	for (int i = 0; i < d->nnames; i++) {
		const char *ref = d->names[i];
		struct oci_state s;
		char id[ID_MAX + 1];
		int r = 0;

		if (d->cmd == DOCKER_RM && (r = rm_half_made(root, ref)) != 0) {
			rc |= r < 0;
			continue;
		}
		if (container_lookup(root, ref, &s, id, sizeof id) < 0) {
			rc = 1;
			continue;
		}
		switch (d->cmd) {
		case DOCKER_LOGS: return logs_main(d, &s);
		case DOCKER_STOP: r = stop_one(&s, d->time); break;
		case DOCKER_KILL: r = kill_one(&s, ref, d->signal); break;
		case DOCKER_RM: r = rm_one(&s, ref, d->force); break;
		case DOCKER_WAIT: r = wait_one(&s, ref); break;
		default: inspect_one(&s, shown++ == 0); r = 1; break;
		}
		if (r == 0)
			puts(ref);
		rc |= r < 0;
	}
	if (d->cmd == DOCKER_INSPECT)
		puts(shown ? "]" : "[]");
	return rc;
}
