/*
 * names.c - a container's ID and name, as docker gives them, on the same
 * state directories as the OCI commands (state.c): ROOT/ID.
 *
 *   ID     64 hex digits: 32 bytes from getrandom(2), as docker's
 *   name   --name, or an adjective_scientist made up as docker does;
 *          unique among ROOT's containers, kept in ROOT/ID/name
 *   run.json  the description it was started with (`inspect`), its
 *          supervisor's pid and start time (`stop`, `wait`), and the
 *          environment given, resolved (`exec`)
 *
 * Uniqueness without a daemon: ROOT is locked with flock(2) while a name
 * is checked and ROOT/ID/name written, so of two `run --name web` at the
 * same moment one wins and the other is told.  The lock goes with the
 * fd: a minictr killed meanwhile holds nothing.  A name held by a
 * half-made container (no state.json) whose maker is gone is free: that
 * container is removed (maker.c's rule).
 * A reference (every command's NAME) is, in docker's order: an exact ID,
 * else an exact name, else the unique ID that starts with it.
 * Man pages: getrandom(2), flock(2), mmap(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

extern char **environ;

/* The container this process made, until it is recorded as started.
 * Of s only root and id are set (its state.json is made on the stack,
 * container_started): the monitor of `run -d` keeps one page of this. */
static struct {
	char id[72];
	pid_t owner;            /* who made it: not a child that exit()ed */
	char created[48];       /* state.json's "created": its first start's,
				 * kept by --restart's (runc's, docker's) */
	struct oci_state s;
} cur;

static const char *const adjectives[] = {
	"admiring", "brave", "clever", "dazzling", "eager", "festive",
	"gifted", "happy", "jolly", "keen", "lucid", "modest", "nifty",
	"quirky", "serene", "vibrant",
};
static const char *const scientists[] = {
	"bardeen", "curie", "dijkstra", "euler", "franklin", "gauss",
	"hopper", "johnson", "knuth", "lovelace", "meitner", "noether",
	"pascal", "ritchie", "thompson", "turing",
};

/* ROOT/ID/name into buf; "" when it has none (a `create`d one). */
static const char *name_of(const char *root, const char *id, char *buf,
			   size_t len)
{
	char dir[PATH_MAX_OCI];

	snprintf(dir, sizeof dir, "%s/%s", root, id);
	if (read_text(dir, "name", buf, len) < 0)
		buf[0] = '\0';
	return buf;
}

/* Each container of ROOT whose ID or name matches; how many, the last
 * one's ID in id.  prefix: IDs that start with ref. */
static int matches(const char *root, const char *ref, int prefix, char *id,
		   size_t len)
{
	char name[NAME_MAX_CTR + 2];
	struct subdirs d;
	const char *e;
	int n = 0;

	if (subdirs_open(&d, root) < 0)
		return 0;
	while ((e = subdirs_next(&d))) {
		int hit = prefix ? !strncmp(e, ref, strlen(ref)) :
				   !strcmp(name_of(root, e, name, sizeof name), ref);
		if (hit && ++n)
			snprintf(id, len, "%s", e);
	}
	subdirs_close(&d);
	return n;
}

/* ref (a name, an ID or a prefix of one) to its ID; 0, or -1 with errno:
 * ENOENT none, ENOTUNIQ a prefix of more than one.  For `exec` too. */
int container_find(const char *root, const char *ref, char *id, size_t len)
{
	char path[PATH_MAX_OCI];
	struct stat st;
	int n;

	snprintf(path, sizeof path, "%s/%s", root, ref);
	if (valid_id(ref) && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(id, len, "%s", ref);
		return 0;
	}
	if (!valid_name(ref) && !valid_id(ref))
		n = 0;
	else if ((n = matches(root, ref, 0, id, len)) == 0)
		n = matches(root, ref, 1, id, len);
	errno = n ? ENOTUNIQ : ENOENT;
	return n == 1 ? 0 : -1;
}

/* The name asked for, or one made up that no container has yet. */
static void pick_name(const char *root, const struct run_opts *o,
		      char *name, size_t len)
{
	unsigned char r[2];
	char other[72];

	if (o->name) {
		if (matches(root, o->name, 0, other, sizeof other)) {
			error_line(0, "run: --name %s: the name is already in use "
				   "by container %.12s: remove it (rm) or choose "
				   "another name", o->name, other);
			exit(EXIT_SETUP);
		}
		snprintf(name, len, "%s", o->name);
		return;
	}
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		die("getrandom");
	snprintf(name, len, "%s_%s", adjectives[r[0] % 16], scientists[r[1] % 16]);
	/* docker's way out of a clash: a digit after the name, then two */
	for (int i = 1; matches(root, name, 0, other, sizeof other); i++)
		snprintf(name, len, "%s_%s%d", adjectives[r[0] % 16],
			 scientists[r[1] % 16], i);
}

