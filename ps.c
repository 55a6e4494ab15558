/*
 * ps.c - `ps`: docker's list of containers, or runc's list of one's pids.
 *
 *   ps [-a] [-q] [--no-trunc] [--format json]   every container of ROOT
 *        (running ones; -a: all), newest first, in docker's columns, each
 *        as wide as its widest cell and 3 more (its tabwriter's):
 *        CONTAINER ID (12 digits), IMAGE (its root), COMMAND, CREATED,
 *        STATUS ("Up 3 seconds", "Exited (0) 5 seconds ago", "Created",
 *        "Restarting (1) 2 seconds ago" in --restart's back-off (-a or not);
 *        "Exited (unknown)" when its monitor was killed before it could
 *        say), NAMES; -q: the IDs only; json: one object a line, docker's
 *        keys; --no-trunc: whole IDs and commands (else 12 digits, and
 *        20 characters with "…").  Those `create` made (no name) show
 *        their ID as the name.
 *   ps [--format table|json] ID    runc's: the pids of its processes,
 *        from its cgroup's cgroup.procs when it has one, else every pid
 *        in its pid namespace (/proc/PID/ns/pid, the init's), else
 *        (the host's pid namespace) its init alone.
 *   list [-q] [--format table|json]   runc's: every container of ROOT,
 *        newest first, in runc's columns ID PID STATUS BUNDLE CREATED
 *        OWNER, or one JSON array of `state`'s objects with "owner" (the
 *        user owning ROOT/ID, as runc says it); a stopped one's pid is 0.
 * Times are the state files' own: CREATED is run.json's mtime (written
 * once, when `run` made the container; a `create`d one's, state.json's),
 * "Up" counts from state.json's (written by its supervisor after each
 * clone: --restart's starts too), "Exited" from exit's, as docker's
 * CREATED stays while STATUS counts from the last start.
 * Man pages: proc(5), pid_namespaces(7), cgroups(7) (cgroup.procs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "minictr.h"

struct row {
	char id[ID_MAX + 1];
	long long created;
	long nsec;              /* within its second: several are made in one */
};

static int newest_first(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->created != y->created)
		return (x->created < y->created) - (x->created > y->created);
	return (x->nsec < y->nsec) - (x->nsec > y->nsec);
}

/* The containers of root (those with a state.json), newest first; how
 * many.  *rows from the heap: counted first, then filled. */
static int list(const char *root, struct row **rows)
{
	char path[PATH_MAX_OCI];
	struct subdirs d;
	struct stat st;
	const char *e;
	int n = 0, room = 0;

	if (subdirs_open(&d, root) < 0)
		return 0;
	while (subdirs_next(&d))
		room++;
	subdirs_close(&d);
	if (!(*rows = malloc((size_t)(room + 1) * sizeof **rows)) ||
	    subdirs_open(&d, root) < 0)
		return 0;
	while ((e = subdirs_next(&d)) && n < room) {
		snprintf(path, sizeof path, "%s/%s/state.json", root, e);
		if (strlen(e) > ID_MAX || stat(path, &st) < 0)
			continue;
		/* run.json: written once, when run made it; state.json is
		 * written again at each start of --restart's */
		snprintf(path, sizeof path, "%s/%s/run.json", root, e);
		stat(path, &st);        /* a `create`d one has none */
		snprintf((*rows)[n].id, sizeof (*rows)[n].id, "%s", e);
		(*rows)[n].nsec = st.st_mtim.tv_nsec;
		(*rows)[n++].created = st.st_mtime;
	}
	subdirs_close(&d);
	qsort(*rows, (size_t)n, sizeof **rows, newest_first);
	return n;
}

