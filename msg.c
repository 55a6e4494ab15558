/*
 * msg.c - the one way minictr speaks: error lines and --trace narration.
 *
 * Silent on success, precise on failure.  Every error is one line,
 * "minictr: <what>: <why>", where <why> is strerror(errno) of the failed
 * call; --trace narrates each step the same way, with the call and its
 * result, so a reader can watch a container being built.  Lines from the
 * container side say "minictr[<pid>]:", the pid as the container sees it.
 *
 * Each line is formatted into one buffer and written with one write(2):
 * the parent and the child write to the same stderr at the same time, and
 * single writes keep their lines whole.  Control characters (a newline in
 * a file name, a terminal escape) are shown as '?', so an error is always
 * exactly one line and cannot repaint the user's terminal.
 * The container side runs in the child of a raw clone(2): see ns.c for
 * what is safe there (snprintf and getpid are; exit(3) is not, so die()
 * leaves that side with _exit).  The child's failure report (fail()) and
 * the exit-status table's rule (exit_status_of()) live here too: every
 * file may report, none needs to call back up to report.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "minictr.h"

int trace_enabled;
static int container_side;

/* Lines from now on come from inside the container: "minictr[1]: ". */
void msg_in_container(void)
{
	container_side = 1;
}

/* Where --log sends lines as well (OCI commands): its fd, its format. */
static int log_fd = -1, log_json;

/* --log FILE, --log-format json|text: errors (and, with --debug, notes)
 * go to fd too, as runc's do, JSON one object a line. */
void msg_log_to(int fd, int json)
{
	log_fd = fd;
	log_json = json;
}

/* Now, in RFC 3339 with nanoseconds, UTC: what Go's time.Time parses.
 * The date from the days since 1970 by Howard Hinnant's civil_from_days,
 * because gmtime(3) and strftime(3) bring musl's time zone code (6 KB). */
const char *rfc3339_now(char *buf, size_t len)
{
	struct timespec ts;
	long long days, secs, era, doe, yoe, doy, mp, y;

	clock_gettime(CLOCK_REALTIME, &ts);
	days = ts.tv_sec / 86400;
	secs = ts.tv_sec % 86400;
	days += 719468;                 /* from 0000-03-01 */
	era = days / 146097;            /* 400-year cycles */
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;       /* March is 0 */
	y = yoe + era * 400 + (mp >= 10);
	snprintf(buf, len, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%09ldZ", y,
		 mp < 10 ? mp + 3 : mp - 9, doy - (153 * mp + 2) / 5 + 1,
		 secs / 3600, secs / 60 % 60, secs % 60, ts.tv_nsec);
	return buf;
}

/* The line, less "minictr: " and its newline, to the --log file: as text,
 * or as {"level":...,"msg":...,"time":...} (containerd and podman decode
 * it; a line that is not JSON breaks their decoder). */
static void log_line(const char *level, const char *msg, size_t len)
{
	char text[1100], quoted[2300], when[40], out[2400];
	int n;

	if (log_fd < 0 || container_side)
		return;
	snprintf(text, sizeof text, "%.*s", (int)len, msg);
	if (!log_json) {
		n = snprintf(out, sizeof out, "%s\n", text);
	} else {
		json_quote(text, quoted, sizeof quoted);
		n = snprintf(out, sizeof out, "{\"level\":\"%s\",\"msg\":%s,"
			     "\"time\":\"%s\"}\n", level, quoted,
			     rfc3339_now(when, sizeof when));
	}
	(void)!write(log_fd, out, (size_t)n < sizeof out ? (size_t)n :
		     sizeof out - 1);
}

/* Write "<prefix><fmt...>[: strerror(err)]\n" as one line. */
static void emit(const char *level, int err, const char *tail,
		 const char *fmt, va_list ap)
{
	char line[1024];
	size_t n, max = sizeof line - 1, prefix;   /* room for the newline */

	if (container_side)
		n = snprintf(line, max, "minictr[%d]: ", (int)getpid());
	else
		n = snprintf(line, max, "minictr: ");
	prefix = n;
	n += vsnprintf(line + n, n < max ? max - n : 0, fmt, ap);
	if (n < max && tail)
		n += snprintf(line + n, max - n, "%s", tail);
	if (n < max && err)
		n += snprintf(line + n, max - n, ": %s", strerror(err));
	if (n > max - 1)
		n = max - 1;            /* truncated: still one line */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	log_line(level, line + prefix, n - prefix);
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

/*
 * Print "minictr: <what>: strerror(errno)" and exit 125.  In the parent,
 * exit(3) runs the atexit handlers (cgroup.c removes the cgroup, pty.c
 * restores the terminal).  Those are the parent's: a child that ran them
 * would remove the cgroup it is in, so on the container side die() leaves
 * with _exit(2), as fail() does (ns.c says why).
 */
_Noreturn void die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	emit("error", err, NULL, fmt, ap);
	va_end(ap);
	if (container_side)
		_exit(EXIT_SETUP);
	exit(EXIT_SETUP);
}

