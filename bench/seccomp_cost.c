/*
 * bench/seccomp_cost.c - docker's default profile, compiled here: its
 * instructions, the time to compile it, and how many instructions a
 * system call runs (the same small classic-BPF interpreter as
 * test/unit_seccomp.c, counting), over the native numbers 0-459, for
 * getppid, and for the TIOCSTI-only filter of seccomp=unconfined.
 * bench/bench_seccomp.sh builds and runs it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "../minictr.h"
struct data { int nr; unsigned arch; unsigned long long ip, args[6]; };
static int steps;
static unsigned run(const struct sock_filter *f, int n, const struct data *d)
{
	unsigned a = 0;
	for (int pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc]; int t; steps++;
		switch (i->code) {
		case 0x20: memcpy(&a, (const char *)d + i->k, 4); continue;
		case 0x54: a &= i->k; continue;
		case 0x05: pc += (int)i->k; continue;
		case 0x06: return i->k;
		case 0x15: t = a == i->k; break;
		case 0x25: t = a > i->k; break;
		default: t = a >= i->k; break;
		}
		pc += t ? i->jt : i->jf;
	}
	return 0;
}
int main(void)
{
	static struct sock_filter f[SC_FILTER_MAX];
	const char *why; struct timespec a, b;
	int n = 0, reps = 2000;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < reps; i++) n = seccomp_compile(&sc_docker_default, CAPS_DEFAULT, 6 << 16, f, &why);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("docker default, CAPS_DEFAULT: %d insns, compile %.1f us\n", n, ((b.tv_sec-a.tv_sec)*1e9+(b.tv_nsec-a.tv_nsec))/reps/1000);
	int max = 0, cnt = 0; long tot = 0;
	for (int nr = 0; nr < 460; nr++) { struct data d = { nr, sc_arches[0].audit }; steps = 0; run(f, n, &d); tot += steps; cnt++; if (steps > max) max = steps; }
	struct data d = { sc_arches[0].nr[sc_name_index("getppid")], sc_arches[0].audit }; steps = 0; run(f, n, &d);
	printf("x86_64 numbers 0-459: mean %.1f, max %d instructions; getppid %d\n", (double)tot/cnt, max, steps);
	static struct sc_profile u = { SC_RET_ALLOW, ~0u, 0, 0 };
	n = seccomp_compile(&u, 0, 0, f, &why); steps = 0; run(f, n, &d);
	printf("unconfined: %d insns; getppid %d\n", n, steps);
	return 0;
}
