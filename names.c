/*
 * names.c - a container's ID and name, as docker gives them, on the same
 * state directories as the OCI commands (state.c): ROOT/ID.
 *
 *   ID     64 hex digits: 32 bytes from getrandom(2), as docker's
 *   name   --name, or an adjective_scientist made up as docker does;
 *          unique among ROOT's containers, kept in ROOT/ID/name
 *
 * A name is unique because it is checked and ROOT/ID/name written under
 * ROOT's lock (container.c takes it).
 * A reference (every command's NAME) is, in docker's order: an exact ID,
 * else an exact name, else the unique ID that starts with it.
 * Man pages: getrandom(2).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

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
void container_pick_name(const char *root, const struct run_opts *o,
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
void container_new_id(char *id)
{
	unsigned char r[32];

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		die("getrandom");
	for (int i = 0; i < 32; i++)
		sprintf(id + 2 * i, "%02x", r[i]);
}
