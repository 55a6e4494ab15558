/*
 * subid.c - /etc/subuid, /etc/subgid and /etc/passwd, read as text: the
 * subordinate IDs a user may map into a user namespace, and a uid's name.
 *
 * Each line of /etc/subuid (and /etc/subgid) is NAME:START:COUNT, or
 * UID:START:COUNT: that user may map the COUNT ids from START through the
 * setuid helpers newuidmap(1) and newgidmap(1).  The helpers take the
 * first line that names the user, by name or by number; so does minictr,
 * which must pick the same range the helper will accept.  Lines that are
 * empty, a comment, or not of that shape are skipped, as shadow's
 * subordinateio.c does.
 *
 * Pure functions (text in, numbers out), unit-tested in test/unit_subid.c.
 * Man pages: subuid(5), subgid(5), passwd(5), user_namespaces(7).
 */
#include <string.h>

#include "minictr.h"

/* The decimal number at *p, ending at one of ends; *p moves past it.
 * -1 if there is none, it does not fit in an id (32 bits), or another
 * character follows it. */
static long long number(const char **p, const char *ends)
{
	long long n = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((n = n * 10 + (*s - '0')) > 0xffffffffLL)
			return -1;
	/* the text's end ends a line too */
	if (*s ? !strchr(ends, *s) : !strchr(ends, '\n'))
		return -1;
	*p = s;
	return n;
}

/* Does the first field of line name the user, by name or by number? */
static int names_user(const char *line, const char *name, unsigned long id)
{
	size_t len = name ? strlen(name) : 0;
	const char *p = line;

	if (len && strncmp(line, name, len) == 0 && line[len] == ':')
		return 1;
	return number(&p, ":") == (long long)id;
}

/*
 * The range of the first line for this user (name may be NULL: by number
 * only).  0 and *start, *count; -1 if no line has a usable range.
 */
int subid_range(const char *text, const char *name, unsigned long id,
		unsigned long *start, unsigned long *count)
{
	for (const char *l = text; *l; l += strcspn(l, "\n"), l += !!*l) {
		const char *p = l + strcspn(l, ":\n");
		long long s, n;

		if (*p != ':' || *l == '#' || !names_user(l, name, id))
			continue;
		p++;
		if ((s = number(&p, ":")) < 0)
			continue;
		p++;
		if ((n = number(&p, "\n")) <= 0 || s + n > 0x100000000LL)
			continue;
		*start = (unsigned long)s;
		*count = (unsigned long)n;
		return 0;
	}
	return -1;
}

/* The name of uid in a passwd(5) text (NAME:PASSWORD:UID:...) into name,
 * len bytes: 0, or -1 if no line has that uid or the name is too long. */
int passwd_name(const char *text, unsigned long uid, char *name, size_t len)
{
	for (const char *l = text; *l; l += strcspn(l, "\n"), l += !!*l) {
		size_t n = strcspn(l, ":\n");
		const char *p = l + n;

		if (*p != ':' || !(p = strchr(p + 1, ':')) ||
		    p > l + strcspn(l, "\n"))
			continue;
		p++;
		if (number(&p, ":") != (long long)uid || n >= len)
			continue;
		memcpy(name, l, n);
		name[n] = '\0';
		return 0;
	}
	return -1;
}
