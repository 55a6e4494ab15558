/*
 * test/fuzz_envfile.c - libFuzzer harness for env_file_parse() (env.c),
 * the parser of --env-file's hostile bytes: any file a user points at.
 *
 * The input is a file's contents.  A success must give at most
 * env_file_lines() entries, each a NUL-terminated string inside the
 * buffer, with a name that is not empty and has no space or tab, and
 * that env_build() can take; a failure must name a line that exists.
 * Build and run (a crash leaves its input in crash-*, which becomes a
 * row of test/unit_env.c):
 *   clang -g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
 *       -o test/fuzz_envfile test/fuzz_envfile.c env.c && test/fuzz_envfile
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../minictr.h"

static char *host_env[] = { "A=1", "HOME=/h", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);   /* exact: ASan sees any overrun */
	int lines, n;
	struct env_file_error err;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	lines = env_file_lines(buf, size);
	const char **out = malloc((size_t)lines * sizeof *out);
	n = env_file_parse(buf, size, out, &err);
	if (n > lines)
		abort();
	if (n < 0 && (err.line < 1 || err.line > lines || !err.reason))
		abort();
	for (int i = 0; i < n; i++) {
		size_t name = strcspn(out[i], "=");
		if (out[i] < buf || out[i] + strlen(out[i]) > buf + size ||
		    name == 0 || strcspn(out[i], " \t") < name)
			abort();
	}
	if (n > 0) {
		/* the entries go on as -e values do */
		const char **envp = malloc((size_t)(n + 5) * sizeof *envp);
		struct env_entry *work = malloc((size_t)(n + 5) * sizeof *work);
		struct run_opts o = { .env = out, .nenv = n };
		if (env_build(&o, host_env, "HOSTNAME=x", "HOME=/h", 1, work,
			      envp) >=
		    env_size(&o))
			abort();
		free(envp);
		free(work);
	}
	free(out);
	free(buf);
	return 0;
}