/* How many characters (not bytes) of UTF-8: the columns' widths. */
static size_t runes(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* docker's Ellipsis: more than max characters become the first max - 1
 * and "…" (one character, 3 bytes: out has room for 3 more). */
static void ellipsis(char *out, size_t max)
{
	size_t n = 0;
	char *p = out;

	if (runes(out) <= max)
		return;
	for (; *p && (n += ((unsigned char)*p & 0xc0) != 0x80) < max; p++)
		;
	strcpy(p, "\xe2\x80\xa6");
}

/* raw into out (len bytes), each control character as Go's
 * strconv.Quote writes it (\n, \t, \x1b), as docker's COMMAND shows it:
 * a newline or a tab in a command would break the row. */
static void escape_controls(const char *raw, char *out, size_t len)
{
	static const char named[] = "\a\b\f\n\r\t\v", letter[] = "abfnrtv";
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)raw;
	     *p && n + 5 < len; p++) {
		const char *k = strchr(named, *p);

		if (*p >= 0x20 && *p != 0x7f)
			out[n++] = (char)*p;
		else
			n += (size_t)(k ? snprintf(out + n, 3, "\\%c",
						   letter[k - named])
				      : snprintf(out + n, 5, "\\x%02x", *p));
	}
	out[n] = '\0';
}

/* run.json's command, as docker shows it: 20 characters at most, unless
 * trunc is 0 (--no-trunc). */
static void command_of(const struct oci_state *s, char *out, size_t len,
		       int trunc)
{
	char path[PATH_MAX_OCI], raw[1024], *text, *w;
	struct json j;
	size_t n = 0, tlen;
	int c;

	out[0] = raw[0] = '\0';
	if (!(text = read_whole(state_path(s, "run.json", path, sizeof path),
				&tlen)) || json_parse(text, tlen, &j) != NULL)
		return;
	c = json_get(&j, 0, "command");
	for (int i = 0; i < json_size(&j, c) && n < sizeof raw; i++)
		if ((w = json_string(&j, json_at(&j, c, i))))
			n += (size_t)snprintf(raw + n, sizeof raw - n, "%s%s",
					      i ? " " : "", w);
	json_free(&j);
	escape_controls(raw, out, len);
	if (trunc)
		ellipsis(out, 20);
}

/* STATUS, and docker's State word. */
static const char *status_of(const struct oci_state *s, long long now,
			     char *out, size_t len)
{
	const char *st = state_status(s);
	char ago[48], path[PATH_MAX_OCI];
	long long finished = now;
	struct stat sb;
	int code;

	if (!strcmp(st, "created")) {
		snprintf(out, len, "Created");
		return "created";
	}
	if (!strcmp(st, "running")) {
		if (stat(state_path(s, "state.json", path, sizeof path), &sb) < 0)
			sb.st_mtime = now;
		snprintf(out, len, "Up %s", human_duration(now - sb.st_mtime, ago,
							  sizeof ago));
		return "running";
	}
	/* no init, no exit status, a monitor: --restart's back-off */
	if (state_exit(s, NULL) < 0 && container_monitor_alive(s) &&
	    (code = state_recorded(s, "restarting", &finished)) >= 0) {
		snprintf(out, len, "Restarting (%d) %s ago", code,
			 human_duration(now - finished, ago, sizeof ago));
		return "restarting";
	}
	if ((code = state_exit(s, &finished)) < 0)
		snprintf(out, len, "Exited (unknown)");
	else
		snprintf(out, len, "Exited (%d) %s ago", code,
			 human_duration(now - finished, ago, sizeof ago));
	return "exited";
}

/* docker's columns, and the table of them: every cell kept (from the
 * heap, never freed, as list()'s rows) until all are known, then each
 * column as wide as its widest cell, docker's tabwriter's way. */
enum { COLS = 6 };
static const char *const heads[COLS] = {
	"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES",
};

