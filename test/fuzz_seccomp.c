/*
 * test/fuzz_seccomp.c - libFuzzer harness for seccomp_load() and
 * seccomp_compile() (seccomp_profile.c, seccomp_bpf.c, json.c): any bytes
 * as a profile file, which `--security-opt seccomp=FILE` and config.json
 * bring, compiled for a container with and without CAP_SYS_ADMIN.
 *
 * A refusal must name a field (or "JSON") and say why; a profile that
 * loads must compile into at most SC_FILTER_MAX instructions, or say
 * why not, and every jump must land inside the program on a return.
 *   make test/fuzz_seccomp && test/fuzz_seccomp test/corpus/seccomp
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../minictr.h"

/* the parser's one block lives as long as the process, as in minictr */
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static struct sock_filter f[SC_FILTER_MAX];

/* every path ends in a RET, every jump lands inside: the kernel's own
 * check (sk_chk_filter) would refuse the filter otherwise */
static void check(int n)
{
	if (n < 1 || n > SC_FILTER_MAX || f[n - 1].code != 0x06)
		abort();
	for (int i = 0; i < n; i++) {
		long far = f[i].code == 0x05 ? (long)f[i].k : 0;
		if (i + 1 + far + f[i].jt >= n || i + 1 + far + f[i].jf >= n)
			if (f[i].code != 0x06)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_profile p;
	char where[96];
	const char *why;
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	if ((why = seccomp_load(text, size, &p, where, sizeof where))) {
		if (!where[0] || !why[0])
			abort();
	} else {
		for (int caps = 0; caps < 2; caps++) {
			int n = seccomp_compile(&p, caps ? ~0ULL : CAPS_DEFAULT,
						6 << 16, f, &why);
			if (n >= 0)
				check(n);
			else if (!why[0])
				abort();
		}
	}
	free(text);
	return 0;
}
