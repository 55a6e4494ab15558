/*
 * state.c - an OCI container's state on disk: ROOT/ID/ (ROOT is --root,
 * /run/minictr by default, a tmpfs that a reboot empties).
 *
 *   ROOT/ID/state.json  what `state` prints, written once by `create`,
 *                       plus minictr's own: the init's start time and
 *                       the cgroups to remove at `delete`
 *   ROOT/ID/exec.fifo   the init blocks opening it for writing until
 *                       `start` opens it for reading (runc's design);
 *                       `start` removes it
 *   ROOT/ID/name, run.json, exit, container.log[.1]   what `run --name`
 *                       and `run -d` keep besides (names.c, detach.c)
 *
 * The status is never stored: it is read from the world each time, as
 * crun does (status.c).  No init process, or a zombie (Z, X) that its
 * reaper has not waited for yet, or a process whose start time is not
 * the init's (the pid was reused): stopped.  Else the fifo says: there,
 * created; gone, running.  So `state` is right even when the container
 * exited and was reaped by someone else (a subreaper, or host PID 1).
 *
 * Files are written whole or not at all: a temporary name in the same
 * directory, then rename(2), which replaces atomically (the pid file the
 * callers read too).  An ID is checked before any path is built from it.
 * Man pages: rename(2), mkfifo(3), proc(5) (/proc/pid/stat field 22).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

/* path's contents, len bytes, as one rename(2): whole or absent. */
int write_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	char tmp[PATH_MAX_OCI + 16];
	int fd, err;
	ssize_t n;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	n = write(fd, data, len);
	err = errno;
	if (close(fd) < 0 || n != (ssize_t)len ||
	    rename(tmp, path) < 0) {
		err = n == (ssize_t)len ? errno : err;
		unlink(tmp);
		errno = err;
		return -1;
	}
	return 0;
}

/*
 * A file's bytes from the heap, NUL-terminated; NULL with errno.  The one
 * reader of every file a user names (--env-file, a seccomp profile,
 * config.json, --process, the image's /etc/passwd via caps.c): a FIFO
 * would block open(2) until a writer comes, so O_NONBLOCK (and O_NOCTTY:
 * a terminal must not become ours), then only a regular file of at most
 * READ_MAX; else EFBIG, which read_error() words.
 */
char *read_whole(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	ssize_t n = 0;
	int ok;

	if (fd < 0)
		return NULL;
	ok = fstat(fd, &st) == 0;
	if (ok && (!S_ISREG(st.st_mode) || st.st_size > READ_MAX)) {
		errno = EFBIG;
		ok = 0;
	}
	if (ok)
		buf = malloc((size_t)st.st_size + 1);
	for (*len = 0; buf && *len < (size_t)st.st_size; *len += (size_t)n)
		if ((n = read(fd, buf + *len, (size_t)st.st_size - *len)) <= 0)
			break;
	close(fd);
	if (!buf || n < 0)
		return NULL;    /* never freed: minictr has no free() */
	buf[*len] = '\0';
	return buf;
}

/* Why read_whole() failed, for the one error line. */
const char *read_error(int err)
{
	return err == EFBIG ? "not a regular file of at most 16 MiB" :
	       strerror(err);
}

/* ROOT/ID[/name] into buf; the ID was checked. */
const char *state_path(const struct oci_state *s, const char *name,
		       char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s%s%s", s->root, s->id, name ? "/" : "",
		 name ? name : "");
	return buf;
}

/* Where the next piece goes, and how much room it has: snprintf's
 * rules, so that a NULL out (len 0) measures. */
#define AT (n < len ? out + n : NULL)
#define ROOM (n < len ? len - n : 0)

/* state.json as `state` prints it, with status and pid as they are now,
 * and (for the file) minictr's own keys; the length, as snprintf. */
size_t state_json(const struct oci_state *s, const char *status, int pid,
		  int with_own, char *out, size_t len)
{
	char id[300], bundle[PATH_MAX_OCI * 2], rootfs[PATH_MAX_OCI * 2],
	     cgroups[2 * CGROUPS_MAX];
	size_t n = 0;

	json_quote(s->id, id, sizeof id);
	json_quote(s->bundle, bundle, sizeof bundle);
	json_quote(s->rootfs, rootfs, sizeof rootfs);
	n += (size_t)snprintf(AT, ROOM, "{\"ociVersion\":\"1.0.2\",\"id\":%s,"
			      "\"status\":\"%s\",\"pid\":%d,\"bundle\":%s,"
			      "\"rootfs\":%s,\"created\":\"%s\"", id, status,
			      pid, bundle, rootfs, s->created);
	if (s->annotations)
		n += (size_t)snprintf(AT, ROOM, ",\"annotations\":%s",
				      s->annotations);
	if (with_own) {
		json_quote(s->cgroups, cgroups, sizeof cgroups);
		n += (size_t)snprintf(AT, ROOM, ",\"minictr\":{\"start\":%llu,"
				      "\"cgroups\":%s}", s->start, cgroups);
	}
	n += (size_t)snprintf(AT, ROOM, "}");
	return n;
}

