/*
 * test/fuzz_units.c - libFuzzer harness for the value parsers of units.c.
 *
 * The input, as one NUL-terminated string, goes through every parser;
 * each success must satisfy what its callers rely on (the range, the
 * pieces of a volume or a --tmpfs inside the string, a depth of at least
 * one), format_size() must read back a size it formats, the kernel's
 * and docker's sizes agree where both read a string, and a CPU count
 * reads back from its decimals.  Build and run (a crash leaves its input in
 * crash-*, which becomes a row of test/unit_units.c):
 *   clang -g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
 *       -o test/fuzz_units test/fuzz_units.c units.c mountorder.c && test/fuzz_units -max_total_time=60
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../minictr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[256], back[32];
	long long n, m;
	struct volume v;
	struct tmpfs_spec t;

	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (parse_whole(s, 1000, &n) == 0 && (n < 0 || n > 1000))
		abort();
	if (parse_size(s, &n) == 0) {
		if (n < 0)
			abort();
		/* "32M" -> 33554432 -> "32M": a size reads back as itself */
		format_size(n, back, sizeof back);
		if (n > 0 && back[strlen(back) - 1] != 'B' &&
		    (parse_size(back, &m) < 0 || m != n))
			abort();
	}
	/* docker's -m reads what the kernel's size= reads (but exa, and
	 * above docker's largest) alike */
	if (parse_size(s, &n) == 0 && (s[strlen(s) - 1] | 0x20) != 'e' &&
	    n <= RAM_BYTES_MAX && (ram_in_bytes(s, &m) < 0 || m != n))
		abort();
	if (ram_in_bytes(s, &n) == 0 && (n < 0 || n > RAM_BYTES_MAX))
		abort();
	/* too large: -2, and only then, for what the kernel reads too */
	if (parse_size(s, &n) == 0 && n > RAM_BYTES_MAX &&
	    ram_in_bytes(s, &m) != -2)
		abort();
	/* billionths of a CPU read back from "%lld.%09lld" */
	if (parse_cpus(s, &n) == 0) {
		snprintf(back, sizeof back, "%lld.%09lld", n / 1000000000,
			 n % 1000000000);
		if (n < 0 || parse_cpus(back, &m) < 0 || m != n)
			abort();
	}
	if (parse_cpu_list(s) == 0 && (s[0] < '0' || s[0] > '9'))
		abort();
	/* a list is within itself and within every CPU a list may name */
	if (parse_cpu_list(s) == 0 && (cpu_list_within(s, s) != 1 ||
				       cpu_list_within(s, "0-65535") != 1))
		abort();
	if (!volume_split(s, &v) &&
	    (v.host != s || v.host_len < 1 || v.target[0] != '/' ||
	     v.target_len < 2 || v.target + v.target_len > s + size))
		abort();
	/* a tmpfs PATH is absolute, inside the string, and its depth
	 * (mountorder.c) counts at most one component per two bytes */
	if (!tmpfs_split(s, &t) &&
	    (t.target != s || t.target[0] != '/' || t.target_len < 2 ||
	     t.target + t.target_len > s + size || t.mode > 07777 ||
	     t.size < -1 || mount_depth(t.target, t.target_len) < 1 ||
	     mount_depth(t.target, t.target_len) > t.target_len / 2))
		abort();
	return 0;
}
