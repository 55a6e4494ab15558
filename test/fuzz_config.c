/*
 * test/fuzz_config.c - libFuzzer harness for config_parse() and
 * config_hooks() (config.c, config_linux.c, json.c): any bytes as
 * config.json, the file a bundle brings, that minictr reads as root.
 *
 * A failure must name a field and say why; a success must give a command
 * and a root.  The same bytes as `exec --process FILE` (a NULL bundle:
 * one process object): the same rules, less the root.  Every string json_quote() makes of what was read must be
 * one JSON string that json_unescape() turns back into the same bytes.
 * The device policy read is compiled both ways (devices.c) and checked.
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

/* The device policy read (devices.c): both compilations fit their room,
 * the program ends in exit, and v1's lines are rules the kernel reads. */
static void compile_devices(const struct run_opts *o)
{
	struct bpf_insn *p = malloc(DEV_BPF_MAX(o->ndevices) * sizeof *p);
	struct dev_rule *l = malloc(((size_t)o->ndevices + 1) * sizeof *l);
	char line[32];
	int n;

	if (o->ndevices < dev_ndefaults - 1)
		abort();        /* runc's list is always there */
	n = devices_bpf(o->devices, o->ndevices, p);
	if (n > DEV_BPF_MAX(o->ndevices) || p[n - 1].code != 0x95)
		abort();
	n = devices_v1(o->devices, o->ndevices, l);
	if (n < 1 || n > o->ndevices + 1 || l[0].type != 'a')
		abort();
	for (int i = 1; i < n; i++)
		if (strchr("bc", l[i].type) == NULL || !l[i].access ||
		    strlen(devices_line(&l[i], line)) > 22)
			abort();
	free(p);
	free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);    /* exact: ASan sees overruns */
	struct run_opts o;
	struct config_error err;
	int whole;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&o, 0, sizeof o);
	if ((whole = config_parse(buf, size, "/bundle", &o, &err)) < 0) {
		if (!err.field[0] || !err.reason)
			abort();
	} else {
		if (!o.argv || !o.argv[0] || !o.rootfs)
			abort();
		for (int i = 0; o.argv[i]; i++)
			round_trip(o.argv[i]);
		for (int i = 0; i < o.nenv; i++)
			round_trip(o.env[i]);
		compile_devices(&o);
	}
	/* start's and delete's reading: what create took, it takes too */
	struct run_opts h = { 0 };
	if (config_hooks(buf, size, &h, &err) < 0 ?
	    whole == 0 || !err.field[0] || !err.reason :
	    whole == 0 && memcmp(h.nhooks, o.nhooks, sizeof o.nhooks))
		abort();
	memset(&o, 0, sizeof o);
	if (config_parse(buf, size, NULL, &o, &err) < 0 ?
	    !err.field[0] || !err.reason : !o.argv || !o.argv[0])
		abort();
	free(buf);
	return 0;
}