/* A string member into a fixed buffer; 0, or -1. */
static int copy_string(const struct json *j, int obj, const char *key,
		       char *out, size_t len)
{
	char *v = json_string(j, json_get(j, obj, key));
	int ok = v && strlen(v) < len;

	if (ok)
		strcpy(out, v);
	return ok ? 0 : -1;
}

/* Read ROOT/ID/state.json into s (root and id set); 0, or -1 with errno
 * (ENOENT: no such container). */
int state_load(struct oci_state *s)
{
	char path[PATH_MAX_OCI], *text;
	struct json j;
	long long v = 0;
	size_t len;
	int own, rc = -1, t, alen;

	if (!(text = read_whole(state_path(s, "state.json", path, sizeof path),
				&len)))
		return -1;
	if (json_parse(text, len, &j) == NULL) {
		own = json_get(&j, 0, "minictr");
		if (json_int(&j, json_get(&j, 0, "pid"), 0, 1 << 30, &v) == 0 &&
		    copy_string(&j, 0, "bundle", s->bundle, sizeof s->bundle) == 0 &&
		    copy_string(&j, 0, "rootfs", s->rootfs, sizeof s->rootfs) == 0 &&
		    copy_string(&j, 0, "created", s->created, sizeof s->created) == 0 &&
		    copy_string(&j, own, "cgroups", s->cgroups, sizeof s->cgroups) == 0)
			rc = 0;
		s->pid = (int)v;
		json_int(&j, json_get(&j, own, "start"), 0, 1LL << 62, &v);
		s->start = (unsigned long long)v;
		if ((t = json_get(&j, 0, "annotations")) >= 0) {
			const char *raw = json_raw(&j, t, &alen);
			s->annotations = strndup(raw, (size_t)alen);
		}
	}
	json_free(&j);
	if (rc < 0)
		errno = EINVAL;
	return rc;
}

/* Is the init, as state.json knows it, alive (not a zombie, not a new
 * process that got its pid)? */
int state_alive(const struct oci_state *s)
{
	unsigned long long start;
	char pid[16], st;

	if (s->pid <= 0)
		return 0;
	snprintf(pid, sizeof pid, "%d", s->pid);
	if (proc_start(pid, &start, &st) < 0)
		return 0;
	return st != 'Z' && st != 'X' && start == s->start;
}

/* "created", "running" or "stopped", from the world. */
const char *state_status(const struct oci_state *s)
{
	char path[PATH_MAX_OCI];

	if (!state_alive(s))
		return "stopped";
	if (access(state_path(s, "exec.fifo", path, sizeof path), F_OK) == 0)
		return "created";
	return "running";
}

/* ROOT/ID and every file in it, gone (a create that failed, a delete, an
 * rm): whatever the commands that made it left there. */
void state_remove(const struct oci_state *s)
{
	char dir[PATH_MAX_OCI], path[PATH_MAX_OCI + 300];
	struct subdirs d;
	const char *name;

	if (subdirs_open(&d, state_path(s, NULL, dir, sizeof dir)) < 0)
		return;
	d.files = 1;
	while ((name = subdirs_next(&d))) {
		snprintf(path, sizeof path, "%s/%s", dir, name);
		unlink(path);
	}
	subdirs_close(&d);
	rmdir(dir);
}

/* The exit status its supervisor recorded in ROOT/ID/exit, and when
 * (the file's mtime); -1 when there is none (running, or the supervisor
 * was killed before it could say). */
int state_exit(const struct oci_state *s, long long *finished)
{
	return state_recorded(s, "exit", finished);
}

/* The status in ROOT/ID/file ("exit", or --restart's "restarting"), and
 * when (its mtime); -1 when there is none. */
int state_recorded(const struct oci_state *s, const char *file,
		   long long *finished)
{
	char dir[PATH_MAX_OCI], buf[16];
	struct stat st;

	state_path(s, NULL, dir, sizeof dir);
	if (read_text(dir, file, buf, sizeof buf) < 0)
		return -1;
	if (finished && stat(state_path(s, file, dir, sizeof dir), &st) == 0)
		*finished = st.st_mtime;
	return atoi(buf);
}

/* mkdir -p, for --root (the shim's /run/containerd/runc/<ns>, or
 * /run/minictr for `run --name`). */
void state_make_root(const char *root)
{
	char path[PATH_MAX_OCI];

	snprintf(path, sizeof path, "%s", root);
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0711);
			*p = '/';
		}
	if (mkdir(path, 0711) < 0 && errno != EEXIST)
		die("mkdir %s", root);
}
