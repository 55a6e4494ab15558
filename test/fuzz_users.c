/*
 * test/fuzz_users.c - libFuzzer harness for passwd.c: any bytes as a
 * container's /etc/passwd and /etc/group (the image's files, read as root
 * by `run -u`), and any -u spec.
 *
 * The input is "SPEC\0PASSWD\0GROUP" (missing parts are empty).  A
 * success must give IDs within docker's range, at most USER_GROUPS_MAX
 * groups, and a HOME that is "/" or inside the passwd bytes; a failure
 * must name "user" or "group", a word inside the spec or a --group-add,
 * and a reason.  HOME is not NUL-terminated (caps.c prints it with its
 * length), so it is compared by length here too.  Each file is copied to a buffer of its exact length, so
 * ASan sees any read past it.  Build and run (a crash leaves its input
 * in crash-*, which becomes a row of test/unit_users.c):
 *   make test/fuzz_users && test/fuzz_users test/corpus/users
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../minictr.h"

static unsigned groups[USER_GROUPS_MAX];

/* The next NUL-separated part of data, copied to its own exact buffer. */
static char *part(const uint8_t **data, size_t *size, size_t *len)
{
	const uint8_t *nul = memchr(*data, 0, *size);
	char *p;

	*len = nul ? (size_t)(nul - *data) : *size;
	p = malloc(*len ? *len : 1);
	memcpy(p, *data, *len);
	*data += *len + (nul != NULL);
	*size -= *len + (nul != NULL);
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t slen, plen, glen;
	char *raw = part(&data, &size, &slen), *spec = malloc(slen + 1);
	char *pw = part(&data, &size, &plen), *gr = part(&data, &size, &glen);
	const char *add[2] = { "wheel", "12" };
	struct user_files f = { pw, gr, plen, glen };
	struct user_creds c = { .groups = groups };
	struct user_error err;

	memcpy(spec, raw, slen);
	spec[slen] = '\0';
	if (user_resolve(spec, add, 2, &f, &c, &err) == 0) {
		if (c.uid > 2147483647U || c.gid > 2147483647U ||
		    c.ngroups < 0 || c.ngroups > USER_GROUPS_MAX ||
		    c.home_len < 1 || ((c.home < pw || c.home + c.home_len >
		    pw + plen) && !(c.home_len == 1 && c.home[0] == '/')))
			abort();
	} else if (!err.reason || (strcmp(err.what, "user") != 0 &&
				   strcmp(err.what, "group") != 0) ||
		   (err.word_len && !(err.word >= spec &&
		    err.word + err.word_len <= spec + slen) &&
		    err.word != add[0] && err.word != add[1])) {
		abort();
	}
	free(raw);
	free(spec);
	free(pw);
	free(gr);
	return 0;
}
