/*
 * env.c - the container's environment, built from nothing.
 *
 * Nothing of the caller's environment leaks into the container: it gets
 * docker's clean default (PATH, HOSTNAME, HOME, and TERM when it has a
 * terminal), then each -e in order.  TERM is the caller's only when the
 * container's root has a terminfo entry for it, else docker's "xterm": a
 * host's xterm-kitty in a Debian image makes every curses program say
 * "unknown terminal type".  "-e KEY=VALUE" sets KEY; "-e KEY"
 * copies KEY from minictr's own environment and is left out when KEY is
 * unset there (docker's rule).  A later KEY replaces an earlier one in its
 * place, so the last -e wins and can override a default.
 *
 * --env-file FILE adds docker's KEY=VALUE lines (env_file_parse(), near
 * the end of this file); as in docker, every file's entries come before
 * every -e, so -e wins over a file whatever their order on the command
 * line, and among the files, the later line and the later file win.
 *
 * Pure like the parser: the caller provides the host environment, the
 * file's bytes, the output arrays and whether the caller's TERM is known
 * in the root, so test/unit_env.c can check it without a container or a
 * file.  The one function that looks at files, terminfo_has(), is at the
 * end, apart; init.c calls it in the child once the container's root is
 * in place.
 * See environ(7), execve(2), terminfo(5) ("Fetching Compiled
 * Descriptions").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "minictr.h"

/* docker's default PATH for a root container */
#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define NDEFAULTS 4     /* PATH, HOSTNAME, HOME, TERM */

/* The length of the name in "NAME=value" (the whole string if no '='). */
static size_t name_len(const char *entry)
{
	return strcspn(entry, "=");
}

/* The "NAME=value" entry of env whose name is the first len bytes of name. */
static const char *find_entry(char *const env[], const char *name, size_t len)
{
	for (int i = 0; env && env[i]; i++)
		if (name_len(env[i]) == len && memcmp(env[i], name, len) == 0)
			return env[i];
	return NULL;
}

static int compare_names(const char *x, const char *y)
{
	size_t lx = name_len(x), ly = name_len(y);
	int c = memcmp(x, y, lx < ly ? lx : ly);

	if (c == 0 && lx != ly)
		c = lx < ly ? -1 : 1;
	return c;
}

/* Sort by name, and by place for equal names: a name's entries end up
 * side by side, the last one given last. */
static int by_name_then_place(const void *a, const void *b)
{
	const struct env_entry *x = a, *y = b;
	int c = compare_names(x->text, y->text);

	return c != 0 ? c : x->place - y->place;
}

/* One -e or --env-file entry as the container gets it: "KEY=VALUE" as
 * it is, "KEY" the host's own "KEY=VALUE" entry, or NULL when the host
 * has no KEY (left out, docker's rule).  runjson.c records them so in
 * run.json, for exec. */
const char *env_resolve(const char *e, char *const host_env[])
{
	return strchr(e, '=') ? e : find_entry(host_env, e, strlen(e));
}

/* How many entries env_build() may need in work and out, NULL included. */
int env_size(const struct run_opts *o)
{
	return NDEFAULTS + o->nenv + 1;
}

/*
 * Fill out (room for env_size(o) pointers, work as scratch of the same
 * size) and end it with NULL.  hostname_entry is "HOSTNAME=<name>" and
 * home_entry "HOME=<dir>", formatted by the caller, who knows them; keep_term says whether the
 * host's TERM has a terminfo entry in the container (terminfo_has()).
 * Returns the count.
 *
 * "The last one wins, in the first one's place" is done by sorting, not
 * by searching out[] for each -e: with thousands of -e that search would
 * make the start of a container cost grow with the square of their number.
 */
int env_build(const struct run_opts *o, char *const host_env[],
	      const char *hostname_entry, const char *home_entry, int keep_term,
	      struct env_entry *work, const char **out)
{
	int n = 0, kept = 0;

	work[n++].text = DEFAULT_PATH;
	work[n++].text = hostname_entry;
	if (o->tty) {
		const char *term = find_entry(host_env, "TERM", 4);
		work[n++].text = term && keep_term ? term : "TERM=xterm";
	}
	work[n++].text = home_entry;      /* "HOME=/root", or -u's (caps.c) */
	for (int i = 0; i < o->nenv; i++) {
		const char *e = env_resolve(o->env[i], host_env);
		if (e)
			work[n++].text = e;
	}
	for (int i = 0; i < n; i++)
		work[i].place = i;

	qsort(work, n, sizeof *work, by_name_then_place);
	for (int i = 0; i < n; i++)
		out[i] = NULL;
	for (int i = 0, j; i < n; i = j) {
		j = i + 1;
		while (j < n && compare_names(work[i].text, work[j].text) == 0)
			j++;
		out[work[i].place] = work[j - 1].text;  /* first place, last value */
	}
	for (int i = 0; i < n; i++)
		if (out[i])
			out[kept++] = out[i];
	out[kept] = NULL;
	return kept;
}