/* 64 hex digits from 32 random bytes: an ID no one else has. */
static void new_id(char *id)
{
	unsigned char r[32];

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		die("getrandom");
	for (int i = 0; i < 32; i++)
		sprintf(id + 2 * i, "%02x", r[i]);
}

/* Where the next piece goes, and how much room it has: snprintf's
 * rules, so that a NULL out (len 0) measures (as state.c's). */
#define AT (n < len ? out + n : NULL)
#define ROOM (n < len ? len - n : 0)

/* s quoted into out at n, after a comma unless first; the new length. */
static size_t json_item(const char *s, int first, char *out, size_t n,
			size_t len)
{
	if (!first)
		n += (size_t)snprintf(AT, ROOM, ",");
	return n + json_quote(s, AT, ROOM);
}

/* A JSON array of words, quoted, into out at n; the new length. */
static size_t json_words(char *const *w, char *out, size_t n, size_t len)
{
	n += (size_t)snprintf(AT, ROOM, "[");
	for (int i = 0; w && w[i]; i++)
		n = json_item(w[i], i == 0, out, n, len);
	return n + (size_t)snprintf(AT, ROOM, "]");
}

/* The environment given (--env-file's entries, then -e's, main.c), each
 * as the container got it (env_resolve): exec gives its process the
 * same, whatever has become of the files or of minictr's own variables
 * since (docker's Config.Env).  Into out at n; the new length. */
static size_t json_env(const struct run_opts *o, char *out, size_t n,
		       size_t len)
{
	int k = 0;

	n += (size_t)snprintf(AT, ROOM, "[");
	for (int i = 0; i < o->nenv; i++) {
		const char *e = env_resolve(o->env[i], environ);
		if (e)
			n = json_item(e, k++ == 0, out, n, len);
	}
	return n + (size_t)snprintf(AT, ROOM, "]");
}

/* run.json's text into out (len bytes; NULL, 0: measure); its length. */
static size_t description(const struct run_opts *o, const char *name,
			  const char *me, unsigned long long start, char *out,
			  size_t len)
{
	char q[(NAME_MAX_CTR + 8) * 6 + 3];
	size_t n = 0;

	json_quote(name, q, sizeof q);
	n += (size_t)snprintf(AT, ROOM, "{\"name\":%s,\"detach\":%s,\"rm\":%s,"
			      "\"stopTimeout\":%ld,\"monitor\":%s,"
			      "\"monitorStart\":%llu,\"command\":", q,
			      o->detach ? "true" : "false",
			      o->rm ? "true" : "false", o->stop_timeout, me,
			      start);
	n = json_words(o->argv, out, n, len);
	n += (size_t)snprintf(AT, ROOM, ",\"args\":");
	n = json_words(o->words, out, n, len);
	n += (size_t)snprintf(AT, ROOM, ",\"env\":");
	n = json_env(o, out, n, len);
	return n + (size_t)snprintf(AT, ROOM, "}\n");
}

/* ROOT/ID/run.json: what `run` was given, and who supervises it. */
static void write_description(const struct run_opts *o, const char *name)
{
	char path[PATH_MAX_OCI], me[16], st;
	unsigned long long start = 0;
	size_t len;
	char *json;

	snprintf(me, sizeof me, "%d", (int)getpid());
	proc_start(me, &start, &st);
	len = description(o, name, me, start, NULL, 0) + 1;
	/* mmap(2), as long as the env files make it, and munmap(2) after:
	 * the monitor keeps none of it (the heap would keep it all) */
	json = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (json == MAP_FAILED)
		die("run: record the container");
	description(o, name, me, start, json, len);
	if (write_atomic(state_path(&cur.s, "run.json", path, sizeof path), json,
			 len - 1, 0600) < 0)
		die("write %s", path);
	munmap(json, len);
}

/*
 * `run --name` or `run -d`: a new ID, a unique name, ROOT/ID with its
 * name and run.json, all under ROOT's lock.  Exits 125 when the name is
 * taken.  The ID into id.
 */
void container_new(const struct run_opts *o, char *id, size_t len)
{
	char path[PATH_MAX_OCI], name[NAME_MAX_CTR + 8];
	int lock;

	cur.s.root = o->root;
	cur.s.id = cur.id;
	new_id(cur.id);
	state_make_root(o->root);
	lock = maker_lock(o->root);
	/* a name held by a half-made container whose maker is gone (a
	 * minictr killed before its state.json) is free (maker.c) */
	maker_sweep_locked(o->root);
	pick_name(o->root, o, name, sizeof name);
	/* until state.json, any exit() removes it (maker.c) */
	if (maker_begin(o->root, cur.id) < 0)
		die("mkdir %s", state_path(&cur.s, NULL, path, sizeof path));
	cur.owner = getpid();
	if (write_atomic(state_path(&cur.s, "name", path, sizeof path), name,
			 strlen(name), 0600) < 0)
		die("write %s", path);
	close(lock);            /* the name is taken: others may look */
	write_description(o, name);
	if (seccomp_keep(o, &cur.s) < 0)        /* exec's filter, as create's */
		die("write %s/seccomp.bpf", cur.id);
	snprintf(id, len, "%s", cur.id);
}

