/*
 * test/fuzz_config.c - libFuzzer harness for config_parse() (config.c,
 * config_linux.c, json.c): any bytes as config.json, the file a bundle
 * brings, that minictr reads as root.
 *
 * A failure must name a field and say why; a success must give a command
 * and a root.  The same bytes as `exec --process FILE` (a NULL bundle:
 * one process object): the same rules, less the root.  Every string json_quote() makes of what was read must be
 * one JSON string that json_unescape() turns back into the same bytes.
 * Build and run (a crash leaves its input in crash-*, which becomes a
 * row of test/unit_config.c or test/unit_json.c):
 *   make test/fuzz_config && test/fuzz_config test/corpus/config
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../minictr.h"

/* config_parse() allocates what the container keeps for the life of the
 * process, and never frees it (as main.c's --env-file): not a leak. */
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

/* quote, then unescape what is between the quotes: s again */
static void round_trip(const char *s)
{
	size_t n = json_quote(s, NULL, 0);
	char *q = malloc(n + 1), *back = malloc(n + 1);

	json_quote(s, q, n + 1);
	if (q[0] != '"' || q[n - 1] != '"' ||
	    json_unescape(q + 1, (int)n - 2, back) != (int)strlen(s) ||
	    strcmp(back, s) != 0)
		abort();
	free(q);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);    /* exact: ASan sees overruns */
	struct run_opts o;
	struct config_error err;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&o, 0, sizeof o);
	if (config_parse(buf, size, "/bundle", &o, &err) < 0) {
		if (!err.field[0] || !err.reason)
			abort();
	} else {
		if (!o.argv || !o.argv[0] || !o.rootfs)
			abort();
		for (int i = 0; o.argv[i]; i++)
			round_trip(o.argv[i]);
		for (int i = 0; i < o.nenv; i++)
			round_trip(o.env[i]);
	}
	memset(&o, 0, sizeof o);
	if (config_parse(buf, size, NULL, &o, &err) < 0 ?
	    !err.field[0] || !err.reason : !o.argv || !o.argv[0])
		abort();
	free(buf);
	return 0;
}
