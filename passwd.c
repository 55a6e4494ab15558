/*
 * passwd.c - who `-u USER[:GROUP]` is: the container's own /etc/passwd
 * and /etc/group, read as docker reads them (pure: bytes in, numbers out).
 *
 * The files belong to the image, so they are hostile input: any bytes,
 * any length, lines without an end.  Nothing here reads past the length
 * given, allocates or writes outside the caller's arrays; caps.c reads
 * the files (inside the container's root, never the host's, for a
 * --rootfs container) and hands their bytes here.
 *
 *   passwd(5)  name:password:UID:GID:GECOS:directory:shell
 *   group(5)   name:password:GID:member,member,...
 * A line that does not parse (too few fields, an ID that is not a number
 * from 0 to 2147483647) is skipped, as glibc's files module skips it.
 *
 * Docker's rules (GetExecUser in moby/sys/user), in user_resolve():
 *   - USER is a name, or a number that matches an entry's name or UID
 *     (the first entry that matches wins); a number that matches nothing
 *     is used as it is, with GID 0 and HOME "/"; a name that matches
 *     nothing is an error;
 *   - GROUP, the same way in /etc/group (an unknown number is used as it
 *     is); without GROUP, the entry's GID, and as supplementary groups
 *     every group that lists the user's name as a member; the primary
 *     group is always a supplementary one too (moby's getUser);
 *   - each --group-add, a name (must exist) or a number, joins them,
 *     with or without USER (root gets them too); none is there twice;
 *   - HOME is the entry's directory, else "/".
 * IDs from 0 to 2147483647, docker's range: above it many programs take
 * an ID for -1.
 */
#include <string.h>

#include "minictr.h"

#define UID_MAX 2147483647LL

/* The next line of buf from *off: *line, *len (without the '\n'). */
static int next_line(const char *buf, size_t size, size_t *off,
		     const char **line, size_t *len)
{
	const char *nl;

	if (*off >= size)
		return 0;
	*line = buf + *off;
	nl = memchr(*line, '\n', size - *off);
	*len = nl ? (size_t)(nl - *line) : size - *off;
	*off += *len + 1;
	return 1;
}

/* Field i (from 0) of a ':'-separated line: *f and its length, or -1. */
static int field(const char *line, size_t len, int i, const char **f,
		 size_t *flen)
{
	const char *end = line + len, *colon;

	for (; i > 0; i--) {
		colon = memchr(line, ':', (size_t)(end - line));
		if (!colon)
			return -1;
		line = colon + 1;
	}
	colon = memchr(line, ':', (size_t)(end - line));
	*f = line;
	*flen = colon ? (size_t)(colon - line) : (size_t)(end - line);
	return 0;
}

/* "1000" as a number from 0 to 2147483647; -1 if it is not one. */
long long user_id(const char *s, size_t len)
{
	long long v = 0;

	if (len == 0 || len > 10)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= UID_MAX ? v : -1;
}

/* One passwd(5) line into e (pointers into it); -1: skip it. */
int passwd_line(const char *line, size_t len, struct id_entry *e)
{
	const char *f;
	size_t n;
	long long uid, gid;

	if (field(line, len, 0, &e->name, &e->name_len) < 0 ||
	    e->name_len == 0 || e->name_len == len ||
	    field(line, len, 2, &f, &n) < 0 || (uid = user_id(f, n)) < 0 ||
	    field(line, len, 3, &f, &n) < 0 || (gid = user_id(f, n)) < 0)
		return -1;
	e->id = (unsigned)uid;
	e->gid = (unsigned)gid;
	if (field(line, len, 5, &e->more, &e->more_len) < 0)
		e->more_len = 0;        /* no directory: HOME is "/" */
	return 0;
}

/* One group(5) line into e: more is the member list; -1: skip it. */
int group_line(const char *line, size_t len, struct id_entry *e)
{
	const char *f;
	size_t n;
	long long gid;

	if (field(line, len, 0, &e->name, &e->name_len) < 0 ||
	    e->name_len == 0 || e->name_len == len ||
	    field(line, len, 2, &f, &n) < 0 || (gid = user_id(f, n)) < 0)
		return -1;
	e->id = e->gid = (unsigned)gid;
	if (field(line, len, 3, &e->more, &e->more_len) < 0)
		e->more_len = 0;
	return 0;
}

/* Does the comma-separated list hold name?  (Spaces are part of names.) */
static int listed(const char *list, size_t len, const char *name, size_t n)
{
	for (size_t i = 0; i <= len && n;) {
		size_t k = i;
		while (k < len && list[k] != ',')
			k++;
		if (k - i == n && memcmp(list + i, name, n) == 0)
			return 1;
		i = k + 1;
	}
	return 0;
}

/*
 * The first entry of the file (passwd_line or group_line) whose name is
 * word, or, when word is a number, whose ID is.  1 found, 0 not.
 */