/* One container's row: its cells, or its JSON object, or its ID. */
static void print_row(const struct oci_state *s, const struct row *r,
		      const struct docker_args *d, long long now,
		      const char **cells)
{
	char cmd[1024], name[NAME_MAX_CTR + 2], status[80], ago[48], dir[300];
	char qn[160], qc[sizeof cmd * 6 + 3], qi[PATH_MAX_OCI * 6 + 3];
	const char *state;
	int full = d->no_trunc;

	if (d->quiet) {
		printf("%.*s\n", full ? ID_MAX : 12, s->id);
		return;
	}
	command_of(s, cmd, sizeof cmd - 3, !full);
	state = status_of(s, now, status, sizeof status);
	human_duration(now - r->created, ago, sizeof ago);
	if (read_text(state_path(s, NULL, dir, sizeof dir), "name", name,
		      sizeof name) < 0)
		snprintf(name, sizeof name, "%s", s->id);
	if (!d->json) {
		cells[0] = strndup(s->id, full ? ID_MAX : 12);
		cells[1] = strdup(s->rootfs);
		cells[2] = strdup(*cmd ? cmd : "-");
		cells[3] = strdup(strcat(ago, " ago"));
		cells[4] = strdup(status);
		cells[5] = strdup(name);
		return;
	}
	json_quote(name, qn, sizeof qn);
	json_quote(cmd, qc, sizeof qc);
	json_quote(s->rootfs, qi, sizeof qi);
	printf("{\"ID\":\"%.*s\",\"Image\":%s,\"Command\":%s,\"CreatedAt\":\"%s\","
	       "\"RunningFor\":\"%s ago\",\"State\":\"%s\",\"Status\":\"%s\","
	       "\"Names\":%s}\n", full ? ID_MAX : 12, s->id, qi, qc, s->created,
	       ago, state, status, qn);
}

/*
 * The table: docker's tabwriter (minimum width 10, padding 3): each
 * column but the last as wide as its widest cell, in characters, and 3
 * more, 10 at least.  printf's %-*s counts bytes, and "…" is 3: so the
 * padding is written apart.  n rows of COLS cells, the headings first.
 */
static void print_table(const char **cells, int n)
{
	size_t width[COLS] = { 0 };

	for (int i = 0; i < n * COLS; i++)
		if (cells[i] && runes(cells[i]) + 3 > width[i % COLS])
			width[i % COLS] = runes(cells[i]) + 3;
	for (int i = 0; i < n * COLS; i++) {
		const char *c = cells[i] ? cells[i] : "";
		size_t pad = width[i % COLS] < 10 ? 10 : width[i % COLS];

		if (i % COLS == COLS - 1)
			printf("%s\n", c);
		else
			printf("%s%*s", c, (int)(pad - runes(c)), "");
	}
}

/* docker's ps. */
static int ps_docker(const struct docker_args *d, const char *root)
{
	struct row *rows = NULL;
	int n = list(root, &rows), shown = 1;
	long long now = time(NULL);
	const char **cells = calloc((size_t)(n + 1) * COLS, sizeof *cells);

	if (!cells)
		return 1;
	memcpy(cells, heads, sizeof heads);
	for (int i = 0; i < n; i++) {
		struct oci_state s = { .root = root, .id = rows[i].id };

		if (state_load(&s) < 0 ||
		    (!d->all && strcmp(state_status(&s), "running") &&
		     !container_monitor_alive(&s)))    /* restarting */
			continue;
		print_row(&s, &rows[i], d, now, cells + shown++ * COLS);
	}
	if (!d->quiet && !d->json)
		print_table(cells, shown);
	return 0;
}

/* The pid namespace of /proc/PID, as "pid:[4026531836]". */
static int pid_ns_of(const char *pid, char *out, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%s/ns/pid", pid);
	n = readlink(path, out, len - 1);
	out[n > 0 ? n : 0] = '\0';
	return n > 0 ? 0 : -1;
}

/* One pid, in runc's two formats. */
static void show_pid(const char *pid, int json, int first)
{
	char dir[64], comm[64] = "?";

	if (json) {
		printf("%s%s", first ? "" : ",", pid);
		return;
	}
	snprintf(dir, sizeof dir, "/proc/%s", pid);
	read_text(dir, "comm", comm, sizeof comm);
	comm[strcspn(comm, "\n")] = '\0';
	printf("%-8s %s\n", pid, comm);
}

