/*
 * bootconf.c - what `minictr boot` is asked to do, from two places, as
 * pure functions: the words after `boot` (a command line, or the kernel's
 * words after "--" in rdinit=/minictr -- boot run ...), and the image's
 * /etc/minictr/boot, for what does not fit a kernel command line (x86
 * keeps 2048 bytes of it, and a value with a space is awkward there).
 *
 * The words:  boot [--hostname NAME] [--config FILE] [--dry-run] [--]
 *                  run RUN-OPTIONS COMMAND [ARG...]
 * The file holds the same words (without "boot"), split as a shell would
 * split one simple command, minus everything else a shell does:
 *   - words are separated by spaces, tabs and newlines, so a line break
 *     is only a space: put options on lines of their own for reading;
 *   - '...' and "..." quote literally (no escapes, no $), anywhere in a
 *     word ("a b"c is one word: a bc); '' is an empty word;
 *   - # at the start of a word comments out the rest of its line.
 * For example:
 *     # /etc/minictr/boot
 *     --hostname web
 *     run --rootfs /app -m 64m --restart on-failure:3
 *         -e 'GREETING=hello world'
 *         /app/server --port 8080
 * boot.c reads the file first and the command line over it: an option
 * given in both is the command line's, and a command line with its own
 * `run ...` replaces the file's.  boot_args() therefore only sets what it
 * finds (the caller clears the struct once).
 *
 * No syscalls: test/unit_boot.c has the rows, test/fuzz_boot.c the
 * hostile file.
 */
#include <string.h>

#include "minictr.h"

static int refuse(struct boot_opts *b, const char *error, const char *word)
{
	b->error = error;
	b->word = word;
	return -1;
}

/* --name VALUE or --name=VALUE: the value, *i moved past it; NULL if
 * word is not this option or its value is missing (b says which). */
static const char *value_of(const char *name, int argc, char *const argv[],
			    int *i, struct boot_opts *b)
{
	size_t len = strlen(name);
	const char *w = argv[*i];

	if (strncmp(w, name, len) != 0)
		return NULL;
	if (w[len] == '=')
		return w + len + 1;
	if (w[len] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		refuse(b, "needs a value", w);
		return NULL;
	}
	return argv[++*i];
}

/* One option at argv[*i]: 0, or -1 with b->error set. */
static int option(int argc, char *const argv[], int *i, struct boot_opts *b)
{
	const char *v;

	if (strcmp(argv[*i], "--dry-run") == 0) {
		b->dry_run = 1;
		return 0;
	}
	if ((v = value_of("--hostname", argc, argv, i, b))) {
		if (!valid_hostname(v))
			return refuse(b, "not a valid hostname", v);
		b->hostname = v;
		return 0;
	}
	if ((v = value_of("--config", argc, argv, i, b))) {
		if (!*v)
			return refuse(b, "an empty path", "--config");
		b->config = v;
		return 0;
	}
	return b->error ? -1 : refuse(b, "unknown option", argv[*i]);
}

/*
 * The words after "boot": options, then "run" and run's words (checked
 * later by parse_run()).  0, or -1 with b->error and b->word.
 */
int boot_args(int argc, char *const argv[], struct boot_opts *b)
{
	int i;

	b->error = NULL;
	for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "run") == 0)
			break;
		if (argv[i][0] != '-')
			return refuse(b, "expected an option or run",
				      argv[i]);
		if (option(argc, argv, &i, b) < 0)
			return -1;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		return 0;       /* no run here: the file's, if any */
	if (strcmp(argv[i], "run") != 0)
		return refuse(b, "expected run", argv[i]);
	b->run = argv + i + 1;
	b->nrun = argc - i - 1;
	return 0;
}

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Split the file's text into words, in place: text must have room for
 * len + 1 bytes, words for len / 2 + 2 pointers (a word takes at least one
 * byte and one blank after it).  The count, words[count] = NULL; or -1
 * with b->error and b->line.
 */
int boot_words(char *text, size_t len, char **words, struct boot_opts *b)
{
	size_t r = 0, w = 0;
	int n = 0, line = 1;

	while (r < len) {
		char quote = 0;
		int start = line;

		if (text[r] == '\n')
			line++;
		if (blank(text[r])) {
			r++;
			continue;
		}
		if (text[r] == '#') {
			while (r < len && text[r] != '\n')
				r++;
			continue;
		}
		words[n++] = text + w;
		for (; r < len && (quote || !blank(text[r])); r++) {
			if (text[r] == '\0') {
				b->line = line;
				return refuse(b, "a NUL byte", NULL);
			}
			if (text[r] == '\n')
				line++;
			if (!quote && (text[r] == '\'' || text[r] == '"'))
				quote = text[r];
			else if (quote && text[r] == quote)
				quote = 0;
			else
				text[w++] = text[r];
		}
		if (quote) {
			b->line = start;
			return refuse(b, "a quote that is not closed", NULL);
		}
		if (r < len && text[r++] == '\n')     /* the blank after it */
			line++;
		text[w++] = '\0';       /* w < r, or w <= len at the end */
	}
	words[n] = NULL;
	return n;
}
