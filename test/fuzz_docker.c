/*
 * test/fuzz_docker.c - libFuzzer harness for dockerargs.c: docker's
 * command lines (the input split at NUL bytes into an argv) and
 * log_tail() over the input's bytes, which a container writes and so
 * are hostile.  Invariants: every name parse_docker() returns is one
 * of argv's words; a tail starts within the buffer, after a newline,
 * at 0, or at the end (no lines).  A finding becomes a unit row.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../minictr.h"

#define MAXARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[4096 + 1], *argv[MAXARGS + 1], *names[MAXARGS + 1];
	struct docker_args d;
	int argc = 0;
	size_t at;

	if (size < 1 || size > 4096)
		return 0;
	at = log_tail((const char *)data + 1, size - 1, (long)data[0] - 8);
	if (at > size - 1 || (at > 0 && at < size - 1 && data[at] != '\n'))
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t i = 0; i < size && argc < MAXARGS; i += strlen(buf + i) + 1)
		argv[argc++] = buf + i;
	argv[argc] = NULL;
	if (parse_docker(argc, argv, &d, names) == 0)
		for (int i = 0; i < d.nnames; i++)
			if (d.names[i] < buf || d.names[i] > buf + size)
				abort();
	return 0;
}