/*
 * --env-file FILE, docker's format, parsed from FILE's bytes (main.c reads
 * the file; nothing here touches one).  Each line is one of:
 *   KEY=VALUE    KEY is set to VALUE, exactly as written: no quotes are
 *                removed, no $ is expanded, trailing spaces are kept
 *   KEY          copied from minictr's environment, left out when unset
 *                there (as -e KEY: env_build() does the copy)
 *   # ...        a comment (only as the first thing on its line)
 *   (blank)      skipped
 * As docker: leading spaces and tabs are skipped, a CR before the newline
 * is dropped (a file saved on Windows), and so is a UTF-8 byte-order mark
 * at the start.  A name that is empty or holds a space or a tab is an
 * error, and so is a NUL byte anywhere (execve could not pass it: the
 * entry would be cut short silently).
 *
 * Why ENV_FILE_MAX (2 MiB): every entry ends up in execve's environment,
 * which the kernel caps, with argv, at a quarter of the stack limit:
 * 2 MiB under the usual 8 MiB (execve(2), "Limits on size").  A bigger
 * file cannot be passed on, and the bound stops a wrong FILE (a log,
 * /dev/zero) from filling minictr's memory before anything says so.
 */

/* How many lines buf holds: room enough for env_file_parse()'s out. */
int env_file_lines(const char *buf, size_t len)
{
	int n = 1;

	for (const char *p = buf; (p = memchr(p, '\n', len - (p - buf))); p++)
		n++;
	return n;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One line, already cut at its end: NULL if good, else what is wrong. */
static const char *env_line_error(const char *line, size_t len)
{
	size_t name = strcspn(line, "=");

	if (memchr(line, '\0', len))
		return "a NUL byte in the line";
	if (name == 0)
		return "no variable name before '='";
	for (size_t i = 0; i < name; i++)
		if (is_blank(line[i]))
			return "a space or tab in the variable name";
	return NULL;
}

/*
 * Split buf (len bytes, and room for one more) into its entries, in
 * place: out[i] points into buf.  out has room for env_file_lines().
 * Returns the number of entries, or -1 with err naming the line.
 */
int env_file_parse(char *buf, size_t len, const char **out,
		   struct env_file_error *err)
{
	char *p = buf, *end = buf + len;
	int n = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p += 3;                 /* the UTF-8 byte-order mark */
	for (err->line = 1; p < end; err->line++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;

		if (eol > p && eol[-1] == '\r')
			eol--;
		*eol = '\0';
		while (is_blank(*p) || *p == '\r' || *p == '\v' || *p == '\f')
			p++;
		if (p < eol && *p != '#') {
			err->reason = env_line_error(p, (size_t)(eol - p));
			if (err->reason)
				return -1;
			out[n++] = p;
		}
		p = nl ? nl + 1 : end;
	}
	return n;
}

/* Where terminfo(5) looks, without TERMINFO, TERMINFO_DIRS or ~/.terminfo
 * (none of which the container's environment has): Debian's /etc, /lib
 * and /usr/share, and /usr/lib of other distributions. */
static const char *const terminfo_dirs[] = {
	"/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo",
	"/usr/lib/terminfo",
};
#define NTERMINFO (int)(sizeof terminfo_dirs / sizeof terminfo_dirs[0])

/*
 * The i-th place the entry for terminal name may be, into buf: i / 2 is
 * the directory, i % 2 the spelling of its subdirectory, the first letter
 * ("x/xterm") or, on case-insensitive file systems (macOS), that byte in
 * hex ("78/xterm").  Returns -1 past the last place, and for a name that
 * is not one (empty, ".", "..", or with a '/': ncurses refuses those too,
 * or a TERM of "../../bin/sh" would find a file).
 */
int terminfo_path(const char *name, int i, char *buf, size_t len)
{
	const char *dir;
	int n;

	if (i < 0 || i >= 2 * NTERMINFO || !name[0] || strchr(name, '/') ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -1;
	dir = terminfo_dirs[i / 2];
	if (i % 2 == 0)
		n = snprintf(buf, len, "%s/%c/%s", dir, name[0], name);
	else
		n = snprintf(buf, len, "%s/%02x/%s", dir,
			     (unsigned char)name[0], name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Not pure: is there a terminfo entry for name under today's "/"? */
int terminfo_has(const char *name)
{
	char path[512];
	struct stat st;

	for (int i = 0; terminfo_path(name, i, path, sizeof path) == 0; i++)
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return 1;
	return 0;
}