static int find(const char *buf, size_t size,
		int (*parse)(const char *, size_t, struct id_entry *),
		const char *word, size_t wlen, struct id_entry *e)
{
	long long num = user_id(word, wlen);
	const char *line;
	size_t off = 0, len;

	while (next_line(buf, size, &off, &line, &len))
		if (parse(line, len, e) == 0 &&
		    ((e->name_len == wlen && memcmp(e->name, word, wlen) == 0) ||
		     (num >= 0 && e->id == (unsigned)num)))
			return 1;
	return 0;
}

static int bad(struct user_error *err, const char *what, const char *word,
	       size_t len, const char *reason)
{
	err->what = what;
	err->word = word;
	err->word_len = (int)len;
	err->reason = reason;
	return -1;
}

/* A group given as a name (must exist) or a number (need not): its GID. */
static int group_id(const struct user_files *f, const char *word, size_t len,
		    unsigned *gid, struct user_error *err)
{
	struct id_entry e;
	long long num = user_id(word, len);

	if (find(f->group, f->group_len, group_line, word, len, &e))
		*gid = e.id;
	else if (num >= 0)
		*gid = (unsigned)num;
	else if (len && strspn(word, "0123456789") >= len)
		return bad(err, "group", word, len, "uids and gids must be in "
			   "range 0-2147483647");
	else
		return bad(err, "group", word, len, "not in the container's "
			   "/etc/group");
	return 0;
}

/* One more supplementary group, within the kernel's NGROUPS_MAX; one
 * already there is not added twice (-u alice --group-add users, where
 * /etc/group lists alice in users: `id` would show it twice). */
static int add_group(struct user_creds *c, unsigned gid, struct user_error *err)
{
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return 0;
	if (c->ngroups >= USER_GROUPS_MAX)
		return bad(err, "user", "", 0, "in more than 65536 groups, "
			   "the kernel's NGROUPS_MAX");
	c->groups[c->ngroups++] = gid;
	return 0;
}

/* Without GROUP: every group of /etc/group that lists name. */
static int member_groups(const struct user_files *f, const char *name,
			 size_t n, struct user_creds *c, struct user_error *err)
{
	struct id_entry e;
	const char *line;
	size_t off = 0, len;

	while (next_line(f->group, f->group_len, &off, &line, &len))
		if (group_line(line, len, &e) == 0 &&
		    listed(e.more, e.more_len, name, n) &&
		    add_group(c, e.gid, err) < 0)
			return -1;
	return 0;
}

/* USER: the passwd entry, or a number as it is; sets uid, gid, home. */
static int user_part(const struct user_files *f, const char *word, size_t len,
		     struct user_creds *c, struct id_entry *e,
		     struct user_error *err)
{
	long long num = user_id(word, len);

	if (find(f->passwd, f->passwd_len, passwd_line, word, len, e)) {
		c->uid = e->id;
		c->gid = e->gid;
		if (e->more_len) {
			c->home = e->more;
			c->home_len = (int)e->more_len;
		}
		return 1;
	}
	if (num < 0)
		return bad(err, "user", word, len, len && strspn(word, "0123456789") >=
			   len ? "uids and gids must be in range 0-2147483647"
			   : "not in the container's /etc/passwd");
	c->uid = (unsigned)num;
	return 0;
}

/*
 * spec "USER[:GROUP]" and the --group-add words, against the files (a
 * missing file: NULL, 0), into c: c->groups must have room for
 * USER_GROUPS_MAX entries.  0, or -1 with err saying which word and why.
 */
int user_resolve(const char *spec, const char *const *group_add, int nadd,
		 const struct user_files *f, struct user_creds *c,
		 struct user_error *err)
{
	const char *colon = strchr(spec, ':');
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
	struct id_entry e;
	int found;

	c->uid = c->gid = 0;
	c->ngroups = 0;
	c->home = "/";
	c->home_len = 1;
	if ((found = user_part(f, spec, ulen, c, &e, err)) < 0)
		return -1;
	if (colon && group_id(f, colon + 1, strlen(colon + 1), &c->gid, err) < 0)
		return -1;
	if (!colon && found &&
	    member_groups(f, e.name, e.name_len, c, err) < 0)
		return -1;
	/* the primary group is a supplementary one too (moby's fix of
	 * CVE-2022-36109, containerd's of CVE-2023-25173): else a process
	 * that changes its gid sheds it, and a file that denies that group
	 * (mode 0604) opens */
	if (add_group(c, c->gid, err) < 0)
		return -1;
	return groups_resolve(group_add, nadd, f, c, err);
}

/*
 * The --group-add words, against /etc/group, added to c's groups (each
 * once).  Also without -u: docker gives root the groups too.  0, or -1
 * with err saying which word and why.
 */
int groups_resolve(const char *const *group_add, int nadd,
		   const struct user_files *f, struct user_creds *c,
		   struct user_error *err)
{
	for (int i = 0; i < nadd; i++) {
		unsigned gid;
		if (group_id(f, group_add[i], strlen(group_add[i]), &gid,
			     err) < 0 || add_group(c, gid, err) < 0)
			return -1;
	}
	return 0;
}