/* --restart's back-off (run.c): the status it exited with, in
 * ROOT/ID/restarting until the next start (`ps`: "Restarting (1)"). */
void container_restarting(int status)
{
	char path[PATH_MAX_OCI], text[16];
	int n = snprintf(text, sizeof text, "%d\n", status);

	if (cur.owner)
		write_atomic(state_path(&cur.s, "restarting", path, sizeof path),
			     text, (size_t)n, 0600);
}

/* state.json, as `create` writes it, so that `state`, `kill`, `delete`
 * and `exec` work on it.  All on the stack, not in cur: the monitor
 * gives its set-up's stack back once the container runs
 * (monitor_settle). */
static void write_state(const struct run_opts *o, pid_t pid)
{
	struct oci_state s = { .root = cur.s.root, .id = cur.id, .pid = pid };
	char path[PATH_MAX_OCI], pidtext[16], st;
	char json[PATH_MAX_OCI * 6 + CGROUPS_MAX * 2];
	size_t n;

	snprintf(pidtext, sizeof pidtext, "%d", (int)pid);
	if (proc_start(pidtext, &s.start, &st) < 0)
		die("read /proc/%d/stat", (int)pid);
	if (!o->rootfs || !realpath(o->rootfs, s.rootfs))
		snprintf(s.rootfs, sizeof s.rootfs, "/");
	if (!cur.created[0])
		rfc3339_now(cur.created, sizeof cur.created);
	snprintf(s.created, sizeof s.created, "%s", cur.created);
	cgroup_dirs(s.cgroups, sizeof s.cgroups);
	unlink(state_path(&s, "restarting", path, sizeof path));
	n = state_json(&s, "running", pid, 1, json, sizeof json);
	if (n >= sizeof json || write_atomic(state_path(&s, "state.json",
			path, sizeof path), json, n, 0600) < 0)
		die("write %s", path);
}

/* After clone (run.c): a named container's state.json.  A plain `run`
 * has none, and touches none of that stack. */
void container_started(const struct run_opts *o, pid_t pid)
{
	if (!cur.owner)
		return;
	write_state(o, pid);
	maker_done();
}

/* ROOT/ID/exit.  ROOT full (a small /run, a chatty container): the
 * status matters more than the output, so the log gives way, its older
 * half first, and says so in what is left of it. */
static int write_exit(const char *path, const char *text, size_t n)
{
	int r = write_atomic(path, text, n, 0600), err = errno;

	for (int step = 0; r < 0 && err == ENOSPC && step < 2; step++) {
		if (log_give_way(step) < 0)
			continue;
		r = write_atomic(path, text, n, 0600);
		err = errno;
		if (r == 0)
			error_line(0, "%s is full: the log was cut to record "
				   "the exit status", cur.s.root);
	}
	errno = err;
	return r;
}

/*
 * The end: its exit status in ROOT/ID/exit (`ps -a`, `wait`); with --rm,
 * then the whole container gone, but not under a `wait`: each holds a
 * shared flock(2) on ROOT/ID until it has read exit (docker.c), and this
 * exclusive one waits for them all.  A `wait` that comes later finds no
 * container, as docker's.
 */
void container_ended(const struct run_opts *o, int status)
{
	char path[PATH_MAX_OCI], text[16];
	int n = snprintf(text, sizeof text, "%d\n", status), dir;

	if (!cur.owner)
		return;
	if (write_exit(state_path(&cur.s, "exit", path, sizeof path), text,
		       (size_t)n) < 0 && errno != ENOENT)
		error_line(errno, "write %s", path);    /* ENOENT: rm -f'd */
	if (!o->rm)
		return;
	dir = open(state_path(&cur.s, NULL, path, sizeof path),
		   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir >= 0)
		flock(dir, LOCK_EX);
	state_remove(&cur.s);
	if (dir >= 0)
		close(dir);
}

/* run.json's number at key; def when there is none. */
long long container_described(const struct oci_state *s, const char *key,
			   long long def)
{
	char path[PATH_MAX_OCI], *text;
	struct json j;
	long long v = def;
	size_t len;

	if (!(text = read_whole(state_path(s, "run.json", path, sizeof path),
				&len)))
		return def;
	if (json_parse(text, len, &j) == NULL &&
	    json_int(&j, json_get(&j, 0, key), 0, 1LL << 62, &v) < 0)
		v = def;
	json_free(&j);
	return v;
}

/* Is its monitor (the supervisor of run -d or run --name) alive?  Its
 * pid if so (`stop` signals it), else 0. */
pid_t container_monitor_alive(const struct oci_state *s)
{
	struct oci_state m = { .pid = (int)container_described(s, "monitor", 0),
			       .start = (unsigned long long)container_described(s,
					"monitorStart", 0) };

	return state_alive(&m) ? m.pid : 0;
}