/*
 * The child's side of the idiom: report the failed step to the parent
 * through the status pipe (struct child_report, minictr.h), then exit
 * with status, by _exit as every exit of the child (ns.c).  The parent
 * prints the report as one error line.  It lives here, with die(), so
 * that the steps below init.c (rootfs.c, mounts.c, caps.c...) depend on
 * the error idiom only, never on the file that calls them.
 */
_Noreturn void fail(int report_fd, int status, int err, const char *fmt, ...)
{
	struct child_report r = { .status = status, .err = err };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r.what, sizeof r.what, fmt, ap);
	va_end(ap);
	if (report_fd >= 0)
		(void)!write(report_fd, &r, sizeof r);
	else            /* OCI, after start: no one reads the pipe any more */
		error_line(err, "%s", r.what);
	_exit(status);
}

/* A waitpid(2) status as an exit status: 128+N for signal N (the table
 * in minictr.h), else the process's own. */
int exit_status_of(int wait_status)
{
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return WEXITSTATUS(wait_status);
}

/* One error line with an explicit errno (0: no reason appended). */
void error_line(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("error", err, NULL, fmt, ap);
	va_end(ap);
}

/* One warning line: what failed but does not stop anything (a poststop
 * hook); "level":"warning" in a JSON log. */
void warn_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("warning", 0, NULL, fmt, ap);
	va_end(ap);
}

/*
 * With --trace, print "<call> = <ret>" or "<call> = -1 (<why>)"; return
 * ret untouched and keep errno, so it wraps a call in place:
 *     if (traced(sethostname(n, len), "sethostname(\"%s\")", n) < 0)
 */
long traced(long ret, const char *fmt, ...)
{
	int err = errno;
	char tail[128];
	va_list ap;

	if (!trace_enabled)
		return ret;
	if (ret < 0)
		snprintf(tail, sizeof tail, " = %ld (%s)", ret, strerror(err));
	else
		snprintf(tail, sizeof tail, " = %ld", ret);
	va_start(ap, fmt);
	emit("debug", 0, tail, fmt, ap);
	va_end(ap);
	errno = err;
	return ret;
}

/* With --trace, print one line of narration. */
void trace(const char *fmt, ...)
{
	va_list ap;

	if (!trace_enabled)
		return;
	va_start(ap, fmt);
	emit("debug", 0, NULL, fmt, ap);
	va_end(ap);
}

/* "NAME_A|NAME_B" for the flags of table that are set, or "0"; a flag
 * without a name shows as hex.  --trace names every flag this way. */
const char *flag_names(const struct flag_name *table, size_t n,
		       unsigned long flags, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((flags & table[i].flag) && used < len) {
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "|" : "", table[i].name);
			flags &= ~table[i].flag;
		}
	if ((flags || used == 0) && used < len)
		snprintf(buf + used, len - used, "%s%#lx", used ? "|" : "",
			 flags);
	return buf;
}

/* mount(2)'s flags, by the names the man page gives them. */
static const struct flag_name mount_flags[] = {
	{ MS_RDONLY, "MS_RDONLY" }, { MS_NOSUID, "MS_NOSUID" },
	{ MS_NODEV, "MS_NODEV" }, { MS_NOEXEC, "MS_NOEXEC" },
	{ MS_REMOUNT, "MS_REMOUNT" }, { MS_NOATIME, "MS_NOATIME" },
	{ MS_NODIRATIME, "MS_NODIRATIME" }, { MS_BIND, "MS_BIND" },
	{ MS_MOVE, "MS_MOVE" }, { MS_REC, "MS_REC" }, { MS_SILENT, "MS_SILENT" },
	{ MS_UNBINDABLE, "MS_UNBINDABLE" }, { MS_PRIVATE, "MS_PRIVATE" },
	{ MS_SLAVE, "MS_SLAVE" }, { MS_SHARED, "MS_SHARED" },
	{ MS_RELATIME, "MS_RELATIME" }, { MS_STRICTATIME, "MS_STRICTATIME" },
};

/* "MS_BIND|MS_REC", or "0"; a flag without a name shows as hex. */
const char *mount_flag_names(unsigned long flags, char *buf, size_t len)
{
	return flag_names(mount_flags, sizeof mount_flags / sizeof *mount_flags,
			  flags, buf, len);
}

/* A string argument as --trace shows it: quoted, or NULL. */
#define QUOTED(s) (s) ? "\"" : "", (s) ? (s) : "NULL", (s) ? "\"" : ""

/*
 * mount(2), narrated with --trace exactly as it is called:
 *     mount("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL) = 0
 * The arguments shown are the real ones, /proc/self/fd/N included.
 */
int traced_mount(const char *src, const char *target, const char *fstype,
		 unsigned long flags, const char *data)
{
	char names[160];

	return (int)traced(mount(src, target, fstype, flags, data),
			   "mount(%s%s%s, %s%s%s, %s%s%s, %s, %s%s%s)",
			   QUOTED(src), QUOTED(target), QUOTED(fstype),
			   mount_flag_names(flags, names, sizeof names),
			   QUOTED(data));
}
