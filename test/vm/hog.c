/*
 * test/vm/hog.c - a memory hog for the VM scenario's OOM check.
 *
 * Touches 64 MiB, one MiB at a time (memset, so the pages are really
 * allocated, not just reserved).  Run under `minictr run -m 32m`, the
 * kernel's OOM killer must kill it: minictr then exits 137 and says
 * "minictr: container was killed: out of memory (limit 32M)".
 * Without a limit it exits 0.  Static (musl), so it runs in the bare VM.
 */
#include <stdlib.h>
#include <string.h>

int main(void)
{
	for (int i = 0; i < 64; i++) {
		char *p = malloc(1 << 20);

		if (!p)
			return 1;
		memset(p, 1, 1 << 20);
	}
	return 0;
}
