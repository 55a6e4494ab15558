/*
 * runjson.c - ROOT/ID/run.json: the description a container `run` named
 * (--name, -d) was started with, for `inspect`; its supervisor's pid and
 * start time, for `stop` and `wait` (is the monitor alive?); and the
 * environment given, resolved, for `exec`.  Measured first, then written
 * into an mmap(2)ed buffer as long as the env files make it, so that the
 * monitor keeps none of it.
 * Man pages: mmap(2), proc(5) (/proc/PID/stat's start time).
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "minictr.h"

extern char **environ;

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


/* ROOT/ID/run.json (s: ROOT and ID): what `run` was given, and who
 * supervises it. */
void runjson_write(const struct run_opts *o, const struct oci_state *s,
		   const char *name)
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
	if (write_atomic(state_path(s, "run.json", path, sizeof path), json,
			 len - 1, 0600) < 0)
		die("write %s", path);
	munmap(json, len);
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
