/*
 * test/fuzz_boot.c - libFuzzer harness for bootconf.c: the bytes of an
 * image's /etc/minictr/boot, split by boot_words() and read by
 * boot_args(), then run's words by parse_run(), as boot.c and main.c do.
 *
 * A success must give at most len / 2 + 1 words, each a NUL-terminated
 * string inside the buffer; a failure of boot_words() must name a line
 * that exists, and of boot_args() a reason.  Build and run:
 *   make test/fuzz_boot && test/fuzz_boot
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../minictr.h"

static void check_run(struct boot_opts *b)
{
	/* room for each array parse_run() fills, as main.c's cmd_run() */
	const char **room = malloc((size_t)(b->nrun + 1) * 5 * sizeof *room);
	struct run_opts o = { .env = room, .env_files = room + b->nrun + 1,
			      .volumes = room + 2 * (b->nrun + 1),
			      .tmpfs = room + 3 * (b->nrun + 1),
			      .group_add = room + 4 * (b->nrun + 1) };
	struct parse_error err;
	char why[512];

	if (parse_run(b->nrun, b->run, &o, &err) > PARSE_HELP)
		format_parse_error(&err, why, sizeof why);
	free(room);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);  /* exact: ASan sees any overrun */
	char **words = malloc((size / 2 + 2) * sizeof *words);
	struct boot_opts b = { 0 };
	int n, lines = 1;

	memcpy(text, data, size);
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	n = boot_words(text, size, words, &b);
	if (n < 0 && (b.line < 1 || b.line > lines || !b.error))
		abort();
	if (n > (int)(size / 2 + 1) || (n >= 0 && words[n]))
		abort();
	for (int i = 0; i < n; i++)
		if (words[i] < text || words[i] + strlen(words[i]) > text + size)
			abort();
	if (n >= 0 && boot_args(n, words, &b) < 0 && !b.error)
		abort();
	if (n >= 0 && !b.error && b.run)
		check_run(&b);
	free(words);
	free(text);
	return 0;
}