/* runc's ps: its processes, from its cgroup or its pid namespace. */
static int ps_runc(const struct docker_args *d, const char *root)
{
	static char procs[65536];
	char id[ID_MAX + 1], want[64], ns[64], init[16], *nl;
	struct oci_state s;
	struct subdirs p;
	const char *e;
	int n = 0;

	if (container_lookup(root, d->names[0], &s, id, sizeof id) < 0)
		return 1;
	printf(d->json ? "[" : "PID      CMD\n");
	snprintf(init, sizeof init, "%d", s.pid);
	if ((nl = strchr(s.cgroups, '\n')) && (*nl = '\0', 1) &&
	    read_text(s.cgroups, "cgroup.procs", procs, sizeof procs) == 0) {
		for (char *q = strtok(procs, "\n"); q; q = strtok(NULL, "\n"))
			show_pid(q, d->json, n++ == 0);
	} else if (state_alive(&s) && pid_ns_of(init, want, sizeof want) == 0 &&
		   pid_ns_of("self", ns, sizeof ns) == 0 && strcmp(ns, want) &&
		   subdirs_open(&p, "/proc") == 0) {
		while ((e = subdirs_next(&p)))
			if (*e >= '0' && *e <= '9' &&
			    pid_ns_of(e, ns, sizeof ns) == 0 && !strcmp(ns, want))
				show_pid(e, d->json, n++ == 0);
		subdirs_close(&p);
	} else if (state_alive(&s)) {   /* the host's pid namespace: its init */
		show_pid(init, d->json, 1);
	}
	if (d->json)
		puts("]");
	return 0;
}

/* Who owns ROOT/ID: its name in the host's /etc/passwd, or "#UID". */
static void owner_of(const struct oci_state *s, char *out, size_t len)
{
	static char *pw;
	char dir[PATH_MAX_OCI];
	struct stat st;
	size_t n;

	if (stat(state_path(s, NULL, dir, sizeof dir), &st) < 0)
		st.st_uid = 0;
	if (!pw && !(pw = read_whole("/etc/passwd", &n)))
		pw = "";
	if (passwd_name(pw, st.st_uid, out, len) < 0)
		snprintf(out, len, "#%u", (unsigned)st.st_uid);
}

/* One container of runc's list: a table row, or an object of the array. */
static void list_row(const struct oci_state *s, int json, int first)
{
	const char *st = state_status(s);
	int pid = strcmp(st, "stopped") ? s->pid : 0;   /* runc: 0 */
	char owner[256], qo[520], *text;
	size_t n = state_json(s, st, pid, 0, NULL, 0) + 1;

	owner_of(s, owner, sizeof owner);
	if (!json) {
		printf("%-12s   %-8d %-10s %-40s %-32s %s\n", s->id, pid, st,
		       s->bundle, s->created, owner);
		return;
	}
	/* never freed, as list()'s rows: the listing ends in exit, and a
	 * free() would bring musl's whole allocator in (6 KB) */
	if (!(text = malloc(n)))
		return;
	state_json(s, st, pid, 0, text, n);
	text[n - 2] = '\0';            /* its closing brace: owner goes in */
	json_quote(owner, qo, sizeof qo);
	printf("%s%s,\"owner\":%s}", first ? "" : ",", text, qo);
}

/* runc's list. */
static int list_runc(const struct docker_args *d, const char *root)
{
	struct row *rows = NULL;
	int n = list(root, &rows), shown = 0;

	if (d->quiet)           /* runc: -q wins over --format */
		;
	else if (d->json)
		printf("[");
	else
		printf("%-12s   %-8s %-10s %-40s %-32s %s\n", "ID", "PID",
		       "STATUS", "BUNDLE", "CREATED", "OWNER");
	for (int i = 0; i < n; i++) {
		struct oci_state s = { .root = root, .id = rows[i].id };

		if (state_load(&s) < 0)
			continue;
		if (d->quiet)
			puts(s.id);
		else
			list_row(&s, d->json, shown++ == 0);
	}
	if (d->json && !d->quiet)
		puts("]");
	return 0;
}

int ps_main(const struct docker_args *d, const char *root)
{
	if (d->cmd == DOCKER_LIST)
		return list_runc(d, root);
	return d->runc_ps ? ps_runc(d, root) : ps_docker(d, root);
}
