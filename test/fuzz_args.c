/*
 * test/fuzz_args.c - libFuzzer harness for every parser minictr has.
 *
 * The input is split at NUL bytes into an argv, which goes through
 * parse_run() (the `run` options and each value parser of units.c it
 * calls: test/fuzz_units.c also drives those one by one),
 * format_parse_error() (the words of a rejection), env_build() (the
 * environment, against a small fixed host environment) and, each word
 * taken as a TERM, terminfo_path().  Built with
 * clang -fsanitize=fuzzer,address,undefined by `make fuzz`; any crash,
 * out-of-bounds access or undefined behaviour stops the run, and the
 * input that caused it becomes a row of test/unit_args.c.
 * The invariants checked here are the ones no table can cover by hand.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../minictr.h"

#define MAXARGS 64

static char *host_env[] = { "TERM=xterm", "HOME=/h", "A=1", "EMPTY=", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[4096 + 1], *argv[MAXARGS + 1], msg[1024];
	const char *env[MAXARGS + 1], *env_files[MAXARGS + 1];
	const char *volumes[MAXARGS + 1], *tmpfs[MAXARGS + 1];
	const char *group_add[MAXARGS + 1];
	const char *out[MAXARGS + 8];
	struct env_entry work[MAXARGS + 8];
	struct run_opts o = { .env = env, .env_files = env_files,
			      .volumes = volumes, .tmpfs = tmpfs,
			      .group_add = group_add };
	struct parse_error err;
	int argc = 0;

	if (size > 4096)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *p = buf; p <= buf + size && argc < MAXARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	/* each word as a TERM: every place named is the name itself in a
	 * subdirectory of a terminfo directory, never a path that climbs
	 * out (a component "..") */
	for (int i = 0; i < argc; i++)
		for (int j = 0; terminfo_path(argv[i], j, msg, sizeof msg) == 0; j++)
			if (strstr(msg, "/../") || strchr(argv[i], '/') ||
			    strcmp(strrchr(msg, '/') + 1, argv[i]) != 0 ||
			    strcmp(argv[i], "..") == 0)
				abort();

	switch (parse_run(argc, argv, &o, &err)) {
	case PARSE_OK:
		/* the command is a suffix of argv; env fits its room */
		if (o.argv < argv || o.argv >= argv + argc || o.nenv > argc ||
		    o.nvolumes > argc || o.nenv_files > argc || o.ntmpfs > argc ||
		    o.ngroup_add > argc)
			abort();
		/* the sets are docker's rule's, within what capabilities(7)
		 * names; no_new_privs settled */
		if ((o.cap_bounding & ~CAPS_ALL) || (o.no_new_privs != 0 &&
		    o.no_new_privs != 1))
			abort();
		if (o.hostname && !valid_hostname(o.hostname))
			abort();
		/* docker's sizes: within int64 as its float leaves it; swap
		 * -1, or 0, or at least -m; /dev/shm only with --rootfs;
		 * --stop-timeout -1 (for ever) or seconds */
		if (o.memory < 0 || o.memory > RAM_BYTES_MAX ||
		    o.memory_swap < -1 || (o.memory_swap > 0 &&
		    (!o.memory || o.memory_swap < o.memory)) ||
		    o.shm_size < 0 || (o.shm_size && !o.rootfs) ||
		    o.stop_timeout < -1)
			abort();
		if (env_build(&o, host_env, "HOSTNAME=x", "HOME=/h", 1, work, out) >= env_size(&o))
			abort();
		break;
	case PARSE_HELP:
		break;
	default:
		/* every rejection has words, and they fit */
		if (format_parse_error(&err, msg, sizeof msg) <= 0)
			abort();
	}
	return 0;
}
