/*
 * env.c - the container's environment, built from nothing.
 *
 * Nothing of the caller's environment leaks into the container: it gets
 * docker's clean default (PATH, HOSTNAME, HOME, and TERM when it has a
 * terminal), then each -e in order.  "-e KEY=VALUE" sets KEY; "-e KEY"
 * copies KEY from minictr's own environment and is left out when KEY is
 * unset there (docker's rule).  A later KEY replaces an earlier one in its
 * place, so the last -e wins and can override a default.
 *
 * Pure like the parser: the caller provides the host environment and the
 * output array, so test/unit_env.c can check it without a container.
 * See environ(7), execve(2).
 */
#include <string.h>

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

/* Replace the entry with the same name, or append; returns the new count. */
static int set_entry(const char **out, int n, const char *entry)
{
	size_t len = name_len(entry);

	for (int i = 0; i < n; i++) {
		if (name_len(out[i]) == len && memcmp(out[i], entry, len) == 0) {
			out[i] = entry;
			return n;
		}
	}
	out[n] = entry;
	return n + 1;
}

/* How many pointers env_build() may write, the final NULL included. */
int env_size(const struct run_opts *o)
{
	return NDEFAULTS + o->nenv + 1;
}

/*
 * Fill out (room for env_size(o) pointers) and end it with NULL.
 * hostname_entry is "HOSTNAME=<name>", formatted by the caller, who knows
 * the name.  Returns the number of entries.
 */
int env_build(const struct run_opts *o, char *const host_env[],
	      const char *hostname_entry, const char **out)
{
	int n = 0;

	out[n++] = DEFAULT_PATH;
	out[n++] = hostname_entry;
	if (o->tty) {
		const char *term = find_entry(host_env, "TERM", 4);
		out[n++] = term ? term : "TERM=xterm";
	}
	out[n++] = "HOME=/root";

	for (int i = 0; i < o->nenv; i++) {
		const char *e = o->env[i];
		if (!strchr(e, '='))
			e = find_entry(host_env, e, strlen(e));
		if (e)
			n = set_entry(out, n, e);
	}
	out[n] = NULL;
	return n;
}
